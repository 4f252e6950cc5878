import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  advanceLatest,
  getRuleState,
  listLatest,
  type Quarter,
  queryRollups,
  querySamples,
  saveRuleState,
  storeSamples,
  vitalsKeys,
} from '../../shared/data/vitals-store.ts';
import type { TableClient } from '../../shared/data/table-client.ts';
import { localPeriods } from '../../shared/domain/local-time.ts';
import { rollUp } from '../../shared/domain/vital-rollups.ts';
import { VITALS_LIMITS, type VitalSample } from '../../shared/domain/vital-sample.ts';
import { testTable } from './support/table.ts';
import { z } from 'zod';

const table = testTable();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** A UTC hour boundary; each test uses a fresh patient, so they may share it. */
const H0 = Date.parse('2026-03-10T08:00:00Z');

const heartRate = (at: number, value: number, deviceId?: string): VitalSample => ({
  metric: 'heart_rate',
  value,
  at,
  ...(deviceId === undefined ? {} : { deviceId }),
});

/** Every stored sample of a metric in [from, to], newest first. */
async function everySample(patientId: string, from: number, to: number, metric: VitalSample['metric'] = 'heart_rate') {
  const { samples, more } = await querySamples(table, patientId, metric, { from, to, limit: 100_000 });
  expect(more).toBe(false);
  return samples;
}

async function storeInBatches(patientId: string, samples: readonly VitalSample[]) {
  for (let i = 0; i < samples.length; i += VITALS_LIMITS.maxSamplesPerBatch) {
    const outcome = await storeSamples(table, patientId, samples.slice(i, i + VITALS_LIMITS.maxSamplesPerBatch));
    expect(outcome.conflicts).toEqual([]);
  }
}

async function rawItem(pk: string, sk: string) {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk }, ConsistentRead: true }));
  return Item;
}

/** What the quarters of each UTC hour must hold, computed from the samples themselves. */
function expectedQuarters(samples: readonly VitalSample[]): Map<number, Quarter[]> {
  const hours = new Map<number, Quarter[]>();
  for (const { at, value } of samples) {
    const hourStart = Math.floor(at / HOUR) * HOUR;
    const quarters = hours.get(hourStart) ?? [null, null, null, null];
    const index = Math.floor((at - hourStart) / (15 * MINUTE));
    const q = quarters[index];
    quarters[index] = q ? [Math.min(q[0], value), Math.max(q[1], value), q[2] + value, q[3] + 1] : [value, value, value, 1];
    hours.set(hourStart, quarters);
  }
  return hours;
}

