// The route table: the single list of HTTP routes. The CDK stack creates one API Gateway
// route per entry and wires it to the named function, the local gateway dispatches with it,
// the OpenAPI document is generated from it, and each function's router checks that it
// implements exactly its entries.
import type { z } from 'zod';
import type { HttpFunctionName } from './function-catalog.ts';
import * as s from './schemas.ts';
import type { Role } from '../auth/user-pool-definition.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: /v1/ecg/{recordingId}/chunks/{seq} */
  readonly path: string;
  readonly function: HttpFunctionName;
  /** 'public' routes skip the JWT authorizer; every other route requires a valid access token. */
  readonly auth: 'public' | 'jwt';
  /** Roles that may call the route at all; finer rules (own patients, consent) live in the domain. */
  readonly roles?: readonly Role[];
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly successStatus: number;
  readonly response?: z.ZodType;
  readonly responseContentType?: string;
}

const route = <const R extends RouteDefinition>(definition: R): R => definition;

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
    summary: 'Admins create clinicians and admins; clinicians create patients',
    body: s.CreateUserRequest,
    successStatus: 201,
    response: s.User,
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
  }),
  route({
    method: 'POST',
    path: '/v1/ecg/{recordingId}/complete',
    function: 'ecg',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Mark a recording as fully uploaded',
    params: s.RecordingParams,
    successStatus: 200,
    response: s.Recording,
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
  }),
] as const satisfies readonly RouteDefinition[];

export type RouteKey = `${HttpMethod} ${string}`;

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): RouteKey {
  return `${route.method} ${route.path}`;
}

export function routesOf(fn: HttpFunctionName): RouteDefinition[] {
  return ROUTES.filter((r) => r.function === fn);
}

const byKey = new Map<string, RouteDefinition>(ROUTES.map((r) => [routeKey(r), r]));

export function findRoute(key: string): RouteDefinition | undefined {
  return byKey.get(key);
}
