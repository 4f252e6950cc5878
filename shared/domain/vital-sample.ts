// Vital-sign samples as a patient's devices send them. A sample is identified by
// (patient, metric, measuredAt); its value must be physically possible for the metric, its
// unit (when given) the metric's UCUM unit, and its time no more than a clock skew ahead.
import { z } from 'zod';
import type { FieldProblem } from './errors.ts';
import { METRIC_DECIMAL_PLACES, METRICS, type Metric, MetricName } from './metrics.ts';
import { boundedDecimal } from './numbers.ts';
import { DeviceId } from './text.ts';
import { MeasuredAt } from './time.ts';

export const VITALS_LIMITS = {
  /** Samples one POST may carry. */
  maxSamplesPerBatch: 1000,
  /**
   * (metric, hour) pairs one POST may touch: all of them are written in one transaction, so a
   * batch is stored whole or not at all (a week of hourly readings is sent in a few batches).
   */
  maxHoursPerBatch: 50,
  /** Samples one metric may have in one hour (two a second): an hour is one item of at most 400 KB. */
  maxSamplesPerHour: 7200,
} as const;

/** Any number a sample may carry before the metric's own range is checked. */
const SampleValue = boundedDecimal({ min: -1_000_000, max: 1_000_000, places: METRIC_DECIMAL_PLACES });

export const VitalSampleInput = z
  .strictObject({
    metric: MetricName,
    value: SampleValue.meta({ description: "in the metric's UCUM unit" }),
    measuredAt: MeasuredAt.meta({ description: 'when it was measured; at most 5 minutes ahead of the server; late data is accepted' }),
    unit: z.string().max(16).optional().meta({ description: "the metric's UCUM unit, if given" }),
    deviceId: DeviceId.optional().meta({ description: 'the id (or serial) of a device paired to this patient' }),
  })
  .superRefine((sample, context) => {
    const { unit, possible } = METRICS[sample.metric];
    if (sample.unit !== undefined && sample.unit !== unit) {
      context.addIssue({ code: 'custom', path: ['unit'], message: `must be ${unit}, the UCUM unit of ${sample.metric}` });
    }
    if (sample.value < possible.min || sample.value > possible.max) {
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${sample.value} ${unit} is not a possible ${sample.metric} (${possible.min}–${possible.max} ${unit})`,
      });
    }
  });
export type VitalSampleInput = z.output<typeof VitalSampleInput>;

/** A sample as stored and judged: its time as epoch ms. */
export interface VitalSample {
  metric: Metric;
  value: number;
  /** Epoch ms. */
  at: number;
  deviceId?: string;
}

export const sampleIdentity = (sample: Pick<VitalSample, 'metric' | 'at'>) => `${sample.metric}@${sample.at}`;

/**
 * Problems that only show across samples of one batch: a diastolic pressure above the
 * systolic one measured at the same instant. Named at the diastolic sample's value.
 */
export function batchProblems(samples: readonly VitalSampleInput[]): FieldProblem[] {
  const systolic = new Map<number, number>();
  samples.forEach((sample) => {
    if (sample.metric === 'systolic_bp') systolic.set(Date.parse(sample.measuredAt), sample.value);
  });
  const problems: FieldProblem[] = [];
  samples.forEach((sample, index) => {
    if (sample.metric !== 'diastolic_bp') return;
    const paired = systolic.get(Date.parse(sample.measuredAt));
    if (paired !== undefined && sample.value > paired) {
      problems.push({
        path: `body.samples.${index}.value`,
        message: `diastolic ${sample.value} mm[Hg] is above the systolic ${paired} mm[Hg] measured at the same instant`,
      });
    }
  });
  return problems;
}