describe('vitals store (DynamoDB Local): duplicates and conflicts', () => {
  it('calls a repeat with the same value a duplicate and stores only what is new', async () => {
    const patientId = randomUUID();
    const first = await storeSamples(table, patientId, [heartRate(H0, 70), heartRate(H0 + SECOND, 71)]);
    expect(first).toEqual({ stored: [heartRate(H0, 70), heartRate(H0 + SECOND, 71)], duplicates: 0, repeated: [], conflicts: [] });

    const again = await storeSamples(table, patientId, [heartRate(H0 + SECOND, 71), heartRate(H0 + 2 * SECOND, 72), heartRate(H0, 70)]);
    // The repeats come back by time, for the judgement of anything an earlier attempt stored but never judged.
    expect(again).toEqual({
      stored: [heartRate(H0 + 2 * SECOND, 72)],
      duplicates: 2,
      repeated: [heartRate(H0, 70), heartRate(H0 + SECOND, 71)],
      conflicts: [],
    });
    expect((await everySample(patientId, H0, H0 + HOUR)).map((sample) => sample.value)).toEqual([72, 71, 70]);
  });

  it('refuses a batch holding a sample stored before with another value, writing none of it, in any hour', async () => {
    const patientId = randomUUID();
    await storeSamples(table, patientId, [heartRate(H0, 70), heartRate(H0 + SECOND, 71)]);
    const hourBefore = await rawItem(vitalsKeys.hours(patientId, 'heart_rate'), vitalsKeys.hourSort(H0));

    const outcome = await storeSamples(table, patientId, [
      heartRate(H0 + 2 * SECOND, 72),
      heartRate(H0 + HOUR + 5 * SECOND, 90),
      heartRate(H0 + SECOND, 99),
      heartRate(H0, 70),
    ]);

    expect(outcome).toEqual({ stored: [], duplicates: 0, repeated: [], conflicts: [2] });
    expect(await everySample(patientId, H0, H0 + 2 * HOUR)).toEqual([heartRate(H0 + SECOND, 71), heartRate(H0, 70)]);
    expect(await rawItem(vitalsKeys.hours(patientId, 'heart_rate'), vitalsKeys.hourSort(H0))).toEqual(hourBefore);
    expect(await rawItem(vitalsKeys.rollups(patientId, 'heart_rate'), vitalsKeys.hourSort(H0 + HOUR))).toBeUndefined();
  });

  it('treats the same instant sent twice in one batch as a duplicate with the same value and a conflict with another', async () => {
    const patientId = randomUUID();
    const repeated = await storeSamples(table, patientId, [heartRate(H0, 70), heartRate(H0, 70)]);
    // Repeated within the batch, not stored before: nothing to judge again.
    expect(repeated).toEqual({ stored: [heartRate(H0, 70)], duplicates: 1, repeated: [], conflicts: [] });

    const conflicting = await storeSamples(table, patientId, [
      heartRate(H0 + 10 * SECOND, 80),
      heartRate(H0 + 2 * HOUR, 81),
      heartRate(H0 + 10 * SECOND, 82),
    ]);
    expect(conflicting).toEqual({ stored: [], duplicates: 0, repeated: [], conflicts: [2] });
    expect(await everySample(patientId, H0, H0 + 3 * HOUR)).toEqual([heartRate(H0, 70)]);
    expect(await rawItem(vitalsKeys.hours(patientId, 'heart_rate'), vitalsKeys.hourSort(H0 + 2 * HOUR))).toBeUndefined();
  });

  it('identifies a sample by metric and time, so another metric at the same instant is not a conflict', async () => {
    const patientId = randomUUID();
    const outcome = await storeSamples(table, patientId, [heartRate(H0, 70), { metric: 'spo2', value: 97, at: H0 }]);
    expect(outcome.stored).toHaveLength(2);
    expect(await everySample(patientId, H0, H0, 'spo2')).toEqual([{ metric: 'spo2', value: 97, at: H0 }]);
  });
});

