// When a measurement turns into an alert. Against alarm fatigue a breach must last the
// threshold's minimum duration before it raises, and once raised it clears only after the
// value comes back inside the limit by the dead-band (hysteresis).
import { METRICS, type Metric } from './metrics.ts';
import type { ThresholdLimits } from './thresholds.ts';

export type BreachDirection = 'high' | 'low';

/** What the rule remembers about one (patient, metric) between observations. */
export interface BreachTracker {
  /** Epoch ms at which the current run of out-of-limit values began. */
  since?: number;
  /** True once the breach has raised an alert and has not cleared yet. */
  raised: boolean;
  /** Which way the current run is out of limits (absent in state written before it was kept). */
  direction?: BreachDirection;
}

export interface Observation {
  value: number;
  /** Epoch ms span the value describes (a 10-s ECG chunk, or a single instant). */
  from: number;
  to: number;
}

export type BreachOutcome =
  | { kind: 'none' }
  | { kind: 'pending'; direction: BreachDirection; limit: number }
  | { kind: 'raise'; direction: BreachDirection; limit: number }
  | { kind: 'clear' };

export const NO_BREACH: BreachTracker = { raised: false };

function breachOf(limits: ThresholdLimits, value: number): { direction: BreachDirection; limit: number } | undefined {
  if (limits.max !== undefined && value > limits.max) return { direction: 'high', limit: limits.max };
  if (limits.min !== undefined && value < limits.min) return { direction: 'low', limit: limits.min };
  return undefined;
}

function insideDeadBand(limits: ThresholdLimits, value: number): boolean {
  const belowMax = limits.max === undefined || value <= limits.max - limits.deadBand;
  const aboveMin = limits.min === undefined || value >= limits.min + limits.deadBand;
  return belowMax && aboveMin;
}

export function evaluateBreach(
  limits: ThresholdLimits,
  observation: Observation,
  tracker: BreachTracker,
): { tracker: BreachTracker; outcome: BreachOutcome } {
  const breach = breachOf(limits, observation.value);
  const sameRun = breach !== undefined && (tracker.direction === undefined || tracker.direction === breach.direction);
  if (tracker.raised) {
    if (breach && sameRun) return { tracker, outcome: { kind: 'raise', ...breach } };
    if (!breach) {
      if (insideDeadBand(limits, observation.value)) return { tracker: NO_BREACH, outcome: { kind: 'clear' } };
      return { tracker, outcome: { kind: 'none' } };
    }
    // A swing straight past the other limit is a new run, which must last its own minimum duration.
  }
  if (!breach) return { tracker: NO_BREACH, outcome: { kind: 'none' } };
  const since = sameRun && !tracker.raised ? (tracker.since ?? observation.from) : observation.from;
  const direction = breach.direction;
  if (observation.to - since >= limits.minDurationSeconds * 1000) {
    return { tracker: { since, raised: true, direction }, outcome: { kind: 'raise', ...breach } };
  }
  return { tracker: { since, raised: false, direction }, outcome: { kind: 'pending', ...breach } };
}

/** The de-duplication key of a threshold alert: one open alert per patient and cause. */
export function thresholdCause(metric: Metric, direction: BreachDirection): string {
  return `${metric}.${direction}`;
}

export function thresholdMessage(metric: Metric, direction: BreachDirection, value: number, limit: number): string {
  const unit = METRICS[metric].unit;
  const rounded = Math.round(value * 10) / 10;
  return `${METRICS[metric].label} ${rounded} ${unit} ${direction === 'high' ? 'above' : 'below'} the limit of ${limit} ${unit}`;
}

/**
 * Data measured longer ago than this is judged on its own time but pages nobody: a phone that
 * was offline all night must not wake a clinician for last night's breach.
 */
export const LATE_DATA_AFTER_MS = 15 * 60 * 1000;

export function isHistorical(measuredAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(measuredAt) > LATE_DATA_AFTER_MS;
}
