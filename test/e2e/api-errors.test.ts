// Bad input and bad callers, over real HTTP on the local twin: each gets the right status
// with a problem document naming what was wrong, and nothing accepted before is lost.
// Well-formed requests go through the typed client; what no client would send, raw.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  bootstrapOrganisation,
  createAndSignIn,
  problemOf,
  type RawResponse,
  rawRequest,
  STRONG_PASSWORD,
  type SignedIn,
  vigil,
} from './support/vigil-api.ts';

let twin: LocalTwin;
let admin: SignedIn;
let clinician: SignedIn;
let patient: SignedIn;
let otherPatient: SignedIn;
let recordingId: string;

const chunkPath = (seq: number | string, id = recordingId) => `/v1/ecg/${id}/chunks/${seq}`;
const json = { 'content-type': 'application/json' };
/** A raw JSON request as the patient. */
const asPatientRaw = (method: string, path: string, body: unknown) =>
  rawRequest(twin, method, path, { token: patient.tokens.accessToken, body: JSON.stringify(body), headers: json });

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  admin = await bootstrapOrganisation(twin);
  clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician');
  patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient');
  otherPatient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient');
  const started = await vigil(twin, patient.tokens.accessToken).POST('/v1/patients/{patientId}/ecg', {
    params: { path: { patientId: patient.user.userId } },
    body: { sampleRateHz: 250, lead: 'II' },
  });
  recordingId = started.data!.recordingId;
  expect((await asPatientRaw('PUT', chunkPath(0), { samples: [1, 2, 3] })).status).toBe(202);
});

afterAll(async () => {
  await twin?.stop();
});

function expectProblem(response: RawResponse | { response: Response; error?: unknown }, status: number, path?: string) {
  const actualStatus = 'status' in response ? response.status : response.response.status;
  const body = problemOf('status' in response ? response.body : response.error);
  expect(actualStatus).toBe(status);
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^urn:vigil:problem:/), detail: expect.any(String) });
  if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
  return body;
}

describe('bad input', () => {
  it('answers malformed JSON with 400 naming the body', async () => {
    const response = await rawRequest(twin, 'PUT', chunkPath(1), {
      token: patient.tokens.accessToken,
      body: '{"samples":[1,',
      headers: json,
    });
    expectProblem(response, 400, 'body');
  });

  it('answers an unknown field with 400 naming it', async () => {
    expectProblem(await asPatientRaw('PUT', chunkPath(1), { samples: [1], gain: 2 }), 400, 'body.gain');
  });

  it('answers a wrong type with 400 naming the sample', async () => {
    expectProblem(await asPatientRaw('PUT', chunkPath(1), { samples: [1, 'two'] }), 400, 'body.samples.1');
  });

  it('answers an impossible sample rate with 400 naming the field', async () => {
    expectProblem(
      await asPatientRaw('POST', `/v1/patients/${patient.user.userId}/ecg`, { sampleRateHz: 50, lead: 'II' }),
      400,
      'body.sampleRateHz',
    );
  });

  it('answers a chunk longer than a minute with 400 saying the limit', async () => {
    const problem = expectProblem(
      await asPatientRaw('PUT', chunkPath(1), { samples: new Array(250 * 60 + 1).fill(0) }),
      400,
      'body.samples',
    );
    expect(problem.detail).toContain('15000 samples at 250 Hz');
  });

  it('answers a body over the API limit with a 413 problem', async () => {
    const body = `{"samples":[${'1,'.repeat(600_000)}1]}`;
    expectProblem(await rawRequest(twin, 'PUT', chunkPath(1), { token: patient.tokens.accessToken, body, headers: json }), 413);
  });

  it("answers a body over API Gateway's 10 MB limit with the gateway's 413", async () => {
    const response = await rawRequest(twin, 'PUT', chunkPath(1), {
      token: patient.tokens.accessToken,
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 32),
      headers: json,
    });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await rawRequest(twin, 'PUT', chunkPath(1), {
      token: patient.tokens.accessToken,
      body: 'samples=1',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(response, 415);
  });

  it('answers a malformed id with 400 naming the parameter, and an unknown one with 404', async () => {
    const asPatient = vigil(twin, patient.tokens.accessToken);
    expectProblem(
      await asPatient.GET('/v1/ecg/{recordingId}', { params: { path: { recordingId: 'not-an-id' } } }),
      400,
      'params.recordingId',
    );
    expectProblem(await asPatient.GET('/v1/ecg/{recordingId}', { params: { path: { recordingId: randomUUID() } } }), 404);
    const asClinician = vigil(twin, clinician.tokens.accessToken);
    expectProblem(await asClinician.POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId: randomUUID() } } }), 404);
  });

  it('answers a sequence number not in decimal digits with 400 naming it, storing nothing', async () => {
    for (const seq of ['%20', '0x1', '1e1']) expectProblem(await asPatientRaw('PUT', chunkPath(seq), { samples: [7] }), 400, 'params.seq');
    expect((await asPatientRaw('PUT', chunkPath(0), { samples: [1, 2, 3] })).status).toBe(202);
  });

  it('answers a bad query with 400 naming the parameter', async () => {
    const asClinician = vigil(twin, clinician.tokens.accessToken);
    expectProblem(
      await rawRequest(twin, 'GET', '/v1/alerts?status=sleeping', { token: clinician.tokens.accessToken }),
      400,
      'query.status',
    );
    expectProblem(await rawRequest(twin, 'GET', '/v1/alerts?limit=1000', { token: clinician.tokens.accessToken }), 400, 'query.limit');
    expectProblem(await asClinician.GET('/v1/alerts', { params: { query: { cursor: 'forged.cursor' } } }), 400, 'query.cursor');
  });

  it('answers a chunk sequence number repeated with different samples with 409, keeping the first', async () => {
    expectProblem(await asPatientRaw('PUT', chunkPath(0), { samples: [9, 9, 9] }), 409);
    expect((await asPatientRaw('PUT', chunkPath(0), { samples: [1, 2, 3] })).status).toBe(202);
  });
});

