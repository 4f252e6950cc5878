// Receiving ECG from a patient's device: start a recording, store each chunk once and queue
// it for analysis, mark the recording complete; and showing a recording to its care team.
import { randomUUID } from 'node:crypto';
import { ECG_LIMITS } from '../api/schemas.ts';
import type { Caller } from '../domain/caller.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { createRecording, getRecording, putChunk, setChunkCount, type Recording } from '../data/ecg-store.ts';
import type { TableClient } from '../data/table-client.ts';
import type { EcgChunkQueue } from '../messaging/ecg-chunk-queue.ts';
import { requirePatientAccess } from './patient-access-check.ts';

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
  lead: string;
  deviceId?: string;
  startedAt?: string;
}

export async function startRecording(deps: EcgIngestDependencies, caller: Caller, patientId: string, request: StartRecordingRequest) {
  await requirePatientAccess(deps.table, caller, patientId, 'upload');
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
    findings: { analyzedSeconds: 0, beatCount: 0, flags: [] },
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
  await requirePatientAccess(deps.table, caller, recording.patientId, action);
  return recording;
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
  if (recording.chunkCount !== undefined && seq >= recording.chunkCount) {
    throw new ConflictError(
      `recording ${recordingId} was completed with ${recording.chunkCount} chunk${recording.chunkCount === 1 ? '' : 's'}; seq ${seq} is past its end`,
    );
  }
  const now = deps.now?.() ?? new Date();
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400;
  const outcome = await putChunk(deps.table, recordingId, seq, samples, expiresAt, now.toISOString());
  if (outcome === 'conflict') {
    throw new ConflictError(`chunk ${seq} of recording ${recordingId} was already received with different samples`);
  }
  if (outcome === 'past-end') {
    throw new ConflictError(`recording ${recordingId} was completed before chunk ${seq} arrived; seq ${seq} is past its end`);
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
  if (recording.chunkCount === undefined) {
    const received = recording.chunksReceived;
    if (received === 0) throw new ConflictError(`recording ${recordingId} has no chunks yet; upload chunk 0 before completing it`);
    // Each stored seq is counted once, so n chunks with n-1 as the highest seq are exactly 0…n-1.
    const highest = recording.maxSeq ?? -1;
    if (highest + 1 !== received) {
      throw new ConflictError(
        `recording ${recordingId} has ${received} chunks but the highest seq is ${highest}: ${highest + 1 - received} of seq 0…${highest} are missing; upload them, then complete again`,
      );
    }
    const completed = await setChunkCount(deps.table, recordingId, received);
    if (!completed) {
      const current = await getRecording(deps.table, recordingId);
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

export async function showRecording(deps: Pick<EcgIngestDependencies, 'table'>, caller: Caller, recordingId: string) {
  return publicRecording(await recordingFor(deps, caller, recordingId, 'read'));
}
