// The analysis pipeline against DynamoDB Local with the real engine: chunks that arrive out
// of order and twice give exactly the beats of analysing the whole recording at once.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { closeRecording, createRecording, getRecording, listChunkAnalyses, putChunk, setChunkCount } from '../../shared/data/ecg-store.ts';
import { queryPatientAlerts } from '../../shared/data/alert-store.ts';
import { advanceRecordingAnalysis, ANALYSIS_TIME_RESERVE_MS } from '../../shared/services/ecg-analysis-service.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { recordingAlertDelivery } from '../support/fake-alert-delivery.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const SAMPLE_RATE = 250;

async function newPatientRecording(startedAt = new Date().toISOString()) {
  const clinician = await storedClinician(table);
  const { userId: patientId, orgId } = await storedPatient(table, { orgId: clinician.orgId, primaryClinicianId: clinician.userId });
  const recordingId = randomUUID();
  await createRecording(table, {
    recordingId,
    patientId,
    orgId,
    sampleRateHz: SAMPLE_RATE,
    lead: 'II',
    status: 'recording',
    createdAt: new Date().toISOString(),
    startedAt,
    chunksReceived: 0,
    chunksAnalyzed: 0,
    findings: { analyzedSeconds: 0, beatCount: 0, flags: [] },
  });
  return { recordingId, patientId };
}

/** Splits at uneven boundaries so beats fall across chunk edges. */
function split(samples: Int16Array, secondsPerChunk: number[]): Int16Array[] {
  const chunks: Int16Array[] = [];
  let start = 0;
  for (const seconds of secondsPerChunk) {
    chunks.push(samples.subarray(start, start + seconds * SAMPLE_RATE));
    start += seconds * SAMPLE_RATE;
  }
  return chunks;
}

async function storedBeats(recordingId: string): Promise<number[]> {
  return (await listChunkAnalyses(table, recordingId)).flatMap((analysis) => analysis['beats'] as number[]);
}

