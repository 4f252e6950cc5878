// Which alerts one analysed ECG chunk raises. Heart rate is judged against the patient's
// heart_rate threshold (with duration and hysteresis); rhythm findings raise their own
// alerts; a chunk of unusable signal raises only a technical alert, never a clinical one.
import type { ChunkAnalysis, EcgFinding } from '../ecg/ecg-stream.ts';
import { evaluateBreach, NO_BREACH, thresholdCause, thresholdMessage, type BreachTracker } from './alert-rules.ts';
import type { Threshold, Priority } from './thresholds.ts';

export interface EcgAlertRuleState {
  heartRate: BreachTracker;
}

export const INITIAL_ECG_ALERT_RULE_STATE: EcgAlertRuleState = { heartRate: NO_BREACH };

export interface EcgAlertCandidate {
  cause: string;
  priority: Priority;
  message: string;
  metric?: 'heart_rate';
  value?: number;
  limit?: number;
  /** When the signal that raised it was measured. */
  seenAt: string;
}

export interface ChunkTiming {
  /** Epoch ms of the recording's first sample. */
  recordingStartMs: number;
  sampleRateHz: number;
}

const FINDING_ALERTS: Partial<Record<EcgFinding['kind'], { priority: Priority; describe: (finding: EcgFinding) => string }>> = {
  pause: {
    priority: 'high',
    describe: (finding) => `Pause of ${finding.kind === 'pause' ? finding.rrSeconds.toFixed(1) : '?'} s between beats`,
  },
  irregular_rhythm: { priority: 'medium', describe: () => 'Irregular rhythm: possible atrial fibrillation' },
  st_deviation: {
    priority: 'medium',
    describe: (finding) =>
      `ST deviation of ${finding.kind === 'st_deviation' ? finding.deviationMv.toFixed(2) : '?'} mV in the median beat`,
  },
};

const SIGNAL_ISSUE_TEXT = { flat_line: 'flat line or lead off', saturation: 'saturated signal', high_noise: 'too much noise' } as const;

const timeOf = (timing: ChunkTiming, sample: number) => timing.recordingStartMs + (sample / timing.sampleRateHz) * 1000;

export function evaluateEcgChunk(
  analysis: ChunkAnalysis,
  heartRateThreshold: Threshold | undefined,
  state: EcgAlertRuleState,
  timing: ChunkTiming,
): { state: EcgAlertRuleState; alerts: EcgAlertCandidate[] } {
  const chunkEnd = new Date(timeOf(timing, analysis.startSample + analysis.sampleCount)).toISOString();
  // The closing step of a recording that received nothing judges no signal: nothing to raise.
  if (analysis.sampleCount === 0 && analysis.quality.length === 0) return { state, alerts: [] };
  if (!analysis.usable) {
    const issues = [...new Set(analysis.quality.flatMap((window) => window.issues))];
    const text = issues.length > 0 ? issues.map((issue) => SIGNAL_ISSUE_TEXT[issue]).join(', ') : 'no usable signal';
    return { state, alerts: [{ cause: 'ecg.signal_quality', priority: 'low', message: `ECG signal unusable: ${text}`, seenAt: chunkEnd }] };
  }

  const alerts: EcgAlertCandidate[] = [];
  let heartRate = state.heartRate;
  if (heartRateThreshold && analysis.heartRate) {
    const evaluated = evaluateBreach(
      heartRateThreshold,
      {
        value: analysis.heartRate.meanBpm,
        from: timeOf(timing, analysis.startSample),
        to: timeOf(timing, analysis.startSample + analysis.sampleCount),
      },
      state.heartRate,
    );
    heartRate = evaluated.tracker;
    if (evaluated.outcome.kind === 'raise') {
      const { direction, limit } = evaluated.outcome;
      alerts.push({
        cause: thresholdCause('heart_rate', direction),
        priority: heartRateThreshold.priority,
        message: thresholdMessage('heart_rate', direction, analysis.heartRate.meanBpm, limit),
        metric: 'heart_rate',
        value: Math.round(analysis.heartRate.meanBpm * 10) / 10,
        limit,
        seenAt: chunkEnd,
      });
    }
  }

  for (const finding of analysis.findings) {
    const rule = FINDING_ALERTS[finding.kind];
    if (!rule || alerts.some((alert) => alert.cause === `ecg.${finding.kind}`)) continue;
    alerts.push({
      cause: `ecg.${finding.kind}`,
      priority: rule.priority,
      message: rule.describe(finding),
      seenAt: new Date(timeOf(timing, finding.endSample)).toISOString(),
    });
  }
  return { state: { heartRate }, alerts };
}