describe('vitals store (DynamoDB Local): many samples', () => {
  // 2,000 samples at 1 Hz over three UTC hours: a run from 08:50 to 09:10 (crossing the hour)
  // and a later one from 10:05; every fifth without a device.
  const crossing = Array.from({ length: 1200 }, (_, i) => H0 + 50 * MINUTE + i * SECOND);
  const later = Array.from({ length: 800 }, (_, i) => H0 + 2 * HOUR + 5 * MINUTE + i * SECOND);
  const samples = [...crossing, ...later].map((at, i) =>
    heartRate(at, 60 + ((i * 37) % 400) / 10, i % 5 === 0 ? undefined : i < 1200 ? 'device-1' : 'device-2'),
  );
  const newestFirst = [...samples].reverse();
  const from = samples[0]!.at;
  const to = samples.at(-1)!.at;

  it('reads back every sample exactly, newest first, and pages through them with `before`', async () => {
    const patientId = randomUUID();
    await storeInBatches(patientId, samples);

    expect(await everySample(patientId, from, to)).toEqual(newestFirst);

    const pages: VitalSample[][] = [];
    let before: number | undefined;
    for (let more = true; more; ) {
      const page = await querySamples(table, patientId, 'heart_rate', {
        from,
        to,
        limit: 400,
        ...(before === undefined ? {} : { before }),
      });
      pages.push(page.samples);
      more = page.more;
      before = page.samples.at(-1)?.at;
      expect(pages.length).toBeLessThanOrEqual(5);
    }
    expect(pages.map((page) => page.length)).toEqual([400, 400, 400, 400, 400]);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('keeps to the range asked for, both ends included', async () => {
    const patientId = randomUUID();
    await storeInBatches(patientId, samples);
    const { samples: inRange, more } = await querySamples(table, patientId, 'heart_rate', {
      from: samples[590]!.at,
      to: samples[610]!.at,
      limit: 100,
    });
    expect(more).toBe(false);
    expect(inRange).toEqual(samples.slice(590, 611).reverse());
  });

  it('keeps roll-ups of each hour that match its samples, and they add up into the hours of a half-hour zone', async () => {
    const patientId = randomUUID();
    await storeInBatches(patientId, samples);

    const rollups = await queryRollups(table, patientId, 'heart_rate', H0, H0 + 3 * HOUR);
    const expected = expectedQuarters(samples);
    expect(rollups.map((rollup) => rollup.hourStart)).toEqual([H0, H0 + HOUR, H0 + 2 * HOUR]);
    // Sums of decimals depend on the order they were added in: compared to a millionth.
    const comparable = (quarters: readonly Quarter[]) => quarters.map((q) => q && [q[0], q[1], Math.round(q[2] * 1e6) / 1e6, q[3]]);
    for (const rollup of rollups) expect(comparable(rollup.quarters)).toEqual(comparable(expected.get(rollup.hourStart) ?? []));

    // Kolkata hours begin at :30 UTC, so each bucket takes quarters from two stored hours.
    const periods = localPeriods(H0, H0 + 3 * HOUR, 'Asia/Kolkata', 'hour');
    const buckets = rollUp(rollups, periods);
    const direct = periods
      .map((period) => samples.filter((sample) => period.start <= sample.at && sample.at < period.end).map((sample) => sample.value))
      .filter((values) => values.length > 0)
      .map((values) => ({
        min: Math.min(...values),
        max: Math.max(...values),
        mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000,
        count: values.length,
      }))
      .reverse();
    expect(buckets.map(({ min, max, mean, count }) => ({ min, max, mean, count }))).toEqual(direct);
    expect(buckets.reduce((total, bucket) => total + bucket.count, 0)).toBe(2000);
  });

  it('stores an hour at 1 Hz in under 20 bytes a sample (the storage cost the data model claims)', async () => {
    const patientId = randomUUID();
    const hourAt1Hz = Array.from({ length: 3600 }, (_, i) => heartRate(H0 + i * SECOND, 60 + ((i * 37) % 400) / 10, 'device-1'));
    await storeInBatches(patientId, hourAt1Hz);

    const item = await rawItem(vitalsKeys.hours(patientId, 'heart_rate'), vitalsKeys.hourSort(H0));
    const stored = String(item?.['samples']);
    expect(JSON.parse(stored)).toHaveLength(3600);
    expect(stored.length).toBeLessThan(20 * 3600);
  });
});

/**
 * The suite's table, except that the first `writers` reads of hours are held until all of them
 * have read: the writers then all hold the same version of the hour, so all but one must find
 * it changed under them and merge again. Counts the transactions sent.
 */
function racingTable(writers: number): TableClient & { transactions: () => number } {
  let reads = 0;
  let transactions = 0;
  let release = () => {};
  const allRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  const send = table.doc.send.bind(table.doc) as (command: unknown) => Promise<unknown>;
  const doc = new Proxy(table.doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (command instanceof TransactWriteCommand) transactions++;
        const result = await send(command);
        if (command instanceof BatchGetCommand && reads < writers) {
          reads++;
          if (reads === writers) release();
          await allRead;
        }
        return result;
      };
    },
  });
  return { tableName: table.tableName, doc, transactions: () => transactions };
}

