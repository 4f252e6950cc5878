// Vital signs: a batch of samples from the patient's devices stored (each once), the latest
// value of each metric kept, every new sample judged against its threshold; and the history
// read back raw, rolled up into the patient's own hours and days, or as FHIR.
import { type FhirBundle, vitalsBundle } from '../api/fhir-observations.ts';
import type { Caller } from '../domain/caller.ts';
import { scopesOf } from '../domain/care-team.ts';
import { consentCovers, vitalsNeed } from '../domain/consent.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.ts';
import { localPeriods } from '../domain/local-time.ts';
import { METRIC_NAMES, METRICS, type Metric } from '../domain/metrics.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { READ_ANY, readingOf, UPLOAD } from '../domain/patient-access.ts';
import type { Threshold, ThresholdLimits } from '../domain/thresholds.ts';
import type { User } from '../domain/user.ts';
import { thresholdCause, thresholdMessage } from '../domain/alert-rules.ts';
import {
  INITIAL_VITAL_RULE_STATE,
  judgeVitalSamples,
  lateNeighbourhood,
  type VitalBreach,
  VitalRuleState,
} from '../domain/vital-alert-rules.ts';
import { type RollupBucket, rollUp } from '../domain/vital-rollups.ts';
import { batchProblems, type VitalSample, type VitalSampleInput } from '../domain/vital-sample.ts';
import { getMembership } from '../data/care-team-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import {
  advanceLatest,
  getRuleState,
  getRuleStates,
  listLatest,
  queryRollups,
  querySamples,
  saveRuleState,
  storeSamples,
  VitalsLimitError,
} from '../data/vitals-store.ts';
import { type AlertRaisingDependencies, raiseAlert } from './alert-service.ts';
import { pairedDevicesOf } from './device-service.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { resolvePatientThresholds } from './threshold-service.ts';

export interface VitalsServiceDependencies extends AlertRaisingDependencies {
  cursors: CursorCodec;
}

const HOUR_MS = 3_600_000;
/** The most stored samples read around late data to judge it (two a second over the longest minimum duration). */
const NEIGHBOURS_READ = 20_000;
const DAY_MS = 24 * HOUR_MS;

/** How far back a history query reaches when it gives no `from`, per resolution. */
export const DEFAULT_VITALS_SPAN_DAYS = { raw: 7, '1h': 7, '1d': 90 } as const;
/** The longest range one roll-up query may cover, per resolution. */
export const MAX_VITALS_SPAN_DAYS = { raw: 366, '1h': 31, '1d': 366 } as const;

/** Samples of a batch with times as epoch ms and devices by their Vigil id. */
async function samplesOf(table: TableClient, patientId: string, inputs: readonly VitalSampleInput[]): Promise<VitalSample[]> {
  const named = inputs.flatMap((sample, index) => (sample.deviceId === undefined ? [] : [{ index, deviceId: sample.deviceId }]));
  const devices = named.length > 0 ? await pairedDevicesOf(table, patientId, named) : new Map();
  return inputs.map((sample) => {
    const device = sample.deviceId === undefined ? undefined : devices.get(sample.deviceId);
    return {
      metric: sample.metric,
      value: sample.value,
      at: Date.parse(sample.measuredAt),
      ...(device ? { deviceId: device.deviceId } : {}),
    };
  });
}

/** One breach found in a batch, raised as an alert; late data opens a historical one per hour. */
async function raiseBreach(
  deps: VitalsServiceDependencies,
  patient: User,
  metric: Metric,
  breach: VitalBreach,
  threshold: Pick<ThresholdLimits, 'priority'> & { escalateAfterSeconds?: number | undefined },
) {
  const seenAt = new Date(breach.at).toISOString();
  await raiseAlert(deps, {
    patientId: patient.userId,
    orgId: patient.orgId,
    cause: thresholdCause(metric, breach.direction),
    metric,
    priority: threshold.priority,
    escalateAfterSeconds: threshold.escalateAfterSeconds,
    message: thresholdMessage(metric, breach.direction, breach.value, breach.limit),
    firstValue: breach.value,
    limit: breach.limit,
    firstSeenAt: seenAt,
    historicalEpisode: `vitals-${new Date(Math.floor(breach.at / HOUR_MS) * HOUR_MS).toISOString()}`,
    over: breach.late,
  });
}

