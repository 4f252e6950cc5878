// Request and response schemas of the HTTP API. The route table points at these; handlers
// parse with them and the OpenAPI document is generated from them, so all three agree.
import { z } from 'zod';
import { ROLES } from '../auth/user-pool-definition.ts';
import { METRIC_NAMES } from '../domain/metrics.ts';
import { passwordProblems } from '../auth/password-policy.ts';

/** Ids we mint are UUIDs (Cognito's `sub` is one too); anything else is rejected as 400. */
export const Id = z.uuid();

export const Email = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
const Password = z
  .string()
  .max(256)
  .superRefine((password, context) => {
    const problems = passwordProblems(password);
    if (problems.length > 0) context.addIssue({ code: 'custom', message: `password needs ${problems.join(', ')}` });
  });
const Timestamp = z.iso.datetime({ offset: true });

/** How far ahead of the server's clock a device's measurement time may be (clock skew). */
export const MAX_FUTURE_SKEW_SECONDS = 300;
// A measurement time from the future would open alerts that never age out of "current".
const MeasuredAt = Timestamp.refine((at) => Date.parse(at) <= Date.now() + MAX_FUTURE_SKEW_SECONDS * 1000, {
  message: `must not be more than ${MAX_FUTURE_SKEW_SECONDS / 60} minutes in the future`,
});

export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const Health = z.strictObject({ status: z.literal('ok'), version: z.string() });

export const LoginRequest = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
  /** Only on the first sign-in of an invited account: replaces the invitation's temporary password. */
  newPassword: Password.optional(),
});
export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(1).max(8192) });
export const Tokens = z.strictObject({
  accessToken: z.string(),
  idToken: z.string(),
  refreshToken: z.string().optional(),
  expiresIn: z.number().int(),
});

export const Role = z.enum(ROLES);
export const CreateUserRequest = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: Role,
  /**
   * Without one the user pool mails the user an invitation with a temporary password, which
   * the first sign-in replaces (`newPassword` on POST /v1/auth/login).
   */
  password: Password.optional(),
});
export const User = z.strictObject({
  userId: Id,
  orgId: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  createdAt: Timestamp,
});

export const MetricName = z.enum(METRIC_NAMES);
export const Priority = z.enum(['high', 'medium', 'low']);

export const ThresholdRequest = z
  .strictObject({
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    /** A breach must persist this long before it opens an alert. */
    minDurationSeconds: z.number().int().min(0).max(86_400).optional(),
    /** How far back inside the limit a value must come before the breach clears. */
    deadBand: z.number().finite().min(0).optional(),
    priority: Priority.optional(),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: 'give min, max or both', path: ['max'] })
  .refine((t) => t.min === undefined || t.max === undefined || t.min < t.max, {
    message: 'min must be below max',
    path: ['min'],
  })
  // A value must be able to sit inside both limits by the dead-band, or a breach never clears.
  .refine((t) => t.min === undefined || t.max === undefined || t.min >= t.max || (t.deadBand ?? 0) < (t.max - t.min) / 2, {
    message: 'deadBand must be less than half the distance between min and max',
    path: ['deadBand'],
  });
export const ThresholdScope = z.enum(['patient', 'clinician', 'org', 'builtin']);
export const Threshold = z.strictObject({
  metric: MetricName,
  scope: ThresholdScope,
  min: z.number().optional(),
  max: z.number().optional(),
  minDurationSeconds: z.number().int(),
  deadBand: z.number(),
  priority: Priority,
  updatedAt: Timestamp.optional(),
  updatedBy: Id.optional(),
});

