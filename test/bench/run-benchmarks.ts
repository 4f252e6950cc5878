// Runs every benchmark and prints one plain-text table. To add a benchmark, write a module
// exporting an async function that returns BenchRow[] and add it to BENCHMARKS.
// Run with `npm run bench`, which passes --expose-gc so that heap figures are after collection.
import { formatTable, type Benchmark, type BenchRow } from './bench-table.ts';
import { ecgDetectionBenchmark } from './ecg-detection-bench.ts';
import { ecgAfScreeningBenchmark } from './ecg-af-screening-bench.ts';
import { ecgThroughputBenchmark } from './ecg-throughput-bench.ts';
import { ecgStreamingMemoryBenchmark } from './ecg-streaming-memory-bench.ts';
import { alertLatencyBenchmark } from './alert-latency-bench.ts';
import { vitalsIngestBenchmark } from './vitals-ingest-bench.ts';
import { vitalsAlertLatencyBenchmark } from './vitals-alert-latency-bench.ts';

const BENCHMARKS: Benchmark[] = [
  ecgDetectionBenchmark,
  ecgAfScreeningBenchmark,
  ecgThroughputBenchmark,
  ecgStreamingMemoryBenchmark,
  alertLatencyBenchmark,
  vitalsIngestBenchmark,
  vitalsAlertLatencyBenchmark,
];

const rows: BenchRow[] = [];
for (const benchmark of BENCHMARKS) rows.push(...(await benchmark()));
process.stdout.write(`${formatTable(rows)}\n`);
if (rows.some((r) => r.ok === false)) process.exitCode = 1;
