// Alert thresholds and which one applies. A patient's own threshold wins, then their
// primary clinician's default, then the organisation's, then Vigil's built-in one.
import { METRICS, type Metric } from './metrics.ts';

export type Priority = 'high' | 'medium' | 'low';
export type ThresholdScope = 'patient' | 'clinician' | 'org' | 'builtin';

export interface ThresholdLimits {
  min?: number;
  max?: number;
  /** A breach must last this long before an alert opens (alarm fatigue). */
  minDurationSeconds: number;
  /** A breach clears only once the value is this far back inside the limit (hysteresis). */
  deadBand: number;
  priority: Priority;
}

export interface Threshold extends ThresholdLimits {
  metric: Metric;
  scope: ThresholdScope;
  updatedAt?: string;
  updatedBy?: string;
}

// Conservative adult limits that page someone for values every clinician would want to know
// about; clinicians tighten them per patient. Steps and weight have no safe universal limit.
export const BUILT_IN_THRESHOLDS: Partial<Record<Metric, ThresholdLimits>> = {
  heart_rate: { min: 40, max: 130, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
  spo2: { min: 90, minDurationSeconds: 60, deadBand: 1, priority: 'high' },
  body_temperature: { min: 35, max: 38.5, minDurationSeconds: 0, deadBand: 0.2, priority: 'medium' },
  systolic_bp: { min: 90, max: 180, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
  diastolic_bp: { min: 50, max: 110, minDurationSeconds: 0, deadBand: 5, priority: 'medium' },
  respiratory_rate: { min: 8, max: 30, minDurationSeconds: 60, deadBand: 2, priority: 'high' },
  blood_glucose: { min: 70, max: 250, minDurationSeconds: 0, deadBand: 5, priority: 'high' },
};

export const THRESHOLD_DEFAULTS = { minDurationSeconds: 0, deadBand: 0, priority: 'high' as Priority };

/**
 * The limits of a request that no reading of the metric could ever cross (outside what is
 * physically possible), each with the reason: such a threshold would never page anyone, or
 * page for every reading.
 */
export function impossibleLimits(metric: Metric, request: Partial<ThresholdLimits>): Array<{ field: 'min' | 'max'; message: string }> {
  const { min, max } = METRICS[metric].possible;
  const unit = METRICS[metric].unit;
  const problems: Array<{ field: 'min' | 'max'; message: string }> = [];
  for (const field of ['min', 'max'] as const) {
    const value = request[field];
    if (value !== undefined && (value < min || value > max))
      problems.push({ field, message: `must be within ${min}–${max} ${unit}, the possible range of ${metric}` });
  }
  return problems;
}

/** Completes a threshold request with defaults for the fields the caller left out. */
export function completeThreshold(request: Partial<ThresholdLimits>): ThresholdLimits {
  return {
    ...(request.min === undefined ? {} : { min: request.min }),
    ...(request.max === undefined ? {} : { max: request.max }),
    minDurationSeconds: request.minDurationSeconds ?? THRESHOLD_DEFAULTS.minDurationSeconds,
    deadBand: request.deadBand ?? THRESHOLD_DEFAULTS.deadBand,
    priority: request.priority ?? THRESHOLD_DEFAULTS.priority,
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
