// Alert thresholds and which one applies. A patient's own threshold wins, then their
// primary clinician's default, then the organisation's, then Vigil's built-in one.
import { z } from 'zod';
import { ESCALATION_DELAY_SECONDS } from './escalation.ts';
import type { FieldProblem } from './errors.ts';
import { Id } from './identifiers.ts';
import { METRICS, type Metric, MetricName } from './metrics.ts';
import { Timestamp } from './time.ts';

export const Priority = z.enum(['high', 'medium', 'low']);
export type Priority = z.infer<typeof Priority>;

export const ThresholdScope = z.enum(['patient', 'clinician', 'org', 'builtin']);
export type ThresholdScope = z.infer<typeof ThresholdScope>;

/** The longest a breach may have to last before it raises: a day. */
export const MAX_MIN_DURATION_SECONDS = 86_400;

export const ThresholdLimits = z.object({
  min: z.number().optional(),
  max: z.number().optional(),
  /** A breach must last this long before an alert opens (alarm fatigue). */
  minDurationSeconds: z.number().int().min(0).max(MAX_MIN_DURATION_SECONDS),
  /** A breach clears only once the value is this far back inside the limit (hysteresis). */
  deadBand: z.number().min(0),
  priority: Priority,
  /** A high-priority alert from this threshold escalates when unacknowledged this long (default 600 s). */
  escalateAfterSeconds: z.number().int().min(ESCALATION_DELAY_SECONDS.min).max(ESCALATION_DELAY_SECONDS.max).optional(),
});
export type ThresholdLimits = z.infer<typeof ThresholdLimits>;

export const Threshold = ThresholdLimits.extend({
  metric: MetricName,
  scope: ThresholdScope,
  updatedAt: Timestamp.optional(),
  updatedBy: Id.optional(),
});
export type Threshold = z.infer<typeof Threshold>;

// Conservative adult limits that page someone for values every clinician would want to know
// about; clinicians tighten them per patient. Steps and weight have no clinical universal
// limit: theirs only catch readings no adult produces (a scale or pedometer gone wrong), at
// low priority, so that every metric has a default.
export const BUILT_IN_THRESHOLDS: Record<Metric, ThresholdLimits> = {
  heart_rate: { min: 40, max: 130, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
  spo2: { min: 90, minDurationSeconds: 60, deadBand: 1, priority: 'high' },
  body_temperature: { min: 35, max: 38.5, minDurationSeconds: 0, deadBand: 0.2, priority: 'medium' },
  systolic_bp: { min: 90, max: 180, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
  diastolic_bp: { min: 50, max: 110, minDurationSeconds: 0, deadBand: 5, priority: 'medium' },
  respiratory_rate: { min: 8, max: 30, minDurationSeconds: 60, deadBand: 2, priority: 'high' },
  blood_glucose: { min: 70, max: 250, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
  steps: { max: 60_000, minDurationSeconds: 0, deadBand: 1_000, priority: 'low' },
  weight: { min: 25, max: 350, minDurationSeconds: 0, deadBand: 1, priority: 'low' },
};

export const THRESHOLD_DEFAULTS = { minDurationSeconds: 0, deadBand: 0, priority: 'high' as Priority };

/**
 * What makes a threshold for `metric` unusable, each naming its field (relative to the
 * threshold): a limit no reading could cross (outside what is physically possible), or a
 * dead-band that leaves no possible value at which a breach would clear.
 */
export function thresholdProblems(metric: Metric, limits: Partial<ThresholdLimits>): FieldProblem[] {
  const possible = METRICS[metric].possible;
  const unit = METRICS[metric].unit;
  const problems: FieldProblem[] = [];
  for (const field of ['min', 'max'] as const) {
    const value = limits[field];
    if (value !== undefined && (value < possible.min || value > possible.max)) {
      problems.push({ path: field, message: `must be within ${possible.min}–${possible.max} ${unit}, the possible range of ${metric}` });
    }
  }
  if (problems.length > 0) return problems;
  const { min, max } = limits;
  const deadBand = limits.deadBand ?? THRESHOLD_DEFAULTS.deadBand;
  if (min !== undefined && max !== undefined) {
    if (min >= max) {
      return [
        { path: 'min', message: 'must be below max' },
        { path: 'max', message: 'must be above min' },
      ];
    }
    // A value must be able to sit inside both limits by the dead-band, or a breach never clears.
    if (deadBand >= (max - min) / 2) return [{ path: 'deadBand', message: 'must be less than half the distance between min and max' }];
    return [];
  }
  if (max !== undefined && max - deadBand < possible.min) {
    return [
      {
        path: 'deadBand',
        message: `must leave a value that clears the breach: max − deadBand is below ${possible.min} ${unit}, the lowest possible ${metric}`,
      },
    ];
  }
  if (min !== undefined && min + deadBand > possible.max) {
    return [
      {
        path: 'deadBand',
        message: `must leave a value that clears the breach: min + deadBand is above ${possible.max} ${unit}, the highest possible ${metric}`,
      },
    ];
  }
  return [];
}

/** Completes a threshold request with defaults for the fields the caller left out. */
export function completeThreshold(request: Partial<ThresholdLimits>): ThresholdLimits {
  return {
    ...(request.min === undefined ? {} : { min: request.min }),
    ...(request.max === undefined ? {} : { max: request.max }),
    minDurationSeconds: request.minDurationSeconds ?? THRESHOLD_DEFAULTS.minDurationSeconds,
    deadBand: request.deadBand ?? THRESHOLD_DEFAULTS.deadBand,
    priority: request.priority ?? THRESHOLD_DEFAULTS.priority,
    escalateAfterSeconds: request.escalateAfterSeconds ?? ESCALATION_DELAY_SECONDS.default,
  };
}

/** The first threshold found along patient → clinician → org → built-in. */
export function effectiveThreshold(
  metric: Metric,
  stored: { patient?: Threshold; clinician?: Threshold; org?: Threshold },
): Threshold | undefined {
  const found = stored.patient ?? stored.clinician ?? stored.org;
  if (found) return found;
  const builtIn = BUILT_IN_THRESHOLDS[metric];
  return builtIn ? { metric, scope: 'builtin', ...builtIn } : undefined;
}
