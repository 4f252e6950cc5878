// Every number and every string a route takes, fuzzed over HTTP on the local twin: numbers
// JSON carries but DynamoDB cannot store, and text that hides or reorders what a reader sees.
// A route answers 400 naming the field, or accepts a value it can store; never 500. The
// fields come from the published OpenAPI document, so a new route or field is fuzzed too, and
// a route that takes numbers without a valid example here fails the first test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, type RouteKey, ROUTES, routeKey } from '../../shared/api/routes.ts';
import { requestFields } from '../support/request-fields.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import { problemOf, rawRequest } from './support/vigil-api.ts';
import { buildWorld, type CallerName, type World } from './support/world.ts';

interface Example {
  readonly caller: CallerName;
  readonly path: (world: World) => Promise<string> | string;
  /** A function when each request needs a fresh body (a sample identified by its time). */
  readonly body?: Record<string, unknown> | (() => Record<string, unknown>);
  /** A documented limit the fuzz's many valid requests run into, answered as it says. */
  readonly limitedWith?: number;
  /** Text its free-text fields take by design (a clinician's note has lines, and may say "BP < 90"). */
  readonly allowsText?: readonly string[];
}

const bodyOf = (example: Example): Record<string, unknown> => (typeof example.body === 'function' ? example.body() : (example.body ?? {}));
/** A moment in the past no two requests share, so no two samples collide. */
let instant = Date.parse('2026-01-01T00:00:00Z');
const freshInstant = () => {
  instant += 1000;
  return new Date(instant).toISOString();
};

/** A request each route accepts, which the fuzz then spoils one field at a time. */
const EXAMPLES: Partial<Record<RouteKey, Example>> = {
  'PUT /v1/thresholds/{metric}': {
    caller: 'clinician',
    path: () => '/v1/thresholds/heart_rate',
    body: { min: 40, max: 120, minDurationSeconds: 30, deadBand: 5 },
  },
  'PUT /v1/patients/{patientId}/thresholds/{metric}': {
    caller: 'clinician',
    path: (world) => `/v1/patients/${world.patientId}/thresholds/heart_rate`,
    body: { min: 40, max: 120, minDurationSeconds: 30, deadBand: 5 },
  },
  'POST /v1/patients/{patientId}/ecg': {
    caller: 'patient',
    path: (world) => `/v1/patients/${world.patientId}/ecg`,
    body: { sampleRateHz: 250, lead: 'II', deviceId: 'band-7' },
  },
  'PUT /v1/ecg/{recordingId}/chunks/{seq}': {
    caller: 'patient',
    path: async (world) => `/v1/ecg/${await world.newRecording()}/chunks/0`,
    body: { samples: [1, 2, 3] },
  },
  'POST /v1/users': { caller: 'admin', path: () => '/v1/users', body: { email: 'fuzz@example.org', name: 'Fuzz', role: 'clinician' } },
  'PATCH /v1/users/{userId}': {
    caller: 'patient',
    path: (world) => `/v1/users/${world.patientId}`,
    body: { name: 'Pat', phone: '+4930123456' },
  },
  'POST /v1/patients/{patientId}/caregivers': {
    caller: 'patient',
    path: (world) => `/v1/patients/${world.patientId}/caregivers`,
    body: () => ({ email: `fuzz-${randomUUID()}@example.org`, name: 'Carer', scopes: [] }),
  },
  'POST /v1/patients/{patientId}/devices': {
    caller: 'patient',
    path: (world) => `/v1/patients/${world.patientId}/devices`,
    body: () => ({ serial: `SN-${randomUUID()}`, kind: 'scale', model: 'Scale 2', firmware: '1.0.3' }),
  },
  'PATCH /v1/devices/{deviceId}': {
    caller: 'patient',
    path: async (world) => `/v1/devices/${await world.newDevice()}`,
    body: { batteryPercent: 80, firmware: '1.0.4' },
  },
  'POST /v1/patients/{patientId}/sos': {
    caller: 'patient',
    path: (world) => `/v1/patients/${world.patientId}/sos`,
    body: { location: { lat: 52.52, lon: 13.4, accuracyM: 15 }, message: 'Fell over' },
    // At most 10 calls per patient a minute: the fuzz makes dozens.
    limitedWith: 429,
    allowsText: ['<script>alert(1)</script>'],
  },
  'POST /v1/alerts/{alertId}/notes': {
    caller: 'clinician',
    path: async (world) => `/v1/alerts/${await world.newAlert()}/notes`,
    body: { text: 'Called the patient' },
    allowsText: ['a\nb', '<script>alert(1)</script>'],
  },
  'POST /v1/notifications/read': { caller: 'clinician', path: () => '/v1/notifications/read', body: { upToSeq: 5 } },
  'PATCH /v1/users/me': {
    caller: 'clinician',
    path: () => '/v1/users/me',
    body: { name: 'Dr Ada', notify: { email: true, sms: '+4930123456' } },
  },
  'POST /v1/patients/{patientId}/vitals': {
    caller: 'patient',
    path: (world) => `/v1/patients/${world.patientId}/vitals`,
    body: () => ({ samples: [{ metric: 'heart_rate', value: 72, measuredAt: freshInstant(), unit: '/min' }] }),
  },
};

