// Time from a vital-signs batch POST to the alert.created push on a clinician's WebSocket, on
// the local twin: HTTP gateway → vitals Lambda (store, judge against the clinician's SpO2
// threshold, open the alert) → PostToConnection → WebSocket. Each round sends the next 30 s of
// readings, in range but for the newest few SpO2 samples, and resolves the alert afterwards;
// the in-range samples at the start of the next batch clear the breach, so it opens a new one.
// Run alone with `node test/bench/vitals-alert-latency-bench.ts [rounds]`, or within `npm run bench`.
import { startLocalTwin } from '../support/local-twin.ts';
import type { ServerMessage } from '../../shared/api/websocket-messages.ts';
import { openSocket, type Schemas, vigil } from '../e2e/support/vigil-api.ts';
import { buildClinic } from '../e2e/support/world.ts';
import { type BenchRow, latencyRows, median } from './bench-table.ts';

/** The product promise, as for ECG: a clinician sees an alert within a second of the upload. */
const BUDGET_MS = 1000;
const ROUNDS = 20;
/** Seconds of 1 Hz readings each round's batch carries. */
const SECONDS_PER_ROUND = 30;
/** The newest SpO2 samples of a batch fall below the clinician's limit. */
const LOW_SAMPLES = 3;
const SPO2_LIMIT = 92;

// The twin's handlers log at INFO; what a benchmark prints is its table.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';

type Sample = Schemas['VitalsBatchRequest']['samples'][number];

/** Heart rate and SpO2 for `SECONDS_PER_ROUND` seconds from `startMs`; the last few SpO2 values below the limit. */
function roundBatch(startMs: number, deviceId: string): Sample[] {
  return Array.from({ length: SECONDS_PER_ROUND }, (_, second): Sample[] => {
    const measuredAt = new Date(startMs + second * 1000).toISOString();
    const low = second >= SECONDS_PER_ROUND - LOW_SAMPLES;
    return [
      { metric: 'heart_rate', value: 74 + (second % 5), measuredAt, unit: '/min', deviceId },
      { metric: 'spo2', value: low ? SPO2_LIMIT - 4 : 96 + (second % 3), measuredAt, unit: '%', deviceId },
    ];
  }).flat();
}

/**
 * Latencies of `rounds` rounds, after one unmeasured round that starts the Lambda environments.
 * The batches follow one another in time and end a few seconds ago, the newest within the
 * quarter hour in which a breach still pages (older data is recorded as historical).
 */
export async function measureVitalsAlertLatencies(rounds: number): Promise<{ coldMs: number; latencies: number[] }> {
  const twin = await startLocalTwin({ log: () => undefined, sqsWaitTimeSeconds: 20 });
  try {
    const { clinician, patient } = await buildClinic(twin);
    const patientId = patient.user.userId;
    const asClinician = vigil(twin, clinician.tokens.accessToken);
    const asPatient = vigil(twin, patient.tokens.accessToken);
    const threshold = await asClinician.PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path: { patientId, metric: 'spo2' } },
      body: { min: SPO2_LIMIT, minDurationSeconds: 0 },
    });
    if (threshold.data === undefined) throw new Error(`setting the SpO2 threshold failed: ${threshold.response.status}`);
    const paired = await asPatient.POST('/v1/patients/{patientId}/devices', {
      params: { path: { patientId } },
      body: { serial: `OX-${crypto.randomUUID()}`, kind: 'pulse_oximeter' },
    });
    if (paired.data === undefined) throw new Error(`pairing a device failed: ${paired.response.status}`);
    const deviceId = paired.data.deviceId;
    const screen = await openSocket(twin, clinician.tokens.accessToken);
    const firstMs = Math.floor(Date.now() / 1000) * 1000 - ((rounds + 1) * SECONDS_PER_ROUND + 5) * 1000;
    const latencies: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const samples = roundBatch(firstMs + round * SECONDS_PER_ROUND * 1000, deviceId);
      const seen = new Set(screen.messages);
      const pushed = screen.next(
        (message: ServerMessage): message is Extract<ServerMessage, { type: 'alert.created' }> =>
          !seen.has(message) &&
          message.type === 'alert.created' &&
          message.alert.patientId === patientId &&
          message.alert.cause === 'spo2.low',
      );
      const started = performance.now();
      const sent = await asPatient.POST('/v1/patients/{patientId}/vitals', { params: { path: { patientId } }, body: { samples } });
      if (sent.data?.accepted !== samples.length) throw new Error(`batch refused: ${sent.response.status} ${JSON.stringify(sent.error)}`);
      const alert = await pushed;
      latencies.push(performance.now() - started);
      const resolved = await asClinician.POST('/v1/alerts/{alertId}/resolve', { params: { path: { alertId: alert.alert.alertId } } });
      if (resolved.response.status !== 200) throw new Error(`resolving the alert failed: ${resolved.response.status}`);
    }
    await screen.close();
    const [coldMs, ...warm] = latencies;
    return { coldMs: coldMs!, latencies: warm };
  } finally {
    await twin.stop();
  }
}

export async function vitalsAlertLatencyBenchmark(): Promise<BenchRow[]> {
  const { coldMs, latencies } = await measureVitalsAlertLatencies(ROUNDS);
  const subject = `vitals POST (${2 * SECONDS_PER_ROUND} samples) → alert.created push (local twin, ${ROUNDS} rounds)`;
  return [
    ...latencyRows('vitals alert latency', subject, latencies, BUDGET_MS),
    {
      benchmark: 'vitals alert latency',
      subject: 'first round, before the timed ones',
      metric: 'cold start',
      value: `${coldMs.toFixed(0)} ms`,
    },
  ];
}

if (import.meta.main) {
  const rounds = Number(process.argv[2] ?? ROUNDS);
  const { coldMs, latencies } = await measureVitalsAlertLatencies(rounds);
  console.log(`cold ${coldMs.toFixed(0)} ms; ${latencies.map((value) => value.toFixed(0)).join(' ')}`);
  console.log(`median ${median(latencies).toFixed(0)} ms over ${rounds} rounds`);
}
