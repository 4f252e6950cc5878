// Request and response schemas of the HTTP API, built from the domain's entities. The route
// table points at these; the HTTP plumbing parses requests with them, each route's
// implementation is typed by its response schema, and the OpenAPI document is generated from
// them (every schema with an id becomes a named component).
import { z } from 'zod';
import { ALERT_NOTE_MAX_LENGTH, Alert as AlertEntity, AlertStatus, LOCATION_BOUNDS } from '../domain/alert.ts';
import { AuditEntry as AuditEntryEntity } from '../domain/audit-entry.ts';
import { CareTeamRole } from '../domain/care-team.ts';
import { Device as DeviceEntity, DeviceChanges as DeviceChangesEntity, NewDevice as NewDeviceEntity } from '../domain/device.ts';
import { ConsentScopeName, ConsentScopes } from '../domain/consent.ts';
import { TimeZone } from '../domain/time-zone.ts';
import { VITALS_LIMITS, VitalSampleInput } from '../domain/vital-sample.ts';
import { ECG_LIMITS, EcgLead, Recording as RecordingEntity } from '../domain/ecg-recording.ts';
import { ESCALATION_DELAY_SECONDS } from '../domain/escalation.ts';
import { Email, Id } from '../domain/identifiers.ts';
import { METRIC_DECIMAL_PLACES, MetricName } from '../domain/metrics.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { boundedDecimal, boundedInteger } from '../domain/numbers.ts';
import { PASSWORD_POLICY, passwordProblems } from '../domain/password-policy.ts';
import { Role } from '../domain/roles.ts';
import { SOS_MESSAGE_MAX_LENGTH } from '../domain/sos.ts';
import { DeviceId, multiLineText, PersonName, PhoneNumber, singleLineText } from '../domain/text.ts';
import { MAX_MIN_DURATION_SECONDS, Priority, Threshold as ThresholdEntity } from '../domain/thresholds.ts';
import { MeasuredAt, Timestamp } from '../domain/time.ts';
import { PUSH_TOKEN_MAX_LENGTH, PushPlatform, User as UserEntity } from '../domain/user.ts';

const Password = z
  .string()
  .max(PASSWORD_POLICY.maxLength)
  .superRefine((password, context) => {
    const problems = passwordProblems(password);
    if (problems.length > 0) context.addIssue({ code: 'custom', message: `password needs ${problems.join(', ')}` });
  })
  .meta({ description: `at least ${PASSWORD_POLICY.minLength} characters with upper- and lower-case letters and a digit` });

/** A password as typed at sign-in: checked against the account, not against the policy. */
const GivenPassword = z.string().min(1).max(PASSWORD_POLICY.maxLength);

/** Cognito's refresh tokens are encrypted JWTs of about 1.8 kB, in the characters Cognito accepts. */
const RefreshToken = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[A-Za-z0-9_=.-]+$/, 'must be a refresh token from sign-in');

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a problem is and what is wrong there: "body.samples.3", "must be an integer". */
export const FieldProblem = z.object({ path: z.string(), message: z.string() }).meta({ id: 'FieldProblem' });

