// Receiving ECG from a patient's device: start a recording, store each chunk once and queue
// it for analysis, mark the recording complete or cancel it; close recordings nobody finished;
// and show a recording to its care team.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../domain/caller.ts';
import { type ClosedRecordingStatus, ECG_LIMITS, isClosedRecording, NO_FINDINGS, type Recording } from '../domain/ecg-recording.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import {
  closeRecording,
  createRecording,
  getRecording,
  listStaleUnfinishedRecordings,
  putChunk,
  setChunkCount,
} from '../data/ecg-store.ts';
import type { TableClient } from '../data/table-client.ts';
import type { EcgChunkQueue } from '../messaging/ecg-chunk-queue.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { readingOf, UPLOAD } from '../domain/patient-access.ts';
import { ECG_NEED } from '../domain/consent.ts';

export interface EcgIngestDependencies {
  table: TableClient;
  queue: EcgChunkQueue;
  /** How long raw samples are kept; analysis results stay. */
  retentionDays: number;
  now?: () => Date;
}

export type PublicRecording = Omit<Recording, 'orgId'>;

export function publicRecording(recording: Recording): PublicRecording {
  const { orgId: _orgId, ...rest } = recording;
  return rest;
}

export interface StartRecordingRequest {
  sampleRateHz: number;
  lead: Recording['lead'];
  deviceId?: string;
  startedAt?: string;
}

export async function startRecording(deps: EcgIngestDependencies, caller: Caller, patientId: string, request: StartRecordingRequest) {
  await requirePatientAccess(deps.table, caller, patientId, UPLOAD);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const recording: Recording = {
    recordingId: randomUUID(),
    patientId,
    orgId: caller.orgId,
    sampleRateHz: request.sampleRateHz,
    lead: request.lead,
    ...(request.deviceId ? { deviceId: request.deviceId } : {}),
    status: 'recording',
    createdAt: now,
    startedAt: request.startedAt ?? now,
    chunksReceived: 0,
    chunksAnalyzed: 0,
    findings: NO_FINDINGS,
  };
  await createRecording(deps.table, recording);
  return publicRecording(recording);
}

export type ChunkBody = { samples: number[] } | { samplesBase64: string };

