import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { assertImplementsRoutes, httpFunction, MAX_REQUEST_BODY_BYTES, PUBLIC_ROUTES_ONLY } from '../../../shared/http/http-function.ts';
import { noteAccessTo } from '../../../shared/audit/access-notes.ts';
import { AuditEntry } from '../../../shared/domain/audit-entry.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { NotFoundError } from '../../../shared/domain/errors.ts';
import type { ChunkAccepted } from '../../../shared/api/schemas.ts';
import { httpApiEvent, lambdaContext } from '../fixtures/http-api-event.ts';

const patient: Caller = { userId: randomUUID(), orgId: randomUUID(), role: 'patient' };
const clinician: Caller = { userId: randomUUID(), orgId: randomUUID(), role: 'clinician' };
const recordingId = randomUUID();

/** For the routes a test does not call. */
const notCalled = async (): Promise<never> => {
  throw new Error('this route is not part of the test');
};

function ecgFunction(callers: Record<string, Caller>) {
  const seen: unknown[] = [];
  const handler = httpFunction(
    'ecg',
    {
      'POST /v1/patients/{patientId}/ecg': notCalled,
      'PUT /v1/ecg/{recordingId}/chunks/{seq}': async (request) => {
        seen.push(request);
        return { recordingId: request.params.recordingId, seq: request.params.seq, sampleCount: 1, status: 'queued' };
      },
      'POST /v1/ecg/{recordingId}/complete': notCalled,
      'POST /v1/ecg/{recordingId}/cancel': notCalled,
      'GET /v1/patients/{patientId}/ecg': notCalled,
      'GET /v1/ecg/{recordingId}': notCalled,
    },
    { loadCaller: async (sub) => (callers[sub] ? { ...callers[sub], disabled: false } : undefined), writeAudit: async () => undefined },
  );
  return { handler, seen };
}

const chunkRoute = 'PUT /v1/ecg/{recordingId}/chunks/{seq}';
const chunkEvent = (body: string | undefined, overrides: Partial<Parameters<typeof httpApiEvent>[0]> = {}) =>
  httpApiEvent({
    routeKey: chunkRoute,
    pathParameters: { recordingId, seq: '0' },
    ...(body === undefined ? {} : { body }),
    claims: { sub: patient.userId, token_use: 'access', 'cognito:groups': '[patient]' },
    ...overrides,
  });

async function call(event: ReturnType<typeof httpApiEvent>, callers: Record<string, Caller> = { [patient.userId]: patient }) {
  const { handler, seen } = ecgFunction(callers);
  const response = await handler(event, lambdaContext());
  return { response, seen, problem: response.body ? JSON.parse(response.body) : undefined };
}

