// Bad input and bad callers, over real HTTP on the local twin: each gets the right status
// with a problem document naming what was wrong, and nothing accepted before is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startLocalTwin, type LocalTwin } from '../support/local-twin.ts';
import { api, bootstrapOrganisation, createAndSignIn, openSocket, STRONG_PASSWORD } from './support/vigil-api.ts';
import { signWithCognitoLocalKey } from '../support/forged-tokens.ts';

let twin: LocalTwin;
let adminToken: string;
let adminEmail: string;
let adminIdToken: string;
let clinicianToken: string;
let patient: { token: string; id: string };
let otherPatient: { token: string; id: string };
let recordingId: string;

const chunkPath = (seq: number | string, id = recordingId) => `/v1/ecg/${id}/chunks/${seq}`;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  const admin = await bootstrapOrganisation(twin);
  adminToken = admin.tokens.accessToken;
  adminEmail = admin.email;
  adminIdToken = admin.tokens.idToken;
  clinicianToken = (await createAndSignIn(twin, adminToken, 'clinician')).tokens.accessToken;
  const first = await createAndSignIn(twin, clinicianToken, 'patient');
  const second = await createAndSignIn(twin, clinicianToken, 'patient');
  patient = { token: first.tokens.accessToken, id: first.user.userId };
  otherPatient = { token: second.tokens.accessToken, id: second.user.userId };
  const started = await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, {
    token: patient.token,
    body: { sampleRateHz: 250, lead: 'II' },
  });
  recordingId = started.body.recordingId;
  expect((await api(twin, 'PUT', chunkPath(0), { token: patient.token, body: { samples: [1, 2, 3] } })).status).toBe(202);
});

afterAll(async () => {
  await twin?.stop();
});

const expectProblem = (response: { status: number; headers: Headers; body: any }, status: number, path?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.stringMatching(/^urn:vigil:problem:/), detail: expect.any(String) });
  if (path) expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
};

