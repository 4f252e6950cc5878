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

  it('sets the chunk count only once', async () => {
    const { recordingId } = await newRecording();
    expect((await setChunkCount(table, recordingId, 4))?.chunkCount).toBe(4);
    expect(await setChunkCount(table, recordingId, 9)).toBeUndefined();
    expect((await getRecording(table, recordingId))).toMatchObject({ chunkCount: 4, status: 'complete' });
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
