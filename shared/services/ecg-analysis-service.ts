// Analysing a recording as its chunks arrive. Each queue message only says "recording R
// has news": the analysis continues from the state saved after the last chunk it did, takes
// every stored chunk that follows in order, and stops at a gap until the missing chunk
// arrives. Out-of-order and repeated messages therefore give the same beats as in-order
// delivery, and a chunk is never analysed twice.
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  analyzeChunk,
  createEcgStream,
  finishEcgStream,
  summarizeRecording,
  type ChunkAnalysis,
  type EcgStreamState,
  type RecordingSummary,
} from '../ecg/ecg-stream.ts';
import { evaluateEcgChunk, INITIAL_ECG_ALERT_RULE_STATE, type EcgAlertRuleState } from '../domain/ecg-alert-rules.ts';
import type { Threshold } from '../domain/thresholds.ts';
import { type ChunkAnalysisRecord, isClosedRecording, type Recording, type RecordingFindings } from '../domain/ecg-recording.ts';
import { commitChunkAnalysis, getAnalysisState, getChunk, getRecording, type AnalysisState } from '../data/ecg-store.ts';
import { getUser } from '../data/user-store.ts';
import { type AlertRaisingDependencies, raiseAlert } from './alert-service.ts';
import { pushToWatchers } from './care-team-push.ts';
import { ECG_NEED } from '../domain/consent.ts';
import { resolvePatientThreshold } from './threshold-service.ts';

export interface EcgAnalysisDependencies extends AlertRaisingDependencies {
  logger?: Logger;
}

type State = AnalysisState<EcgStreamState, EcgAlertRuleState>;

export interface AnalysisProgress {
  analyzedChunks: number;
  finished: boolean;
  /** True when time ran out with chunks still ready: the caller must make sure analysis resumes. */
  backlog: boolean;
  /** The next chunk the analysis waits for. */
  nextSeq: number;
}

/** Time kept in hand to analyse and commit one more chunk before the Lambda times out. */
export const ANALYSIS_TIME_RESERVE_MS = 5_000;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function findingsOf(summary: RecordingSummary): RecordingFindings {
  return {
    analyzedSeconds: round(summary.analyzedSeconds, 3),
    beatCount: summary.beatCount,
    ...(summary.heartRate
      ? {
          heartRate: { mean: round(summary.heartRate.meanBpm), min: round(summary.heartRate.minBpm), max: round(summary.heartRate.maxBpm) },
        }
      : {}),
    ...(summary.hrv
      ? { hrv: { sdnnMs: round(summary.hrv.sdnnMs), rmssdMs: round(summary.hrv.rmssdMs), pnn50: round(summary.hrv.pnn50, 3) } }
      : {}),
    rhythm: summary.rhythm,
    ...(summary.stDeviationMv === undefined ? {} : { stDeviationMv: round(summary.stDeviationMv, 3) }),
    unusableSeconds: round(summary.unusableSeconds, 3),
    flags: summary.flags,
  };
}

function storedAnalysis(recordingId: string, seq: number, result: ChunkAnalysis, final: boolean): ChunkAnalysisRecord {
  return {
    recordingId,
    seq,
    final,
    startSample: result.startSample,
    sampleCount: result.sampleCount,
    beats: result.beats,
    rrIntervalsMs: result.rrIntervalsMs,
    usable: result.usable,
    quality: result.quality,
    findings: result.findings,
    ...(result.heartRate ? { heartRate: result.heartRate } : {}),
    ...(result.hrv ? { hrv: result.hrv } : {}),
  };
}

async function raiseChunkAlerts(
  deps: EcgAnalysisDependencies,
  recording: Recording,
  result: ChunkAnalysis,
  threshold: Threshold | undefined,
  rules: EcgAlertRuleState,
): Promise<EcgAlertRuleState> {
  const evaluated = evaluateEcgChunk(result, threshold, rules, {
    recordingStartMs: Date.parse(recording.startedAt),
    sampleRateHz: recording.sampleRateHz,
  });
  for (const candidate of evaluated.alerts) {
    await raiseAlert(deps, {
      patientId: recording.patientId,
      orgId: recording.orgId,
      cause: candidate.cause,
      priority: candidate.priority,
      message: candidate.message,
      firstSeenAt: candidate.seenAt,
      recordingId: recording.recordingId,
      ...(candidate.metric ? { metric: candidate.metric, escalateAfterSeconds: threshold?.escalateAfterSeconds } : {}),
      ...(candidate.value === undefined ? {} : { firstValue: candidate.value }),
      ...(candidate.limit === undefined ? {} : { limit: candidate.limit }),
    });
  }
  return evaluated.state;
}

