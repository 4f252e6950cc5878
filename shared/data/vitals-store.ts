// Vital-sign samples, stored in batches: one item per (patient, metric, hour) holding every
// sample of that hour, never one item per sample.
//
// Key layout
//   hour of samples  pk PATIENT#<patientId>#VITALS#<metric>  sk <hour start, ISO UTC>
//                    samples: JSON [[ms into the hour, value, device index?], …] by time;
//                    devices: JSON [deviceId, …]; version (optimistic concurrency)
//   hour's roll-up   pk PATIENT#<patientId>#ROLLUP#<metric>  sk <hour start, ISO UTC>
//                    quarters: JSON [[min, max, sum, count] or null × 4] for each quarter hour,
//                    so days and hours of any zone (offsets are whole quarter hours) add up exactly
//   latest value     pk PATIENT#<patientId>  sk LATEST#<metric>   (metric, value, measuredAt, deviceId)
//   alert judgement  pk PATIENT#<patientId>  sk VITALS_RULE#<metric>   (state JSON, version)
// The roll-up is written with its hour in one transaction; reading roll-ups never reads samples.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Metric, MetricName } from '../domain/metrics.ts';
import { sampleIdentity, VITALS_LIMITS, type VitalSample } from '../domain/vital-sample.ts';
import {
  batchGetAll,
  isConditionFailure,
  queryAll,
  type TableClient,
  type TransactItems,
  transactWriteIfConditionsHold,
} from './table-client.ts';
import { parseItem } from './table-item.ts';

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;

export const vitalsKeys = {
  hours: (patientId: string, metric: Metric) => `PATIENT#${patientId}#VITALS#${metric}`,
  rollups: (patientId: string, metric: Metric) => `PATIENT#${patientId}#ROLLUP#${metric}`,
  hourSort: (hourStart: number) => new Date(hourStart).toISOString(),
  latest: (patientId: string, metric: Metric) => ({ pk: `PATIENT#${patientId}`, sk: `LATEST#${metric}` }),
  latestPrefix: 'LATEST#',
  rule: (patientId: string, metric: Metric) => ({ pk: `PATIENT#${patientId}`, sk: `VITALS_RULE#${metric}` }),
};

const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

// What the items hold, checked on every read like every other entity's items.
// A full hour holds thousands of tuples: checked with one loop, not a schema per tuple (4x faster).
const isSampleTuple = (tuple: unknown): tuple is [number, number, number?] =>
  Array.isArray(tuple) &&
  (tuple.length === 2 || tuple.length === 3) &&
  Number.isInteger(tuple[0]) &&
  tuple[0] >= 0 &&
  tuple[0] < HOUR_MS &&
  typeof tuple[1] === 'number' &&
  (tuple.length === 2 || (Number.isInteger(tuple[2]) && tuple[2] >= 0));
const SampleTuples = z.custom<Array<[number, number, number?]>>((tuples) => Array.isArray(tuples) && tuples.every(isSampleTuple), {
  message: 'holds a sample that is not [ms into the hour, value, device index?]',
});
const StoredHour = z.object({
  sk: z.iso.datetime(),
  samples: z.string().transform((text) => SampleTuples.parse(JSON.parse(text))),
  devices: z.string().transform((text) => z.array(z.string()).parse(JSON.parse(text))),
  version: z.number().int().min(1),
});
const QuarterTuple = z.tuple([z.number(), z.number(), z.number(), z.number().int().min(1)]).nullable();
const StoredRollup = z.object({
  sk: z.iso.datetime(),
  quarters: z.string().transform((text) => z.array(QuarterTuple).length(4).parse(JSON.parse(text))),
});
const StoredRule = z.object({ state: z.string(), version: z.number().int().min(1) });
const StoredLatest = z.object({ metric: MetricName, value: z.number(), measuredAt: z.iso.datetime(), deviceId: z.string().nullish() });

/** One hour of one metric's samples, as stored. */
interface HourOfSamples {
  metric: Metric;
  hourStart: number;
  /** Offset in the hour (ms) → [value, deviceId?]. */
  samples: Map<number, { value: number; deviceId?: string }>;
  version: number;
}

