// Alerts that reach a person, through the twin: every push stored as a numbered notification,
// replayed in order to a socket that resumes (without a gap or a repeat, even while alerts keep
// coming), read back and marked read; an unacknowledged high-priority alert escalating once to
// the other clinicians and the admins, in the app and in the outbox; SOS from a caregiver;
// notes and filters on alerts.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/api/websocket-messages.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  createAndSignIn,
  eventually,
  inviteCaregiverAndSignIn,
  openSocket,
  type PushListener,
  problemOf,
  rawRequest,
  type SignedIn,
  vigil,
} from './support/vigil-api.ts';
import { buildClinic } from './support/world.ts';

let twin: LocalTwin;
let admin: SignedIn;
let clinician: SignedIn;
let colleague: SignedIn;
let patient: SignedIn;
let caregiver: SignedIn;
let patientId: string;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  ({ admin, clinician, patient } = await buildClinic(twin));
  patientId = patient.user.userId;
  colleague = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Bea');
  const added = await as(clinician).PUT('/v1/patients/{patientId}/care-team/{userId}', {
    params: { path: { patientId, userId: colleague.user.userId } },
  });
  expect(added.response.status).toBeLessThan(300);
  caregiver = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patientId, ['sos', 'vitals:heart_rate', 'alerts'], 'Kim');
}, 180_000);

afterAll(async () => {
  await twin?.stop();
});

const as = (person: SignedIn) => vigil(twin, person.tokens.accessToken);

/** A breach of `metric` measured now, which opens a high-priority alert on its built-in threshold. */
async function breach(metric: 'heart_rate' | 'systolic_bp' | 'blood_glucose' | 'diastolic_bp', value: number) {
  const sent = await as(patient).POST('/v1/patients/{patientId}/vitals', {
    params: { path: { patientId } },
    body: { samples: [{ metric, value, measuredAt: new Date().toISOString() }] },
  });
  expect(sent.response.status).toBe(200);
}

async function resolveOpenAlerts() {
  const open = await as(clinician).GET('/v1/alerts', { params: { query: { patientId, status: 'open' } } });
  for (const alert of open.data?.items ?? []) {
    await as(clinician).POST('/v1/alerts/{alertId}/resolve', { params: { path: { alertId: alert.alertId } } });
  }
}

async function lastSeqOf(person: SignedIn): Promise<number> {
  const { data } = await as(person).GET('/v1/notifications/unread-count');
  return data?.lastSeq ?? -1;
}

const isNotification = (message: ServerMessage): message is Extract<ServerMessage, { seq: number }> & { seq: number } =>
  message.type === 'alert.created' || message.type === 'alert.updated' || message.type === 'alert.escalated';

async function resumeOn(screen: PushListener, after: number) {
  screen.socket.send(JSON.stringify({ action: 'resume', after }));
  return screen.next((message) => message.type === 'resumed' || message.type === 'error', 20_000);
}

