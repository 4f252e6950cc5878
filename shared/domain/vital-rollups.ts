// Roll-ups of a metric into a person's own hours or days: min, max, mean and count of the
// samples measured in each, from quarter-hour aggregates (every zone's offset is a whole number
// of quarter hours, so local days and hours are made of whole quarters).

/** A quarter hour's aggregate: min, max, sum, count; null when nothing was measured. */
export type QuarterAggregate = readonly [min: number, max: number, sum: number, count: number] | null;

export interface HourOfQuarters {
  /** Epoch ms of the UTC hour. */
  hourStart: number;
  quarters: readonly QuarterAggregate[];
}

export interface RollupBucket {
  start: string;
  end: string;
  min: number;
  max: number;
  mean: number;
  count: number;
}

const QUARTER_MS = 900_000;

/** The buckets of `periods` (oldest first) that hold samples, newest first. */
export function rollUp(hours: readonly HourOfQuarters[], periods: ReadonlyArray<{ start: number; end: number }>): RollupBucket[] {
  const totals = periods.map(() => ({ min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, sum: 0, count: 0 }));
  for (const hour of hours) {
    hour.quarters.forEach((quarter, index) => {
      if (!quarter) return;
      const at = hour.hourStart + index * QUARTER_MS;
      const period = periods.findIndex((p) => p.start <= at && at < p.end);
      const total = totals[period];
      if (!total) return;
      total.min = Math.min(total.min, quarter[0]);
      total.max = Math.max(total.max, quarter[1]);
      total.sum += quarter[2];
      total.count += quarter[3];
    });
  }
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return periods
    .map((period, index) => ({ period, total: totals[index] }))
    .filter(({ total }) => total !== undefined && total.count > 0)
    .map(({ period, total }) => ({
      start: new Date(period.start).toISOString(),
      end: new Date(period.end).toISOString(),
      min: total?.min ?? 0,
      max: total?.max ?? 0,
      mean: round((total?.sum ?? 0) / (total?.count ?? 1)),
      count: total?.count ?? 0,
    }))
    .reverse();
}