function decodeHour(metric: Metric, item: Record<string, unknown>): HourOfSamples {
  const hour = parseItem('hour of vital signs', StoredHour, item);
  return {
    metric,
    hourStart: Date.parse(hour.sk),
    samples: new Map(
      hour.samples.map(([offset, value, device]) => [
        offset,
        { value, ...(device === undefined ? {} : { deviceId: hour.devices[device] ?? '' }) },
      ]),
    ),
    version: hour.version,
  };
}

function encodeHour(hour: HourOfSamples): { samples: string; devices: string } {
  const devices: string[] = [];
  const tuples = [...hour.samples.entries()]
    .sort(([a], [b]) => a - b)
    .map(([offset, { value, deviceId }]) => {
      if (deviceId === undefined) return [offset, value];
      let index = devices.indexOf(deviceId);
      if (index < 0) index = devices.push(deviceId) - 1;
      return [offset, value, index];
    });
  return { samples: JSON.stringify(tuples), devices: JSON.stringify(devices) };
}

type Quarter = [min: number, max: number, sum: number, count: number] | null;

function quartersOf(hour: HourOfSamples): Quarter[] {
  const quarters: Quarter[] = [null, null, null, null];
  for (const [offset, { value }] of hour.samples) {
    const index = Math.floor(offset / QUARTER_MS);
    const q = quarters[index];
    quarters[index] = q ? [Math.min(q[0], value), Math.max(q[1], value), q[2] + value, q[3] + 1] : [value, value, value, 1];
  }
  return quarters;
}

export interface StoreOutcome {
  /** Samples stored now, by time. */
  stored: VitalSample[];
  /** How many samples were already stored with the same value. */
  duplicates: number;
  /** Those duplicates that were stored before (not repeated within this batch), by time. */
  repeated: VitalSample[];
  /** Indexes (in the input) of samples whose identity was stored, or sent earlier in the batch, with another value. */
  conflicts: number[];
}

/** Thrown before any write when a batch breaks a limit that keeps it storable in one transaction. */
export class VitalsLimitError extends Error {
  override name = 'VitalsLimitError';
  /** The index of a sample that breaks it. */
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}
/** Attempts when another writer changed one of the same hours meanwhile. */
const WRITE_ATTEMPTS = 4;

async function readHours(table: TableClient, patientId: string, wanted: ReadonlyArray<{ metric: Metric; hourStart: number }>) {
  const items = await batchGetAll(
    table,
    wanted.map(({ metric, hourStart }) => ({ pk: vitalsKeys.hours(patientId, metric), sk: vitalsKeys.hourSort(hourStart) })),
    { consistent: true },
  );
  const found = new Map<string, HourOfSamples>();
  for (const item of items) {
    const metric = String(item['pk']).split('#').at(-1) as Metric;
    const hour = decodeHour(metric, item);
    found.set(`${metric}@${hour.hourStart}`, hour);
  }
  return found;
}