describe('bad callers', () => {
  it('answers a request without a token with the gateway’s 401', async () => {
    const { response, error } = await vigil(twin).GET('/v1/users/me');
    expect(response.status).toBe(401);
    expect(error).toEqual({ message: 'Unauthorized' });
  });

  it('answers a forged token with 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'x' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: patient.user.userId, exp: 1 })).toString('base64url');
    expect((await vigil(twin, `${header}.${payload}.c2ln`).GET('/v1/users/me')).response.status).toBe(401);
  });

  it('answers an ID token with a 401 problem asking for the access token', async () => {
    const problem = expectProblem(await vigil(twin, admin.tokens.idToken).GET('/v1/users/me'), 401);
    expect(problem.detail).toBe('an access token is required; this is not one');
  });

  it('answers wrong credentials with a 401 problem that does not say which part was wrong', async () => {
    for (const body of [
      { email: 'nobody@example.org', password: STRONG_PASSWORD },
      { email: admin.email, password: `${STRONG_PASSWORD}-not` },
    ]) {
      const problem = expectProblem(await vigil(twin).POST('/v1/auth/login', { body }), 401);
      expect(problem.detail).toBe('email or password is wrong');
    }
  });

  it("answers another patient's recording with 404, and refuses their upload the same way", async () => {
    const asOther = vigil(twin, otherPatient.tokens.accessToken);
    expectProblem(await asOther.GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } }), 404);
    const upload = await rawRequest(twin, 'PUT', chunkPath(1), {
      token: otherPatient.tokens.accessToken,
      body: '{"samples":[1]}',
      headers: json,
    });
    expectProblem(upload, 404);
    expectProblem(
      await asOther.POST('/v1/patients/{patientId}/ecg', {
        params: { path: { patientId: patient.user.userId } },
        body: { sampleRateHz: 250, lead: 'II' },
      }),
      404,
    );
  });

  it('answers a role that may not create users with 403; a clinician may not create clinicians', async () => {
    const body = (role: 'patient' | 'clinician') => ({
      email: `x-${randomUUID()}@example.org`,
      name: 'X',
      role,
      password: STRONG_PASSWORD,
    });
    expectProblem(await vigil(twin, patient.tokens.accessToken).POST('/v1/users', { body: body('patient') }), 403);
    expectProblem(await vigil(twin, clinician.tokens.accessToken).POST('/v1/users', { body: body('clinician') }), 403);
  });

  it('answers a user with a weak password with 400 naming the field', async () => {
    const body = { email: `x-${randomUUID()}@example.org`, name: 'X', role: 'clinician' as const, password: 'short' };
    expectProblem(await vigil(twin, admin.tokens.accessToken).POST('/v1/users', { body }), 400, 'body.password');
  });

  it('answers a threshold outside what the metric can read with 400 naming the limit', async () => {
    const response = await vigil(twin, clinician.tokens.accessToken).PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path: { patientId: patient.user.userId, metric: 'heart_rate' } },
      body: { max: -5 },
    });
    expect(expectProblem(response, 400, 'body.max').detail).toContain('0–350 /min');
  });

  it('answers a recording dated more than a few minutes ahead with 400 naming startedAt', async () => {
    const startedAt = new Date(Date.now() + 3600_000).toISOString();
    const response = await vigil(twin, patient.tokens.accessToken).POST('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId: patient.user.userId } },
      body: { sampleRateHz: 250, lead: 'II', startedAt },
    });
    expectProblem(response, 400, 'body.startedAt');
  });

  it.each([
    { what: 'two-sided, at half the distance between the limits', body: { min: 50, max: 60, deadBand: 5 } },
    // Defect: a one-sided {"max":100,"deadBand":1000} was accepted and could never clear.
    { what: 'one-sided, below any possible heart rate', body: { max: 100, deadBand: 1000 } },
  ])('answers a dead-band that could never clear ($what) with 400 naming it', async ({ body }) => {
    const response = await vigil(twin, clinician.tokens.accessToken).PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path: { patientId: patient.user.userId, metric: 'heart_rate' } },
      body,
    });
    expectProblem(response, 400, 'body.deadBand');
  });

  it('answers a duplicate email with 409', async () => {
    const body = { email: `dup-${randomUUID()}@example.org`, name: 'Dup', role: 'clinician' as const, password: STRONG_PASSWORD };
    expect((await vigil(twin, admin.tokens.accessToken).POST('/v1/users', { body })).response.status).toBe(201);
    expectProblem(await vigil(twin, admin.tokens.accessToken).POST('/v1/users', { body }), 409);
  });
});

