// ECG recordings, their raw chunks, per-chunk analysis and the analysis state carried from
// one chunk to the next.
//
// Key layout (one partition per recording keeps a recording's items together)
//   recording       pk RECORDING#<recordingId>  sk RECORDING
//                   gsi1pk PATIENT#<patientId>#RECORDINGS  gsi1sk <createdAt>#<recordingId>  (a patient's recordings)
//   raw chunk       pk RECORDING#<recordingId>  sk CHUNK#<seq, 6 digits>      (TTL: raw signal retention)
//   chunk analysis  pk RECORDING#<recordingId>  sk ANALYSIS#<seq, 6 digits>   (kept)
//   analysis state  pk RECORDING#<recordingId>  sk STATE                      (optimistic version)
// Raw samples are stored as little-endian int16 bytes: 60 s at 1000 Hz is 120 kB, well
// inside DynamoDB's 400 kB item limit, and one item per chunk instead of per sample.
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryAll, transactWriteIfConditionsHold, type TableClient } from './table-client.ts';

export type RecordingStatus = 'recording' | 'complete' | 'analyzed';

export interface RecordingFindings {
  analyzedSeconds: number;
  beatCount: number;
  heartRate?: { mean: number; min: number; max: number };
  hrv?: { sdnnMs: number; rmssdMs: number; pnn50: number };
  rhythm?: string;
  stDeviationMv?: number;
  unusableSeconds?: number;
  flags: string[];
}

export interface Recording {
  recordingId: string;
  patientId: string;
  orgId: string;
  sampleRateHz: number;
  lead: string;
  deviceId?: string;
  status: RecordingStatus;
  createdAt: string;
  startedAt: string;
  chunksReceived: number;
  /** Highest sequence number received; with chunksReceived it tells whether any chunk is missing. */
  maxSeq?: number;
  chunksAnalyzed: number;
  /** Set by /complete: the number of chunks the recording has, so analysis knows when it is done. */
  chunkCount?: number;
  findings: RecordingFindings;
}

export interface StoredChunk {
  recordingId: string;
  seq: number;
  samples: Int16Array;
  digest: string;
}

export interface AnalysisState<Engine, Rules> {
  nextSeq: number;
  version: number;
  engine: Engine;
  rules: Rules;
}

const seqKey = (seq: number) => String(seq).padStart(6, '0');

export const ecgKeys = {
  recording: (recordingId: string) => ({ pk: `RECORDING#${recordingId}`, sk: 'RECORDING' }),
  ofPatient: (patientId: string) => `PATIENT#${patientId}#RECORDINGS`,
  chunk: (recordingId: string, seq: number) => ({ pk: `RECORDING#${recordingId}`, sk: `CHUNK#${seqKey(seq)}` }),
  analysis: (recordingId: string, seq: number) => ({ pk: `RECORDING#${recordingId}`, sk: `ANALYSIS#${seqKey(seq)}` }),
  state: (recordingId: string) => ({ pk: `RECORDING#${recordingId}`, sk: 'STATE' }),
};

const RECORDING_FIELDS = [
  'recordingId',
  'patientId',
  'orgId',
  'sampleRateHz',
  'lead',
  'deviceId',
  'status',
  'createdAt',
  'startedAt',
  'chunksReceived',
  'maxSeq',
  'chunksAnalyzed',
  'chunkCount',
  'findings',
] as const;

function stripRecording(item: Record<string, unknown>): Recording {
  const recording: Record<string, unknown> = {};
  for (const field of RECORDING_FIELDS) if (item[field] !== undefined) recording[field] = item[field];
  return recording as unknown as Recording;
}

export async function createRecording(table: TableClient, recording: Recording): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...ecgKeys.recording(recording.recordingId),
        gsi1pk: ecgKeys.ofPatient(recording.patientId),
        gsi1sk: `${recording.createdAt}#${recording.recordingId}`,
        type: 'recording',
        ...recording,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Strongly consistent: completion and analysis decide from chunkCount and chunksReceived
 * just written by another request, and a stale read would end a recording early.
 */
export async function getRecording(table: TableClient, recordingId: string): Promise<Recording | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.recording(recordingId), ConsistentRead: true }),
  );
  return Item ? stripRecording(Item) : undefined;
}

export function samplesToBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

