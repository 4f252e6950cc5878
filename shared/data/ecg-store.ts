// ECG recordings, their raw chunks, per-chunk analysis and the analysis state carried from
// one chunk to the next.
//
// Key layout (one partition per recording keeps a recording's items together)
//   recording       pk RECORDING#<recordingId>  sk RECORDING
//                   gsi1pk PATIENT#<patientId>#RECORDINGS  gsi1sk <createdAt>#<recordingId>  (a patient's recordings)
//                   gsi2pk UNFINISHED_RECORDINGS#<shard>  gsi2sk <last change>#<recordingId>  (recordings whose findings
//                   are not final yet, by the time of their last chunk, completion or close: a sparse index)
//   raw chunk       pk RECORDING#<recordingId>  sk CHUNK#<seq, 6 digits>      (TTL: raw signal retention)
//   chunk analysis  pk RECORDING#<recordingId>  sk ANALYSIS#<seq, 6 digits>   (kept)
//   analysis state  pk RECORDING#<recordingId>  sk STATE                      (optimistic version)
// Raw samples are stored as little-endian int16 bytes: 60 s at 1000 Hz is 120 kB, well
// inside DynamoDB's 400 kB item limit, and one item per chunk instead of per sample.
// The unfinished-recordings index is spread over 16 partitions by the recording id's first
// hex digit, so chunk uploads from many patients never queue on one index partition. It lets
// the scheduled closer find recordings that went quiet, and recordings whose closing wake-up
// was lost, without a scan.
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  type ChunkAnalysisRecord,
  ChunkAnalysisRecord as ChunkAnalysisRecordSchema,
  type ClosedRecordingStatus,
  EcgChunk,
  isClosedRecording,
  Recording,
  type RecordingFindings,
} from '../domain/ecg-recording.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { queryAll, type TableClient, transactWriteIfConditionsHold, updateIfConditionHolds } from './table-client.ts';
import { parseItem } from './table-item.ts';
import { sortKeyCondition, type TimeOrderedRange } from './time-ordered-range.ts';

export interface AnalysisState<Engine, Rules> {
  nextSeq: number;
  version: number;
  engine: Engine;
  rules: Rules;
}

const seqKey = (seq: number) => String(seq).padStart(6, '0');

export const UNFINISHED_RECORDING_SHARDS = '0123456789abcdef'.split('');

export const ecgKeys = {
  recording: (recordingId: string) => ({ pk: `RECORDING#${recordingId}`, sk: 'RECORDING' }),
  ofPatient: (patientId: string) => `PATIENT#${patientId}#RECORDINGS`,
  unfinishedShard: (shard: string) => `UNFINISHED_RECORDINGS#${shard}`,
  shardOf: (recordingId: string) => ecgKeys.unfinishedShard(recordingId.charAt(0).toLowerCase()),
  /** Orders unfinished recordings by their last change, oldest first. */
  idleOrder: (lastChangeAt: string, recordingId: string) => `${lastChangeAt}#${recordingId}`,
  chunk: (recordingId: string, seq: number) => ({ pk: `RECORDING#${recordingId}`, sk: `CHUNK#${seqKey(seq)}` }),
  analysis: (recordingId: string, seq: number) => ({ pk: `RECORDING#${recordingId}`, sk: `ANALYSIS#${seqKey(seq)}` }),
  analysisPrefix: 'ANALYSIS#',
  state: (recordingId: string) => ({ pk: `RECORDING#${recordingId}`, sk: 'STATE' }),
};

const parseRecording = (item: Record<string, unknown>): Recording => parseItem('recording', Recording, item);

export async function createRecording(table: TableClient, recording: Recording): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...ecgKeys.recording(recording.recordingId),
        gsi1pk: ecgKeys.ofPatient(recording.patientId),
        gsi1sk: recordingOrder(recording),
        gsi2pk: ecgKeys.shardOf(recording.recordingId),
        gsi2sk: ecgKeys.idleOrder(recording.createdAt, recording.recordingId),
        type: 'recording',
        ...recording,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export const recordingOrder = (recording: Pick<Recording, 'createdAt' | 'recordingId'>) =>
  `${recording.createdAt}#${recording.recordingId}`;

/** One page of a patient's recordings, newest first, within the range; `lastRead` when the index may hold more. */
export async function queryPatientRecordings(
  table: TableClient,
  patientId: string,
  query: TimeOrderedRange & { limit: number },
): Promise<{ recordings: Recording[]; lastRead?: string }> {
  const range = sortKeyCondition(query);
  if (range.empty) return { recordings: [] };
  const { Items = [], LastEvaluatedKey } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: TABLE_INDEXES.gsi1.indexName,
      KeyConditionExpression: `#pk = :pk${range.condition}`,
      ExpressionAttributeNames: {
        '#pk': TABLE_INDEXES.gsi1.partitionKey,
        ...(range.condition ? { '#sk': TABLE_INDEXES.gsi1.sortKey } : {}),
      },
      ExpressionAttributeValues: { ':pk': ecgKeys.ofPatient(patientId), ...range.values },
      ScanIndexForward: false,
      Limit: query.limit,
    }),
  );
  const lastRead = LastEvaluatedKey?.[TABLE_INDEXES.gsi1.sortKey];
  return { recordings: Items.map(parseRecording), ...(typeof lastRead === 'string' ? { lastRead } : {}) };
}