describe('httpFunction', () => {
  it('passes parsed, typed input to the route implementation', async () => {
    const { response, seen } = await call(chunkEvent('{"samples":[1,2,-3]}'));
    expect(response.statusCode).toBe(202);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ caller: patient, params: { recordingId, seq: 0 }, body: { samples: [1, 2, -3] } });
  });

  it('answers malformed JSON with a 400 problem naming the body', async () => {
    const { response, problem } = await call(chunkEvent('{"samples":[1,'));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problem).toMatchObject({ status: 400, errors: [{ path: 'body', message: 'malformed JSON' }] });
    expect(problem.detail).toMatch(/not valid JSON/);
  });

  it('rejects unknown fields by name', async () => {
    const { response, problem } = await call(chunkEvent('{"samples":[1],"extra":true}'));
    expect(response.statusCode).toBe(400);
    expect(problem.errors).toContainEqual({ path: 'body.extra', message: expect.stringMatching(/unknown field/) });
  });

  it('rejects a wrong type naming the exact sample', async () => {
    const { response, problem } = await call(chunkEvent('{"samples":[1,"x",3]}'));
    expect(response.statusCode).toBe(400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('body.samples.1');
  });

  it('rejects a sample outside int16', async () => {
    const { problem } = await call(chunkEvent('{"samples":[40000]}'));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('body.samples.0');
  });

  it('rejects a malformed path id with 400 naming the parameter', async () => {
    const { response, problem } = await call(chunkEvent('{"samples":[1]}', { pathParameters: { recordingId: 'not-a-uuid', seq: '0' } }));
    expect(response.statusCode).toBe(400);
    expect(problem.errors[0].path).toBe('params.recordingId');
  });

  it('rejects a negative sequence number', async () => {
    const { problem } = await call(chunkEvent('{"samples":[1]}', { pathParameters: { recordingId, seq: '-1' } }));
    expect(problem.errors[0].path).toBe('params.seq');
  });

  it('rejects a sequence number past the limit', async () => {
    const { problem } = await call(chunkEvent('{"samples":[1]}', { pathParameters: { recordingId, seq: '100000' } }));
    expect(problem.errors[0].path).toBe('params.seq');
  });

  it(`answers a body over ${MAX_REQUEST_BODY_BYTES} bytes with 413`, async () => {
    const big = JSON.stringify({ samples: new Array(300_000).fill(1000) });
    expect(big.length).toBeGreaterThan(MAX_REQUEST_BODY_BYTES);
    const { response, problem } = await call(chunkEvent(big));
    expect(response.statusCode).toBe(413);
    expect(problem.detail).toContain(String(MAX_REQUEST_BODY_BYTES));
  });

  it('answers a missing body with 400', async () => {
    const { response, problem } = await call(chunkEvent(undefined));
    expect(response.statusCode).toBe(400);
    expect(problem.errors[0].path).toBe('body');
  });

  it('decodes base64 bodies as API Gateway sends them', async () => {
    const { response } = await call(chunkEvent(Buffer.from('{"samples":[5]}').toString('base64'), { isBase64Encoded: true }));
    expect(response.statusCode).toBe(202);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const { response } = await call(chunkEvent('{"samples":[5]}', { headers: { 'content-type': 'text/plain' } }));
    expect(response.statusCode).toBe(415);
  });

  it('fails closed with 401 when a signed-in route arrives without claims', async () => {
    const { response, problem } = await call(chunkEvent('{"samples":[1]}', { claims: null }));
    expect(response.statusCode).toBe(401);
    expect(problem.type).toBe('urn:vigil:problem:unauthorized');
  });

  it('refuses an ID token, which the JWT authorizer lets through, with 401', async () => {
    const { response, problem } = await call(
      chunkEvent('{"samples":[1]}', { claims: { sub: patient.userId, token_use: 'id', aud: 'client' } }),
      { [patient.userId]: patient },
    );
    expect(response.statusCode).toBe(401);
    expect(problem.detail).toBe('an access token is required; this is not one');
  });

  it('answers 403 for a verified identity with no Vigil account', async () => {
    const { response } = await call(chunkEvent('{"samples":[1]}'), {});
    expect(response.statusCode).toBe(403);
  });

  it("answers 403 when the caller's role may not use the route, whatever the token's groups say", async () => {
    const event = chunkEvent('{"samples":[1]}', { claims: { sub: clinician.userId, token_use: 'access', 'cognito:groups': '[patient]' } });
    const { response, problem } = await call(event, { [clinician.userId]: clinician });
    expect(response.statusCode).toBe(403);
    expect(problem.detail).toMatch(/clinician role/);
  });

  it('hides unexpected failures behind a 500 problem without internals, and logs them with the request id', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const written = captureLogs();
    const handler = httpFunction(
      'health',
      {
        'GET /v1/health': async () => {
          throw new Error('secret internal detail');
        },
        'GET /v1/openapi.json': notCalled,
        'GET /v1/asyncapi.json': notCalled,
      },
      PUBLIC_ROUTES_ONLY,
    );
    const response = await handler(httpApiEvent({ routeKey: 'GET /v1/health' }), lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internal detail');
    expect(JSON.parse(response.body ?? '{}').detail).toContain('request-1');
    const lines = written().filter((line) => line.includes('unhandled error'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ function_request_id: lambdaContext().awsRequestId, service: 'vigil-health' });
  });

  it('finds no implementation for a route key that names an object property', async () => {
    const { response } = await call(chunkEvent('{"samples":[1]}', { routeKey: 'constructor' }));
    expect(response.statusCode).toBe(404);
  });

  it('refuses to build a function whose implementations disagree with the route table', () => {
    expect(() => assertImplementsRoutes('ecg', ['GET /v1/ecg/{recordingId}'])).toThrow(/route table gives it/);
  });
});

