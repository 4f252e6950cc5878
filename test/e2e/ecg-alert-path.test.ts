// The whole path on the local twin, over real HTTP and WebSocket: accounts, a threshold,
// a clinician watching, ECG uploaded in chunks, analysed from the queue, an alert pushed,
// listed and acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTwin, type LocalTwin } from '../support/local-twin.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { api, bootstrapOrganisation, createAndSignIn, eventually, openSocket, type PushListener } from './support/vigil-api.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableClient } from '../../shared/data/table-client.ts';
import { getConnection, listConnectionIdsOfUser, putConnection } from '../../shared/data/connection-store.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/local-aws.ts';

const SAMPLE_RATE = 250;
const CHUNK_SECONDS = 10;

let twin: LocalTwin;
let clinicianToken: string;
let clinicianId: string;
let patientToken: string;
let patientId: string;
let screen: PushListener;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  const admin = await bootstrapOrganisation(twin);
  const clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Ada');
  clinicianToken = clinician.tokens.accessToken;
  clinicianId = clinician.user.userId;
  const patient = await createAndSignIn(twin, clinicianToken, 'patient', 'Pat');
  patientToken = patient.tokens.accessToken;
  patientId = patient.user.userId;
});

afterAll(async () => {
  await screen?.close();
  await twin?.stop();
});

