// Numbers as the system stores them. DynamoDB keeps 38 significant digits between 1e-130
// and 1e126, so a value like 1e-200 or 1e300 that JSON happily carries would fail the write
// and surface as a 500. Every number that enters is therefore bounded and has a bounded
// number of decimals, checked at the edge with a 400 that names the field.
import { z } from 'zod';

export interface DecimalBounds {
  readonly min: number;
  readonly max: number;
  /** Decimal places kept meaningful; more are refused rather than rounded away silently. */
  readonly places: number;
}

/**
 * A decimal number within [min, max] with at most `places` decimals (within floating-point
 * error, which the stored value drops). 1e-200 is not 0.000000 give or take a rounding error.
 */
export function boundedDecimal({ min, max, places }: DecimalBounds) {
  const scale = 10 ** places;
  const rounded = (value: number) => Math.round(value * scale) / scale;
  return z
    .number()
    .min(min)
    .max(max)
    .refine((value) => Math.abs(rounded(value) - value) <= Math.abs(value) * scale * Number.EPSILON, {
      message: `must have at most ${places} decimal places`,
    })
    .transform(rounded);
}

/** A whole number within [min, max]. */
export function boundedInteger(min: number, max: number) {
  return z.number().int().min(min).max(max);
}