/**
 * Judges the new samples of one metric against its threshold, carrying the judgement on. A
 * sample stored by an earlier attempt of this batch that failed before judging it arrives now
 * as a duplicate newer than the judgement: it is judged too, so a retry never skips a breach.
 */
async function judgeMetric(
  deps: VitalsServiceDependencies,
  patient: User,
  metric: Metric,
  { stored, repeated }: { stored: readonly VitalSample[]; repeated: readonly VitalSample[] },
  threshold: Threshold | undefined,
  firstRead: { state?: VitalRuleState; version: number },
) {
  if (!threshold) return;
  for (let attempt = 1; ; attempt++) {
    // The first attempt uses the judgement read with the batch's others; a retry reads its own.
    const { state, version } = attempt === 1 ? firstRead : await getRuleState(deps.table, patient.userId, metric, VitalRuleState);
    const judgedUntil = state?.judgedUntil ?? Number.NEGATIVE_INFINITY;
    const unjudged = repeated.filter((sample) => sample.at > judgedUntil);
    const samples = unjudged.length > 0 ? [...stored, ...unjudged].sort((a, b) => a.at - b.at) : stored;
    if (samples.length === 0) return;
    // Late samples are judged with what is stored around them: a run they interrupt or complete.
    const around = lateNeighbourhood(
      threshold,
      samples.filter((sample) => sample.at <= judgedUntil),
    );
    const storedAround = around
      ? (await querySamples(deps.table, patient.userId, metric, { ...around, limit: NEIGHBOURS_READ })).samples
      : [];
    const judged = judgeVitalSamples(threshold, samples, state ?? INITIAL_VITAL_RULE_STATE, storedAround);
    if (await saveRuleState(deps.table, patient.userId, metric, judged.state, version)) {
      for (const breach of judged.breaches) await raiseBreach(deps, patient, metric, breach, threshold);
      return;
    }
    if (attempt >= 4) throw new Error(`the alert judgement of ${metric} kept changing under this batch; retry it`);
  }
}

/**
 * Stores a batch of samples, all or nothing: a sample already stored with the same value is a
 * harmless duplicate; the same (metric, measuredAt) with another value is a 409 naming it.
 */
export async function ingestVitals(
  deps: VitalsServiceDependencies,
  caller: Caller,
  patientId: string,
  inputs: readonly VitalSampleInput[],
) {
  const patient = await requirePatientAccess(deps.table, caller, patientId, UPLOAD);
  const problems = batchProblems(inputs);
  if (problems.length > 0) throw new ValidationError(`${problems.length} sample(s) are impossible together`, problems);
  const samples = await samplesOf(deps.table, patientId, inputs);
  let outcome: Awaited<ReturnType<typeof storeSamples>>;
  try {
    outcome = await storeSamples(deps.table, patientId, samples);
  } catch (error) {
    if (!(error instanceof VitalsLimitError)) throw error;
    throw new ValidationError(`samples.${error.index} ${error.message}`, [{ path: `body.samples.${error.index}`, message: error.message }]);
  }
  if (outcome.conflicts.length > 0) {
    const message = 'was received before with another value (a sample is identified by metric and measuredAt)';
    throw new ConflictError(
      `${outcome.conflicts.length} sample(s) ${message}; nothing was stored`,
      outcome.conflicts.map((index) => ({ path: `body.samples.${index}`, message })),
    );
  }
  const byMetric = new Map<Metric, { stored: VitalSample[]; repeated: VitalSample[] }>();
  const groupOf = (metric: Metric) => {
    const group = byMetric.get(metric) ?? { stored: [], repeated: [] };
    byMetric.set(metric, group);
    return group;
  };
  for (const sample of outcome.stored) groupOf(sample.metric).stored.push(sample);
  for (const sample of outcome.repeated) groupOf(sample.metric).repeated.push(sample);
  const metrics = [...byMetric.keys()];
  // One read each for every metric's threshold and running judgement, not one per metric.
  const [thresholds, judgements] = await Promise.all([
    resolvePatientThresholds(deps.table, patient, metrics),
    getRuleStates(deps.table, patientId, metrics, VitalRuleState),
  ]);
  await Promise.all(
    [...byMetric].map(async ([metric, group]) => {
      const newest = [...group.stored, ...group.repeated].reduce<VitalSample | undefined>((a, b) => (a && a.at >= b.at ? a : b), undefined);
      if (newest) await advanceLatest(deps.table, patientId, newest);
      await judgeMetric(deps, patient, metric, group, thresholds.get(metric), judgements.get(metric) ?? { version: 0 });
    }),
  );
  return { accepted: outcome.stored.length, duplicates: outcome.duplicates };
}