describe('ECG to alert, end to end', () => {
  let recordingId: string;
  let alertId: string;

  it('lets the clinician set the heart-rate threshold for their patient', async () => {
    const response = await api(twin, 'PUT', `/v1/patients/${patientId}/thresholds/heart_rate`, {
      token: clinicianToken,
      body: { max: 100 },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ metric: 'heart_rate', scope: 'patient', max: 100 });
    const effective = await api(twin, 'GET', `/v1/patients/${patientId}/thresholds/heart_rate`, { token: clinicianToken });
    expect(effective.body).toMatchObject({ scope: 'patient', max: 100 });
  });

  it('lets the clinician watch the patient over the WebSocket', async () => {
    screen = await openSocket(twin, clinicianToken);
    screen.socket.send(JSON.stringify({ action: 'subscribe', patientIds: [patientId] }));
    expect(await screen.next((message) => message.type === 'subscribed')).toEqual({ type: 'subscribed', patientIds: [patientId] });
    screen.socket.send(JSON.stringify({ action: 'ping' }));
    expect(await screen.next((message) => message.type === 'pong')).toEqual({ type: 'pong' });
  });

  it('takes a recording from the patient and pushes a heart-rate alert to the clinician', async () => {
    // A connection whose $disconnect never arrived (a phone that lost its network): the push
    // to it gets 410 and must remove exactly that record.
    const table = createTableClient(
      twin.state.tableName,
      new DynamoDBClient({ region: twin.state.region, credentials: LOCAL_CREDENTIALS, endpoint: twin.state.dynamoDbEndpoint }),
    );
    const live = await listConnectionIdsOfUser(table, clinicianId);
    await putConnection(table, {
      connectionId: 'c3RhbGUtY29ubmVjdGlvbg==',
      userId: clinicianId,
      orgId: crypto.randomUUID(),
      role: 'clinician',
      connectedAt: new Date().toISOString(),
    });

    const started = await api(twin, 'POST', `/v1/patients/${patientId}/ecg`, {
      token: patientToken,
      body: { sampleRateHz: SAMPLE_RATE, lead: 'II' },
    });
    expect(started.status).toBe(201);
    recordingId = started.body.recordingId;

    const { samples } = regularRhythmEcg({ sampleRateHz: SAMPLE_RATE, seconds: 3 * CHUNK_SECONDS, heartRateBpm: 150 });
    const uploadedAt = Date.now();
    for (let seq = 0; seq < 3; seq++) {
      const chunk = Array.from(samples.subarray(seq * SAMPLE_RATE * CHUNK_SECONDS, (seq + 1) * SAMPLE_RATE * CHUNK_SECONDS));
      const response = await api(twin, 'PUT', `/v1/ecg/${recordingId}/chunks/${seq}`, { token: patientToken, body: { samples: chunk } });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ recordingId, seq, sampleCount: chunk.length, status: 'queued' });
    }

    const pushed = await screen.next((message) => message.type === 'alert.created');
    expect(Date.now() - uploadedAt).toBeLessThan(15_000);
    expect(pushed.alert).toMatchObject({
      patientId,
      cause: 'heart_rate.high',
      metric: 'heart_rate',
      priority: 'high',
      status: 'open',
      limit: 100,
      recordingId,
    });
    expect(pushed.alert.firstValue).toBeGreaterThan(140);
    expect(pushed.alert.firstValue).toBeLessThan(160);
    alertId = pushed.alert.alertId;

    // The live screen may hear the push before the stale record's removal has finished.
    await eventually(
      async () => ((await getConnection(table, 'c3RhbGUtY29ubmVjdGlvbg==')) ? undefined : true),
      5_000,
      'the stale connection to be removed',
    );
    expect(await listConnectionIdsOfUser(table, clinicianId)).toEqual(live);
  });

  it('keeps one open alert for the ongoing breach, counting the repeats', async () => {
    const alerts = await eventually(
      async () => {
        const response = await api(twin, 'GET', '/v1/alerts?status=open', { token: clinicianToken });
        return response.body.items?.[0]?.count >= 3 ? response.body.items : undefined;
      },
      20_000,
      'three analysed chunks on the alert',
    );
    expect(alerts.map((alert: { cause: string; message: string }) => [alert.cause, alert.message])).toEqual([
      ['heart_rate.high', expect.any(String)],
    ]);
    expect(alerts[0]).toMatchObject({ alertId, status: 'open', count: 3 });
  });

  it('shows the recording with its findings', async () => {
    // Alerts are raised just before a chunk's analysis is committed, so wait for the commit.
    const recording = await eventually(
      async () => {
        const response = await api(twin, 'GET', `/v1/ecg/${recordingId}`, { token: clinicianToken });
        return response.body.chunksAnalyzed === 3 ? response : undefined;
      },
      20_000,
      'three analysed chunks',
    );
    expect(recording.status).toBe(200);
    expect(recording.body).toMatchObject({
      recordingId,
      patientId,
      sampleRateHz: SAMPLE_RATE,
      lead: 'II',
      chunksReceived: 3,
      chunksAnalyzed: 3,
    });
    expect(recording.body.findings.heartRate.mean).toBeGreaterThan(145);
    expect(recording.body.findings.heartRate.mean).toBeLessThan(155);
    expect(recording.body.findings.beatCount).toBeGreaterThanOrEqual(70);
  });

  it('acknowledges the alert and tells the screen', async () => {
    const acknowledged = await api(twin, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: clinicianToken });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ alertId, status: 'acknowledged' });
    const update = await screen.next((message) => message.type === 'alert.updated' && message.alert.status === 'acknowledged');
    expect(update.alert.alertId).toBe(alertId);
    expect((await api(twin, 'GET', '/v1/alerts?status=open', { token: clinicianToken })).body.items).toEqual([]);
    const again = await api(twin, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: clinicianToken });
    expect(again.status).toBe(409);
  });

  it('resolves the alert, so the next breach would open a new one', async () => {
    const resolved = await api(twin, 'POST', `/v1/alerts/${alertId}/resolve`, { token: clinicianToken });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ alertId, status: 'resolved', count: 3 });
    expect((await screen.next((message) => message.type === 'alert.updated' && message.alert.status === 'resolved')).alert.alertId).toBe(
      alertId,
    );
    expect(
      (await api(twin, 'GET', '/v1/alerts?status=resolved', { token: clinicianToken })).body.items.map(
        (a: { alertId: string }) => a.alertId,
      ),
    ).toEqual([alertId]);
    expect((await api(twin, 'POST', `/v1/alerts/${alertId}/resolve`, { token: clinicianToken })).status).toBe(409);
  });

  it('closes the recording when the patient completes it', async () => {
    const completed = await api(twin, 'POST', `/v1/ecg/${recordingId}/complete`, { token: patientToken });
    expect(completed.status).toBe(200);
    expect(completed.body.chunkCount).toBe(3);
    const analyzed = await eventually(
      async () => {
        const response = await api(twin, 'GET', `/v1/ecg/${recordingId}`, { token: patientToken });
        return response.body.status === 'analyzed' ? response.body : undefined;
      },
      20_000,
      'the recording to be analysed',
    );
    expect(analyzed.findings.beatCount).toBeGreaterThanOrEqual(74);
    expect(analyzed.findings.flags).toContain('tachycardia');
  });
});
