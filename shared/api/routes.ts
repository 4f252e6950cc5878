// The route table: the single list of HTTP routes. The CDK stack creates one API Gateway
// route per entry and wires it to the named function, the local gateway dispatches with it,
// the OpenAPI document is generated from it, and each function's router checks that it
// implements exactly its entries.
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import type { HttpFunctionName } from './function-catalog.ts';
import { MAX_NOTES_PER_ALERT } from '../domain/alert.ts';
import { SOS_RATE_LIMIT } from '../domain/sos.ts';
import * as n from './notification-schemas.ts';
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
  /**
   * The route reads or writes a patient's data: every call by a known user writes an audit
   * entry, even one refused before it reached a patient. Other routes are audited only for
   * the patients they reach.
   */
  readonly audited?: true;
}

const route = <const R extends RouteDefinition>(definition: R): R => definition;

/** Every route's limit unless it sets a lower one: protects the table and the bill from a runaway client. */
export const DEFAULT_ROUTE_THROTTLE: RouteThrottle = { rateLimit: 1000, burstLimit: 2000 };

/** Sign-in and password routes: enough for every patient refreshing hourly, too little for guessing at scale. */
export const AUTH_THROTTLE: RouteThrottle = { rateLimit: 100, burstLimit: 200 };

const PATIENT_NOT_VISIBLE = 'the patient does not exist or is not in your care';
const RECORDING_NOT_VISIBLE = 'the recording does not exist or is not visible to you';
const ALERT_NOT_VISIBLE = 'the alert does not exist or is not visible to you';
const USER_NOT_VISIBLE = 'the user does not exist or is not visible to you';
const DEVICE_NOT_VISIBLE = 'the device does not exist or is not one whose patient you manage';

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
    method: 'PATCH',
    path: '/v1/users/me',
    function: 'users',
    auth: 'jwt',
    summary: 'Edit your own name, phone, time zone, or how alerts reach you outside the app (`notify`)',
    body: s.UpdateUserRequest,
    successStatus: 200,
    response: s.User,
    answers: { 403: 'nobody changes their own role' },
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
    method: 'GET',
    path: '/v1/users',
    function: 'users',
    auth: 'jwt',
    roles: ['admin'],
    summary: "The organisation's users, of one role or all, paged",
    query: s.UserListQuery,
    successStatus: 200,
    response: s.UserPage,
  }),
  route({
    method: 'GET',
    path: '/v1/users/{userId}',
    function: 'users',
    auth: 'jwt',
    summary:
      'A user: admins read anyone of the organisation, clinicians their patients and colleagues, caregivers their patients, everyone themselves',
    params: s.UserParams,
    successStatus: 200,
    response: s.User,
    answers: { 404: USER_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'PATCH',
    path: '/v1/users/{userId}',
    function: 'users',
    auth: 'jwt',
    summary:
      'Edit name, phone or time zone (admins: anyone; clinicians: their patients; everyone: themselves); only an admin changes a role, never their own',
    params: s.UserParams,
    body: s.UpdateUserRequest,
    successStatus: 200,
    response: s.User,
    answers: {
      403: 'you may see this user but not make this change',
      404: USER_NOT_VISIBLE,
      409: 'the role change would leave no enabled admin, the clinician still has patients, or the account is disabled',
    },
    audited: true,
  }),
  route({
    method: 'DELETE',
    path: '/v1/users/{userId}',
    function: 'users',
    auth: 'jwt',
    roles: ['admin', 'clinician'],
    summary: 'Disable an account: sign-in and every token refused from now on, history kept (admins; clinicians discharge their patients)',
    params: s.UserParams,
    successStatus: 204,
    answers: {
      403: 'you may see this user but not disable them',
      404: USER_NOT_VISIBLE,
      409: "the organisation's last enabled admin, or a clinician who is some patient's only one",
    },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients',
    function: 'patients',
    auth: 'jwt',
    roles: ['admin', 'clinician', 'caregiver'],
    summary: "The caller's patients (clinicians, caregivers); every patient of the organisation (admins); paged",
    query: s.PatientListQuery,
    successStatus: 200,
    response: s.UserPage,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/care-team',
    function: 'patients',
    auth: 'jwt',
    summary: "The patient's clinicians and caregivers, with each caregiver's consent",
    params: s.PatientParams,
    successStatus: 200,
    response: s.CareTeam,
    answers: { 403: 'caregivers do not see the rest of the care team', 404: PATIENT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'PUT',
    path: '/v1/patients/{patientId}/care-team/{userId}',
    function: 'patients',
    auth: 'jwt',
    summary:
      "Add a clinician of the organisation to the care team (the patient's clinicians, admins), or set a caregiver's scopes (the patient, their clinicians)",
    params: s.CareTeamMemberParams,
    body: s.CareTeamMemberRequest,
    successStatus: 200,
    response: s.CareTeamMember,
    answers: {
      403: 'you may see the patient but not change this member',
      404: `${PATIENT_NOT_VISIBLE}, or the user is not in your organisation, or the caregiver is not on the care team`,
    },
    audited: true,
  }),
  route({
    method: 'DELETE',
    path: '/v1/patients/{patientId}/care-team/{userId}',
    function: 'patients',
    auth: 'jwt',
    summary: 'Take a clinician (never the last) or a caregiver off the care team; a caregiver may leave',
    params: s.CareTeamMemberParams,
    successStatus: 204,
    answers: {
      403: 'you may see the patient but not remove this member',
      404: `${PATIENT_NOT_VISIBLE}, or the user is not on the care team`,
      409: 'the last clinician of the care team',
    },
    audited: true,
  }),
  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/caregivers',
    function: 'patients',
    auth: 'jwt',
    roles: ['patient', 'clinician'],
    summary: 'Invite a family caregiver with the scopes the patient consents to (the patient, or their clinician on their behalf)',
    params: s.PatientParams,
    body: s.InviteCaregiverRequest,
    successStatus: 201,
    response: s.CareTeamMember,
    answers: {
      403: 'you may see the patient but not decide their consent',
      404: PATIENT_NOT_VISIBLE,
      409: 'the email belongs to another kind of account, or the caregiver is on the care team already',
    },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/access-log',
    function: 'audit',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Who looked at or changed your data, and when (your own requests left out), newest first',
    params: s.PatientParams,
    query: s.AccessLogQuery,
    successStatus: 200,
    response: s.AccessLogPage,
    answers: { 404: PATIENT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/audit',
    function: 'audit',
    auth: 'jwt',
    roles: ['admin'],
    summary: "The organisation's audit trail, newest first: by patient, by actor, or all of it over at most 31 days",
    query: s.AuditQuery,
    successStatus: 200,
    response: s.AuditPage,
    audited: true,
  }),

  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/devices',
    function: 'devices',
    auth: 'jwt',
    roles: ['patient', 'clinician'],
    summary: 'Pair a device to the patient (the patient, their clinicians)',
    params: s.PatientParams,
    body: s.DeviceRequest,
    successStatus: 201,
    response: s.Device,
    answers: {
      403: 'you may see the patient but not manage their devices',
      404: PATIENT_NOT_VISIBLE,
      409: 'the serial is paired already (to whom is not said)',
    },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/devices',
    function: 'devices',
    auth: 'jwt',
    roles: ['patient', 'clinician'],
    summary: "The patient's devices, unpaired ones included (the patient, their clinicians)",
    params: s.PatientParams,
    successStatus: 200,
    response: s.DeviceList,
    answers: { 403: 'you may see the patient but not manage their devices', 404: PATIENT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'PATCH',
    path: '/v1/devices/{deviceId}',
    function: 'devices',
    auth: 'jwt',
    roles: ['patient', 'clinician'],
    summary: 'Report battery, firmware or last contact; a battery under 15 % raises a low-priority technical alert',
    params: s.DeviceParams,
    body: s.DeviceUpdateRequest,
    successStatus: 200,
    response: s.Device,
    answers: { 404: DEVICE_NOT_VISIBLE, 409: 'the device is unpaired' },
    audited: true,
  }),
  route({
    method: 'DELETE',
    path: '/v1/devices/{deviceId}',
    function: 'devices',
    auth: 'jwt',
    roles: ['patient', 'clinician'],
    summary: 'Unpair a device: it takes no more data for the patient; its record and what it sent stay',
    params: s.DeviceParams,
    successStatus: 204,
    answers: { 404: DEVICE_NOT_VISIBLE },
    audited: true,
  }),

  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/vitals',
    function: 'vitals',
    auth: 'jwt',
    roles: ['patient'],
    summary: 'Send a batch of vital-sign samples (all stored or none); each is judged against its threshold',
    params: s.PatientParams,
    body: s.VitalsBatchRequest,
    successStatus: 200,
    response: s.VitalsAccepted,
    answers: {
      404: PATIENT_NOT_VISIBLE,
      409: 'a sample was received before with another value (the problem names it); nothing was stored',
    },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/vitals',
    function: 'vitals',
    auth: 'jwt',
    summary: "A metric's history: raw samples newest first, or hourly or daily buckets in the patient's time zone, or a FHIR R4 bundle",
    params: s.PatientParams,
    query: s.VitalsQuery,
    successStatus: 200,
    response: s.VitalsHistory,
    answers: { 403: 'you may see the patient but not this metric (consent), or you are an admin', 404: PATIENT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/vitals/latest',
    function: 'vitals',
    auth: 'jwt',
    summary: 'The newest value of each metric you may see, with its time',
    params: s.PatientParams,
    successStatus: 200,
    response: s.LatestVitals,
    answers: { 403: 'you may see the patient but none of their vital signs, or you are an admin', 404: PATIENT_NOT_VISIBLE },
    audited: true,
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
    audited: true,
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
    audited: true,
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
    audited: true,
  }),

  route({
    method: 'GET',
    path: '/v1/alerts',
    function: 'alerts',
    auth: 'jwt',
    roles: ['clinician', 'caregiver', 'patient'],
    summary: "Alerts, newest first: clinicians their patients', caregivers those their consent covers, patients their own; filters combine",
    query: s.AlertListQuery,
    successStatus: 200,
    response: s.AlertPage,
    answers: { 404: PATIENT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/alerts/{alertId}',
    function: 'alerts',
    auth: 'jwt',
    summary: "One alert: for the patient's clinicians, the patient, and caregivers whose consent covers it",
    params: s.AlertParams,
    successStatus: 200,
    response: s.Alert,
    answers: { 404: ALERT_NOT_VISIBLE },
    audited: true,
  }),
  route({
    method: 'POST',
    path: '/v1/alerts/{alertId}/notes',
    function: 'alerts',
    auth: 'jwt',
    roles: ['clinician'],
    summary: "Add a note to an alert (shown with its author and time to the patient's clinicians)",
    params: s.AlertParams,
    body: s.AlertNoteRequest,
    successStatus: 201,
    response: s.Alert,
    answers: { 404: ALERT_NOT_VISIBLE, 409: `the alert already holds ${MAX_NOTES_PER_ALERT} notes` },
    audited: true,
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
    audited: true,
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
    audited: true,
  }),

  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/sos',
    function: 'alerts',
    auth: 'jwt',
    roles: ['patient', 'caregiver'],
    summary:
      'Call for help: opens a high-priority sos alert at once for every clinician and caregiver allowed sos; another call while it is open updates it (count, newest location)',
    params: s.PatientParams,
    body: s.SosRequest,
    successStatus: 201,
    response: s.Alert,
    answers: {
      403: 'a caregiver without the sos scope',
      404: PATIENT_NOT_VISIBLE,
      429: `more than ${SOS_RATE_LIMIT.calls} SOS calls for the patient within ${SOS_RATE_LIMIT.perSeconds} s`,
    },
    audited: true,
  }),
  route({
    method: 'POST',
    path: '/v1/patients/{patientId}/sos/cancel',
    function: 'alerts',
    auth: 'jwt',
    roles: ['patient', 'caregiver'],
    summary: "Cancel the patient's open SOS: it is resolved with that reason and the care team told",
    params: s.PatientParams,
    successStatus: 200,
    response: s.Alert,
    answers: { 403: 'a caregiver without the sos scope', 404: PATIENT_NOT_VISIBLE, 409: 'no SOS is open' },
    audited: true,
  }),

  route({
    method: 'GET',
    path: '/v1/notifications',
    function: 'notifications',
    auth: 'jwt',
    summary: 'Your notifications (every alert push you were sent, with its seq), newest first; `unread=true` for unread ones only',
    query: n.NotificationListQuery,
    successStatus: 200,
    response: n.NotificationPage,
  }),
  route({
    method: 'GET',
    path: '/v1/notifications/unread-count',
    function: 'notifications',
    auth: 'jwt',
    summary: 'How many of your notifications are unread, and the highest seq handed out',
    successStatus: 200,
    response: n.UnreadCount,
  }),
  route({
    method: 'POST',
    path: '/v1/notifications/read',
    function: 'notifications',
    auth: 'jwt',
    summary: 'Mark your notifications read: every one up to `upToSeq`, or the `seqs` named; numbers of nothing unread are fine',
    body: n.MarkNotificationsReadRequest,
    successStatus: 200,
    response: n.MarkedRead,
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
    audited: true,
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
    audited: true,
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
    audited: true,
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
    audited: true,
  }),
  route({
    method: 'GET',
    path: '/v1/patients/{patientId}/ecg',
    function: 'ecg',
    auth: 'jwt',
    roles: ['clinician', 'patient', 'caregiver'],
    summary: "A patient's recordings, newest first, with status and findings: their clinicians, the patient, caregivers allowed ecg",
    params: s.PatientParams,
    query: s.RecordingListQuery,
    successStatus: 200,
    response: s.RecordingPage,
    answers: { 403: 'a caregiver without the ecg scope', 404: PATIENT_NOT_VISIBLE },
    audited: true,
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
    audited: true,
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