describe('bad input', () => {
  it('malformed JSON → 400 naming the body', async () => {
    expectProblem(
      await api(twin, 'PUT', chunkPath(1), {
        token: patient.token,
        rawBody: '{"samples":[1,',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'body',
    );
  });

  it('unknown field → 400 naming it', async () => {
    expectProblem(await api(twin, 'PUT', chunkPath(1), { token: patient.token, body: { samples: [1], gain: 2 } }), 400, 'body.gain');
  });

  it('wrong type → 400 naming the sample', async () => {
    expectProblem(await api(twin, 'PUT', chunkPath(1), { token: patient.token, body: { samples: [1, 'two'] } }), 400, 'body.samples.1');
  });

  it('impossible sample rate → 400 naming the field', async () => {
    expectProblem(
      await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, { token: patient.token, body: { sampleRateHz: 50, lead: 'II' } }),
      400,
      'body.sampleRateHz',
    );
  });

  it('a chunk longer than a minute → 400 saying the limit', async () => {
    const response = await api(twin, 'PUT', chunkPath(1), { token: patient.token, body: { samples: new Array(250 * 60 + 1).fill(0) } });
    expectProblem(response, 400, 'body.samples');
    expect(response.body.detail).toContain('15000 samples at 250 Hz');
  });

  it('a body over the API limit → 413 problem', async () => {
    const response = await api(twin, 'PUT', chunkPath(1), {
      token: patient.token,
      rawBody: `{"samples":[${'1,'.repeat(600_000)}1]}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 413);
  });

  it("a body over API Gateway's 10 MB limit → 413 from the gateway", async () => {
    const response = await api(twin, 'PUT', chunkPath(1), {
      token: patient.token,
      rawBody: Buffer.alloc(10 * 1024 * 1024 + 1, 32),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
  });

  it('malformed id → 400 naming the parameter; unknown id → 404', async () => {
    expectProblem(await api(twin, 'GET', '/v1/ecg/not-an-id', { token: patient.token }), 400, 'params.recordingId');
    expectProblem(await api(twin, 'GET', `/v1/ecg/${randomUUID()}`, { token: patient.token }), 404);
    expectProblem(await api(twin, 'POST', `/v1/alerts/${randomUUID()}/acknowledge`, { token: clinicianToken }), 404);
  });

  it('a sequence number not in decimal digits → 400 naming it, nothing stored', async () => {
    for (const seq of ['%20', '0x1', '1e1'])
      expectProblem(await api(twin, 'PUT', chunkPath(seq), { token: patient.token, body: { samples: [7] } }), 400, 'params.seq');
    expect((await api(twin, 'PUT', chunkPath(0), { token: patient.token, body: { samples: [1, 2, 3] } })).status).toBe(202);
  });

  it('bad query → 400 naming the parameter', async () => {
    expectProblem(await api(twin, 'GET', '/v1/alerts?status=sleeping', { token: clinicianToken }), 400, 'query.status');
    expectProblem(await api(twin, 'GET', '/v1/alerts?limit=1000', { token: clinicianToken }), 400, 'query.limit');
    expectProblem(await api(twin, 'GET', '/v1/alerts?cursor=forged', { token: clinicianToken }), 400, 'query.cursor');
  });

  it('a chunk sequence number repeated with different samples → 409, the first kept', async () => {
    expectProblem(await api(twin, 'PUT', chunkPath(0), { token: patient.token, body: { samples: [9, 9, 9] } }), 409);
    expect((await api(twin, 'PUT', chunkPath(0), { token: patient.token, body: { samples: [1, 2, 3] } })).status).toBe(202);
  });
});

describe('bad callers', () => {
  it('no token → 401', async () => {
    const response = await api(twin, 'GET', '/v1/users/me');
    expect(response.status).toBe(401);
  });

  it('a properly signed token that has expired → 401, over HTTP and at WebSocket connect', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = (iat: number, exp: number) =>
      signWithCognitoLocalKey({ sub: patient.id, iss: twin.issuer, client_id: twin.state.userPoolClientId, token_use: 'access', iat, exp });
    // The same claims unexpired are accepted, so the refusal below is about expiry alone.
    expect((await api(twin, 'GET', '/v1/users/me', { token: signed(now, now + 600) })).status).toBe(200);
    const expired = signed(now - 7200, now - 3600);
    expect((await api(twin, 'GET', '/v1/users/me', { token: expired })).status).toBe(401);
    await expect(openSocket(twin, expired)).rejects.toThrow(/401/);
  });

  it('a forged or expired-looking token → 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'x' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: patient.id, exp: 1 })).toString('base64url');
    expect((await api(twin, 'GET', '/v1/users/me', { token: `${header}.${payload}.c2ln` })).status).toBe(401);
  });

  it('an ID token → 401 problem asking for the access token', async () => {
    const response = await api(twin, 'GET', '/v1/users/me', { token: adminIdToken });
    expectProblem(response, 401);
    expect(response.body.detail).toBe('an access token is required; this is not one');
  });

  it('wrong credentials → 401 problem that does not say which part was wrong', async () => {
    for (const body of [
      { email: 'nobody@example.org', password: STRONG_PASSWORD },
      { email: adminEmail, password: `${STRONG_PASSWORD}-not` },
    ]) {
      const response = await api(twin, 'POST', '/v1/auth/login', { body });
      expectProblem(response, 401);
      expect(response.body.detail).toBe('email or password is wrong');
    }
  });

  it("another patient's recording → 403, and their upload is refused", async () => {
    expectProblem(await api(twin, 'GET', `/v1/ecg/${recordingId}`, { token: otherPatient.token }), 403);
    expectProblem(await api(twin, 'PUT', chunkPath(1), { token: otherPatient.token, body: { samples: [1] } }), 403);
    expectProblem(
      await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, { token: otherPatient.token, body: { sampleRateHz: 250, lead: 'II' } }),
      403,
    );
  });

  it('a role that may not create users → 403; a clinician may not create clinicians', async () => {
    expectProblem(
      await api(twin, 'POST', '/v1/users', {
        token: patient.token,
        body: { email: `x-${randomUUID()}@example.org`, name: 'X', role: 'patient', password: STRONG_PASSWORD },
      }),
      403,
    );
    expectProblem(
      await api(twin, 'POST', '/v1/users', {
        token: clinicianToken,
        body: { email: `x-${randomUUID()}@example.org`, name: 'X', role: 'clinician', password: STRONG_PASSWORD },
      }),
      403,
    );
  });

  it('a user with a weak password → 400 naming the field', async () => {
    expectProblem(
      await api(twin, 'POST', '/v1/users', {
        token: adminToken,
        body: { email: `x-${randomUUID()}@example.org`, name: 'X', role: 'clinician', password: 'short' },
      }),
      400,
      'body.password',
    );
  });

  it('a threshold outside what the metric can read → 400 naming the limit', async () => {
    const response = await api(twin, 'PUT', `/v1/patients/${patient.id}/thresholds/heart_rate`, {
      token: clinicianToken,
      body: { max: -5 },
    });
    expectProblem(response, 400, 'body.max');
    expect(response.body.detail).toContain('0–350 /min');
  });

  it('a recording dated more than a few minutes ahead → 400 naming startedAt', async () => {
    const startedAt = new Date(Date.now() + 3600_000).toISOString();
    expectProblem(
      await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, {
        token: patient.token,
        body: { sampleRateHz: 250, lead: 'II', startedAt },
      }),
      400,
      'body.startedAt',
    );
  });

  it('a threshold whose dead-band could never clear → 400 naming it', async () => {
    expectProblem(
      await api(twin, 'PUT', `/v1/patients/${patient.id}/thresholds/heart_rate`, {
        token: clinicianToken,
        body: { min: 50, max: 60, deadBand: 10 },
      }),
      400,
      'body.deadBand',
    );
  });

  it('a duplicate email → 409', async () => {
    const email = `dup-${randomUUID()}@example.org`;
    const body = { email, name: 'Dup', role: 'clinician', password: STRONG_PASSWORD };
    expect((await api(twin, 'POST', '/v1/users', { token: adminToken, body })).status).toBe(201);
    expectProblem(await api(twin, 'POST', '/v1/users', { token: adminToken, body }), 409);
  });

  it("an admin runs clinicians, not patients' alerts → 403", async () => {
    expectProblem(await api(twin, 'GET', '/v1/alerts', { token: adminToken }), 403);
  });

  it('a patient may not set thresholds', async () => {
    expectProblem(
      await api(twin, 'PUT', `/v1/patients/${patient.id}/thresholds/heart_rate`, { token: patient.token, body: { max: 200 } }),
      403,
    );
  });
});

describe('completing a recording', () => {
  it('refuses while a chunk is missing, then fixes the length and refuses chunks past it', async () => {
    const started = await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, {
      token: patient.token,
      body: { sampleRateHz: 250, lead: 'II' },
    });
    const id = started.body.recordingId as string;
    for (const seq of [0, 2])
      expect((await api(twin, 'PUT', chunkPath(seq, id), { token: patient.token, body: { samples: [seq] } })).status).toBe(202);
    const gap = await api(twin, 'POST', `/v1/ecg/${id}/complete`, { token: patient.token });
    expectProblem(gap, 409);
    expect(gap.body.detail).toContain('1 of seq 0…2 are missing');
    expect((await api(twin, 'PUT', chunkPath(1, id), { token: patient.token, body: { samples: [1] } })).status).toBe(202);
    const completed = await api(twin, 'POST', `/v1/ecg/${id}/complete`, { token: patient.token });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ chunkCount: 3, chunksReceived: 3 });
    expectProblem(await api(twin, 'PUT', chunkPath(3, id), { token: patient.token, body: { samples: [3] } }), 409);
    expect((await api(twin, 'POST', `/v1/ecg/${id}/complete`, { token: patient.token })).body.chunkCount).toBe(3);
  });

  it('refuses to complete a recording with no chunks', async () => {
    const started = await api(twin, 'POST', `/v1/patients/${patient.id}/ecg`, {
      token: patient.token,
      body: { sampleRateHz: 250, lead: 'II' },
    });
    expectProblem(await api(twin, 'POST', `/v1/ecg/${started.body.recordingId}/complete`, { token: patient.token }), 409);
  });
});

describe('nothing accepted is lost', () => {
  it('after all the rejected requests the recording still has exactly its one good chunk', async () => {
    const recording = await api(twin, 'GET', `/v1/ecg/${recordingId}`, { token: patient.token });
    expect(recording.body).toMatchObject({ chunksReceived: 1 });
  });

  it('refresh gives a working access token', async () => {
    const email = `refresh-${randomUUID()}@example.org`;
    await api(twin, 'POST', '/v1/users', { token: adminToken, body: { email, name: 'R', role: 'clinician', password: STRONG_PASSWORD } });
    const login = await api(twin, 'POST', '/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    const refreshed = await api(twin, 'POST', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await api(twin, 'GET', '/v1/users/me', { token: refreshed.body.accessToken })).body.email).toBe(email);
    expectProblem(await api(twin, 'POST', '/v1/auth/refresh', { body: { refreshToken: 'garbage' } }), 401);
  });
});
