// The authorization matrix: every route × every kind of caller, as data. A route missing from
// the table fails the first test, so each new route brings its rows. An object a caller may
// not see answers 404; a role that may not use a route at all answers 403; no token, 401.
// Every answer is also checked against the route's contract (rawRequest). A disabled account's
// token, still unexpired, answers 401 everywhere a token is needed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteKey, ROUTES, routeKey } from '../../shared/api/routes.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import { rawRequest, STRONG_PASSWORD } from './support/vigil-api.ts';
import { buildWorld, CALLERS, type CallerName, type World } from './support/world.ts';

interface Request {
  path: string;
  body?: unknown;
}

interface Row {
  readonly route: RouteKey;
  /** The request `caller` makes; called once per caller, so it may make fresh objects. */
  readonly request: (world: World, caller: CallerName) => Promise<Request> | Request;
  readonly expect: Record<CallerName, number>;
}

/** The same status for every caller: public routes, whose answer does not depend on who asks. */
const everyone = (status: number): Record<CallerName, number> =>
  Object.fromEntries(CALLERS.map((caller) => [caller, status])) as Record<CallerName, number>;
/** Any signed-in user gets `status`; no token, or the token of a disabled account, 401. */
const signedIn = (status: number, answers: Partial<Record<CallerName, number>> = {}) => ({
  ...everyone(status),
  anonymous: 401,
  disabled: 401,
  ...answers,
});
/** Only the roles listed may use the route at all: everyone else signed in gets 403. */
const only = (answers: Partial<Record<CallerName, number>>) => ({ ...signedIn(403), ...answers });

const NOBODY = { email: 'nobody-at-all@example.org', password: STRONG_PASSWORD };
const patientPath = (world: World, rest: string) => `/v1/patients/${world.patientId}${rest}`;

/** How a route on the patient's clinical data answers: clinicians of the patient only (by role), others of their role see nothing. */
const clinicalRoute = (ok: number) => only({ clinician: ok, otherClinician: 404, outsider: 404 });
/** How an ECG upload route answers: the patient only (by role). */
const uploadRoute = (ok: number) => only({ patient: ok, otherPatient: 404 });