describe('vitals store (DynamoDB Local): concurrent batches', () => {
  it('lands both of two batches that read the same hour before either wrote it, the roll-up counting both', async () => {
    const patientId = randomUUID();
    const even = Array.from({ length: 300 }, (_, i) => heartRate(H0 + 2 * i * SECOND, 70));
    const odd = Array.from({ length: 300 }, (_, i) => heartRate(H0 + (2 * i + 1) * SECOND, 90));

    const racing = racingTable(2);
    const outcomes = await Promise.all([storeSamples(racing, patientId, even), storeSamples(racing, patientId, odd)]);
    expect(outcomes.map((outcome) => outcome.stored.length)).toEqual([300, 300]);
    expect(racing.transactions()).toBeGreaterThan(2);

    // Again, now that the hour exists and its version is what they race on.
    const more = [0, 1].map((k) => Array.from({ length: 100 }, (_, i) => heartRate(H0 + 30 * MINUTE + (2 * i + k) * SECOND, 80)));
    const racingAgain = racingTable(2);
    await Promise.all(more.map((batch) => storeSamples(racingAgain, patientId, batch)));
    expect(racingAgain.transactions()).toBeGreaterThan(2);

    const all = await everySample(patientId, H0, H0 + HOUR);
    expect(all).toHaveLength(800);
    expect(all).toEqual(expect.arrayContaining([...even, ...odd, ...more.flat()]));
    const [rollup] = await queryRollups(table, patientId, 'heart_rate', H0, H0 + HOUR);
    expect(rollup?.quarters.reduce((total, quarter) => total + (quarter?.[3] ?? 0), 0)).toBe(800);
  });
});

describe('vitals store (DynamoDB Local): latest values and judgement state', () => {
  it('moves the latest value forward and never back', async () => {
    const patientId = randomUUID();
    await advanceLatest(table, patientId, heartRate(H0, 80, 'device-1'));
    await advanceLatest(table, patientId, heartRate(H0 - MINUTE, 60, 'device-2'));
    await advanceLatest(table, patientId, { metric: 'spo2', value: 97, at: H0 });
    expect(await listLatest(table, patientId)).toEqual(
      expect.arrayContaining([
        { metric: 'heart_rate', value: 80, measuredAt: new Date(H0).toISOString(), deviceId: 'device-1' },
        { metric: 'spo2', value: 97, measuredAt: new Date(H0).toISOString() },
      ]),
    );

    await advanceLatest(table, patientId, heartRate(H0 + SECOND, 85));
    expect((await listLatest(table, patientId)).find((latest) => latest.metric === 'heart_rate')).toEqual({
      metric: 'heart_rate',
      value: 85,
      measuredAt: new Date(H0 + SECOND).toISOString(),
    });
  });

  it('saves the judgement only over the version it was read at', async () => {
    const patientId = randomUUID();
    const State = z.object({ judgedUntil: z.number() });
    expect(await getRuleState(table, patientId, 'spo2', State)).toEqual({ version: 0 });
    expect(await saveRuleState(table, patientId, 'spo2', { judgedUntil: 1 }, 0)).toBe(true);
    expect(await saveRuleState(table, patientId, 'spo2', { judgedUntil: 2 }, 0)).toBe(false);
    expect(await getRuleState(table, patientId, 'spo2', State)).toEqual({ state: { judgedUntil: 1 }, version: 1 });
    expect(await saveRuleState(table, patientId, 'spo2', { judgedUntil: 3 }, 1)).toBe(true);
    expect(await getRuleState(table, patientId, 'spo2', State)).toEqual({ state: { judgedUntil: 3 }, version: 2 });
  });
});

// Defect: milliseconds apart, one hour of one metric grew past DynamoDB's 400 KB item limit and
// every later write to it failed with a 500.
describe('the limits that keep a batch storable in one transaction', () => {
  it('refuses, before writing anything, a sample that would make an hour hold more than two a second', async () => {
    const patientId = randomUUID();
    const full = Array.from({ length: VITALS_LIMITS.maxSamplesPerHour }, (_, i) => heartRate(H0 + i * 500, 70));
    await storeSamples(table, patientId, full);
    await expect(storeSamples(table, patientId, [heartRate(H0 + 250, 71)])).rejects.toMatchObject({ name: 'VitalsLimitError', index: 0 });
  });

  it('refuses a batch touching more hours than one transaction holds, naming the first sample past them', async () => {
    const patientId = randomUUID();
    const hourly = Array.from({ length: VITALS_LIMITS.maxHoursPerBatch + 1 }, (_, i) => heartRate(H0 + i * HOUR, 70));
    await expect(storeSamples(table, patientId, hourly)).rejects.toMatchObject({ index: VITALS_LIMITS.maxHoursPerBatch });
  });
});