describe('ECG analysis pipeline (DynamoDB Local)', () => {
  const { samples } = regularRhythmEcg({ sampleRateHz: SAMPLE_RATE, seconds: 60, heartRateBpm: 72 });
  const chunks = split(samples, [7, 13, 2, 11, 9, 18]);
  const whole = analyzeRecording(samples, SAMPLE_RATE);

  it('gives the whole-recording beats when chunks arrive out of order and repeated', async () => {
    const { recordingId } = await newPatientRecording();
    const { notifier, pushes } = recordingNotifier();
    for (const seq of [2, 0, 0, 3, 1, 5, 2, 4]) {
      await putChunk(table, recordingId, seq, chunks[seq]!, 2_000_000_000, new Date().toISOString());
      await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId);
    }
    expect((await getRecording(table, recordingId))?.chunksAnalyzed).toBe(6);
    await setChunkCount(table, recordingId, 6);
    expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toMatchObject({ finished: true });

    expect(await storedBeats(recordingId)).toEqual(whole.beats);
    const recording = await getRecording(table, recordingId);
    expect(recording).toMatchObject({
      status: 'analyzed',
      chunksAnalyzed: 6,
      findings: { beatCount: whole.beats.length, analyzedSeconds: 60 },
    });
    expect(recording?.findings.heartRate?.mean).toBeCloseTo(72, 0);
    // One push per chunk, each once and in order, then the final one, which names no chunk.
    const analyzed = pushes.filter((push) => push.type === 'ecg.analyzed');
    expect(analyzed.map((push) => push['seq'])).toEqual([0, 1, 2, 3, 4, 5, undefined]);
    expect(analyzed.map((push) => push['final'])).toEqual([false, false, false, false, false, false, true]);
  });

  it('waits at a gap and goes on when the missing chunk arrives', async () => {
    const { recordingId } = await newPatientRecording();
    const { notifier } = recordingNotifier();
    await putChunk(table, recordingId, 1, chunks[1]!, 2_000_000_000, new Date().toISOString());
    expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toEqual({
      analyzedChunks: 0,
      finished: false,
      backlog: false,
      nextSeq: 0,
    });
    await putChunk(table, recordingId, 0, chunks[0]!, 2_000_000_000, new Date().toISOString());
    expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toEqual({
      analyzedChunks: 2,
      finished: false,
      backlog: false,
      nextSeq: 2,
    });
  });

  it.each(['cancelled', 'incomplete'] as const)(
    'finishes a recording closed as %s with the chunks before its first gap, keeping its status',
    async (status) => {
      const { recordingId } = await newPatientRecording();
      const { notifier, pushes } = recordingNotifier();
      for (const seq of [0, 1, 3]) await putChunk(table, recordingId, seq, chunks[seq]!, 2_000_000_000, new Date().toISOString());
      expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toMatchObject({
        finished: false,
        nextSeq: 2,
      });

      await closeRecording(table, recordingId, status, new Date().toISOString());
      expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toMatchObject({
        finished: true,
        nextSeq: 2,
      });

      const firstTwenty = analyzeRecording(samples.subarray(0, 20 * SAMPLE_RATE), SAMPLE_RATE);
      expect(await storedBeats(recordingId)).toEqual(firstTwenty.beats);
      expect(await getRecording(table, recordingId)).toMatchObject({
        status,
        chunksAnalyzed: 2,
        analyzedAt: expect.any(String),
        findings: { beatCount: firstTwenty.beats.length, analyzedSeconds: 20 },
      });
      expect(pushes.filter((push) => push.type === 'ecg.analyzed').at(-1)).toMatchObject({ final: true });
      expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toMatchObject({
        analyzedChunks: 0,
        finished: true,
      });
    },
  );

  it('leaves a backlog for the retry when the invocation runs out of time', async () => {
    const { recordingId } = await newPatientRecording();
    const { notifier } = recordingNotifier();
    for (let seq = 0; seq < 3; seq++) await putChunk(table, recordingId, seq, chunks[seq]!, 2_000_000_000, new Date().toISOString());
    let calls = 0;
    const outOfTimeAfterOne = () => (calls++ === 0 ? 60_000 : ANALYSIS_TIME_RESERVE_MS - 1);
    expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId, outOfTimeAfterOne)).toEqual({
      analyzedChunks: 1,
      finished: false,
      backlog: true,
      nextSeq: 1,
    });
    expect(await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId)).toMatchObject({
      analyzedChunks: 2,
    });
  });

  it('records alerts from ECG measured long ago as historical, paging nobody', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const { recordingId, patientId } = await newPatientRecording(twoDaysAgo);
    const { notifier, pushes } = recordingNotifier();
    for (let seq = 0; seq < 3; seq++) {
      await putChunk(table, recordingId, seq, new Int16Array(10 * SAMPLE_RATE), 2_000_000_000, new Date().toISOString());
      await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId);
    }
    const alerts = await queryPatientAlerts(table, patientId, { limit: 10 });
    expect(alerts.map((alert) => [alert.cause, alert.status, alert.historical, alert.count])).toEqual([
      ['ecg.signal_quality', 'resolved', true, 3],
    ]);
    expect(alerts[0]!.firstSeenAt < new Date(Date.now() - 86_400_000).toISOString()).toBe(true);
    expect(pushes.filter((push) => push.type.startsWith('alert.'))).toEqual([]);
    expect(await queryPatientAlerts(table, patientId, { status: 'open', limit: 10 })).toEqual([]);
  });

  it('raises one technical alert, and no clinical one, for a flat line', async () => {
    const { recordingId, patientId } = await newPatientRecording();
    const { notifier, pushes } = recordingNotifier();
    for (let seq = 0; seq < 3; seq++) {
      await putChunk(table, recordingId, seq, new Int16Array(10 * SAMPLE_RATE), 2_000_000_000, new Date().toISOString());
      await advanceRecordingAnalysis({ table, notifier, ...recordingAlertDelivery() }, recordingId);
    }
    const alerts = await queryPatientAlerts(table, patientId, { limit: 10 });
    expect(alerts.map((alert) => [alert.cause, alert.priority, alert.count])).toEqual([['ecg.signal_quality', 'low', 3]]);
    expect(pushes.filter((push) => push.type === 'alert.created')).toHaveLength(1);
  });
});