describe('audit trail', () => {
  const sourceIp = '198.51.100.4';
  const apiRequestId = 'api-request-7';

  /** The chunk route's event as API Gateway sends it, with a request id distinct from the Lambda's. */
  const auditedEvent = (overrides: Partial<Parameters<typeof httpApiEvent>[0]> = {}) => {
    const event = chunkEvent('{"samples":[1]}', overrides);
    event.requestContext.requestId = apiRequestId;
    event.requestContext.http.sourceIp = sourceIp;
    return event;
  };

  /** The ecg function with `chunk` as the chunk route, a caller store and a recording audit store. */
  function audited(
    chunk: (patientId: string) => Promise<z.input<typeof ChunkAccepted>>,
    options: { disabled?: boolean; writeAudit?: (entries: readonly AuditEntry[]) => Promise<void> } = {},
  ) {
    const written: AuditEntry[][] = [];
    let calls = 0;
    const handler = httpFunction(
      'ecg',
      {
        'POST /v1/patients/{patientId}/ecg': notCalled,
        'PUT /v1/ecg/{recordingId}/chunks/{seq}': async (request) => {
          calls += 1;
          return chunk(request.caller.userId);
        },
        'POST /v1/ecg/{recordingId}/complete': notCalled,
        'POST /v1/ecg/{recordingId}/cancel': notCalled,
        'GET /v1/patients/{patientId}/ecg': notCalled,
        'GET /v1/ecg/{recordingId}': notCalled,
      },
      {
        loadCaller: async (sub) => {
          const known = { [patient.userId]: patient, [clinician.userId]: clinician }[sub];
          return known ? { ...known, disabled: options.disabled ?? false } : undefined;
        },
        writeAudit:
          options.writeAudit ??
          (async (entries) => {
            written.push([...entries]);
          }),
      },
    );
    return {
      written,
      implementationCalls: () => calls,
      invoke: (event: ReturnType<typeof httpApiEvent>) => handler(event, lambdaContext({ awsRequestId: 'lambda-request-1' })),
    };
  }

  const accepted = async (patientId: string) => {
    noteAccessTo(patientId);
    return { recordingId, seq: 0, sampleCount: 4242, status: 'queued' as const };
  };

  it('writes one entry for an allowed request to an audited route: who, as what, which route, the status, the request and where from', async () => {
    const { invoke, written } = audited(accepted);
    const response = await invoke(auditedEvent());
    expect(response.statusCode).toBe(202);
    expect(written).toHaveLength(1);
    expect(written[0]).toHaveLength(1);
    const entry = AuditEntry.strict().parse(written[0]![0]);
    expect(entry).toMatchObject({
      orgId: patient.orgId,
      actorId: patient.userId,
      actorRole: 'patient',
      action: chunkRoute,
      patientId: patient.userId,
      objectId: recordingId,
      outcome: 202,
      requestId: apiRequestId,
      sourceIp,
    });
  });

  it('audits a request refused with 404 after it reached a patient, naming that patient', async () => {
    const { invoke, written } = audited(async (patientId) => {
      noteAccessTo(patientId);
      throw new NotFoundError('the recording does not exist or is not visible to you');
    });
    const response = await invoke(auditedEvent());
    expect(response.statusCode).toBe(404);
    expect(written.flat()).toEqual([expect.objectContaining({ outcome: 404, patientId: patient.userId, actorId: patient.userId })]);
  });

  it('audits a caller refused by role with 403 before the implementation runs', async () => {
    const { invoke, written, implementationCalls } = audited(accepted);
    const response = await invoke(auditedEvent({ claims: { sub: clinician.userId, token_use: 'access' } }));
    expect(response.statusCode).toBe(403);
    expect(implementationCalls()).toBe(0);
    expect(written.flat()).toEqual([
      expect.objectContaining({ outcome: 403, actorId: clinician.userId, actorRole: 'clinician', action: chunkRoute }),
    ]);
  });

  it('answers 500 and serves none of the data when the audit entry cannot be written', async () => {
    const { invoke, implementationCalls } = audited(accepted, {
      writeAudit: async () => {
        throw new Error('audit table unavailable');
      },
    });
    const response = await invoke(auditedEvent());
    expect(implementationCalls()).toBe(1);
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    for (const served of ['4242', 'queued', recordingId, 'audit table unavailable']) expect(response.body).not.toContain(served);
  });

  it('answers 401 to a disabled account, before the implementation runs, and audits the attempt', async () => {
    const { invoke, written, implementationCalls } = audited(accepted, { disabled: true });
    const response = await invoke(auditedEvent());
    expect(response.statusCode).toBe(401);
    expect(implementationCalls()).toBe(0);
    expect(JSON.parse(response.body ?? '{}').detail).toBe('this account is disabled');
    expect(written.flat()).toEqual([
      expect.objectContaining({ outcome: 401, actorId: patient.userId, actorRole: 'patient', action: chunkRoute }),
    ]);
  });

  it('writes nothing for an anonymous request, which has no actor to name', async () => {
    const writeAudit = vi.fn(async (_entries: readonly AuditEntry[]) => undefined);
    const { invoke } = audited(accepted, { writeAudit });
    const response = await invoke(auditedEvent({ claims: null }));
    expect(response.statusCode).toBe(401);
    expect(writeAudit).not.toHaveBeenCalled();
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Collects what Powertools logs from now on (info to stdout, warnings and errors to stderr), one entry per line. */
function captureLogs(): () => string[] {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  }
  return () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.length > 0);
}