/**
 * Analyses every chunk of the recording that is ready. Returns how many chunks were done.
 * Alerts are raised before the state is committed: if the commit fails the retry repeats the
 * alert (counted on the open one) rather than losing it.
 */
export async function advanceRecordingAnalysis(
  deps: EcgAnalysisDependencies,
  recordingId: string,
  /** Milliseconds left before the invocation must stop; a backlog past it is left for a retry. */
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<AnalysisProgress> {
  let recording = await getRecording(deps.table, recordingId);
  if (!recording) {
    deps.logger?.warn('chunk message for an unknown recording dropped', { recordingId });
    return { analyzedChunks: 0, finished: false, backlog: false, nextSeq: 0 };
  }
  const patient = await getUser(deps.table, recording.patientId);
  const threshold = patient ? await resolvePatientThreshold(deps.table, patient, 'heart_rate') : undefined;
  let state: State = (await getAnalysisState<EcgStreamState, EcgAlertRuleState>(deps.table, recordingId)) ?? {
    nextSeq: 0,
    version: 0,
    engine: createEcgStream(recording.sampleRateHz),
    rules: INITIAL_ECG_ALERT_RULE_STATE,
  };
  let analyzedChunks = 0;

  for (;;) {
    const progress = (finished: boolean, backlog: boolean) => ({ analyzedChunks, finished, backlog, nextSeq: state.nextSeq });
    if (recording.analyzedAt !== undefined || recording.status === 'analyzed') return progress(true, false);
    if (remainingMs() < ANALYSIS_TIME_RESERVE_MS) return progress(false, true);
    const closed = isClosedRecording(recording.status) ? recording.status : undefined;
    let atEnd = recording.chunkCount !== undefined && state.nextSeq >= recording.chunkCount;
    let result: ChunkAnalysis;
    let engine: EcgStreamState;
    let summary: RecordingSummary;
    const chunk = atEnd ? undefined : await getChunk(deps.table, recordingId, state.nextSeq);
    if (!atEnd && !chunk) {
      // A closed recording ends at its first missing chunk; an open one waits for it.
      if (closed === undefined) return progress(false, false);
      atEnd = true;
    }
    if (chunk) {
      ({ state: engine, result } = analyzeChunk(state.engine, chunk.microvolts));
      summary = summarizeRecording(engine);
    } else {
      ({ state: engine, result, summary } = finishEcgStream(state.engine));
    }
    const rules = await raiseChunkAlerts(deps, recording, result, threshold, state.rules);
    const next: State = { nextSeq: atEnd ? state.nextSeq : state.nextSeq + 1, version: state.version + 1, engine, rules };
    const findings = findingsOf(summary);
    await commitChunkAnalysis(deps.table, {
      analysis: storedAnalysis(recordingId, state.nextSeq, result, atEnd),
      previousVersion: state.version,
      next,
      findings,
      finished: atEnd ? { status: closed ?? 'analyzed' } : false,
      at: (deps.now?.() ?? new Date()).toISOString(),
    });
    await pushToWatchers(
      deps,
      recording,
      ECG_NEED,
      {
        type: 'ecg.analyzed',
        recordingId,
        patientId: recording.patientId,
        // The final step analyses no chunk of its own (it closes the last window): no seq.
        ...(atEnd ? {} : { seq: state.nextSeq }),
        final: atEnd,
        beats: result.beats.length,
        ...(result.heartRate
          ? {
              heartRate: {
                meanBpm: round(result.heartRate.meanBpm),
                minBpm: round(result.heartRate.minBpm),
                maxBpm: round(result.heartRate.maxBpm),
              },
            }
          : {}),
        findings,
      },
      recordingId,
    );
    state = next;
    analyzedChunks++;
    if (atEnd) return progress(true, false);
    // /complete or /cancel may have landed while we worked; re-read only when it matters.
    if (recording.chunkCount === undefined && closed === undefined) recording = (await getRecording(deps.table, recordingId)) ?? recording;
  }
}