// JSON can carry all of these; DynamoDB keeps 38 digits between 1e-130 and 1e126.
const NUMBERS = [1e-200, 2e-308, 5e-324, 1e126, -1e126, 1e300, 1.7976931348623157e308, 1e20, 0.30000000000000004, 123.456789];
const TEXTS = ['\u0000', 'a\u202Eb', 'a\u2066b', 'a\nb', '<script>alert(1)</script>', 'x'.repeat(10_000)];

const routesWith = (type: (schema: Record<string, unknown>) => boolean) =>
  (ROUTES as readonly RouteDefinition[]).filter((route) =>
    requestFields(route).some((field) => field.path.startsWith('body.') && type(field.schema)),
  );
const isNumber = (schema: Record<string, unknown>) => schema['type'] === 'number' || schema['type'] === 'integer';
const isFreeText = (schema: Record<string, unknown>) =>
  schema['type'] === 'string' && schema['enum'] === undefined && schema['format'] !== 'email';

/** The example's body with the field at `path` (body.a.0) set to `value`, or undefined when the example lacks it. */
function spoil(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> | undefined {
  const copy = structuredClone(body);
  const keys = path.split('.').slice(1);
  let target: Record<string, unknown> | unknown[] = copy;
  for (const key of keys.slice(0, -1)) {
    const next = (target as Record<string, unknown>)[key];
    if (typeof next !== 'object' || next === null) return undefined;
    target = next as Record<string, unknown>;
  }
  const last = keys.at(-1) as string;
  if (!(last in target)) return undefined;
  (target as Record<string, unknown>)[last] = value;
  return copy;
}

let twin: LocalTwin;
let world: World;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  world = await buildWorld(twin);
}, 120_000);

afterAll(async () => {
  await twin?.stop();
});

async function send(route: RouteDefinition, example: Example, body: Record<string, unknown>) {
  const token = world.tokenOf(example.caller);
  return rawRequest(twin, route.method, await example.path(world), {
    ...(token === undefined ? {} : { token }),
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

describe('number fuzz', () => {
  it('has a valid example for every route whose body takes numbers', () => {
    for (const route of routesWith(isNumber)) expect(EXAMPLES[routeKey(route)], routeKey(route)).toBeDefined();
  });

  const cases = routesWith(isNumber).flatMap((route) =>
    requestFields(route)
      .filter((field) => field.path.startsWith('body.') && isNumber(field.schema))
      .map((field) => ({ name: `${routeKey(route)} ${field.path}`, route, field: field.path })),
  );

  it.each(cases)('$name answers every unstorable or odd number with 400 naming it, or stores it; never 500', async ({ route, field }) => {
    const example = EXAMPLES[routeKey(route)]!;
    for (const value of NUMBERS) {
      const body = spoil(bodyOf(example), field, value);
      if (body === undefined) continue;
      const response = await send(route, example, body);
      expect(
        [200, 201, 202, 400, ...(example.limitedWith ? [example.limitedWith] : [])],
        `${field} = ${value}: ${JSON.stringify(response.body)}`,
      ).toContain(response.status);
      if (response.status === 400) expect(problemOf(response.body).errors?.map((e) => e.path)).toContain(field);
    }
  });
});

// Defect: names and device ids were stored with NUL, bidi overrides, newlines and <script>.
describe('text fuzz', () => {
  const cases = routesWith(isFreeText)
    .filter((route) => EXAMPLES[routeKey(route)] !== undefined)
    .flatMap((route) =>
      requestFields(route)
        .filter((field) => field.path.startsWith('body.') && isFreeText(field.schema))
        .filter((field) => {
          const example = EXAMPLES[routeKey(route)];
          return example !== undefined && spoil(bodyOf(example), field.path, '') !== undefined;
        })
        .map((field) => ({ name: `${routeKey(route)} ${field.path}`, route, field: field.path })),
    );

  it.each(cases)('$name refuses hidden characters, markup and an overlong value with 400 naming it', async ({ route, field }) => {
    const example = EXAMPLES[routeKey(route)]!;
    for (const text of TEXTS) {
      const response = await send(route, example, spoil(bodyOf(example), field, text)!);
      if (example.allowsText?.includes(text)) {
        // Taken as the text it is: stored, and escaped by whoever shows it.
        expect([200, 201, ...(example.limitedWith ? [example.limitedWith] : [])], JSON.stringify(response.body)).toContain(response.status);
        continue;
      }
      expect(response.status, `${field} = ${JSON.stringify(text.slice(0, 30))}`).toBe(400);
      expect(problemOf(response.body).errors?.map((e) => e.path)).toContain(field);
    }
  });
});