function hourWrites(table: TableClient, patientId: string, hour: HourOfSamples): TransactItems {
  const sk = vitalsKeys.hourSort(hour.hourStart);
  return [
    {
      Put: {
        TableName: table.tableName,
        Item: { pk: vitalsKeys.hours(patientId, hour.metric), sk, type: 'vitalsHour', ...encodeHour(hour), version: hour.version + 1 },
        ...(hour.version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': hour.version } }),
      },
    },
    {
      Put: {
        TableName: table.tableName,
        Item: { pk: vitalsKeys.rollups(patientId, hour.metric), sk, type: 'vitalsRollup', quarters: JSON.stringify(quartersOf(hour)) },
      },
    },
  ];
}

/**
 * Stores a batch: every sample not stored yet, unless any conflicts, in which case nothing is
 * written. The hours it touches are read, merged and written back under their version, so two
 * batches racing on one hour both land (the later one retries on the newer hour).
 */
export async function storeSamples(table: TableClient, patientId: string, samples: readonly VitalSample[]): Promise<StoreOutcome> {
  for (let attempt = 1; ; attempt++) {
    const wanted = new Map<string, { metric: Metric; hourStart: number }>();
    samples.forEach((sample, index) => {
      wanted.set(`${sample.metric}@${hourOf(sample.at)}`, { metric: sample.metric, hourStart: hourOf(sample.at) });
      // DynamoDB takes 100 items in a transaction; each hour writes two (samples and roll-up).
      if (wanted.size > VITALS_LIMITS.maxHoursPerBatch) {
        throw new VitalsLimitError(
          `touches more than ${VITALS_LIMITS.maxHoursPerBatch} hours of one metric or another; send it in smaller batches`,
          index,
        );
      }
    });
    const hours = await readHours(table, patientId, [...wanted.values()]);
    const changed = new Map<string, HourOfSamples>();
    const stored: VitalSample[] = [];
    const repeated: VitalSample[] = [];
    const conflicts: number[] = [];
    const seen = new Map<string, number>();
    let duplicates = 0;
    samples.forEach((sample, index) => {
      const identity = sampleIdentity(sample);
      const earlier = seen.get(identity);
      if (earlier !== undefined) {
        if (earlier === sample.value) duplicates++;
        else conflicts.push(index);
        return;
      }
      seen.set(identity, sample.value);
      const key = `${sample.metric}@${hourOf(sample.at)}`;
      const hour = changed.get(key) ??
        hours.get(key) ?? { metric: sample.metric, hourStart: hourOf(sample.at), samples: new Map(), version: 0 };
      const offset = sample.at - hour.hourStart;
      const existing = hour.samples.get(offset);
      if (existing) {
        if (existing.value === sample.value) {
          duplicates++;
          repeated.push(sample);
        } else conflicts.push(index);
        return;
      }
      if (hour.samples.size >= VITALS_LIMITS.maxSamplesPerHour) {
        throw new VitalsLimitError(
          `would make more than ${VITALS_LIMITS.maxSamplesPerHour} ${sample.metric} samples in the hour from ${vitalsKeys.hourSort(hour.hourStart)} (at most two a second)`,
          index,
        );
      }
      hour.samples.set(offset, { value: sample.value, ...(sample.deviceId === undefined ? {} : { deviceId: sample.deviceId }) });
      changed.set(key, hour);
      stored.push(sample);
    });
    if (conflicts.length > 0) return { stored: [], duplicates: 0, repeated: [], conflicts };
    // One transaction for the whole batch: stored whole or not at all.
    const written =
      changed.size === 0 ||
      (await transactWriteIfConditionsHold(
        table,
        [...changed.values()].flatMap((hour) => hourWrites(table, patientId, hour)),
      ));
    if (written)
      return { stored: stored.sort((a, b) => a.at - b.at), duplicates, repeated: repeated.sort((a, b) => a.at - b.at), conflicts: [] };
    // Another batch changed one of these hours: read again and merge onto it.
    if (attempt >= WRITE_ATTEMPTS) throw new Error('vital signs of this patient kept changing under the write; retry the batch');
  }
}

/** Moves the latest value of a metric forward, never back (a late sample leaves it alone). */
export async function advanceLatest(table: TableClient, patientId: string, sample: VitalSample): Promise<void> {
  const measuredAt = new Date(sample.at).toISOString();
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: vitalsKeys.latest(patientId, sample.metric),
        UpdateExpression: 'SET #type = :type, metric = :metric, #value = :value, measuredAt = :at, deviceId = :device',
        ConditionExpression: 'attribute_not_exists(measuredAt) OR measuredAt < :at',
        ExpressionAttributeNames: { '#type': 'type', '#value': 'value' },
        ExpressionAttributeValues: {
          ':type': 'latestVital',
          ':metric': sample.metric,
          ':value': sample.value,
          ':at': measuredAt,
          ':device': sample.deviceId ?? null,
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export interface LatestValue {
  metric: Metric;
  value: number;
  measuredAt: string;
  deviceId?: string;
}

export async function listLatest(table: TableClient, patientId: string): Promise<LatestValue[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PATIENT#${patientId}`, ':prefix': vitalsKeys.latestPrefix },
    }),
  );
  return Items.map((item) => {
    const latest = parseItem('latest vital sign', StoredLatest, item);
    return {
      metric: latest.metric,
      value: latest.value,
      measuredAt: latest.measuredAt,
      ...(typeof latest.deviceId === 'string' ? { deviceId: latest.deviceId } : {}),
    };
  });
}

