// Time from the start of a chunk upload (PUT) to the alert.created push on a clinician's
// WebSocket, on the local twin: HTTP gateway → ecg Lambda → DynamoDB Local + SQS emulator →
// event source → analysis Lambda → PostToConnection → WebSocket. Each round uses a new
// recording and resolves the alert afterwards so the next breach opens a new one.
// Run alone with `node test/bench/alert-latency-bench.ts [rounds]`, or within `npm run bench`.
import { startLocalTwin } from '../support/local-twin.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import type { ServerMessage } from '../../shared/api/websocket-messages.ts';
import { openSocket, vigil } from '../e2e/support/vigil-api.ts';
import { buildClinic } from '../e2e/support/world.ts';
import { type BenchRow, latencyRows, median } from './bench-table.ts';

/** The product promise: a clinician sees an alert within a second of the upload. */
const BUDGET_MS = 1000;
const SAMPLE_RATE = 250;

// The twin's handlers log every analysed chunk at INFO; what a benchmark prints is its table.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';

export async function measureAlertLatencies(rounds: number): Promise<number[]> {
  const twin = await startLocalTwin({ log: () => undefined, sqsWaitTimeSeconds: 20 });
  try {
    const { clinician, patient } = await buildClinic(twin);
    const patientId = patient.user.userId;
    const asClinician = vigil(twin, clinician.tokens.accessToken);
    const asPatient = vigil(twin, patient.tokens.accessToken);
    await asClinician.PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path: { patientId, metric: 'heart_rate' } },
      body: { max: 100 },
    });
    const screen = await openSocket(twin, clinician.tokens.accessToken);
    const samples = Array.from(regularRhythmEcg({ sampleRateHz: SAMPLE_RATE, seconds: 10, heartRateBpm: 150 }).samples);
    const latencies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const recording = await asPatient.POST('/v1/patients/{patientId}/ecg', {
        params: { path: { patientId } },
        body: { sampleRateHz: SAMPLE_RATE, lead: 'II' },
      });
      const recordingId = recording.data?.recordingId ?? '';
      const pushed = screen.next(
        (message: ServerMessage): message is Extract<ServerMessage, { type: 'alert.created' }> =>
          message.type === 'alert.created' && message.alert.recordingId === recordingId,
      );
      const started = performance.now();
      const upload = await asPatient.PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
        params: { path: { recordingId, seq: '0' } },
        body: { samples },
      });
      if (upload.response.status !== 202) throw new Error(`upload failed: ${upload.response.status}`);
      const alert = await pushed;
      latencies.push(performance.now() - started);
      await asClinician.POST('/v1/alerts/{alertId}/resolve', { params: { path: { alertId: alert.alert.alertId } } });
    }
    await screen.close();
    return latencies;
  } finally {
    await twin.stop();
  }
}

export async function alertLatencyBenchmark(): Promise<BenchRow[]> {
  return latencyRows('alert latency', 'chunk PUT → alert.created push (local twin, 20 rounds)', await measureAlertLatencies(20), BUDGET_MS);
}

if (import.meta.main) {
  const rounds = Number(process.argv[2] ?? 20);
  const latencies = await measureAlertLatencies(rounds);
  console.log(latencies.map((value) => value.toFixed(0)).join(' '));
  console.log(`median ${median(latencies).toFixed(0)} ms over ${rounds} rounds`);
}