/** The metrics of `wanted` the caller may see; a caregiver's consent picks among them. */
async function visibleMetrics(table: TableClient, caller: Caller, patientId: string, wanted: readonly Metric[]): Promise<Metric[]> {
  if (caller.role !== 'caregiver') return [...wanted];
  const membership = await getMembership(table, patientId, caller.userId);
  return wanted.filter((metric) => membership !== undefined && consentCovers(scopesOf(membership), vitalsNeed(metric)));
}

export interface VitalsQuery {
  metric?: Metric;
  from?: string;
  to?: string;
  resolution?: 'raw' | '1h' | '1d';
  format?: 'json' | 'fhir';
  limit?: number;
  cursor?: string;
}

function rangeOf(deps: { now?: () => Date }, query: VitalsQuery, resolution: 'raw' | '1h' | '1d') {
  const now = (deps.now?.() ?? new Date()).getTime();
  const to = query.to === undefined ? now : Date.parse(query.to);
  // Nothing is measured in the future; a far one would not even make a storable key.
  if (to > now + DAY_MS)
    throw new ValidationError('to is more than a day ahead', [{ path: 'query.to', message: 'must not be more than a day ahead' }]);
  const from = query.from === undefined ? to - DEFAULT_VITALS_SPAN_DAYS[resolution] * DAY_MS : Date.parse(query.from);
  if (from > to) throw new ValidationError('from is after to', [{ path: 'query.from', message: 'must not be after `to`' }]);
  if (to - from > MAX_VITALS_SPAN_DAYS[resolution] * DAY_MS) {
    const message = `spans more than ${MAX_VITALS_SPAN_DAYS[resolution]} days, the most one ${resolution} query covers`;
    throw new ValidationError(`from: ${message}`, [{ path: 'query.from', message }]);
  }
  return { from, to };
}

const unitOf = (metric: Metric) => METRICS[metric].unit;

/** The history of a patient's vital signs: raw samples, roll-ups in their own time zone, or a FHIR bundle. */
export async function readVitals(deps: VitalsServiceDependencies, caller: Caller, patientId: string, query: VitalsQuery) {
  const resolution = query.resolution ?? 'raw';
  if (query.format === 'fhir') return readFhir(deps, caller, patientId, query);
  if (query.metric === undefined) {
    throw new ValidationError('metric: required (except with format=fhir)', [{ path: 'query.metric', message: 'required' }]);
  }
  const metric = query.metric;
  const patient = await requirePatientAccess(deps.table, caller, patientId, readingOf(vitalsNeed(metric)));
  const range = rangeOf(deps, query, resolution);
  const limit = query.limit ?? PAGE_LIMITS.default;
  const scope = `vitals|${caller.userId}|${patientId}|${metric}|${resolution}|${query.from ?? ''}|${query.to ?? ''}`;
  const position = query.cursor === undefined ? undefined : Number(deps.cursors.decode(query.cursor, scope));
  if (resolution === 'raw') {
    const page = await querySamples(deps.table, patientId, metric, {
      ...range,
      ...(position === undefined ? {} : { before: position }),
      limit,
    });
    const last = page.samples.at(-1);
    return {
      metric,
      unit: unitOf(metric),
      resolution,
      items: page.samples.map((sample) => ({
        value: sample.value,
        measuredAt: new Date(sample.at).toISOString(),
        ...(sample.deviceId ? { deviceId: sample.deviceId } : {}),
      })),
      ...(page.more && last ? { nextCursor: deps.cursors.encode(String(last.at), scope) } : {}),
    };
  }
  // Buckets newest first; a page is `limit` of the periods, empty ones skipped.
  const periods = localPeriods(range.from, range.to, patient.timeZone, resolution === '1d' ? 'day' : 'hour').filter(
    (period) => position === undefined || period.start < position,
  );
  const pagePeriods = periods.slice(-limit);
  const first = pagePeriods[0];
  const last = pagePeriods.at(-1);
  const buckets: RollupBucket[] =
    first && last ? rollUp(await queryRollups(deps.table, patientId, metric, first.start, last.end), pagePeriods) : [];
  return {
    metric,
    unit: unitOf(metric),
    resolution,
    timeZone: patient.timeZone,
    items: buckets,
    ...(periods.length > pagePeriods.length && first ? { nextCursor: deps.cursors.encode(String(first.start), scope) } : {}),
  };
}

