/** One line of the benchmark table. */
export interface BenchRow {
  benchmark: string;
  subject: string;
  metric: string;
  value: string;
  budget?: string;
  /** Whether the value meets the budget; absent when there is no budget. */
  ok?: boolean;
}

/** A benchmark module: runs and returns its rows. */
export type Benchmark = () => Promise<BenchRow[]>;

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'subject', 'metric', 'value', 'budget', 'ok'];
  const lines = rows.map((r) => [r.benchmark, r.subject, r.metric, r.value, r.budget ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The rows of a latency measurement: the median against its budget, the p90, and the extremes. */
export function latencyRows(benchmark: string, subject: string, latencies: readonly number[], budgetMs: number): BenchRow[] {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1] ?? Number.NaN;
  const ms = (value: number | undefined) => `${(value ?? Number.NaN).toFixed(0)} ms`;
  return [
    { benchmark, subject, metric: 'median', value: ms(median(latencies)), budget: `≤ ${budgetMs} ms`, ok: median(latencies) <= budgetMs },
    { benchmark, subject, metric: 'p90', value: ms(p90) },
    { benchmark, subject, metric: 'min / max', value: `${ms(sorted[0])} / ${ms(sorted.at(-1))}` },
  ];
}