describe('stored notifications and resume', () => {
  it('replays exactly the three alerts a dropped socket missed, in order, then carries on live', async () => {
    await resolveOpenAlerts();
    const first = await openSocket(twin, clinician.tokens.accessToken);
    const seen = await lastSeqOf(clinician);
    await first.close();

    await breach('heart_rate', 171);
    await breach('systolic_bp', 201);
    await breach('blood_glucose', 301);
    await eventually(async () => ((await lastSeqOf(clinician)) >= seen + 3 ? true : undefined), 20_000, 'three notifications');

    const second = await openSocket(twin, clinician.tokens.accessToken);
    const resumed = await resumeOn(second, seen);
    expect(resumed).toMatchObject({ type: 'resumed', after: seen, replayed: 3, through: seen + 3, complete: true });
    const replayed = second.messages.filter(isNotification);
    expect(replayed.map((message) => message.seq)).toEqual([seen + 1, seen + 2, seen + 3]);
    expect(replayed.map((message) => (message.type === 'alert.created' ? message.alert.cause : message.type))).toEqual([
      'heart_rate.high',
      'systolic_bp.high',
      'blood_glucose.high',
    ]);

    // Live again: the next push arrives once, numbered next.
    await breach('diastolic_bp', 121);
    const live = await second.next((message) => isNotification(message) && message.seq === seen + 4);
    expect(live.type).toBe('alert.created');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.messages.filter(isNotification).map((message) => message.seq)).toEqual([seen + 1, seen + 2, seen + 3, seen + 4]);
    await second.close();
  }, 60_000);

  it('misses nothing and repeats nothing when alerts arrive while the replay runs', async () => {
    await resolveOpenAlerts();
    const seen = await lastSeqOf(clinician);
    // Something to replay, so the replay takes a while.
    for (const value of [150, 151, 152]) await breach('heart_rate', value);
    const screen = await openSocket(twin, clinician.tokens.accessToken);
    const racing = (async () => {
      for (const value of [153, 154, 155, 156, 157]) await breach('heart_rate', value);
    })();
    await resumeOn(screen, seen);
    await racing;
    const through = await lastSeqOf(clinician);
    expect(through).toBe(seen + 8);
    await eventually(async () => (screen.messages.filter(isNotification).length >= 8 ? true : undefined), 10_000, 'all eight');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seqs = screen.messages.filter(isNotification).map((message) => message.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, index) => seen + 1 + index));
    await screen.close();
  }, 60_000);

  it('refuses a resume from the future or malformed with an error on the socket, and leaves the socket live', async () => {
    const screen = await openSocket(twin, caregiver.tokens.accessToken);
    const ahead = await resumeOn(screen, (await lastSeqOf(caregiver)) + 1000);
    expect(ahead).toMatchObject({ type: 'error' });
    expect(ahead.type === 'error' && ahead.message).toContain('beyond your latest notification');
    screen.socket.send(JSON.stringify({ action: 'resume', after: -1 }));
    const malformed = await screen.next((message) => message.type === 'error' && message !== ahead);
    expect(malformed).toMatchObject({ type: 'error', message: 'invalid resume message' });
    await screen.close();
  });

  it('lists, counts and marks read only the caller’s own notifications', async () => {
    const count = await as(clinician).GET('/v1/notifications/unread-count');
    expect(count.data?.unread).toBeGreaterThanOrEqual(12);
    const page = await as(clinician).GET('/v1/notifications', { params: { query: { limit: '2' } } });
    expect(page.data?.items).toHaveLength(2);
    const [newest, older] = page.data?.items ?? [];
    expect((newest?.seq ?? 0) > (older?.seq ?? 0)).toBe(true);
    expect(newest).toMatchObject({ read: false, createdAt: expect.any(String) });
    const next = await as(clinician).GET('/v1/notifications', { params: { query: { limit: '2', cursor: page.data?.nextCursor ?? '' } } });
    expect(next.data?.items[0]?.seq).toBe((older?.seq ?? 0) - 1);

    const one = await as(clinician).POST('/v1/notifications/read', { body: { seqs: [newest?.seq ?? 0] } });
    expect(one.data).toEqual({ marked: 1, unread: (count.data?.unread ?? 0) - 1 });
    const unreadOnly = await as(clinician).GET('/v1/notifications', { params: { query: { unread: 'true', limit: '1' } } });
    expect(unreadOnly.data?.items[0]?.seq).toBe(older?.seq);
    const all = await as(clinician).POST('/v1/notifications/read', { body: { upToSeq: newest?.seq ?? 0 } });
    expect(all.data?.unread).toBe(0);
    const readBack = await as(clinician).GET('/v1/notifications', { params: { query: { limit: '1' } } });
    expect(readBack.data?.items[0]).toMatchObject({ read: true, readAt: expect.any(String) });

    // Reading alerts back is reading the patient's data again: it is in the patient's access log.
    const log = await as(patient).GET('/v1/patients/{patientId}/access-log', { params: { path: { patientId } } });
    expect(log.data?.items.some((entry) => entry.action === 'GET /v1/notifications' && entry.actor.userId === clinician.user.userId)).toBe(
      true,
    );
    const pushes = log.data?.items.filter((entry) => entry.action.startsWith('WS push alert.')) ?? [];
    expect(pushes.length).toBeGreaterThan(0);

    // The patient was never sent one, and another user's numbers mean nothing to them.
    expect((await as(patient).GET('/v1/notifications')).data?.items).toEqual([]);
    const both = await rawRequest(twin, 'POST', '/v1/notifications/read', {
      token: clinician.tokens.accessToken,
      body: JSON.stringify({ upToSeq: 1, seqs: [1] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(both.status).toBe(400);
    expect(problemOf(both.body).detail ?? JSON.stringify(problemOf(both.body))).toContain('upToSeq or seqs');
  });
});

describe('escalation', () => {
  it('escalates an unacknowledged high-priority alert once after 30 s, to the other clinicians and the admins, in the app and outside it; an acknowledged one does not', async () => {
    await resolveOpenAlerts();
    const notify = await as(colleague).PATCH('/v1/users/me', { body: { notify: { email: true, sms: '+4915112345678' } } });
    expect(notify.data?.notify).toEqual({ email: true, sms: '+4915112345678' });
    for (const metric of ['heart_rate', 'systolic_bp'] as const) {
      const put = await as(clinician).PUT('/v1/patients/{patientId}/thresholds/{metric}', {
        params: { path: { patientId, metric } },
        body: { max: metric === 'heart_rate' ? 130 : 180, priority: 'high', escalateAfterSeconds: 30 },
      });
      expect(put.data?.escalateAfterSeconds).toBe(30);
    }
    const colleagueScreen = await openSocket(twin, colleague.tokens.accessToken);
    const adminScreen = await openSocket(twin, admin.tokens.accessToken);

    await breach('heart_rate', 170);
    await breach('systolic_bp', 210);
    const open = await as(clinician).GET('/v1/alerts', { params: { query: { patientId, status: 'open' } } });
    const heart = open.data?.items.find((alert) => alert.cause === 'heart_rate.high');
    const pressure = open.data?.items.find((alert) => alert.cause === 'systolic_bp.high');
    expect(heart?.escalatesAt).toBeDefined();
    expect(Date.parse(heart?.escalatesAt ?? '') - Date.parse(heart?.createdAt ?? '')).toBe(30_000);
    await as(clinician).POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId: pressure?.alertId ?? '' } } });

    const escalated = await colleagueScreen.next((message) => message.type === 'alert.escalated', 45_000);
    expect(escalated).toMatchObject({ alertId: heart?.alertId, patientId, priority: 'high', alert: { cause: 'heart_rate.high' } });
    const toAdmin = await adminScreen.next((message) => message.type === 'alert.escalated', 10_000);
    expect(toAdmin).toMatchObject({ alertId: heart?.alertId, patientId });
    expect(toAdmin).not.toHaveProperty('alert');

    const after = await as(clinician).GET('/v1/alerts/{alertId}', { params: { path: { alertId: heart?.alertId ?? '' } } });
    expect(after.data).toMatchObject({ escalated: true, escalatedAt: expect.any(String) });
    const acknowledged = await as(clinician).GET('/v1/alerts/{alertId}', { params: { path: { alertId: pressure?.alertId ?? '' } } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(acknowledged.data?.escalatedAt).toBeUndefined();
    expect(colleagueScreen.messages.filter((message) => message.type === 'alert.escalated')).toHaveLength(1);

    const outbox = (await readFile(twin.outboxFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { channel: string; to: string; text: string });
    // Both alerts' creation and the one escalation, each by email and text message.
    const toColleague = outbox.filter((line) => line.to === '+4915112345678' || line.to === colleague.user.email);
    expect(toColleague.map((line) => `${line.channel} ${line.text}`).sort()).toEqual([
      'email Vigil: a high-priority alert for one of your patients has not been acknowledged. Open the app.',
      'email Vigil: a high-priority alert for one of your patients. Open the app.',
      'email Vigil: a high-priority alert for one of your patients. Open the app.',
      'sms Vigil: a high-priority alert for one of your patients has not been acknowledged. Open the app.',
      'sms Vigil: a high-priority alert for one of your patients. Open the app.',
      'sms Vigil: a high-priority alert for one of your patients. Open the app.',
    ]);
    for (const line of outbox) expect(line.text).not.toMatch(/heart|pressure|bpm|mmHg|Pat\b/i);

    await colleagueScreen.close();
    await adminScreen.close();
  }, 90_000);
});

describe('SOS', () => {
  it('reaches clinicians and the caregiver at once, updates while open, and is cancelled by the patient', async () => {
    const registered = await as(caregiver).PATCH('/v1/users/me', {
      body: { notify: { push: { platform: 'fcm', token: 'fcm-device-token-1' } } },
    });
    const endpointArn = registered.data?.notify?.push?.endpointArn ?? '';
    expect(endpointArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:endpoint\/GCM\/vigil-local\//);
    const caregiverScreen = await openSocket(twin, caregiver.tokens.accessToken);
    const clinicianScreen = await openSocket(twin, clinician.tokens.accessToken);
    const called = await as(caregiver).POST('/v1/patients/{patientId}/sos', {
      params: { path: { patientId } },
      body: { location: { lat: 52.52, lon: 13.405, accuracyM: 12 }, message: 'Fell in the kitchen' },
    });
    expect(called.response.status).toBe(201);
    expect(called.data).toMatchObject({ cause: 'sos', priority: 'high', status: 'open', count: 1, raisedBy: caregiver.user.userId });
    const toClinician = await clinicianScreen.next((message) => message.type === 'alert.created' && message.alert.cause === 'sos');
    expect(toClinician).toMatchObject({ alert: { location: { lat: 52.52, lon: 13.405, accuracyM: 12 } } });
    await caregiverScreen.next((message) => message.type === 'alert.created' && message.alert.cause === 'sos');
    const pushed = await eventually(async () => {
      const lines = (await readFile(twin.outboxFile, 'utf8')).trim().split('\n');
      return lines.map((line) => JSON.parse(line) as { channel: string; to: string; text: string }).find((line) => line.to === endpointArn);
    });
    expect(pushed).toMatchObject({ channel: 'push', text: 'Vigil: a high-priority alert for someone you care for. Open the app.' });

    const again = await as(patient).POST('/v1/patients/{patientId}/sos', {
      params: { path: { patientId } },
      body: { location: { lat: 52.53, lon: 13.41, accuracyM: 5 } },
    });
    expect(again.data).toMatchObject({ alertId: called.data?.alertId, count: 2, location: { lat: 52.53, lon: 13.41, accuracyM: 5 } });

    const cancelled = await as(patient).POST('/v1/patients/{patientId}/sos/cancel', { params: { path: { patientId } } });
    expect(cancelled.data).toMatchObject({ status: 'resolved', resolution: 'cancelled by the patient' });
    await caregiverScreen.next((message) => message.type === 'alert.updated' && message.alert.status === 'resolved');
    const none = await as(patient).POST('/v1/patients/{patientId}/sos/cancel', { params: { path: { patientId } } });
    expect(none.response.status).toBe(409);
    await caregiverScreen.close();
    await clinicianScreen.close();
  });

  it('is refused to a caregiver without the sos scope and limited per patient', async () => {
    const other = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patientId, ['alerts'], 'Lee');
    const refused = await as(other).POST('/v1/patients/{patientId}/sos', { params: { path: { patientId } }, body: {} });
    expect(refused.response.status).toBe(403);
    const statuses: number[] = [];
    for (let call = 0; call < 12; call++) {
      statuses.push((await as(patient).POST('/v1/patients/{patientId}/sos', { params: { path: { patientId } } })).response.status);
    }
    expect(statuses).toContain(429);
    await as(patient).POST('/v1/patients/{patientId}/sos/cancel', { params: { path: { patientId } } });
  });
});

describe('alerts a clinician can work with', () => {
  it('keeps notes with author and time for clinicians only, and filters the list', async () => {
    await breach('heart_rate', 180);
    const list = await as(clinician).GET('/v1/alerts', { params: { query: { patientId, cause: 'heart_rate.high', status: 'open' } } });
    const alertId = list.data?.items[0]?.alertId ?? '';
    expect(list.data?.items.every((alert) => alert.cause === 'heart_rate.high')).toBe(true);
    const noted = await as(clinician).POST('/v1/alerts/{alertId}/notes', {
      params: { path: { alertId } },
      body: { text: 'Called the patient.\nFeels fine, rechecking in an hour.' },
    });
    expect(noted.response.status).toBe(201);
    expect(noted.data?.notes).toEqual([
      {
        noteId: expect.any(String),
        text: 'Called the patient.\nFeels fine, rechecking in an hour.',
        authorId: clinician.user.userId,
        authorName: 'Dr Ada',
        at: expect.any(String),
      },
    ]);
    const asPatient = await as(patient).GET('/v1/alerts/{alertId}', { params: { path: { alertId } } });
    expect(asPatient.data?.alertId).toBe(alertId);
    expect(asPatient.data).not.toHaveProperty('notes');

    const high = await as(clinician).GET('/v1/alerts', { params: { query: { priority: 'low' } } });
    expect(high.data?.items).toEqual([]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await as(clinician).GET('/v1/alerts', { params: { query: { from: future } } });
    expect(none.data?.items).toEqual([]);
    const upToNow = await as(clinician).GET('/v1/alerts', { params: { query: { to: future, limit: '100' } } });
    expect(upToNow.data?.items.map((alert) => alert.alertId)).toContain(alertId);
  });

  it('lists to a caregiver the alerts their consent covers, and to a patient their own', async () => {
    const byCaregiver = await as(caregiver).GET('/v1/alerts', { params: { query: { limit: '100' } } });
    const causes = new Set(byCaregiver.data?.items.map((alert) => alert.cause));
    expect(causes.has('heart_rate.high')).toBe(true);
    expect(causes.has('sos')).toBe(true);
    expect(causes.has('systolic_bp.high')).toBe(false);
    const byPatient = await as(patient).GET('/v1/alerts', { params: { query: { limit: '100' } } });
    expect(byPatient.data?.items.every((alert) => alert.patientId === patientId)).toBe(true);
    expect(new Set(byPatient.data?.items.map((alert) => alert.cause)).has('systolic_bp.high')).toBe(true);
  });
});

describe('notifications within consent', () => {
  it('leaves a caregiver taken off the care team nothing of the patient to read back or replay', async () => {
    const lee = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patientId, ['vitals:heart_rate', 'alerts'], 'Lee');
    await breach('heart_rate', 190);
    const before = await as(lee).GET('/v1/notifications');
    expect(before.data?.items.length).toBeGreaterThan(0);
    const removed = await as(patient).DELETE('/v1/patients/{patientId}/care-team/{userId}', {
      params: { path: { patientId, userId: lee.user.userId } },
    });
    expect(removed.response.status).toBe(204);
    expect((await as(lee).GET('/v1/notifications')).data?.items).toEqual([]);
    const screen = await openSocket(twin, lee.tokens.accessToken);
    const resumed = await resumeOn(screen, 0);
    expect(resumed).toMatchObject({ type: 'resumed', replayed: 0 });
    expect(screen.messages.filter(isNotification)).toEqual([]);
    await screen.close();
  });

  it('answers a time range that ends before it begins with 400 naming from', async () => {
    const response = await rawRequest(twin, 'GET', '/v1/alerts?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', {
      token: clinician.tokens.accessToken,
    });
    expect(response.status).toBe(400);
    expect(problemOf(response.body).errors?.map((error) => error.path)).toContain('query.from');
    const beyond = await rawRequest(twin, 'GET', '/v1/alerts?to=9999-12-31T23:59:59-23:59', { token: clinician.tokens.accessToken });
    expect(beyond.status).toBe(400);
  });
});