describe('completing a recording', () => {
  it('refuses while a chunk is missing, then fixes the length and refuses chunks past it', async () => {
    const asPatient = vigil(twin, patient.tokens.accessToken);
    const started = await asPatient.POST('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId: patient.user.userId } },
      body: { sampleRateHz: 250, lead: 'II' },
    });
    const id = started.data!.recordingId;
    for (const seq of [0, 2]) expect((await asPatientRaw('PUT', chunkPath(seq, id), { samples: [seq] })).status).toBe(202);
    const complete = () => asPatient.POST('/v1/ecg/{recordingId}/complete', { params: { path: { recordingId: id } } });
    expect(expectProblem(await complete(), 409).detail).toContain('1 of seq 0…2 are missing');
    expect((await asPatientRaw('PUT', chunkPath(1, id), { samples: [1] })).status).toBe(202);
    const completed = await complete();
    expect(completed.response.status).toBe(200);
    expect(completed.data).toMatchObject({ chunkCount: 3, chunksReceived: 3 });
    expectProblem(await asPatientRaw('PUT', chunkPath(3, id), { samples: [3] }), 409);
    expect((await complete()).data?.chunkCount).toBe(3);
  });

  it('refuses to complete a recording with no chunks', async () => {
    const asPatient = vigil(twin, patient.tokens.accessToken);
    const started = await asPatient.POST('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId: patient.user.userId } },
      body: { sampleRateHz: 250, lead: 'II' },
    });
    expectProblem(
      await asPatient.POST('/v1/ecg/{recordingId}/complete', { params: { path: { recordingId: started.data!.recordingId } } }),
      409,
    );
  });
});

describe('nothing accepted is lost', () => {
  it('after all the rejected requests the recording still has exactly its one good chunk', async () => {
    const { data } = await vigil(twin, patient.tokens.accessToken).GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
    expect(data).toMatchObject({ chunksReceived: 1 });
  });

  it('refresh gives a working access token, and a garbage refresh token is a 401 problem', async () => {
    const refreshed = await vigil(twin).POST('/v1/auth/refresh', { body: { refreshToken: clinician.tokens.refreshToken ?? '' } });
    expect(refreshed.response.status).toBe(200);
    expect((await vigil(twin, refreshed.data?.accessToken).GET('/v1/users/me')).data?.email).toBe(clinician.email);
    expectProblem(await vigil(twin).POST('/v1/auth/refresh', { body: { refreshToken: 'garbage' } }), 401);
  });
});
