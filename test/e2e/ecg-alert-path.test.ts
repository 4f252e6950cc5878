// The whole path on the local twin, over real HTTP and WebSocket: accounts, a threshold,
// a clinician watching, ECG uploaded in chunks, analysed from the queue, an alert pushed,
// listed and acknowledged.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertCreatedMessage, AlertUpdatedMessage, ServerMessage } from '../../shared/api/websocket-messages.ts';
import { getConnection, listConnectionIdsOfUser, putConnection } from '../../shared/data/connection-store.ts';
import { createTableClient } from '../../shared/data/table-client.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/local-aws.ts';
import type { z } from 'zod';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import { bootstrapOrganisation, createAndSignIn, eventually, openSocket, type PushListener, vigil } from './support/vigil-api.ts';

const SAMPLE_RATE = 250;
const CHUNK_SECONDS = 10;

let twin: LocalTwin;
let clinicianToken: string;
let clinicianId: string;
let patientToken: string;
let patientId: string;
let screen: PushListener;

type AlertCreated = z.infer<typeof AlertCreatedMessage>;
type AlertUpdated = z.infer<typeof AlertUpdatedMessage>;
const isCreated = (message: ServerMessage): message is AlertCreated => message.type === 'alert.created';
const updatedTo =
  (status: string) =>
  (message: ServerMessage): message is AlertUpdated =>
    message.type === 'alert.updated' && message.alert.status === status;

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
  const asClinician = () => vigil(twin, clinicianToken);
  const asPatient = () => vigil(twin, patientToken);

  it('lets the clinician set the heart-rate threshold for their patient', async () => {
    const path = { patientId, metric: 'heart_rate' } as const;
    const { data, response } = await asClinician().PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path },
      body: { max: 100 },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ metric: 'heart_rate', scope: 'patient', max: 100 });
    const effective = await asClinician().GET('/v1/patients/{patientId}/thresholds/{metric}', { params: { path } });
    expect(effective.data).toMatchObject({ scope: 'patient', max: 100 });
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

    const started = await asPatient().POST('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId } },
      body: { sampleRateHz: SAMPLE_RATE, lead: 'II' },
    });
    expect(started.response.status).toBe(201);
    recordingId = started.data!.recordingId;

    const { samples } = regularRhythmEcg({ sampleRateHz: SAMPLE_RATE, seconds: 3 * CHUNK_SECONDS, heartRateBpm: 150 });
    const uploadedAt = Date.now();
    for (let seq = 0; seq < 3; seq++) {
      const chunk = Array.from(samples.subarray(seq * SAMPLE_RATE * CHUNK_SECONDS, (seq + 1) * SAMPLE_RATE * CHUNK_SECONDS));
      const { data, response } = await asPatient().PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
        params: { path: { recordingId, seq: String(seq) } },
        body: { samples: chunk },
      });
      expect(response.status).toBe(202);
      expect(data).toEqual({ recordingId, seq, sampleCount: chunk.length, status: 'queued' });
    }

    const pushed = await screen.next(isCreated);
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
        const { data } = await asClinician().GET('/v1/alerts', { params: { query: { status: 'open' } } });
        return (data?.items[0]?.count ?? 0) >= 3 ? data?.items : undefined;
      },
      20_000,
      'three analysed chunks on the alert',
    );
    expect(alerts.map((alert) => alert.cause)).toEqual(['heart_rate.high']);
    expect(alerts[0]).toMatchObject({ alertId, status: 'open', count: 3 });
  });

  it('shows the recording with its findings', async () => {
    // Alerts are raised just before a chunk's analysis is committed, so wait for the commit.
    const recording = await eventually(
      async () => {
        const { data } = await asClinician().GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
        return data?.chunksAnalyzed === 3 ? data : undefined;
      },
      20_000,
      'three analysed chunks',
    );
    expect(recording).toMatchObject({
      recordingId,
      patientId,
      sampleRateHz: SAMPLE_RATE,
      lead: 'II',
      chunksReceived: 3,
      chunksAnalyzed: 3,
    });
    expect(recording.findings.heartRate?.mean).toBeGreaterThan(145);
    expect(recording.findings.heartRate?.mean).toBeLessThan(155);
    expect(recording.findings.beatCount).toBeGreaterThanOrEqual(70);
  });

  it('acknowledges the alert and tells the screen', async () => {
    const path = { params: { path: { alertId } } };
    const acknowledged = await asClinician().POST('/v1/alerts/{alertId}/acknowledge', path);
    expect(acknowledged.response.status).toBe(200);
    expect(acknowledged.data).toMatchObject({ alertId, status: 'acknowledged' });
    const update = await screen.next(updatedTo('acknowledged'));
    expect(update.alert.alertId).toBe(alertId);
    expect((await asClinician().GET('/v1/alerts', { params: { query: { status: 'open' } } })).data?.items).toEqual([]);
    expect((await asClinician().POST('/v1/alerts/{alertId}/acknowledge', path)).response.status).toBe(409);
  });

  it('resolves the alert, so the next breach would open a new one', async () => {
    const path = { params: { path: { alertId } } };
    const resolved = await asClinician().POST('/v1/alerts/{alertId}/resolve', path);
    expect(resolved.response.status).toBe(200);
    expect(resolved.data).toMatchObject({ alertId, status: 'resolved', count: 3 });
    expect((await screen.next(updatedTo('resolved'))).alert.alertId).toBe(alertId);
    const listed = await asClinician().GET('/v1/alerts', { params: { query: { status: 'resolved' } } });
    expect(listed.data?.items.map((alert) => alert.alertId)).toEqual([alertId]);
    expect((await asClinician().POST('/v1/alerts/{alertId}/resolve', path)).response.status).toBe(409);
  });

  it('closes the recording when the patient completes it', async () => {
    const completed = await asPatient().POST('/v1/ecg/{recordingId}/complete', { params: { path: { recordingId } } });
    expect(completed.response.status).toBe(200);
    expect(completed.data?.chunkCount).toBe(3);
    const analyzed = await eventually(
      async () => {
        const { data } = await asPatient().GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
        return data?.status === 'analyzed' ? data : undefined;
      },
      20_000,
      'the recording to be analysed',
    );
    expect(analyzed.findings.beatCount).toBeGreaterThanOrEqual(74);
    expect(analyzed.findings.flags).toContain('tachycardia');
    expect(analyzed.analyzedAt).toEqual(expect.any(String));
  });
});