// Rows run in order; the ones that set something up for a later row come first.
const MATRIX: Row[] = [
  { route: 'GET /v1/health', request: () => ({ path: '/v1/health' }), expect: everyone(200) },
  { route: 'GET /v1/openapi.json', request: () => ({ path: '/v1/openapi.json' }), expect: everyone(200) },
  { route: 'GET /v1/asyncapi.json', request: () => ({ path: '/v1/asyncapi.json' }), expect: everyone(200) },
  { route: 'POST /v1/auth/login', request: () => ({ path: '/v1/auth/login', body: NOBODY }), expect: everyone(401) },
  {
    route: 'POST /v1/auth/refresh',
    request: () => ({ path: '/v1/auth/refresh', body: { refreshToken: 'not-a-token' } }),
    expect: everyone(401),
  },
  {
    route: 'POST /v1/auth/forgot-password',
    request: () => ({ path: '/v1/auth/forgot-password', body: { email: NOBODY.email } }),
    expect: everyone(202),
  },
  {
    route: 'POST /v1/auth/reset-password',
    request: () => ({ path: '/v1/auth/reset-password', body: { email: NOBODY.email, code: '123456', newPassword: STRONG_PASSWORD } }),
    expect: everyone(401),
  },
  {
    route: 'POST /v1/auth/password',
    // A wrong current password: the route is the caller's own account, whoever they are.
    request: () => ({ path: '/v1/auth/password', body: { currentPassword: 'Not-The-Password-1', newPassword: STRONG_PASSWORD } }),
    expect: signedIn(401),
  },
  {
    route: 'POST /v1/auth/logout',
    request: async (world, caller) => ({
      path: '/v1/auth/logout',
      body: { refreshToken: caller === 'anonymous' ? 'not-a-token' : ((await world.freshTokens(caller)).refreshToken ?? '') },
    }),
    expect: signedIn(204),
  },
  { route: 'GET /v1/users/me', request: () => ({ path: '/v1/users/me' }), expect: signedIn(200) },
  {
    route: 'PATCH /v1/users/me',
    request: () => ({ path: '/v1/users/me', body: { notify: { email: true } } }),
    expect: signedIn(200),
  },
  {
    route: 'POST /v1/users',
    request: () => ({ path: '/v1/users', body: { email: `new-${randomUUID()}@example.org`, name: 'New', role: 'clinician' } }),
    expect: only({ admin: 201, outsiderAdmin: 201 }),
  },
  { route: 'GET /v1/users', request: () => ({ path: '/v1/users?role=clinician' }), expect: only({ admin: 200, outsiderAdmin: 200 }) },
  {
    route: 'GET /v1/users/{userId}',
    request: (world) => ({ path: `/v1/users/${world.patientId}` }),
    expect: signedIn(404, { admin: 200, clinician: 200, patient: 200, caregiver: 200, unsharedCaregiver: 200 }),
  },
  {
    route: 'PATCH /v1/users/{userId}',
    request: (world) => ({ path: `/v1/users/${world.patientId}`, body: { timeZone: 'Europe/Berlin' } }),
    expect: signedIn(404, { admin: 200, clinician: 200, patient: 200, caregiver: 403, unsharedCaregiver: 403 }),
  },
  {
    route: 'DELETE /v1/users/{userId}',
    request: async (world) => ({ path: `/v1/users/${await world.newPatient()}` }),
    expect: only({ admin: 204, clinician: 204, otherClinician: 404, outsiderAdmin: 404, outsider: 404 }),
  },
  {
    route: 'GET /v1/patients',
    request: () => ({ path: '/v1/patients' }),
    expect: signedIn(200, { patient: 403, otherPatient: 403 }),
  },
  {
    route: 'GET /v1/patients/{patientId}/care-team',
    request: (world) => ({ path: patientPath(world, '/care-team') }),
    expect: signedIn(404, { admin: 200, clinician: 200, patient: 200, caregiver: 403, unsharedCaregiver: 403 }),
  },
  {
    route: 'PUT /v1/patients/{patientId}/care-team/{userId}',
    request: (world) => ({ path: patientPath(world, `/care-team/${world.coverClinicianId}`) }),
    expect: signedIn(404, { admin: 200, clinician: 200, patient: 403, caregiver: 403, unsharedCaregiver: 403 }),
  },
  {
    route: 'DELETE /v1/patients/{patientId}/care-team/{userId}',
    request: async (world) => ({ path: patientPath(world, `/care-team/${await world.newCoverClinician()}`) }),
    expect: signedIn(404, { admin: 204, clinician: 204, patient: 403, caregiver: 403, unsharedCaregiver: 403 }),
  },
  {
    route: 'POST /v1/patients/{patientId}/caregivers',
    request: (world) => ({
      path: patientPath(world, '/caregivers'),
      body: { email: `carer-${randomUUID()}@example.org`, name: 'Carer', scopes: ['alerts'] },
    }),
    expect: only({ clinician: 201, otherClinician: 404, patient: 201, otherPatient: 404, outsider: 404 }),
  },
  {
    route: 'GET /v1/patients/{patientId}/access-log',
    request: (world) => ({ path: patientPath(world, '/access-log') }),
    expect: only({ patient: 200, otherPatient: 404 }),
  },
  {
    route: 'GET /v1/audit',
    request: (world) => ({ path: `/v1/audit?patientId=${world.patientId}` }),
    expect: only({ admin: 200, outsiderAdmin: 200 }),
  },
  {
    route: 'POST /v1/patients/{patientId}/devices',
    request: (world) => ({ path: patientPath(world, '/devices'), body: { serial: `SN-${randomUUID()}`, kind: 'pulse_oximeter' } }),
    expect: only({ patient: 201, clinician: 201, otherPatient: 404, otherClinician: 404, outsider: 404 }),
  },
  {
    route: 'GET /v1/patients/{patientId}/devices',
    request: (world) => ({ path: patientPath(world, '/devices') }),
    expect: only({ patient: 200, clinician: 200, otherPatient: 404, otherClinician: 404, outsider: 404 }),
  },
  {
    route: 'PATCH /v1/devices/{deviceId}',
    request: async (world) => ({ path: `/v1/devices/${await world.newDevice()}`, body: { batteryPercent: 80 } }),
    expect: only({ patient: 200, clinician: 200, otherPatient: 404, otherClinician: 404, outsider: 404 }),
  },
  {
    route: 'DELETE /v1/devices/{deviceId}',
    request: async (world) => ({ path: `/v1/devices/${await world.newDevice()}` }),
    expect: only({ patient: 204, clinician: 204, otherPatient: 404, otherClinician: 404, outsider: 404 }),
  },
  {
    route: 'POST /v1/patients/{patientId}/vitals',
    request: (world) => ({
      path: patientPath(world, '/vitals'),
      body: { samples: [{ metric: 'heart_rate', value: 72, measuredAt: new Date().toISOString() }] },
    }),
    expect: only({ patient: 200, otherPatient: 404 }),
  },
  {
    route: 'GET /v1/patients/{patientId}/vitals',
    request: (world) => ({ path: patientPath(world, '/vitals?metric=heart_rate') }),
    expect: signedIn(404, { admin: 403, clinician: 200, patient: 200, caregiver: 200, unsharedCaregiver: 403 }),
  },
  {
    route: 'GET /v1/patients/{patientId}/vitals/latest',
    request: (world) => ({ path: patientPath(world, '/vitals/latest') }),
    expect: signedIn(404, { admin: 403, clinician: 200, patient: 200, caregiver: 200, unsharedCaregiver: 403 }),
  },
  {
    route: 'PUT /v1/thresholds/{metric}',
    request: () => ({ path: '/v1/thresholds/heart_rate', body: { max: 140 } }),
    expect: only({ clinician: 200, otherClinician: 200, outsider: 200 }),
  },
  {
    route: 'GET /v1/thresholds/{metric}',
    request: () => ({ path: '/v1/thresholds/heart_rate' }),
    expect: only({ clinician: 200, otherClinician: 200, outsider: 200 }),
  },
  {
    route: 'PUT /v1/patients/{patientId}/thresholds/{metric}',
    request: (world) => ({ path: patientPath(world, '/thresholds/heart_rate'), body: { max: 120 } }),
    expect: clinicalRoute(200),
  },
  {
    route: 'GET /v1/patients/{patientId}/thresholds/{metric}',
    request: (world) => ({ path: patientPath(world, '/thresholds/heart_rate') }),
    expect: clinicalRoute(200),
  },
  {
    route: 'DELETE /v1/patients/{patientId}/thresholds/{metric}',
    request: (world) => ({ path: patientPath(world, '/thresholds/heart_rate') }),
    expect: clinicalRoute(204),
  },
  {
    route: 'GET /v1/alerts',
    request: (world) => ({ path: `/v1/alerts?patientId=${world.patientId}` }),
    // A caregiver the patient shared nothing with is on the team: the list answers, empty.
    expect: only({
      clinician: 200,
      otherClinician: 404,
      outsider: 404,
      patient: 200,
      otherPatient: 404,
      caregiver: 200,
      unsharedCaregiver: 200,
    }),
  },
  {
    // A technical test alert (no metric, not SOS): seeing it takes `ecg` and `alerts`.
    route: 'GET /v1/alerts/{alertId}',
    request: async (world) => ({ path: `/v1/alerts/${await world.newAlert()}` }),
    expect: signedIn(404, { clinician: 200, patient: 200, caregiver: 200 }),
  },
  {
    route: 'POST /v1/alerts/{alertId}/notes',
    request: async (world) => ({ path: `/v1/alerts/${await world.newAlert()}/notes`, body: { text: 'Called the patient' } }),
    expect: clinicalRoute(201),
  },
  {
    route: 'POST /v1/alerts/{alertId}/acknowledge',
    request: async (world) => ({ path: `/v1/alerts/${await world.newAlert()}/acknowledge` }),
    expect: clinicalRoute(200),
  },
  {
    route: 'POST /v1/alerts/{alertId}/resolve',
    request: async (world) => ({ path: `/v1/alerts/${await world.newAlert()}/resolve` }),
    expect: clinicalRoute(200),
  },
  {
    route: 'POST /v1/patients/{patientId}/sos',
    request: (world) => ({ path: patientPath(world, '/sos'), body: { message: 'help' } }),
    expect: only({ patient: 201, otherPatient: 404, caregiver: 201, unsharedCaregiver: 403 }),
  },
  {
    route: 'POST /v1/patients/{patientId}/sos/cancel',
    request: async (world, caller) => {
      // Each caller who may cancel finds an SOS open to cancel.
      if (caller === 'patient' || caller === 'caregiver') await world.newSos();
      return { path: patientPath(world, '/sos/cancel') };
    },
    expect: only({ patient: 200, otherPatient: 404, caregiver: 200, unsharedCaregiver: 403 }),
  },
  { route: 'GET /v1/notifications', request: () => ({ path: '/v1/notifications' }), expect: signedIn(200) },
  { route: 'GET /v1/notifications/unread-count', request: () => ({ path: '/v1/notifications/unread-count' }), expect: signedIn(200) },
  {
    route: 'POST /v1/notifications/read',
    request: () => ({ path: '/v1/notifications/read', body: { upToSeq: 1000 } }),
    expect: signedIn(200),
  },
  {
    route: 'GET /v1/patients/{patientId}/ecg',
    request: (world) => ({ path: patientPath(world, '/ecg') }),
    // Admins see people, not ECG; a caregiver the patient shared nothing with may not see it either.
    expect: only({
      clinician: 200,
      otherClinician: 404,
      outsider: 404,
      patient: 200,
      otherPatient: 404,
      caregiver: 200,
      unsharedCaregiver: 403,
    }),
  },
  {
    route: 'POST /v1/patients/{patientId}/ecg',
    request: (world) => ({ path: patientPath(world, '/ecg'), body: { sampleRateHz: 250, lead: 'II' } }),
    expect: uploadRoute(201),
  },
  {
    route: 'PUT /v1/ecg/{recordingId}/chunks/{seq}',
    request: async (world) => ({ path: `/v1/ecg/${await world.newRecording()}/chunks/0`, body: { samples: [1, 2, 3] } }),
    expect: uploadRoute(202),
  },
  {
    route: 'POST /v1/ecg/{recordingId}/complete',
    request: async (world) => ({ path: `/v1/ecg/${await world.newRecording(true)}/complete` }),
    expect: uploadRoute(200),
  },
  {
    route: 'POST /v1/ecg/{recordingId}/cancel',
    request: async (world) => ({ path: `/v1/ecg/${await world.newRecording(true)}/cancel` }),
    expect: uploadRoute(200),
  },
  {
    route: 'GET /v1/ecg/{recordingId}',
    request: async (world) => ({ path: `/v1/ecg/${await world.newRecording()}` }),
    expect: signedIn(404, { clinician: 200, patient: 200, caregiver: 200 }),
  },
];

let twin: LocalTwin;
let world: World;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  world = await buildWorld(twin);
}, 120_000);

afterAll(async () => {
  await twin?.stop();
});

describe('the authorization matrix', () => {
  it('has rows for every route of the route table, and for no other', () => {
    expect(MATRIX.map((row) => row.route).sort()).toEqual(ROUTES.map(routeKey).sort());
    console.log(`authorization matrix: ${MATRIX.length} routes × ${CALLERS.length} callers = ${MATRIX.length * CALLERS.length} cells`);
  });

  describe.each(MATRIX.map((row) => ({ ...row, name: row.route })))('$name', (row) => {
    it.each(CALLERS.map((caller) => ({ caller, status: row.expect[caller] })))(
      'answers $caller with $status',
      async ({ caller, status }) => {
        const [method] = row.route.split(' ') as [string];
        const request = await row.request(world, caller);
        const token = world.tokenOf(caller);
        const response = await rawRequest(twin, method, request.path, {
          ...(token === undefined ? {} : { token }),
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } }),
        });
        expect(response.status, JSON.stringify(response.body)).toBe(status);
      },
    );
  });
});
