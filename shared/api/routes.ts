// The route table: the single list of HTTP routes. The CDK stack creates one API Gateway
// route per entry and wires it to the named function, the local gateway dispatches with it,
// the OpenAPI document is generated from it, and each function's router checks that it
// implements exactly its entries.
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import type { HttpFunctionName } from './function-catalog.ts';
import * as s from './schemas.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Statuses a route answers beyond the ones every route of its kind may (see openapi.ts), with when. */
export type RouteAnswers = Partial<Record<401 | 403 | 404 | 409 | 429, string>>;

export interface RouteThrottle {
  /** Requests per second, across all callers, that API Gateway lets through on this route. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: /v1/ecg/{recordingId}/chunks/{seq} */
  readonly path: string;
  readonly function: HttpFunctionName;
  /** 'public' routes skip the JWT authorizer; every other route requires a valid access token. */
  readonly auth: 'public' | 'jwt';
  /** Roles that may call the route at all (every signed-in role when absent); finer rules live in the domain. */
  readonly roles?: readonly Role[];
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly successStatus: number;
  /** The body of a success; none for 204. */
  readonly response?: z.ZodType;
  readonly answers?: RouteAnswers;
  /** A lower limit than the stage's, for routes that are a target for guessing (sign-in, password reset). */
  readonly throttle?: RouteThrottle;
}

const route = <const R extends RouteDefinition>(definition: R): R => definition;

/** Every route's limit unless it sets a lower one: protects the table and the bill from a runaway client. */
export const DEFAULT_ROUTE_THROTTLE: RouteThrottle = { rateLimit: 1000, burstLimit: 2000 };

/** Sign-in and password routes: enough for every patient refreshing hourly, too little for guessing at scale. */
export const AUTH_THROTTLE: RouteThrottle = { rateLimit: 100, burstLimit: 200 };

const PATIENT_NOT_VISIBLE = 'the patient does not exist or is not in your care';
const RECORDING_NOT_VISIBLE = 'the recording does not exist or is not visible to you';
const ALERT_NOT_VISIBLE = 'the alert does not exist or is not visible to you';

