// ECG recordings as a patient's device uploads them: a recording of numbered chunks, the
// analysis stored per chunk, and the findings kept for the recording.
import { z } from 'zod';
import type { RecordingRhythm } from '../ecg/ecg-stream.ts';
import { DeviceId } from './text.ts';
import { Id } from './identifiers.ts';
import { Timestamp } from './time.ts';

export const ECG_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'MLII'] as const;
export const EcgLead = z.enum(ECG_LEADS);

export const ECG_LIMITS = {
  minSampleRateHz: 125,
  maxSampleRateHz: 1000,
  /** A chunk is at most a minute of signal; 60 s at 1000 Hz. */
  maxChunkSeconds: 60,
  maxChunkSamples: 60_000,
  maxSeq: 99_999,
  /** Little-endian int16 µV: 60 000 samples encode to 160 000 base64 characters. */
  maxChunkBase64Length: 160_000,
} as const;

/**
 * recording → complete (its length fixed by /complete) → analyzed (final findings);
 * recording → cancelled (by the patient) or incomplete (nothing arrived for the idle time):
 * closed to further chunks, analysed as far as the chunks that arrived reach.
 */
export const RecordingStatus = z.enum(['recording', 'complete', 'analyzed', 'cancelled', 'incomplete']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

/** A recording closed before it completed: cancelled by the patient, or incomplete after the idle time. */
export type ClosedRecordingStatus = Extract<RecordingStatus, 'cancelled' | 'incomplete'>;

export function isClosedRecording(status: RecordingStatus): status is ClosedRecordingStatus {
  return status === 'cancelled' || status === 'incomplete';
}

export const RECORDING_RHYTHMS = ['sinus', 'af', 'other', 'noisy', 'unknown'] as const satisfies readonly RecordingRhythm[];

export const RecordingFindings = z.object({
  analyzedSeconds: z.number(),
  beatCount: z.number().int(),
  heartRate: z.object({ mean: z.number(), min: z.number(), max: z.number() }).optional(),
  hrv: z.object({ sdnnMs: z.number(), rmssdMs: z.number(), pnn50: z.number() }).optional(),
  rhythm: z.enum(RECORDING_RHYTHMS).optional(),
  stDeviationMv: z.number().optional(),
  unusableSeconds: z.number().optional(),
  flags: z.array(z.string()),
});
export type RecordingFindings = z.infer<typeof RecordingFindings>;

export const NO_FINDINGS: RecordingFindings = { analyzedSeconds: 0, beatCount: 0, flags: [] };

export const Recording = z.object({
  recordingId: Id,
  patientId: Id,
  orgId: Id,
  sampleRateHz: z.number().int().min(ECG_LIMITS.minSampleRateHz).max(ECG_LIMITS.maxSampleRateHz),
  lead: EcgLead,
  deviceId: DeviceId.optional(),
  status: RecordingStatus,
  createdAt: Timestamp,
  startedAt: Timestamp,
  chunksReceived: z.number().int().min(0),
  /** Highest sequence number received; with chunksReceived it tells whether any chunk is missing. */
  maxSeq: z.number().int().optional(),
  /** When the last chunk arrived: a recording that hears nothing for the idle time is closed as incomplete. */
  lastChunkAt: Timestamp.optional(),
  chunksAnalyzed: z.number().int().min(0),
  /** Set by /complete: the number of chunks the recording has, so analysis knows when it is done. */
  chunkCount: z.number().int().optional(),
  /** When the recording was cancelled or closed as incomplete. */
  closedAt: Timestamp.optional(),
  /** When the findings became final. */
  analyzedAt: Timestamp.optional(),
  findings: RecordingFindings,
});
export type Recording = z.infer<typeof Recording>;

/** A chunk as stored: the samples as little-endian int16 bytes, and a digest to tell a repeat from a conflict. */
export const EcgChunk = z.object({
  recordingId: Id,
  seq: z.number().int().min(0).max(ECG_LIMITS.maxSeq),
  sampleCount: z.number().int().min(1).max(ECG_LIMITS.maxChunkSamples),
  samples: z.instanceof(Uint8Array),
  digest: z.string(),
  receivedAt: Timestamp,
});
export type EcgChunk = z.infer<typeof EcgChunk>;

const QualityWindow = z.object({
  startSample: z.number().int(),
  endSample: z.number().int(),
  usable: z.boolean(),
  issues: z.array(z.enum(['flat_line', 'saturation', 'high_noise'])),
});

/** What the analysis of one chunk found, kept after the raw samples expire. */
export const ChunkAnalysisRecord = z.object({
  recordingId: Id,
  seq: z.number().int().min(0),
  /** The closing step of a recording: it analyses no chunk of its own, it flushes the last window. */
  final: z.boolean(),
  startSample: z.number().int(),
  sampleCount: z.number().int(),
  /** R-peak sample indices from the start of the recording. */
  beats: z.array(z.number().int()),
  rrIntervalsMs: z.array(z.number()),
  usable: z.boolean(),
  quality: z.array(QualityWindow),
  findings: z.array(z.looseObject({ kind: z.string(), startSample: z.number(), endSample: z.number() })),
  heartRate: z.object({ meanBpm: z.number(), minBpm: z.number(), maxBpm: z.number() }).optional(),
  hrv: z.object({ sdnnMs: z.number(), rmssdMs: z.number(), pnn50: z.number(), windowSeconds: z.number() }).optional(),
});
export type ChunkAnalysisRecord = z.infer<typeof ChunkAnalysisRecord>;
