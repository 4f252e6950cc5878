import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  commitChunkAnalysis,
  ConcurrentAnalysisError,
  createRecording,
  ecgKeys,
  getAnalysisState,
  getChunk,
  getRecording,
  putChunk,
  setChunkCount,
  type Recording,
} from '../../shared/data/ecg-store.ts';
import { testTable } from './support/table.ts';

const table = testTable();

async function newRecording(): Promise<Recording> {
  const recording: Recording = {
    recordingId: randomUUID(),
    patientId: randomUUID(),
    orgId: randomUUID(),
    sampleRateHz: 250,
    lead: 'II',
    status: 'recording',
    createdAt: '2026-11-22T04:00:00.000Z',
    startedAt: '2026-11-22T04:00:00.000Z',
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
    expect(await putChunk(table, recordingId, 0, samples, 2_000_000_000, 'now')).toBe('stored');
    expect(await putChunk(table, recordingId, 0, samples, 2_000_000_000, 'now')).toBe('repeat');
    expect(await putChunk(table, recordingId, 0, Int16Array.from([1]), 2_000_000_000, 'now')).toBe('conflict');
    expect((await getRecording(table, recordingId))?.chunksReceived).toBe(1);
    expect(Array.from((await getChunk(table, recordingId, 0))!.samples)).toEqual(Array.from(samples));
  });

  it('keeps a full minute at 1000 Hz in one item, with the retention TTL', async () => {
    const { recordingId } = await newRecording();
    const samples = new Int16Array(60_000).map((_, i) => Math.round(Math.sin(i / 50) * 1500));
    await putChunk(table, recordingId, 3, samples, 1_900_000_000, 'now');
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: ecgKeys.chunk(recordingId, 3) }));
    expect(Item?.['expiresAt']).toBe(1_900_000_000);
    expect((await getChunk(table, recordingId, 3))?.samples.length).toBe(60_000);
  });

  it('fixes the chunk count once, only at the number received, and refuses chunks past it', async () => {
    const { recordingId } = await newRecording();
    for (let seq = 0; seq < 3; seq++) await putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, 'now');
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 3, maxSeq: 2 });
    expect(await setChunkCount(table, recordingId, 4)).toBeUndefined();
    expect((await setChunkCount(table, recordingId, 3))?.chunkCount).toBe(3);
    expect(await setChunkCount(table, recordingId, 3)).toBeUndefined();
    expect(await getRecording(table, recordingId)).toMatchObject({ chunkCount: 3, status: 'complete' });
    expect(await putChunk(table, recordingId, 3, Int16Array.from([3]), 2_000_000_000, 'now')).toBe('past-end');
    expect(await putChunk(table, recordingId, 1, Int16Array.from([1]), 2_000_000_000, 'now')).toBe('repeat');
    expect((await getRecording(table, recordingId))?.chunksReceived).toBe(3);
  });

  it('keeps the highest sequence number whatever the arrival order', async () => {
    const { recordingId } = await newRecording();
    for (const seq of [4, 0, 2]) await putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, 'now');
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 3, maxSeq: 4 });
  });

  it('counts every chunk when uploads race each other on the recording', async () => {
    const { recordingId } = await newRecording();
    await Promise.all(
      Array.from({ length: 12 }, (_, seq) => putChunk(table, recordingId, seq, Int16Array.from([seq]), 2_000_000_000, 'now')),
    );
    expect(await getRecording(table, recordingId)).toMatchObject({ chunksReceived: 12, maxSeq: 11 });
  });

  it('commits analysis, state and findings together and refuses a stale version', async () => {
    const { recordingId } = await newRecording();
    const commit = (previousVersion: number, nextSeq: number) =>
      commitChunkAnalysis(table, {
        recordingId,
        seq: nextSeq - 1,
        analysis: { beats: [10, 300] },
        previousVersion,
        next: { nextSeq, version: previousVersion + 1, engine: { carried: [1, 2, 3] }, rules: { heartRate: { raised: false } } },
        findings: { analyzedSeconds: nextSeq * 10, beatCount: 2 * nextSeq, flags: [] },
        finished: false,
        at: 'now',
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
});