/**
 * Samples of a metric in [from, to], strictly before `before` when given, newest first, at most
 * `limit`; `more` says whether older ones remain in the range.
 */
export async function querySamples(
  table: TableClient,
  patientId: string,
  metric: Metric,
  range: { from: number; to: number; before?: number; limit: number },
): Promise<{ samples: VitalSample[]; more: boolean }> {
  const upper = Math.min(range.to, (range.before ?? Number.POSITIVE_INFINITY) - 1);
  const samples: VitalSample[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': vitalsKeys.hours(patientId, metric),
          ':from': vitalsKeys.hourSort(hourOf(range.from)),
          ':to': vitalsKeys.hourSort(hourOf(upper)),
        },
        ScanIndexForward: false,
        // An hour can hold thousands of samples: a few hours at a time.
        Limit: 4,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const hour = decodeHour(metric, item);
      const inRange = [...hour.samples.entries()]
        .map(([offset, { value, deviceId }]) => ({ metric, value, at: hour.hourStart + offset, ...(deviceId ? { deviceId } : {}) }))
        .filter((sample) => sample.at >= range.from && sample.at <= upper)
        .sort((a, b) => b.at - a.at);
      samples.push(...inRange);
      if (samples.length > range.limit) return { samples: samples.slice(0, range.limit), more: true };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { samples, more: false };
}

export interface HourRollup {
  hourStart: number;
  quarters: Quarter[];
}

/** The roll-ups of the hours overlapping [from, to), oldest first. */
export async function queryRollups(table: TableClient, patientId: string, metric: Metric, from: number, to: number): Promise<HourRollup[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': vitalsKeys.rollups(patientId, metric),
      ':from': vitalsKeys.hourSort(hourOf(from)),
      ':to': vitalsKeys.hourSort(hourOf(to - 1)),
    },
  });
  return items.map((item) => {
    const rollup = parseItem('roll-up of vital signs', StoredRollup, item);
    return { hourStart: Date.parse(rollup.sk), quarters: rollup.quarters };
  });
}

/** The running alert judgement of a (patient, metric), with the version a save must still find. */
export async function getRuleState<S extends z.ZodType>(
  table: TableClient,
  patientId: string,
  metric: Metric,
  schema: S,
): Promise<{ state?: z.output<S>; version: number }> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: vitalsKeys.rule(patientId, metric), ConsistentRead: true }),
  );
  if (!Item) return { version: 0 };
  const stored = parseItem('vital-sign alert judgement', StoredRule, Item);
  return {
    state: parseItem('vital-sign alert judgement', schema, JSON.parse(stored.state) as Record<string, unknown>),
    version: stored.version,
  };
}

/** The running judgements of several metrics in one consistent read, for a batch's first attempt. */
export async function getRuleStates<S extends z.ZodType>(
  table: TableClient,
  patientId: string,
  metrics: readonly Metric[],
  schema: S,
): Promise<Map<Metric, { state?: z.output<S>; version: number }>> {
  const found = new Map<Metric, { state?: z.output<S>; version: number }>(metrics.map((metric) => [metric, { version: 0 }]));
  const items = await batchGetAll(
    table,
    metrics.map((metric) => vitalsKeys.rule(patientId, metric)),
    { consistent: true },
  );
  for (const item of items) {
    const metric = String(item['sk']).replace('VITALS_RULE#', '') as Metric;
    const stored = parseItem('vital-sign alert judgement', StoredRule, item);
    found.set(metric, {
      state: parseItem('vital-sign alert judgement', schema, JSON.parse(stored.state) as Record<string, unknown>),
      version: stored.version,
    });
  }
  return found;
}

/** Saves the judgement; false when another batch saved one since it was read. */
export async function saveRuleState<S>(table: TableClient, patientId: string, metric: Metric, state: S, version: number): Promise<boolean> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...vitalsKeys.rule(patientId, metric), type: 'vitalsRule', state: JSON.stringify(state), version: version + 1 },
        ...(version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': version } }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export type { Quarter };