/** A failure in RFC 9457 form, with the failing fields in `errors`. */
export const Problem = z
  .object({
    type: z.string().meta({ description: 'urn:vigil:problem:<kind>, e.g. urn:vigil:problem:validation-error' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(FieldProblem).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `errors` names each failing field (body.samples.3, params.recordingId)' });

/** API Gateway's own answer when it refuses a request itself (no token: 401; body over 10 MB: 413; throttled: 429). */
export const GatewayError = z.strictObject({ message: z.string() }).meta({
  id: 'GatewayError',
  description: "API Gateway's own error body, sent before any Vigil code runs",
});

export const Health = z.strictObject({ status: z.literal('ok'), version: z.string() }).meta({ id: 'Health' });

/** A JSON document served as is (the API descriptions). */
export const JsonDocument = z.record(z.string(), z.unknown());

export const LoginRequest = z
  .strictObject({
    email: Email,
    password: GivenPassword,
    /**
     * Only on the first sign-in of an account created or invited by someone else: replaces the
     * temporary password it was given.
     */
    newPassword: Password.optional(),
  })
  .meta({ id: 'LoginRequest' });
export const RefreshRequest = z.strictObject({ refreshToken: RefreshToken }).meta({ id: 'RefreshRequest' });
export const LogoutRequest = z.strictObject({ refreshToken: RefreshToken }).meta({ id: 'LogoutRequest' });
export const ChangePasswordRequest = z
  .strictObject({ currentPassword: GivenPassword, newPassword: Password })
  .meta({ id: 'ChangePasswordRequest' });
export const ForgotPasswordRequest = z.strictObject({ email: Email }).meta({ id: 'ForgotPasswordRequest' });
export const ResetPasswordRequest = z
  .strictObject({
    email: Email,
    code: z.string().regex(/^[0-9]{6}$/, 'must be the 6-digit code from the email'),
    newPassword: Password,
  })
  .meta({ id: 'ResetPasswordRequest' });
export const Tokens = z
  .strictObject({
    accessToken: z.string(),
    idToken: z.string(),
    refreshToken: z.string().optional(),
    expiresIn: z.number().int().meta({ description: 'seconds until the access token expires' }),
  })
  .meta({ id: 'Tokens' });
export const Accepted = z
  .strictObject({ message: z.string() })
  .meta({ id: 'Accepted', description: 'The request was taken; what happens next is told in `message`' });

export const CreateUserRequest = z
  .strictObject({
    email: Email,
    name: PersonName,
    role: Role,
    /**
     * A temporary password the creator hands over: the first sign-in must replace it
     * (`newPassword` on POST /v1/auth/login). Without one the user pool mails an invitation.
     */
    password: Password.optional(),
    /** Patients created by an admin: the clinician whose care they join (a clinician enrols into their own). */
    clinicianId: Id.optional(),
    phone: PhoneNumber.optional(),
    timeZone: TimeZone.optional(),
  })
  .meta({ id: 'CreateUserRequest' });
export const User = z.strictObject(UserEntity.omit({ primaryClinicianId: true, disabledBy: true }).shape).meta({ id: 'User' });
export const UserParams = z.strictObject({ userId: Id });
export const UpdateUserRequest = z
  .strictObject({
    name: PersonName.optional(),
    phone: PhoneNumber.nullable().optional().meta({ description: 'null removes the number' }),
    timeZone: TimeZone.optional(),
    role: Role.optional().meta({ description: 'admins only, never their own; between admin and clinician' }),
    notify: z
      .strictObject({
        email: z.boolean().optional().meta({ description: "to the account's email address" }),
        sms: PhoneNumber.nullable().optional().meta({ description: 'text messages to this E.164 number; null stops them' }),
        push: z
          .strictObject({
            platform: PushPlatform,
            token: z
              .string()
              .min(1)
              .max(PUSH_TOKEN_MAX_LENGTH)
              .regex(/^[A-Za-z0-9:_.-]+$/, 'must be the device token the push service gave the app'),
          })
          .nullable()
          .optional()
          .meta({
            description: 'pushes to this phone (its APNs or FCM device token; answered with the endpoint it became); null stops them',
          }),
      })
      .optional()
      .meta({
        description:
          'yourself only: how high-priority alerts and escalations reach you outside the app (the message names no health data); fields left out stay as they are',
      }),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'give at least one of name, phone, timeZone, role, notify',
  })
  .meta({ id: 'UpdateUserRequest' });

/** A limit or dead-band as sent: the metric's own possible range is checked by the domain. */
const ThresholdValue = boundedDecimal({ min: -1_000_000, max: 1_000_000, places: METRIC_DECIMAL_PLACES });

export const ThresholdRequest = z
  .strictObject({
    min: ThresholdValue.optional().meta({ description: "lower limit, in the metric's UCUM unit" }),
    max: ThresholdValue.optional().meta({ description: "upper limit, in the metric's UCUM unit" }),
    /** A breach must persist this long before it opens an alert. */
    minDurationSeconds: boundedInteger(0, MAX_MIN_DURATION_SECONDS).optional(),
    /** How far back inside the limit a value must come before the breach clears. */
    deadBand: boundedDecimal({ min: 0, max: 1_000_000, places: METRIC_DECIMAL_PLACES }).optional(),
    priority: Priority.optional(),
    /** A high-priority alert from this threshold escalates when nobody acknowledges it this long. */
    escalateAfterSeconds: boundedInteger(ESCALATION_DELAY_SECONDS.min, ESCALATION_DELAY_SECONDS.max)
      .optional()
      .meta({ description: `seconds, default ${ESCALATION_DELAY_SECONDS.default}` }),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: 'give min, max or both', path: ['max'] })
  .meta({ id: 'ThresholdRequest' });
export const Threshold = z.strictObject(ThresholdEntity.shape).meta({ id: 'Threshold' });

export const Alert = z.strictObject(AlertEntity.omit({ orgId: true }).shape).meta({ id: 'Alert' });

/**
 * A whole number carried in a path or query string, in plain decimal digits: coercion would
 * also take "", " ", "0x10" and "1e2", so a mistyped sequence number could land as another chunk.
 */
export function decimalInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number written in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({ description: `a whole number from ${min} to ${max}, in decimal digits` });
}

export const PageQuery = {
  limit: decimalInteger(PAGE_LIMITS.min, PAGE_LIMITS.max).optional(),
  cursor: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a nextCursor this query returned')
    .optional(),
};
export const UserListQuery = z.strictObject({ role: Role.optional(), ...PageQuery });
export const UserPage = z.strictObject({ items: z.array(User), nextCursor: z.string().optional() }).meta({ id: 'UserPage' });
export const PatientListQuery = z.strictObject({ ...PageQuery });

export const CareTeamMember = z
  .strictObject({
    userId: Id,
    role: CareTeamRole,
    name: z.string(),
    email: z.string(),
    addedAt: Timestamp,
    addedBy: Id.optional(),
    scopes: z.array(ConsentScopeName).optional().meta({ description: 'caregivers: what the patient consented to share' }),
    scopesChangedAt: Timestamp.optional(),
    disabledAt: Timestamp.optional(),
  })
  .meta({ id: 'CareTeamMember' });
export const CareTeam = z.strictObject({ patientId: Id, members: z.array(CareTeamMember) }).meta({ id: 'CareTeam' });
export const CareTeamMemberParams = z.strictObject({ patientId: Id, userId: Id });
const ScopesMeta = {
  description: 'vitals:<metric> for one metric or vitals:* for all, ecg, alerts (alerts on what the other scopes cover), sos',
  example: ['vitals:heart_rate', 'alerts'],
};
export const CareTeamMemberRequest = z
  .strictObject({ scopes: ConsentScopes.optional().meta(ScopesMeta) })
  .optional()
  .meta({ id: 'CareTeamMemberRequest', description: 'No body (or {}) adds a clinician; {"scopes":[…]} sets a caregiver\'s consent' });
export const InviteCaregiverRequest = z
  .strictObject({ email: Email, name: PersonName, scopes: ConsentScopes.meta(ScopesMeta) })
  .meta({ id: 'InviteCaregiverRequest' });

const AuditTime = Timestamp.meta({ description: 'ISO 8601 with an offset' });
export const AuditQuery = z.strictObject({
  patientId: Id.optional(),
  actorId: Id.optional(),
  from: AuditTime.optional(),
  to: AuditTime.optional(),
  ...PageQuery,
});
export const AuditEntry = z.strictObject(AuditEntryEntity.omit({ orgId: true }).shape).meta({ id: 'AuditEntry' });
export const AuditPage = z.strictObject({ items: z.array(AuditEntry), nextCursor: z.string().optional() }).meta({ id: 'AuditPage' });
export const AccessLogQuery = z.strictObject({ from: AuditTime.optional(), to: AuditTime.optional(), ...PageQuery });
export const AccessLogEntry = z
  .strictObject({
    at: Timestamp,
    actor: z.strictObject({ userId: Id, role: Role, name: z.string() }),
    action: z.string(),
    outcome: z.number().int(),
    objectId: z.string().optional(),
  })
  .meta({ id: 'AccessLogEntry' });
export const AccessLogPage = z
  .strictObject({ items: z.array(AccessLogEntry), nextCursor: z.string().optional() })
  .meta({ id: 'AccessLogPage' });

export const DeviceRequest = z.strictObject(NewDeviceEntity.shape).meta({ id: 'DeviceRequest' });
export const DeviceUpdateRequest = z
  .strictObject({
    batteryPercent: DeviceChangesEntity.shape.batteryPercent,
    firmware: DeviceChangesEntity.shape.firmware,
    lastSeenAt: MeasuredAt.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'give at least one of batteryPercent, firmware, lastSeenAt',
  })
  .meta({ id: 'DeviceUpdateRequest' });
export const Device = z.strictObject(DeviceEntity.omit({ orgId: true }).shape).meta({ id: 'Device' });
export const DeviceList = z.strictObject({ items: z.array(Device) }).meta({ id: 'DeviceList' });
export const DeviceParams = z.strictObject({ deviceId: Id });

export const VitalsBatchRequest = z
  .strictObject({
    samples: z
      .array(VitalSampleInput)
      .min(1)
      .max(VITALS_LIMITS.maxSamplesPerBatch)
      .meta({ description: `1 to ${VITALS_LIMITS.maxSamplesPerBatch} samples; all are stored or none` }),
  })
  .meta({ id: 'VitalsBatchRequest' });
export const VitalsAccepted = z
  .strictObject({
    accepted: z.number().int().meta({ description: 'samples stored now' }),
    duplicates: z.number().int().meta({ description: 'samples already stored with the same value, stored once' }),
  })
  .meta({ id: 'VitalsAccepted' });
export const VitalsQuery = z.strictObject({
  metric: MetricName.optional().meta({ description: 'required, except with format=fhir (all metrics you may see)' }),
  from: Timestamp.optional().meta({ description: 'default: 7 days before `to` (90 days for resolution=1d)' }),
  to: Timestamp.optional().meta({ description: 'default: now' }),
  resolution: z
    .enum(['raw', '1h', '1d'])
    .optional()
    .meta({ description: "raw samples (default), or buckets of the patient's own hours or days" }),
  format: z.enum(['json', 'fhir']).optional().meta({ description: 'fhir: a FHIR R4 searchset Bundle of vital-signs Observations' }),
  ...PageQuery,
});
const VitalsSample = z.strictObject({ value: z.number(), measuredAt: Timestamp, deviceId: Id.optional() });
export const VitalsSamplePage = z
  .strictObject({
    metric: MetricName,
    unit: z.string(),
    resolution: z.literal('raw'),
    items: z.array(VitalsSample).meta({ description: 'newest first' }),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'VitalsSamplePage' });
export const VitalsRollupPage = z
  .strictObject({
    metric: MetricName,
    unit: z.string(),
    resolution: z.enum(['1h', '1d']),
    timeZone: z.string().meta({ description: "the patient's time zone, whose hours and days the buckets are" }),
    items: z
      .array(
        z.strictObject({ start: Timestamp, end: Timestamp, min: z.number(), max: z.number(), mean: z.number(), count: z.number().int() }),
      )
      .meta({ description: 'newest first; periods without samples are left out' }),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'VitalsRollupPage' });
export const FhirBundle = z
  .object({ resourceType: z.literal('Bundle'), type: z.literal('searchset'), entry: z.array(z.unknown()).optional() })
  .meta({
    id: 'FhirBundle',
    description: 'a FHIR R4 Bundle (searchset) of vital-signs Observations; see hl7.org/fhir/R4/observation-vitalsigns.html',
  });
export const VitalsHistory = z.union([VitalsSamplePage, VitalsRollupPage, FhirBundle]).meta({ id: 'VitalsHistory' });
export const LatestVitals = z
  .strictObject({
    items: z.array(
      z.strictObject({ metric: MetricName, value: z.number(), unit: z.string(), measuredAt: Timestamp, deviceId: Id.optional() }),
    ),
  })
  .meta({ id: 'LatestVitals' });

/** Within the years a stored key can hold: an offset must not carry the instant past 9999 or before 0001. */
const ListTime = Timestamp.refine(
  (time) => {
    const year = new Date(time).getUTCFullYear();
    return year >= 1 && year <= 9999;
  },
  { message: 'must be between the years 0001 and 9999 in UTC' },
);

/** The bounds of a list's time range: `from` inclusive, `to` exclusive. */
const listTime = (what: string) =>
  ListTime.meta({ description: `ISO 8601 with an offset; ${what} from \`from\` (inclusive) to \`to\` (exclusive)` });

/** A time range must not end before it begins. */
const fromNotAfterTo = (query: { from?: string | undefined; to?: string | undefined }) =>
  query.from === undefined || query.to === undefined || Date.parse(query.from) <= Date.parse(query.to);
const FROM_AFTER_TO = { message: 'must not be after to', path: ['from'] };

export const AlertListQuery = z
  .strictObject({
    status: AlertStatus.optional(),
    patientId: Id.optional(),
    cause: z
      .string()
      .regex(/^[a-z0-9_.]{1,100}$/, 'must be an alert cause such as heart_rate.high, ecg.pause or sos')
      .optional()
      .meta({ description: 'one cause: heart_rate.high, spo2.low, ecg.pause, ecg.irregular_rhythm, device.battery_low, sos …' }),
    priority: Priority.optional(),
    from: listTime('alerts raised').optional(),
    to: listTime('alerts raised').optional(),
    ...PageQuery,
  })
  .refine(fromNotAfterTo, FROM_AFTER_TO);
export const AlertNoteRequest = z
  .strictObject({
    text: multiLineText(ALERT_NOTE_MAX_LENGTH).meta({ description: `at most ${ALERT_NOTE_MAX_LENGTH} characters; line breaks kept` }),
  })
  .meta({ id: 'AlertNoteRequest' });

export const SosRequest = z
  .strictObject({
    location: z
      .strictObject({
        lat: boundedDecimal({ ...LOCATION_BOUNDS.lat, places: 7 }),
        lon: boundedDecimal({ ...LOCATION_BOUNDS.lon, places: 7 }),
        accuracyM: boundedDecimal({ ...LOCATION_BOUNDS.accuracyM, places: 1 }).meta({
          description: "the phone's own estimate of its error, in metres",
        }),
      })
      .optional(),
    message: singleLineText(SOS_MESSAGE_MAX_LENGTH).optional(),
  })
  .optional()
  .meta({ id: 'SosRequest', description: 'Where the patient is and what they say; both optional, so a single tap can call' });

export const AlertPage = z.strictObject({ items: z.array(Alert), nextCursor: z.string().optional() }).meta({ id: 'AlertPage' });

export const StartRecordingRequest = z
  .strictObject({
    sampleRateHz: boundedInteger(ECG_LIMITS.minSampleRateHz, ECG_LIMITS.maxSampleRateHz),
    lead: EcgLead,
    deviceId: DeviceId.optional(),
    startedAt: MeasuredAt.optional().meta({ description: 'when the first sample was measured; at most 5 minutes ahead of the server' }),
  })
  .meta({ id: 'StartRecordingRequest' });

const Int16 = z.number().int().min(-32768).max(32767);
export const ChunkRequest = z
  .union([
    z.strictObject({
      samples: z.array(Int16).min(1).max(ECG_LIMITS.maxChunkSamples).meta({ description: 'the signal in µV, one int16 per sample' }),
    }),
    z.strictObject({
      samplesBase64: z
        .base64()
        .min(4)
        .max(ECG_LIMITS.maxChunkBase64Length)
        .meta({ description: 'the signal in µV as little-endian int16, base64-encoded' }),
    }),
  ])
  .meta({
    id: 'ChunkRequest',
    description: `At most ${ECG_LIMITS.maxChunkSeconds} s of signal (sample rate × ${ECG_LIMITS.maxChunkSeconds} samples), as a JSON array or as base64`,
  });
export const ChunkParams = z.strictObject({
  recordingId: Id,
  seq: decimalInteger(0, ECG_LIMITS.maxSeq),
});
export const ChunkAccepted = z
  .strictObject({
    recordingId: Id,
    seq: z.number().int(),
    sampleCount: z.number().int(),
    status: z.literal('queued'),
  })
  .meta({ id: 'ChunkAccepted' });

export const Recording = z.strictObject(RecordingEntity.omit({ orgId: true }).shape).meta({ id: 'Recording' });
export const RecordingListQuery = z
  .strictObject({ from: listTime('recordings begun').optional(), to: listTime('recordings begun').optional(), ...PageQuery })
  .refine(fromNotAfterTo, FROM_AFTER_TO);
export const RecordingPage = z.strictObject({ items: z.array(Recording), nextCursor: z.string().optional() }).meta({ id: 'RecordingPage' });

export const PatientParams = z.strictObject({ patientId: Id });
export const PatientMetricParams = z.strictObject({ patientId: Id, metric: MetricName });
export const MetricParams = z.strictObject({ metric: MetricName });
export const AlertParams = z.strictObject({ alertId: Id });
export const RecordingParams = z.strictObject({ recordingId: Id });
