import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChunkAnalysisRecord, Recording } from '../../shared/domain/ecg-recording.ts';
import {
  closeRecording,
  commitChunkAnalysis,
  ConcurrentAnalysisError,
  createRecording,
  ecgKeys,
  getAnalysisState,
  getChunk,
  getRecording,
  listStaleUnfinishedRecordings,
  putChunk,
  setChunkCount,
} from '../../shared/data/ecg-store.ts';
import { CorruptItemError } from '../../shared/data/table-item.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const RECEIVED_AT = '2026-11-22T04:05:00.000Z';

async function newRecording(createdAt = '2026-11-22T04:00:00.000Z'): Promise<Recording> {
  const recording: Recording = {
    recordingId: randomUUID(),
    patientId: randomUUID(),
    orgId: randomUUID(),
    sampleRateHz: 250,
    lead: 'II',
    status: 'recording',
    createdAt,
    startedAt: createdAt,
    chunksReceived: 0,
    chunksAnalyzed: 0,
    findings: { analyzedSeconds: 0, beatCount: 0, flags: [] },
  };
  await createRecording(table, recording);
  return recording;
}

describe('ECG store (DynamoDB Local)', () => {
  it('stores a chunk once, calls an identical repeat harmless and a different one a conflict', async () => {
    const { recordingId } = await newRecording();
    const samples = Int16Array.from([0, 100, -32768, 32767, 5]);
    expect(await putChunk(table, recordingId, 0, samples, 2_000_000_000, RECEIVED_AT)).toBe('stored');
    expect(await putChunk(table, recordingId, 0, samples, 2_000_000_000, RECEIVED_AT)).toBe('repeat');
    expect(await putChunk(table, recordingId, 0, Int16Array.from([1]), 2_000_000_000, RECEIVED_AT)).toBe('conflict');
    expect((await getRecording(table, recordingId))?.chunksReceived).toBe(1);
    expect(Array.from((await getChunk(table, recordingId, 0))!.microvolts)).toEqual(Array.from(samples));
  });

  it('keeps a full minute at 1000 Hz in one item, with the retention TTL', async () => {
    const { recordingId } = await newRecording();
    const samples = new Int16Array(60_000).map((_, i) => Math.round(Math.sin(i / 50) * 1500));
    await putChunk(table, recordingId, 3, samples, 1_900_000_000, RECEIVED_AT);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: ecgKeys.chunk(recordingId, 3) }));
    expect(Item?.['expiresAt']).toBe(1_900_000_000);
    expect((await getChunk(table, recordingId, 3))?.microvolts.length).toBe(60_000);
  });

  it('fixes the chunk count once, only at the number received, and refuses chunks past it', async () => {
    const { recordingId } = await newRecording();
    for (let seq = 0; seq < 3; seq++) await putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, RECEIVED_AT);
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 3, maxSeq: 2 });
    expect(await setChunkCount(table, recordingId, 4)).toBeUndefined();
    expect((await setChunkCount(table, recordingId, 3))?.chunkCount).toBe(3);
    expect(await setChunkCount(table, recordingId, 3)).toBeUndefined();
    expect(await getRecording(table, recordingId)).toMatchObject({ chunkCount: 3, status: 'complete' });
    expect(await putChunk(table, recordingId, 3, Int16Array.from([3]), 2_000_000_000, RECEIVED_AT)).toBe('past-end');
    expect(await putChunk(table, recordingId, 1, Int16Array.from([1]), 2_000_000_000, RECEIVED_AT)).toBe('repeat');
    expect((await getRecording(table, recordingId))?.chunksReceived).toBe(3);
  });

  it('keeps the highest sequence number whatever the arrival order', async () => {
    const { recordingId } = await newRecording();
    for (const seq of [4, 0, 2]) await putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, RECEIVED_AT);
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 3, maxSeq: 4 });
  });

  it('counts every chunk when uploads race each other on the recording', async () => {
    const { recordingId } = await newRecording();
    await Promise.all(
      Array.from({ length: 12 }, (_, seq) => putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, RECEIVED_AT)),
    );
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 12, maxSeq: 11 });
  });

  it('commits analysis, state and findings together and refuses a stale version', async () => {
    const { recordingId } = await newRecording();
    const analysis = (seq: number): ChunkAnalysisRecord => ({
      recordingId,
      seq,
      final: false,
      startSample: seq * 2500,
      sampleCount: 2500,
      beats: [10, 300],
      rrIntervalsMs: [1160],
      usable: true,
      quality: [],
      findings: [],
    });
    const commit = (previousVersion: number, nextSeq: number) =>
      commitChunkAnalysis(table, {
        analysis: analysis(nextSeq - 1),
        previousVersion,
        next: { nextSeq, version: previousVersion + 1, engine: { carried: [1, 2, 3] }, rules: { heartRate: { raised: false } } },
        findings: { analyzedSeconds: nextSeq * 10, beatCount: 2 * nextSeq, flags: [] },
        finished: false,
        at: RECEIVED_AT,
      });
    await commit(0, 1);
    await expect(commit(0, 1)).rejects.toThrow(ConcurrentAnalysisError);
    await commit(1, 2);
    await expect(commit(1, 2)).rejects.toThrow(ConcurrentAnalysisError);
    expect(await getAnalysisState(table, recordingId)).toEqual({
      nextSeq: 2,
      version: 2,
      engine: { carried: [1, 2, 3] },
      rules: { heartRate: { raised: false } },
    });
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksAnalyzed: 2, findings: { analyzedSeconds: 20, beatCount: 4 } });
  });

  it('closes a recording that still takes chunks, refuses chunks after, and leaves a completed one alone', async () => {
    const open = await newRecording();
    await putChunk(table, open.recordingId, 0, Int16Array.from([1]), 2_000_000_000, RECEIVED_AT);
    expect(await closeRecording(table, open.recordingId, 'cancelled', RECEIVED_AT)).toMatchObject({
      status: 'cancelled',
      closedAt: RECEIVED_AT,
    });
    expect(await putChunk(table, open.recordingId, 1, Int16Array.from([2]), 2_000_000_000, RECEIVED_AT)).toBe('cancelled');
    expect(await closeRecording(table, open.recordingId, 'incomplete', RECEIVED_AT)).toBeUndefined();

    const completed = await newRecording();
    await putChunk(table, completed.recordingId, 0, Int16Array.from([1]), 2_000_000_000, RECEIVED_AT);
    await setChunkCount(table, completed.recordingId, 1);
    expect(await closeRecording(table, completed.recordingId, 'cancelled', RECEIVED_AT)).toBeUndefined();
    expect(await putChunk(table, completed.recordingId, 5, Int16Array.from([2]), 2_000_000_000, RECEIVED_AT)).toBe('past-end');
  });

  it('lists recordings without final findings that have not changed since a time, and closes one as idle only if no chunk came meanwhile', async () => {
    const ids = async (before: string) => (await listStaleUnfinishedRecordings(table, before)).map((recording) => recording.recordingId);
    const quiet = await newRecording('2020-01-01T00:00:00.000Z');
    const busy = await newRecording('2020-01-01T00:00:00.000Z');
    await putChunk(table, busy.recordingId, 0, Int16Array.from([1]), 2_000_000_000, '2030-01-01T00:00:00.000Z');
    expect(await ids('2021-01-01T00:00:00.000Z')).toContain(quiet.recordingId);
    expect(await ids('2021-01-01T00:00:00.000Z')).not.toContain(busy.recordingId);
    expect(await closeRecording(table, busy.recordingId, 'incomplete', RECEIVED_AT, '2021-01-01T00:00:00.000Z')).toBeUndefined();
    expect(
      await closeRecording(table, quiet.recordingId, 'incomplete', '2020-06-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z'),
    ).toMatchObject({
      status: 'incomplete',
    });
    // Closed but not analysed yet: still listed, now with its status, for the analysis to be woken again.
    expect(await listStaleUnfinishedRecordings(table, '2021-01-01T00:00:00.000Z')).toContainEqual({
      recordingId: quiet.recordingId,
      status: 'incomplete',
    });
  });

  it('takes a recording out of the unfinished list once its findings are final', async () => {
    const recording = await newRecording('2020-01-01T00:00:00.000Z');
    const analysis: ChunkAnalysisRecord = {
      recordingId: recording.recordingId,
      seq: 0,
      final: true,
      startSample: 0,
      sampleCount: 0,
      beats: [],
      rrIntervalsMs: [],
      usable: false,
      quality: [],
      findings: [],
    };
    await closeRecording(table, recording.recordingId, 'cancelled', '2020-01-02T00:00:00.000Z');
    await commitChunkAnalysis(table, {
      analysis,
      previousVersion: 0,
      next: { nextSeq: 0, version: 1, engine: {}, rules: {} },
      findings: { analyzedSeconds: 0, beatCount: 0, flags: [] },
      finished: { status: 'cancelled' },
      at: RECEIVED_AT,
    });
    const listed = (await listStaleUnfinishedRecordings(table, '2021-01-01T00:00:00.000Z')).map((stale) => stale.recordingId);
    expect(listed).not.toContain(recording.recordingId);
  });

  it('reads a corrupt recording as an error that names its key, not as a recording', async () => {
    const recordingId = randomUUID();
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...ecgKeys.recording(recordingId), type: 'recording', recordingId, status: 'lost' },
      }),
    );
    const read = getRecording(table, recordingId);
    await expect(read).rejects.toBeInstanceOf(CorruptItemError);
    await expect(read).rejects.toThrow(`pk=RECORDING#${recordingId} sk=RECORDING`);
  });
});