/** The chunk's samples as int16 µV, whichever of the two encodings the device sent. */
export function decodeChunkSamples(body: ChunkBody): Int16Array {
  if ('samples' in body) return Int16Array.from(body.samples);
  const bytes = Buffer.from(body.samplesBase64, 'base64');
  if (bytes.length % 2 !== 0) {
    throw new ValidationError('samplesBase64 must hold whole little-endian int16 samples (an even number of bytes)', [
      { path: 'body.samplesBase64', message: `decodes to ${bytes.length} bytes, an odd number` },
    ]);
  }
  const samples = new Int16Array(bytes.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
  return samples;
}

async function recordingFor(deps: Pick<EcgIngestDependencies, 'table'>, caller: Caller, recordingId: string, action: 'upload' | 'read') {
  const recording = await getRecording(deps.table, recordingId);
  if (!recording || recording.orgId !== caller.orgId) throw new NotFoundError(`recording ${recordingId} not found`);
  try {
    await requirePatientAccess(deps.table, caller, recording.patientId, action === 'upload' ? UPLOAD : readingOf(ECG_NEED));
  } catch (error) {
    // Someone who may see the patient but not this recording (an admin, a caregiver without
    // the ecg scope) is not told it exists either.
    if (error instanceof ForbiddenError && action === 'read') throw new NotFoundError(`recording ${recordingId} not found`);
    throw error;
  }
  return recording;
}

const CLOSED_DETAIL: Record<ClosedRecordingStatus, string> = {
  cancelled: 'was cancelled',
  incomplete: 'was closed as incomplete after receiving nothing for too long',
};

function closedConflict(recordingId: string, status: ClosedRecordingStatus): ConflictError {
  return new ConflictError(`recording ${recordingId} ${CLOSED_DETAIL[status]}; start a new recording`);
}

function refuseIfClosed(recording: Pick<Recording, 'recordingId' | 'status'>): void {
  if (isClosedRecording(recording.status)) throw closedConflict(recording.recordingId, recording.status);
}

export async function uploadChunk(deps: EcgIngestDependencies, caller: Caller, recordingId: string, seq: number, body: ChunkBody) {
  const recording = await recordingFor(deps, caller, recordingId, 'upload');
  const samples = decodeChunkSamples(body);
  const field = 'samples' in body ? 'body.samples' : 'body.samplesBase64';
  if (samples.length === 0) throw new ValidationError('a chunk needs at least one sample', [{ path: field, message: 'empty' }]);
  const maxSamples = recording.sampleRateHz * ECG_LIMITS.maxChunkSeconds;
  if (samples.length > maxSamples) {
    throw new ValidationError(
      `a chunk holds at most ${ECG_LIMITS.maxChunkSeconds} s: ${maxSamples} samples at ${recording.sampleRateHz} Hz, not ${samples.length}`,
      [{ path: field, message: `at most ${maxSamples} samples` }],
    );
  }
  refuseIfClosed(recording);
  if (recording.chunkCount !== undefined && seq >= recording.chunkCount) {
    throw new ConflictError(
      `recording ${recordingId} was completed with ${recording.chunkCount} chunk${recording.chunkCount === 1 ? '' : 's'}; seq ${seq} is past its end`,
    );
  }
  const now = deps.now?.() ?? new Date();
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400;
  const outcome = await putChunk(deps.table, recordingId, seq, samples, expiresAt, now.toISOString());
  switch (outcome) {
    case 'conflict':
      throw new ConflictError(`chunk ${seq} of recording ${recordingId} was already received with different samples`);
    case 'past-end':
      throw new ConflictError(`recording ${recordingId} was completed before chunk ${seq} arrived; seq ${seq} is past its end`);
    case 'cancelled':
    case 'incomplete':
      throw closedConflict(recordingId, outcome);
    case 'missing':
      throw new NotFoundError(`recording ${recordingId} not found`);
  }
  // A repeat is queued again too: if the first enqueue failed after the chunk was stored, the
  // retry is what gets it analysed. Analysis skips chunks it has already done.
  await deps.queue.enqueue({ recordingId, seq });
  return { recordingId, seq, sampleCount: samples.length, status: 'queued' as const };
}

/**
 * Fixes the recording's length at the chunks received, once they are exactly 0…n-1, and wakes
 * the analysis so it can close the recording. Repeating it is harmless and re-sends the wake-up,
 * in case the first call failed after saving the count.
 */
export async function completeUpload(deps: EcgIngestDependencies, caller: Caller, recordingId: string) {
  let recording = await recordingFor(deps, caller, recordingId, 'upload');
  refuseIfClosed(recording);
  if (recording.chunkCount === undefined) {
    const received = recording.chunksReceived;
    if (received === 0) throw new ConflictError(`recording ${recordingId} has no chunks yet; upload chunk 0 before completing it`);
    // Each stored seq is counted once, so n chunks with n-1 as the highest seq are exactly 0…n-1.
    const highest = recording.maxSeq ?? -1;
    if (highest + 1 !== received) {
      throw new ConflictError(
        `recording ${recordingId} has ${received} chunks but the highest seq is ${highest}: ${highest + 1 - received} of seq 0…${highest} are missing; upload them and complete again, or cancel the recording to keep what arrived`,
      );
    }
    const completed = await setChunkCount(deps.table, recordingId, received);
    if (!completed) {
      const current = await getRecording(deps.table, recordingId);
      if (current) refuseIfClosed(current);
      if (current?.chunkCount === undefined)
        throw new ConflictError(`chunks of recording ${recordingId} arrived while it was being completed; complete it again`);
      recording = current;
    } else {
      recording = completed;
    }
  }
  if (recording.status !== 'analyzed') await deps.queue.enqueue({ recordingId, seq: recording.chunkCount ?? 0 });
  return publicRecording(recording);
}

/** Wakes the analysis of a recording that will take no more chunks, so it finishes with what arrived. */
async function wakeAnalysis(deps: Pick<EcgIngestDependencies, 'queue'>, recording: Pick<Recording, 'recordingId'>): Promise<void> {
  // seq says nothing here (the analysis knows where it stands); the wake-up id keeps the
  // message from being taken for a repeat of another.
  await deps.queue.enqueue({ recordingId: recording.recordingId, seq: 0, wakeUp: randomUUID() });
}

/**
 * The patient gives up a recording: no more chunks are taken, and the analysis finishes with
 * the chunks that arrived, up to the first one missing. Repeating it is harmless, and wakes the
 * analysis again while its findings are not final (in case the first wake-up was lost).
 */
export async function cancelRecording(deps: EcgIngestDependencies, caller: Caller, recordingId: string) {
  let recording = await recordingFor(deps, caller, recordingId, 'upload');
  if (recording.status !== 'cancelled') {
    const closed = await closeRecording(deps.table, recordingId, 'cancelled', (deps.now?.() ?? new Date()).toISOString());
    const current = closed ?? (await getRecording(deps.table, recordingId)) ?? recording;
    if (current.status !== 'cancelled') {
      refuseIfClosed(current);
      throw new ConflictError(
        `recording ${recordingId} was already completed with ${current.chunkCount ?? 0} chunks; it cannot be cancelled`,
      );
    }
    recording = current;
  }
  if (recording.analyzedAt === undefined) await wakeAnalysis(deps, recording);
  return publicRecording(recording);
}

export interface UnfinishedRecordingSweep {
  /** Open recordings that had heard nothing for the idle time, now incomplete. */
  closed: number;
  /** Completed or closed recordings whose findings were still not final: their analysis woken again. */
  rewoken: number;
  /** Recordings the sweep could not handle this time, and why (the next run tries again). */
  failures: Array<{ recordingId: string; reason: string }>;
}

/**
 * Closes every recording that has received nothing for `idleSeconds` as incomplete and wakes
 * its analysis; wakes again the analysis of recordings completed or closed that long ago whose
 * findings are still not final (a lost wake-up). A recording that takes a chunk meanwhile stays
 * open. One recording failing does not stop the others.
 */
export async function sweepUnfinishedRecordings(
  deps: Pick<EcgIngestDependencies, 'table' | 'queue' | 'now'>,
  idleSeconds: number,
): Promise<UnfinishedRecordingSweep> {
  const now = deps.now?.() ?? new Date();
  const before = new Date(now.getTime() - idleSeconds * 1000).toISOString();
  const sweep: UnfinishedRecordingSweep = { closed: 0, rewoken: 0, failures: [] };
  for (const stale of await listStaleUnfinishedRecordings(deps.table, before)) {
    try {
      if (stale.status === 'recording') {
        const closed = await closeRecording(deps.table, stale.recordingId, 'incomplete', now.toISOString(), before);
        if (!closed) continue;
        await wakeAnalysis(deps, closed);
        sweep.closed++;
      } else {
        await wakeAnalysis(deps, stale);
        sweep.rewoken++;
      }
    } catch (error) {
      sweep.failures.push({ recordingId: stale.recordingId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return sweep;
}

export async function showRecording(deps: Pick<EcgIngestDependencies, 'table'>, caller: Caller, recordingId: string) {
  return publicRecording(await recordingFor(deps, caller, recordingId, 'read'));
}
