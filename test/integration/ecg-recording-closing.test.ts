import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.ts';
import { getRecording } from '../../shared/data/ecg-store.ts';
import type { EcgChunkMessage } from '../../shared/messaging/ecg-chunk-message.ts';
import {
  cancelRecording,
  completeUpload,
  startRecording,
  sweepUnfinishedRecordings,
  uploadChunk,
} from '../../shared/services/ecg-ingest-service.ts';
import { storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();

function queue() {
  const sent: EcgChunkMessage[] = [];
  return { sent, queue: { enqueue: async (message: EcgChunkMessage) => void sent.push(message) } };
}

const patient = () => storedPatient(table);

describe('closing ECG recordings (DynamoDB Local)', () => {
  it('lets the patient cancel a recording that a stray chunk number locked, and wakes its analysis', async () => {
    const owner = await patient();
    const { queue: chunkQueue, sent } = queue();
    const deps = { table, queue: chunkQueue, retentionDays: 30 };
    const recording = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    await uploadChunk(deps, owner, recording.recordingId, 0, { samples: [1, 2, 3] });
    await uploadChunk(deps, owner, recording.recordingId, 99_999, { samples: [4, 5, 6] });
    await expect(completeUpload(deps, owner, recording.recordingId)).rejects.toThrow(/cancel the recording/);

    const cancelled = await cancelRecording(deps, owner, recording.recordingId);
    expect(cancelled).toMatchObject({ status: 'cancelled', closedAt: expect.any(String) });
    expect(sent.at(-1)).toMatchObject({ recordingId: recording.recordingId, wakeUp: expect.any(String) });
    await expect(uploadChunk(deps, owner, recording.recordingId, 1, { samples: [7] })).rejects.toThrow(/was cancelled/);
    await expect(completeUpload(deps, owner, recording.recordingId)).rejects.toBeInstanceOf(ConflictError);
    // Cancelling again is harmless.
    expect(await cancelRecording(deps, owner, recording.recordingId)).toMatchObject({ status: 'cancelled' });
  });

  it('refuses to cancel a completed recording, and hides another patient’s recording', async () => {
    const owner = await patient();
    const { queue: chunkQueue } = queue();
    const deps = { table, queue: chunkQueue, retentionDays: 30 };
    const recording = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    await uploadChunk(deps, owner, recording.recordingId, 0, { samples: [1, 2, 3] });
    await completeUpload(deps, owner, recording.recordingId);
    await expect(cancelRecording(deps, owner, recording.recordingId)).rejects.toThrow(/already completed/);
    await expect(cancelRecording(deps, await patient(), recording.recordingId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('closes recordings idle for the idle time as incomplete, and leaves the ones still receiving open', async () => {
    const owner = await patient();
    const { queue: chunkQueue, sent } = queue();
    const twoHoursAgo = () => new Date(Date.now() - 2 * 3600_000 - 60_000);
    const idle = await startRecording({ table, queue: chunkQueue, retentionDays: 30, now: twoHoursAgo }, owner, owner.userId, {
      sampleRateHz: 250,
      lead: 'II',
    });
    const active = await startRecording({ table, queue: chunkQueue, retentionDays: 30, now: twoHoursAgo }, owner, owner.userId, {
      sampleRateHz: 250,
      lead: 'II',
    });
    await uploadChunk({ table, queue: chunkQueue, retentionDays: 30 }, owner, active.recordingId, 0, { samples: [1] });

    const sweep = await sweepUnfinishedRecordings({ table, queue: chunkQueue }, 2 * 3600);
    expect(sweep.closed).toBeGreaterThanOrEqual(1);
    expect(await getRecording(table, idle.recordingId)).toMatchObject({ status: 'incomplete', closedAt: expect.any(String) });
    expect(await getRecording(table, active.recordingId)).toMatchObject({ status: 'recording' });
    expect(sent.some((message) => message.recordingId === idle.recordingId && message.wakeUp !== undefined)).toBe(true);
  });

  it('wakes again the analysis of a recording closed long ago whose findings are still not final (a lost wake-up)', async () => {
    const owner = await patient();
    const { queue: chunkQueue, sent } = queue();
    const threeHoursAgo = () => new Date(Date.now() - 3 * 3600_000);
    const deps = { table, queue: chunkQueue, retentionDays: 30, now: threeHoursAgo };
    const recording = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    await cancelRecording(deps, owner, recording.recordingId);
    sent.length = 0;

    const sweep = await sweepUnfinishedRecordings({ table, queue: chunkQueue }, 2 * 3600);
    expect(sweep.rewoken).toBeGreaterThanOrEqual(1);
    expect(sent.filter((message) => message.recordingId === recording.recordingId)).toEqual([
      { recordingId: recording.recordingId, seq: 0, wakeUp: expect.any(String) },
    ]);
  });

  it('goes on past a recording it cannot wake, and names it with the reason', async () => {
    const owner = await patient();
    const threeHoursAgo = () => new Date(Date.now() - 3 * 3600_000);
    const { queue: chunkQueue } = queue();
    const deps = { table, queue: chunkQueue, retentionDays: 30, now: threeHoursAgo };
    const unlucky = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    const fine = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    const woken: string[] = [];
    const flakyQueue = {
      enqueue: async (message: EcgChunkMessage) => {
        if (message.recordingId === unlucky.recordingId) throw new Error('queue unavailable');
        woken.push(message.recordingId);
      },
    };

    const sweep = await sweepUnfinishedRecordings({ table, queue: flakyQueue }, 2 * 3600);
    expect(sweep.failures).toContainEqual({ recordingId: unlucky.recordingId, reason: 'queue unavailable' });
    expect(woken).toContain(fine.recordingId);
    // Closed before the wake-up failed, and still unfinished: the next sweep wakes it again.
    expect(await getRecording(table, unlucky.recordingId)).toMatchObject({ status: 'incomplete' });
    const next = await sweepUnfinishedRecordings({ table, queue: chunkQueue }, 0);
    expect(next.failures).toEqual([]);
  });

  it('wakes the analysis again when a cancelled recording is cancelled again before its findings are final', async () => {
    const owner = await patient();
    const { queue: chunkQueue, sent } = queue();
    const deps = { table, queue: chunkQueue, retentionDays: 30 };
    const recording = await startRecording(deps, owner, owner.userId, { sampleRateHz: 250, lead: 'II' });
    await cancelRecording(deps, owner, recording.recordingId);
    await cancelRecording(deps, owner, recording.recordingId);
    expect(sent.filter((message) => message.recordingId === recording.recordingId && message.wakeUp !== undefined)).toHaveLength(2);
  });
});
