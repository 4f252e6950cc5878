// Sustained vital-sign ingest through the local twin's HTTP API: several patients' phones each
// send 1000-sample batches (heart rate and SpO2 at 1 Hz from a paired pulse oximeter) one after
// another, all patients at once: HTTP gateway → JWT authorizer → vitals Lambda → DynamoDB Local,
// every sample judged against its threshold. Throughput is accepted samples over the wall
// clock from the first request to the last answer; a few warm-up batches per patient first, so
// the figure is warm, compiled code, not cold starts. On a shared machine the wall figure moves
// with everyone else's load, so the CPU the twin spent per batch is reported beside it.
// Run alone with `node test/bench/vitals-ingest-bench.ts [patients] [batchesPerPatient] [runs]`,
// or within `npm run bench`.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startLocalTwin } from '../support/local-twin.ts';
import { bootstrapOrganisation, createAndSignIn, type Schemas, vigil, type VigilClient } from '../e2e/support/vigil-api.ts';
import { median, type BenchRow } from './bench-table.ts';

/** What one twin on a laptop must sustain, in 1000-sample batches with thresholds checked. */
const BUDGET_SAMPLES_PER_SECOND = 20_000;
const BATCH_SIZE = 1000;
/** Two metrics at 1 Hz: a batch covers this many seconds. */
const SECONDS_PER_BATCH = BATCH_SIZE / 2;
const PATIENTS = 4;
const BATCHES_PER_PATIENT = 15;
const RUNS = 3;
/** Unmeasured batches per patient first: one starts the environments, the rest let the JITs (V8's, DynamoDB Local's) settle. */
const WARM_UP_BATCHES = 5;

// The twin's handlers log at INFO; what a benchmark prints is its table.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';

type Sample = Schemas['VitalsBatchRequest']['samples'][number];

export interface IngestRun {
  samples: number;
  wallMs: number;
  /** Each batch's time from request to answer. */
  batchMs: number[];
  /** Answers other than 200 with every sample accepted, described. */
  failures: string[];
  /** CPU seconds of this process (client, gateway, Lambda environments) over the run. */
  ownCpuSeconds: number;
  /** CPU seconds of the processes it started (DynamoDB Local and the other emulators); undefined without /proc. */
  childCpuSeconds?: number;
}

/** Linux's USER_HZ, the unit of the times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds used so far by the processes this one started, and theirs; undefined where there is no /proc. */
function descendantCpuSeconds(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  const processes = new Map<number, { parent: number; cpuSeconds: number }>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may itself hold spaces: state, ppid, … utime (12th), stime (13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(entry), {
        parent: Number(fields[1]),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
      });
    } catch {
      // The process ended while the list was read.
    }
  }
  const descends = (pid: number): boolean => {
    for (let ancestor = processes.get(pid)?.parent; ancestor !== undefined && ancestor > 1; ancestor = processes.get(ancestor)?.parent) {
      if (ancestor === process.pid) return true;
    }
    return false;
  };
  let total = 0;
  for (const [pid, { cpuSeconds }] of processes) if (descends(pid)) total += cpuSeconds;
  return total;
}

/** A small seeded generator, so every run sends the same values. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One patient's readings as a pulse oximeter sends them: heart rate wandering around 72/min
 * and SpO2 at 95–99 %, with now and then a dip to 88–89 % for a few seconds, shorter than the
 * built-in threshold's minute, so it is judged but opens no alert.
 */
function oximeterReadings(seed: number, deviceId: string) {
  const random = seededRandom(seed);
  let heartRate = 72;
  let dipLeft = 0;
  return (at: number): [Sample, Sample] => {
    heartRate = Math.min(110, Math.max(50, heartRate + (random() - 0.5) * 4));
    if (dipLeft === 0 && random() < 1 / 300) dipLeft = 3 + Math.floor(random() * 8);
    const spo2 = dipLeft > 0 ? 88 + Math.round(random()) : 95 + Math.floor(random() * 5);
    if (dipLeft > 0) dipLeft--;
    const measuredAt = new Date(at).toISOString();
    return [
      { metric: 'heart_rate', value: Math.round(heartRate), measuredAt, unit: '/min', deviceId },
      { metric: 'spo2', value: spo2, measuredAt, unit: '%', deviceId },
    ];
  };
}