export const AlertStatus = z.enum(['open', 'acknowledged', 'resolved']);
export const Alert = z.strictObject({
  alertId: Id,
  patientId: Id,
  cause: z.string(),
  metric: MetricName.optional(),
  priority: Priority,
  status: AlertStatus,
  message: z.string(),
  count: z.number().int(),
  firstValue: z.number().optional(),
  lastValue: z.number().optional(),
  limit: z.number().optional(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  createdAt: Timestamp,
  recordingId: Id.optional(),
  acknowledgedAt: Timestamp.optional(),
  acknowledgedBy: Id.optional(),
  resolvedAt: Timestamp.optional(),
  resolvedBy: Id.optional(),
  /** Raised from data measured long before it arrived: recorded, already over, paged nobody. */
  historical: z.boolean().optional(),
});

/**
 * A whole number carried in a path or query string, in plain decimal digits: coercion would
 * also take "", " ", "0x10" and "1e2", so a mistyped sequence number could land as another chunk.
 */
function decimalInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number written in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({ description: `a whole number from ${min} to ${max}, in decimal digits` });
}

export const PageQuery = {
  limit: decimalInteger(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
};
export const AlertListQuery = z.strictObject({
  status: AlertStatus.optional(),
  patientId: Id.optional(),
  ...PageQuery,
});
export const AlertPage = z.strictObject({ items: z.array(Alert), nextCursor: z.string().optional() });

export const ECG_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'MLII'] as const;
export const ECG_LIMITS = {
  minSampleRateHz: 125,
  maxSampleRateHz: 1000,
  /** A chunk is at most a minute of signal; 60 s at 1000 Hz. */
  maxChunkSeconds: 60,
  maxChunkSamples: 60_000,
  maxSeq: 99_999,
} as const;

export const StartRecordingRequest = z.strictObject({
  sampleRateHz: z.number().int().min(ECG_LIMITS.minSampleRateHz).max(ECG_LIMITS.maxSampleRateHz),
  lead: z.enum(ECG_LEADS),
  deviceId: z.string().min(1).max(128).optional(),
  startedAt: MeasuredAt.optional(),
});

const Int16 = z.number().int().min(-32768).max(32767);
export const ChunkRequest = z.union([
  z.strictObject({ samples: z.array(Int16).min(1).max(ECG_LIMITS.maxChunkSamples) }),
  z.strictObject({
    /** Little-endian int16 µV, base64; 60 000 samples encode to 160 000 characters. */
    samplesBase64: z.base64().min(4).max(160_000),
  }),
]);
export const ChunkParams = z.strictObject({
  recordingId: Id,
  seq: decimalInteger(0, ECG_LIMITS.maxSeq),
});
export const ChunkAccepted = z.strictObject({
  recordingId: Id,
  seq: z.number().int(),
  sampleCount: z.number().int(),
  status: z.literal('queued'),
});

export const RecordingStatus = z.enum(['recording', 'complete', 'analyzed']);
export const EcgFindings = z.object({
  analyzedSeconds: z.number(),
  beatCount: z.number().int(),
  heartRate: z.object({ mean: z.number(), min: z.number(), max: z.number() }).optional(),
  hrv: z.object({ sdnnMs: z.number(), rmssdMs: z.number(), pnn50: z.number() }).optional(),
  rhythm: z.string().optional(),
  stDeviationMv: z.number().optional(),
  unusableSeconds: z.number().optional(),
  flags: z.array(z.string()),
});
export const Recording = z.strictObject({
  recordingId: Id,
  patientId: Id,
  sampleRateHz: z.number().int(),
  lead: z.string(),
  deviceId: z.string().optional(),
  status: RecordingStatus,
  createdAt: Timestamp,
  startedAt: Timestamp,
  chunksReceived: z.number().int(),
  maxSeq: z.number().int().optional(),
  chunksAnalyzed: z.number().int(),
  chunkCount: z.number().int().optional(),
  findings: EcgFindings,
});

export const PatientParams = z.strictObject({ patientId: Id });
export const PatientMetricParams = z.strictObject({ patientId: Id, metric: MetricName });
export const MetricParams = z.strictObject({ metric: MetricName });
export const AlertParams = z.strictObject({ alertId: Id });
export const RecordingParams = z.strictObject({ recordingId: Id });