/**
 * Strongly consistent: completion and analysis decide from chunkCount and chunksReceived
 * just written by another request, and a stale read would end a recording early.
 */
export async function getRecording(table: TableClient, recordingId: string): Promise<Recording | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.recording(recordingId), ConsistentRead: true }),
  );
  return Item ? parseRecording(Item) : undefined;
}

export function samplesToBytes(samples: Int16Array): Uint8Array<ArrayBuffer> {
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

/**
 * stored: new; repeat: the same samples again (harmless); conflict: other samples under the
 * same seq; past-end: at or past the count fixed by /complete; cancelled or incomplete: the
 * recording was closed before it completed; missing: there is no such recording.
 */
export type ChunkPutOutcome = 'stored' | 'repeat' | 'conflict' | 'past-end' | ClosedRecordingStatus | 'missing';

/**
 * Stores a chunk once, while the recording still takes chunks. The recording's state is
 * checked in the same transaction, so a chunk racing /complete or /cancel cannot be accepted
 * and then never analysed.
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
  const chunk: EcgChunk = { recordingId, seq, sampleCount: samples.length, samples: bytes, digest: digestSamples(bytes), receivedAt };
  const stored = await transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: { ...ecgKeys.chunk(recordingId, seq), type: 'ecgChunk', ...chunk, expiresAt: expiresAtSeconds },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: table.tableName,
        Key: ecgKeys.recording(recordingId),
        UpdateExpression: 'ADD chunksReceived :one SET lastChunkAt = :at, gsi2sk = :idle',
        ConditionExpression: 'attribute_exists(pk) AND #status = :recording',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':at': receivedAt,
          ':idle': ecgKeys.idleOrder(receivedAt, recordingId),
          ':recording': 'recording',
        },
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
  if (Item) {
    if (parseItem('ECG chunk', EcgChunk.pick({ digest: true }), Item).digest !== chunk.digest) return 'conflict';
    // A repeat also repairs maxSeq, in case the first upload stopped between the two writes.
    await raiseMaxSeq(table, recordingId, seq);
    return 'repeat';
  }
  const recording = await getRecording(table, recordingId);
  if (!recording) return 'missing';
  return isClosedRecording(recording.status) ? recording.status : 'past-end';
}

/** maxSeq only grows; a lower seq fails the condition, which is the point. */
async function raiseMaxSeq(table: TableClient, recordingId: string, seq: number): Promise<void> {
  await updateIfConditionHolds(
    table,
    {
      Key: ecgKeys.recording(recordingId),
      UpdateExpression: 'SET maxSeq = :seq',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(maxSeq) OR maxSeq < :seq)',
      ExpressionAttributeValues: { ':seq': seq },
    },
    'NONE',
  );
}

/** A stored chunk with its samples decoded; undefined once it is gone (never sent, or expired). */
export async function getChunk(
  table: TableClient,
  recordingId: string,
  seq: number,
): Promise<(EcgChunk & { microvolts: Int16Array }) | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.chunk(recordingId, seq), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const chunk = parseItem('ECG chunk', EcgChunk, Item);
  return { ...chunk, microvolts: bytesToSamples(chunk.samples) };
}

/**
 * Records how many chunks the recording has: only once, only while it still takes chunks (so
 * a repeated /complete cannot move the end), and only while exactly that many chunks have
 * been received, so none can slip in between the caller's check and this write.
 */
export async function setChunkCount(
  table: TableClient,
  recordingId: string,
  chunkCount: number,
  at = new Date().toISOString(),
): Promise<Recording | undefined> {
  const updated = await updateIfConditionHolds(table, {
    Key: ecgKeys.recording(recordingId),
    UpdateExpression: 'SET chunkCount = :count, #status = :complete, gsi2sk = :changed',
    ConditionExpression: 'attribute_exists(pk) AND #status = :recording AND chunksReceived = :count',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':count': chunkCount,
      ':complete': 'complete',
      ':recording': 'recording',
      ':changed': ecgKeys.idleOrder(at, recordingId),
    },
  });
  return updated && parseRecording(updated);
}

/**
 * Closes a recording that still takes chunks, as cancelled (by the patient) or incomplete
 * (idle too long: then only if it has still heard nothing since `idleBefore`, so a chunk that
 * arrives during the sweep keeps it open). Undefined when it was not closed.
 */