/** The next `count` batches of a patient's readings, consecutive seconds from `startMs`. */
function batchesOf(read: (at: number) => [Sample, Sample], startMs: number, count: number): Sample[][] {
  return Array.from({ length: count }, (_, batch) =>
    Array.from({ length: SECONDS_PER_BATCH }, (_, second) => read(startMs + (batch * SECONDS_PER_BATCH + second) * 1000)).flat(),
  );
}

interface Sender {
  patientId: string;
  client: VigilClient;
  /** Batches still to send, oldest first. */
  batches: Sample[][];
}

async function send(sender: Sender, samples: Sample[], run: IngestRun): Promise<void> {
  const started = performance.now();
  const { data, response, error } = await sender.client.POST('/v1/patients/{patientId}/vitals', {
    params: { path: { patientId: sender.patientId } },
    body: { samples },
  });
  run.batchMs.push(performance.now() - started);
  if (response.status !== 200 || data?.accepted !== samples.length) {
    run.failures.push(`${response.status} ${JSON.stringify(data ?? error)}`);
  }
  run.samples += data?.accepted ?? 0;
}

/** Every sender sends its next `batches` batches one after another, all senders at once. */
async function runOnce(senders: readonly Sender[], batches: number): Promise<IngestRun> {
  const run: IngestRun = { samples: 0, wallMs: 0, batchMs: [], failures: [], ownCpuSeconds: 0 };
  const ownCpu = process.cpuUsage();
  const childCpu = descendantCpuSeconds();
  const started = performance.now();
  await Promise.all(
    senders.map(async (sender) => {
      for (const samples of sender.batches.splice(0, batches)) await send(sender, samples, run);
    }),
  );
  run.wallMs = performance.now() - started;
  const used = process.cpuUsage(ownCpu);
  run.ownCpuSeconds = (used.user + used.system) / 1e6;
  const childCpuAfter = descendantCpuSeconds();
  if (childCpu !== undefined && childCpuAfter !== undefined) run.childCpuSeconds = childCpuAfter - childCpu;
  return run;
}

export async function measureVitalsIngest(patients: number, batchesPerPatient: number, runs: number): Promise<IngestRun[]> {
  const twin = await startLocalTwin({ log: () => undefined, sqsWaitTimeSeconds: 20 });
  try {
    const admin = await bootstrapOrganisation(twin);
    const clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician');
    // The warm-up batches, then each run's; all of it consecutive and ending a few minutes ago.
    const batchesEach = WARM_UP_BATCHES + runs * batchesPerPatient;
    const startMs = Math.floor(Date.now() / 1000) * 1000 - (batchesEach * SECONDS_PER_BATCH + 300) * 1000;
    const senders: Sender[] = [];
    for (let index = 0; index < patients; index++) {
      const patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', `Patient ${index + 1}`);
      const patientId = patient.user.userId;
      const client = vigil(twin, patient.tokens.accessToken);
      const paired = await client.POST('/v1/patients/{patientId}/devices', {
        params: { path: { patientId } },
        body: { serial: `OX-${crypto.randomUUID()}`, kind: 'pulse_oximeter' },
      });
      if (paired.data === undefined) throw new Error(`pairing a device failed: ${paired.response.status}`);
      const read = oximeterReadings(index + 1, paired.data.deviceId);
      senders.push({ patientId, client, batches: batchesOf(read, startMs, batchesEach) });
    }
    const warmUp = await runOnce(senders, WARM_UP_BATCHES);
    if (warmUp.failures.length > 0) throw new Error(`warm-up batches failed: ${warmUp.failures.join('; ')}`);
    const results: IngestRun[] = [];
    for (let run = 0; run < runs; run++) results.push(await runOnce(senders, batchesPerPatient));
    return results;
  } finally {
    await twin.stop();
  }
}