export function bytesToSamples(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

export function digestSamples(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

export type ChunkPutOutcome = 'stored' | 'repeat' | 'conflict' | 'past-end';

/**
 * Stores a chunk once. A repeat with the same samples is reported as such (harmless); the
 * same seq with different samples is a conflict, since the first may already be analysed;
 * a seq at or past the count fixed by /complete is refused in the same transaction, so a
 * chunk racing the completion cannot be accepted and then never analysed.
 */
export async function putChunk(
  table: TableClient,
  recordingId: string,
  seq: number,
  samples: Int16Array,
  expiresAtSeconds: number,
  receivedAt: string,
): Promise<ChunkPutOutcome> {
  const bytes = samplesToBytes(samples);
  const digest = digestSamples(bytes);
  const stored = await transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: {
          ...ecgKeys.chunk(recordingId, seq),
          type: 'ecgChunk',
          recordingId,
          seq,
          sampleCount: samples.length,
          samples: bytes,
          digest,
          receivedAt,
          expiresAt: expiresAtSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: table.tableName,
        Key: ecgKeys.recording(recordingId),
        UpdateExpression: 'ADD chunksReceived :one',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(chunkCount) OR chunkCount > :seq)',
        ExpressionAttributeValues: { ':one': 1, ':seq': seq },
      },
    },
  ]);
  if (stored) {
    await raiseMaxSeq(table, recordingId, seq);
    return 'stored';
  }
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: ecgKeys.chunk(recordingId, seq),
      ProjectionExpression: 'digest',
      ConsistentRead: true,
    }),
  );
  if (!Item) return 'past-end';
  if (Item['digest'] !== digest) return 'conflict';
  // A repeat also repairs maxSeq, in case the first upload stopped between the two writes.
  await raiseMaxSeq(table, recordingId, seq);
  return 'repeat';
}

/** maxSeq only grows; a lower seq fails the condition, which is the point. */
async function raiseMaxSeq(table: TableClient, recordingId: string, seq: number): Promise<void> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: ecgKeys.recording(recordingId),
        UpdateExpression: 'SET maxSeq = :seq',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(maxSeq) OR maxSeq < :seq)',
        ExpressionAttributeValues: { ':seq': seq },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function getChunk(table: TableClient, recordingId: string, seq: number): Promise<StoredChunk | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.chunk(recordingId, seq), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { recordingId, seq, samples: bytesToSamples(Item['samples'] as Uint8Array), digest: String(Item['digest']) };
}

/**
 * Records how many chunks the recording has: only once, so a repeated /complete cannot move
 * the end, and only while exactly that many chunks have been received, so none can slip in
 * between the caller's check and this write.
 */
export async function setChunkCount(table: TableClient, recordingId: string, chunkCount: number): Promise<Recording | undefined> {
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: ecgKeys.recording(recordingId),
        UpdateExpression: 'SET chunkCount = :count, #status = :complete',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(chunkCount) AND chunksReceived = :count',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':count': chunkCount, ':complete': 'complete' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripRecording(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export async function getAnalysisState<Engine, Rules>(
  table: TableClient,
  recordingId: string,
): Promise<AnalysisState<Engine, Rules> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.state(recordingId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    nextSeq: Number(Item['nextSeq']),
    version: Number(Item['version']),
    // Stored as JSON text: cheaper to write than a deep DynamoDB map, and free of its nesting limit.
    engine: JSON.parse(String(Item['engine'])) as Engine,
    rules: JSON.parse(String(Item['rules'])) as Rules,
  };
}

/** The stored per-chunk analyses of a recording, in sequence order (the final flush last). */
export async function listChunkAnalyses(
  table: TableClient,
  recordingId: string,
): Promise<Array<Record<string, unknown> & { seq: number }>> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': ecgKeys.recording(recordingId).pk, ':prefix': 'ANALYSIS#' },
  });
  return items as Array<Record<string, unknown> & { seq: number }>;
}

export class ConcurrentAnalysisError extends Error {
  override name = 'ConcurrentAnalysisError';
}

/**
 * Saves one analysed chunk: its results, the state for the next chunk and the recording's
 * running findings, all or nothing. The state's version guards against two analyses of the
 * same recording racing (a redelivered message, a retry).
 */
export async function commitChunkAnalysis<Engine, Rules>(
  table: TableClient,
  input: {
    recordingId: string;
    seq: number;
    analysis: Record<string, unknown>;
    previousVersion: number;
    next: AnalysisState<Engine, Rules>;
    findings: RecordingFindings;
    finished: boolean;
    at: string;
  },
): Promise<void> {
  const { recordingId, seq } = input;
  const committed = await transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: { ...ecgKeys.analysis(recordingId, seq), type: 'ecgChunkAnalysis', recordingId, seq, ...input.analysis },
      },
    },
    {
      Put: {
        TableName: table.tableName,
        Item: {
          ...ecgKeys.state(recordingId),
          type: 'ecgAnalysisState',
          nextSeq: input.next.nextSeq,
          version: input.next.version,
          engine: JSON.stringify(input.next.engine),
          rules: JSON.stringify(input.next.rules),
        },
        ConditionExpression: input.previousVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
        ...(input.previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':previous': input.previousVersion } }),
      },
    },
    {
      Update: {
        TableName: table.tableName,
        Key: ecgKeys.recording(recordingId),
        UpdateExpression: input.finished
          ? 'SET chunksAnalyzed = :analyzed, findings = :findings, #status = :analyzedStatus, analyzedAt = :at'
          : 'SET chunksAnalyzed = :analyzed, findings = :findings',
        ExpressionAttributeValues: {
          ':analyzed': input.next.nextSeq,
          ':findings': input.findings,
          ...(input.finished ? { ':analyzedStatus': 'analyzed', ':at': input.at } : {}),
        },
        ...(input.finished ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      },
    },
  ]);
  if (!committed) throw new ConcurrentAnalysisError(`analysis state of recording ${recordingId} moved on; retrying`);
}