export async function closeRecording(
  table: TableClient,
  recordingId: string,
  status: ClosedRecordingStatus,
  at: string,
  idleBefore?: string,
): Promise<Recording | undefined> {
  const idle = '(lastChunkAt < :idleBefore OR (attribute_not_exists(lastChunkAt) AND createdAt < :idleBefore))';
  const updated = await updateIfConditionHolds(table, {
    Key: ecgKeys.recording(recordingId),
    UpdateExpression: 'SET #status = :closed, closedAt = :at, gsi2sk = :changed',
    ConditionExpression: `attribute_exists(pk) AND #status = :recording${idleBefore === undefined ? '' : ` AND ${idle}`}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':closed': status,
      ':at': at,
      ':changed': ecgKeys.idleOrder(at, recordingId),
      ':recording': 'recording',
      ...(idleBefore === undefined ? {} : { ':idleBefore': idleBefore }),
    },
  });
  return updated && parseRecording(updated);
}

const UnfinishedRecording = Recording.pick({ recordingId: true, status: true });

/**
 * Recordings whose findings are not final and which have not changed since `before` (ISO
 * time): open ones that went quiet, and closed or completed ones whose analysis never finished.
 */
export async function listStaleUnfinishedRecordings(
  table: TableClient,
  before: string,
  limitPerShard = 100,
): Promise<Array<Pick<Recording, 'recordingId' | 'status'>>> {
  const index = TABLE_INDEXES.gsi2;
  const pages = await Promise.all(
    UNFINISHED_RECORDING_SHARDS.map(async (shard) => {
      const { Items = [] } = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :shard AND #sk < :before',
          ExpressionAttributeValues: { ':shard': ecgKeys.unfinishedShard(shard), ':before': before },
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#status': 'status' },
          ProjectionExpression: 'recordingId, #status',
          Limit: limitPerShard,
        }),
      );
      return Items.map((item) => parseItem('recording', UnfinishedRecording, item));
    }),
  );
  return pages.flat();
}

// The engine and rule state are stored as JSON text: cheaper to write than a deep DynamoDB
// map, and free of its nesting limit. Their shape belongs to the ECG engine.
const StoredAnalysisState = z.object({
  nextSeq: z.number().int().min(0),
  version: z.number().int().min(0),
  engine: z.string(),
  rules: z.string(),
});

export async function getAnalysisState<Engine, Rules>(
  table: TableClient,
  recordingId: string,
): Promise<AnalysisState<Engine, Rules> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: ecgKeys.state(recordingId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const stored = parseItem('ECG analysis state', StoredAnalysisState, Item);
  return { nextSeq: stored.nextSeq, version: stored.version, engine: JSON.parse(stored.engine), rules: JSON.parse(stored.rules) };
}

/** The stored per-chunk analyses of a recording, in sequence order (the final flush last). */
export async function listChunkAnalyses(table: TableClient, recordingId: string): Promise<ChunkAnalysisRecord[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': ecgKeys.recording(recordingId).pk, ':prefix': ecgKeys.analysisPrefix },
  });
  return items.map((item) => parseItem('ECG chunk analysis', ChunkAnalysisRecordSchema, item));
}

export class ConcurrentAnalysisError extends Error {
  override name = 'ConcurrentAnalysisError';
}

/**
 * Saves one analysed chunk: its results, the state for the next chunk and the recording's
 * running findings, all or nothing. The state's version guards against two analyses of the
 * same recording racing (a redelivered message, a retry). `finished` marks the findings
 * final; a completed recording then becomes `analyzed`, a closed one keeps its status.
 */
export async function commitChunkAnalysis<Engine, Rules>(
  table: TableClient,
  input: {
    analysis: ChunkAnalysisRecord;
    previousVersion: number;
    next: AnalysisState<Engine, Rules>;
    findings: RecordingFindings;
    finished: false | { status: 'analyzed' | ClosedRecordingStatus };
    at: string;
  },
): Promise<void> {
  const { recordingId, seq } = input.analysis;
  const finished = input.finished;
  const committed = await transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: { ...ecgKeys.analysis(recordingId, seq), type: 'ecgChunkAnalysis', ...input.analysis },
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
        // Final findings take the recording out of the unfinished-recordings index.
        UpdateExpression: finished
          ? 'SET chunksAnalyzed = :analyzed, findings = :findings, #status = :finalStatus, analyzedAt = :at REMOVE gsi2pk, gsi2sk'
          : 'SET chunksAnalyzed = :analyzed, findings = :findings',
        ExpressionAttributeValues: {
          ':analyzed': input.next.nextSeq,
          ':findings': input.findings,
          ...(finished ? { ':finalStatus': finished.status, ':at': input.at } : {}),
        },
        ...(finished ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      },
    },
  ]);
  if (!committed) throw new ConcurrentAnalysisError(`analysis state of recording ${recordingId} moved on; retrying`);
}