async function readFhir(deps: VitalsServiceDependencies, caller: Caller, patientId: string, query: VitalsQuery): Promise<FhirBundle> {
  await requirePatientAccess(deps.table, caller, patientId, query.metric ? readingOf(vitalsNeed(query.metric)) : READ_ANY);
  const wanted = query.metric ? [query.metric] : METRIC_NAMES;
  // Blood pressure is a panel: with one of its two metrics asked for, the other comes along.
  const withPartner = wanted.flatMap((metric): Metric[] =>
    metric === 'systolic_bp' || metric === 'diastolic_bp' ? ['systolic_bp', 'diastolic_bp'] : [metric],
  );
  const metrics = await visibleMetrics(deps.table, caller, patientId, [...new Set(withPartner)]);
  if (metrics.length === 0) throw new ForbiddenError(`patient ${patientId} shares no vital signs with you`);
  const range = rangeOf(deps, query, 'raw');
  const limit = query.limit ?? PAGE_LIMITS.default;
  const scope = `vitals-fhir|${caller.userId}|${patientId}|${query.metric ?? ''}|${query.from ?? ''}|${query.to ?? ''}`;
  const position = query.cursor === undefined ? undefined : Number(deps.cursors.decode(query.cursor, scope));
  const pages = await Promise.all(
    metrics.map((metric) =>
      querySamples(deps.table, patientId, metric, { ...range, ...(position === undefined ? {} : { before: position }), limit }),
    ),
  );
  const merged = pages.flatMap((page) => page.samples).sort((a, b) => b.at - a.at);
  let taken = merged.slice(0, limit);
  // Never split a blood-pressure pair across pages: take the rest of the last instant too.
  const lastAt = taken.at(-1)?.at;
  if (lastAt !== undefined) taken = merged.filter((sample, index) => index < limit || sample.at === lastAt);
  const more = merged.length > taken.length || pages.some((page) => page.more);
  const oldest = taken.at(-1);
  const link = (cursor?: string) => {
    const params = new URLSearchParams({
      format: 'fhir',
      ...(query.metric ? { metric: query.metric } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    return `/v1/patients/${patientId}/vitals?${params}`;
  };
  return vitalsBundle({
    patientId,
    samples: taken,
    selfUrl: link(query.cursor),
    ...(more && oldest ? { nextUrl: link(deps.cursors.encode(String(oldest.at), scope)) } : {}),
  });
}

/** The newest value of each metric the caller may see, with its time. */
export async function latestVitals(deps: Pick<VitalsServiceDependencies, 'table'>, caller: Caller, patientId: string) {
  await requirePatientAccess(deps.table, caller, patientId, READ_ANY);
  const latest = await listLatest(deps.table, patientId);
  const visible = new Set(
    await visibleMetrics(
      deps.table,
      caller,
      patientId,
      latest.map((value) => value.metric),
    ),
  );
  if (caller.role === 'caregiver' && (await visibleMetrics(deps.table, caller, patientId, METRIC_NAMES)).length === 0) {
    throw new ForbiddenError(`patient ${patientId} shares no vital signs with you`);
  }
  return {
    items: latest
      .filter((value) => visible.has(value.metric))
      .sort((a, b) => METRIC_NAMES.indexOf(a.metric) - METRIC_NAMES.indexOf(b.metric))
      .map((value) => ({ ...value, unit: unitOf(value.metric) })),
  };
}