export const ROUTES = [
  route({
    method: 'GET',
    path: '/v1/health',
    function: 'health',
    auth: 'public',
    summary: 'Liveness check',
    successStatus: 200,
    response: s.Health,
  }),
  route({
    method: 'GET',
    path: '/v1/openapi.json',
    function: 'health',
    auth: 'public',
    summary: 'This API as OpenAPI 3.1',
    successStatus: 200,
    response: s.JsonDocument,
  }),
  route({
    method: 'GET',
    path: '/v1/asyncapi.json',
    function: 'health',
    auth: 'public',
    summary: 'The WebSocket protocol as AsyncAPI 3.0',
    successStatus: 200,
    response: s.JsonDocument,
  }),

  route({
    method: 'POST',
    path: '/v1/auth/login',
    function: 'auth',
    auth: 'public',
    summary: 'Sign in with email and password',
    body: s.LoginRequest,
    successStatus: 200,
    response: s.Tokens,
    answers: { 401: 'the email or password is wrong' },
    throttle: AUTH_THROTTLE,
  }),
  route({
    method: 'POST',
    path: '/v1/auth/refresh',
    function: 'auth',
    auth: 'public',
    summary: 'Exchange a refresh token for new tokens',
    body: s.RefreshRequest,
    successStatus: 200,
    response: s.Tokens,
    answers: { 401: 'the refresh token is invalid, expired or revoked' },
    throttle: AUTH_THROTTLE,
  }),
  route({
    method: 'POST',
    path: '/v1/auth/logout',
    function: 'auth',
    auth: 'jwt',
    summary: 'Sign out: revoke the refresh token, so it can no longer renew the session',
    body: s.LogoutRequest,
    successStatus: 204,
    answers: { 401: 'the refresh token is not a valid one of this app' },
    throttle: AUTH_THROTTLE,
  }),
  route({
    method: 'POST',
    path: '/v1/auth/password',
    function: 'auth',
    auth: 'jwt',
    summary: 'Change your password, giving the current one',
    body: s.ChangePasswordRequest,
    successStatus: 204,
    answers: { 401: 'the current password is wrong' },
    throttle: AUTH_THROTTLE,
  }),
  route({
    method: 'POST',
    path: '/v1/auth/forgot-password',
    function: 'auth',
    auth: 'public',
    summary: 'Mail a code to reset the password; answers 202 whether or not the email has an account',
    body: s.ForgotPasswordRequest,
    successStatus: 202,
    response: s.Accepted,
    throttle: AUTH_THROTTLE,
  }),
  route({
    method: 'POST',
    path: '/v1/auth/reset-password',
    function: 'auth',
    auth: 'public',
    summary: 'Set a new password with the code from the email',
    body: s.ResetPasswordRequest,
    successStatus: 204,
    answers: { 401: 'the email and code do not match, or the code has expired' },
    throttle: AUTH_THROTTLE,
  }),

  route({
    method: 'GET',
    path: '/v1/users/me',
    function: 'users',
    auth: 'jwt',
    summary: 'The signed-in user',
    successStatus: 200,
    response: s.User,
  }),
  route({
    method: 'POST',
    path: '/v1/users',
    function: 'users',
    auth: 'jwt',
    roles: ['admin', 'clinician'],
    summary: 'Admins create clinicians and admins; clinicians create patients, who join their care team',
    body: s.CreateUserRequest,
    successStatus: 201,
    response: s.User,
    answers: { 403: 'your role may not create this role', 409: 'a user with this email exists' },
  }),

  route({
    method: 'PUT',
    path: '/v1/thresholds/{metric}',
    function: 'thresholds',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "Set the clinician's default threshold for a metric",
    params: s.MetricParams,
    body: s.ThresholdRequest,
    successStatus: 200,
    response: s.Threshold,
  }),
  route({
    method: 'GET',
    path: '/v1/thresholds/{metric}',
    function: 'thresholds',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "The clinician's default threshold for a metric",
    params: s.MetricParams,
    successStatus: 200,
    response: s.Threshold,
    answers: { 404: 'you have set no default for this metric' },
  }),
  route({
    method: 'PUT',
    path: '/v1/patients/{patientId}/thresholds/{metric}',
    function: 'thresholds',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "Set a patient's threshold for a metric",
    params: s.PatientMetricParams,
    body: s.ThresholdRequest,
    successStatus: 200,
    response: s.Threshold,
    answers: { 404: PATIENT_NOT_VISIBLE },
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/thresholds/{metric}',
    function: 'thresholds',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "The threshold in force for a patient's metric, after fallback",
    params: s.PatientMetricParams,
    successStatus: 200,
    response: s.Threshold,
    answers: { 404: `${PATIENT_NOT_VISIBLE}, or no threshold applies to the metric` },
  }),
  route({
    method: 'DELETE',
    path: '/v1/patients/{patientId}/thresholds/{metric}',
    function: 'thresholds',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "Remove a patient's own threshold so the fallback applies",
    params: s.PatientMetricParams,
    successStatus: 204,
    answers: { 404: `${PATIENT_NOT_VISIBLE}, or the patient has no threshold of their own for the metric` },
  }),

  route({
    method: 'GET',
    path: '/v1/alerts',
    function: 'alerts',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "Alerts of the caller's patients, newest first",
    query: s.AlertListQuery,
    successStatus: 200,
    response: s.AlertPage,
    answers: { 404: PATIENT_NOT_VISIBLE },
  }),
  route({
    method: 'POST',
    path: '/v1/alerts/{alertId}/acknowledge',
    function: 'alerts',
    auth: 'jwt',
    roles: ['clinician'],
    summary: 'Acknowledge an open alert',
    params: s.AlertParams,
    successStatus: 200,
    response: s.Alert,
    answers: { 404: ALERT_NOT_VISIBLE, 409: 'the alert is not open' },
  }),
  route({
    method: 'POST',
    path: '/v1/alerts/{alertId}/resolve',
    function: 'alerts',
    auth: 'jwt',
    roles: ['clinician'],
    summary: 'Resolve an alert',
    params: s.AlertParams,
    successStatus: 200,
    response: s.Alert,
    answers: { 404: ALERT_NOT_VISIBLE, 409: 'the alert is already resolved' },
  }),

  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/ecg',
    function: 'ecg',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Start an ECG recording',
    params: s.PatientParams,
    body: s.StartRecordingRequest,
    successStatus: 201,
    response: s.Recording,
    answers: { 404: PATIENT_NOT_VISIBLE },
  }),
  route({
    method: 'PUT',
    path: '/v1/ecg/{recordingId}/chunks/{seq}',
    function: 'ecg',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Upload chunk seq (from 0) of a recording; repeating it is harmless',
    params: s.ChunkParams,
    body: s.ChunkRequest,
    successStatus: 202,
    response: s.ChunkAccepted,
    answers: {
      404: RECORDING_NOT_VISIBLE,
      409: 'this seq was received with other samples, is past the end fixed by /complete, or the recording is cancelled or closed',
    },
  }),
  route({
    method: 'POST',
    path: '/v1/ecg/{recordingId}/complete',
    function: 'ecg',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Mark a recording as fully uploaded (chunks 0…n-1 all received)',
    params: s.RecordingParams,
    successStatus: 200,
    response: s.Recording,
    answers: { 404: RECORDING_NOT_VISIBLE, 409: 'chunks are missing (the detail says which), or the recording is cancelled or closed' },
  }),
  route({
    method: 'POST',
    path: '/v1/ecg/{recordingId}/cancel',
    function: 'ecg',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Cancel a recording: no more chunks are taken, and the chunks before the first missing one are analysed',
    params: s.RecordingParams,
    successStatus: 200,
    response: s.Recording,
    answers: { 404: RECORDING_NOT_VISIBLE, 409: 'the recording was already completed' },
  }),
  route({
    method: 'GET',
    path: '/v1/ecg/{recordingId}',
    function: 'ecg',
    auth: 'jwt',
    summary: 'Recording status and findings',
    params: s.RecordingParams,
    successStatus: 200,
    response: s.Recording,
    answers: { 404: RECORDING_NOT_VISIBLE },
  }),
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];
export type RouteKey = `${HttpMethod} ${string}`;

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): RouteKey {
  return `${route.method} ${route.path}`;
}

export function routesOf(fn: HttpFunctionName): RouteDefinition[] {
  return ROUTES.filter((r) => r.function === fn);
}

// A Map, not an object: a key such as "__proto__" or "constructor" must find nothing.
const byKey = new Map<string, RouteDefinition>(ROUTES.map((r) => [routeKey(r), r]));

export function findRoute(key: string): RouteDefinition | undefined {
  return byKey.get(key);
}