const rateOf = (run: IngestRun) => run.samples / (run.wallMs / 1000);
/** CPU milliseconds per batch: this process's and its children's. */
const cpuPerBatchMs = (run: IngestRun) => ({
  own: (1000 * run.ownCpuSeconds) / run.batchMs.length,
  children: run.childCpuSeconds === undefined ? undefined : (1000 * run.childCpuSeconds) / run.batchMs.length,
});

function p90(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
}

export async function vitalsIngestBenchmark(): Promise<BenchRow[]> {
  const runs = await measureVitalsIngest(PATIENTS, BATCHES_PER_PATIENT, RUNS);
  const rates = runs.map(rateOf);
  const rate = median(rates);
  const latencies = runs.flatMap((run) => run.batchMs);
  const failures = runs.flatMap((run) => run.failures);
  const batches = latencies.length;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const medianRun = runs[rates.indexOf(rate)] ?? runs[0]!;
  const cpu = cpuPerBatchMs(medianRun);
  const cpuMs = cpu.own + (cpu.children ?? 0);
  const subject = `${PATIENTS} patients × ${BATCHES_PER_PATIENT} batches of ${BATCH_SIZE} (HR + SpO2 1 Hz), local twin`;
  return [
    {
      benchmark: 'vitals ingest',
      subject,
      metric: `samples/s sustained (median of ${RUNS})`,
      value: `${rate.toFixed(0)} (runs ${rates.map((r) => r.toFixed(0)).join(' / ')}; load avg ${loadavg()[0]!.toFixed(1)})`,
      budget: `≥ ${BUDGET_SAMPLES_PER_SECOND}`,
      ok: rate >= BUDGET_SAMPLES_PER_SECOND,
    },
    {
      benchmark: 'vitals ingest',
      subject: `same ${RUNS} runs`,
      metric: 'batch latency median / p90',
      value: `${ms(median(latencies))} / ${ms(p90(latencies))}`,
    },
    {
      benchmark: 'vitals ingest',
      subject: 'median run',
      metric: `CPU per ${BATCH_SIZE}-sample batch`,
      value:
        `${ms(cpuMs)}: ${ms(cpu.own)} Node (client, gateway, Lambdas)` +
        `${cpu.children === undefined ? '' : ` + ${ms(cpu.children)} emulators`}; ${((1000 * BATCH_SIZE) / cpuMs).toFixed(0)} samples/s per busy core`,
    },
    {
      benchmark: 'vitals ingest',
      subject: `same ${RUNS} runs`,
      metric: `answers 200 with ${BATCH_SIZE} accepted`,
      value: `${batches - failures.length} of ${batches}${failures.length > 0 ? ` (first refusal: ${failures[0]!.slice(0, 120)})` : ''}`,
      budget: 'all',
      ok: failures.length === 0,
    },
  ];
}

if (import.meta.main) {
  const patients = Number(process.argv[2] ?? PATIENTS);
  const batches = Number(process.argv[3] ?? BATCHES_PER_PATIENT);
  const runs = await measureVitalsIngest(patients, batches, Number(process.argv[4] ?? RUNS));
  for (const run of runs) {
    console.log(
      `${run.samples} samples in ${run.wallMs.toFixed(0)} ms: ${rateOf(run).toFixed(0)} samples/s; ` +
        `batch median ${median(run.batchMs).toFixed(0)} ms, p90 ${p90(run.batchMs).toFixed(0)} ms; ` +
        `CPU per batch ${cpuPerBatchMs(run).own.toFixed(1)} ms Node + ${cpuPerBatchMs(run).children?.toFixed(1) ?? '?'} ms emulators; ` +
        `${run.failures.length} refused`,
    );
    for (const failure of run.failures.slice(0, 3)) console.log(`  ${failure}`);
  }
}
