// Alerts: raising them (with de-duplication, notification of the care team, escalation and
// delivery outside the app), listing them for the people who may see them, notes, and their
// lifecycle open → acknowledged → resolved.
import { randomUUID } from 'node:crypto';
import type { Alert, AlertDraft, AlertStatus } from '../domain/alert.ts';
import { isHistorical } from '../domain/alert-rules.ts';
import type { Caller } from '../domain/caller.ts';
import { scopesOf } from '../domain/care-team.ts';
import { alertNeed, type ConsentScope, consentCovers } from '../domain/consent.ts';
import { ConflictError, DomainError, NotFoundError } from '../domain/errors.ts';
import { escalationTime } from '../domain/escalation.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { utcIso } from '../domain/time.ts';
import { MANAGE, READ_ANY, readingOf } from '../domain/patient-access.ts';
import type { Role } from '../domain/roles.ts';
import type { Priority } from '../domain/thresholds.ts';
import { noteAccessTo } from '../audit/access-notes.ts';
import {
  acknowledgeAlert,
  addAlertNote,
  AlertStateError,
  alertKeys,
  getAlert,
  openOrRepeatAlert,
  type PatientAlertQuery,
  readPatientAlerts,
  recordHistoricalAlert,
  resolveAlert,
} from '../data/alert-store.ts';
import { listMembershipsOf, listPatientIdsOf } from '../data/care-team-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';
import type { EscalationScheduler } from '../messaging/escalation-scheduler.ts';
import type { Notifier } from '../realtime/connection-notifier.ts';
import { notifyCareTeam } from './care-team-push.ts';
import { deliverOutsideApp, type OutsideAppDependencies } from './outside-app-delivery.ts';
import { requirePatientAccess } from './patient-access-check.ts';

export interface AlertServiceDependencies {
  table: TableClient;
  notifier: Notifier;
  cursors: CursorCodec;
  requestId?: string;
  now?: () => Date;
}

/** What telling people about an alert needs: pushes with stored notifications, and messages outside the app. */
export interface AlertDeliveryDependencies
  extends Pick<AlertServiceDependencies, 'table' | 'notifier' | 'now' | 'requestId'>,
    OutsideAppDependencies {}

/** What raising an alert needs: besides telling people, arranging its escalation. */
export interface AlertRaisingDependencies extends AlertDeliveryDependencies {
  escalations: EscalationScheduler;
}

export type PublicAlert = Omit<Alert, 'orgId'>;

/** An alert as one person sees it: clinicians see the care team's notes, nobody sees the organisation id. */
export function alertViewFor(alert: Alert, role: Role): PublicAlert {
  const { orgId: _orgId, notes, ...rest } = alert;
  return role === 'clinician' && notes !== undefined ? { ...rest, notes } : rest;
}

/** Tells the patient's clinicians, and caregivers whose consent covers the alert; answers who was told. */
function notifyAlert(
  deps: Pick<AlertServiceDependencies, 'table' | 'notifier' | 'now' | 'requestId'>,
  alert: Alert,
  type: 'alert.created' | 'alert.updated',
) {
  return notifyCareTeam(
    deps,
    alert,
    alertNeed(alert),
    (recipient, seq) => ({ type, seq, alert: alertViewFor(alert, recipient.role) }),
    alert.alertId,
  );
}

export type RaiseAlertInput = Omit<AlertDraft, 'alertId' | 'createdAt' | 'escalatesAt'> & {
  /**
   * For data that may arrive late: what a historical alert is one of per cause (the recording,
   * or the hour of late vital signs). The recording when absent; without either, never historical.
   */
  historicalEpisode?: string;
  /** The breach is known to be over already (found in late data): historical whatever its age. */
  over?: boolean;
  /** How long a high-priority alert may wait for acknowledgement (its threshold's setting); the default when absent. */
  escalateAfterSeconds?: number | undefined;
};

export async function raiseAlert(deps: AlertRaisingDependencies, input: RaiseAlertInput) {
  const now = deps.now?.() ?? new Date();
  const { historicalEpisode, over, escalateAfterSeconds, ...fields } = input;
  const draft: AlertDraft = { ...fields, alertId: randomUUID(), createdAt: now.toISOString() };
  const episode = historicalEpisode ?? input.recordingId;
  if (episode && (over === true || isHistorical(input.firstSeenAt, now))) {
    const { alert, created } = await recordHistoricalAlert(deps.table, draft, episode);
    return { alert, created, told: [] };
  }
  const escalatesAt = escalationTime(input.priority, now, escalateAfterSeconds);
  const { alert, created } = await openOrRepeatAlert(deps.table, { ...draft, ...(escalatesAt ? { escalatesAt } : {}) });
  // Arranged beside telling people, not after: an escalation must not hang on a push that failed.
  const [, told] = await Promise.all([
    created && alert.escalatesAt ? deps.escalations.schedule(alert.alertId, alert.escalatesAt) : undefined,
    notifyAlert(deps, alert, created ? 'alert.created' : 'alert.updated'),
  ]);
  if (created && alert.priority === 'high') {
    await deliverOutsideApp(
      deps,
      told.map(({ recipient }) => recipient.userId),
      'alert',
    );
  }
  return { alert, created, told };
}

/** The patients whose alerts the caller lists, each with what of theirs the caller may see. */
interface VisiblePatient {
  patientId: string;
  /** A caregiver's consent; undefined for clinicians and the patient, who see every alert. */
  scopes?: readonly ConsentScope[];
}

async function patientsVisibleTo(deps: AlertServiceDependencies, caller: Caller, patientId: string | undefined): Promise<VisiblePatient[]> {
  if (patientId) {
    await requirePatientAccess(deps.table, caller, patientId, READ_ANY);
    if (caller.role !== 'caregiver') return [{ patientId }];
  }
  if (caller.role === 'patient') return [{ patientId: caller.userId }];
  if (caller.role === 'caregiver') {
    const memberships = await listMembershipsOf(deps.table, caller.userId);
    return memberships
      .filter((membership) => patientId === undefined || membership.patientId === patientId)
      .map((membership) => ({ patientId: membership.patientId, scopes: scopesOf(membership) }));
  }
  return (await listPatientIdsOf(deps.table, caller.userId)).map((id) => ({ patientId: id }));
}

export interface AlertListRequest {
  status?: AlertStatus;
  patientId?: string;
  cause?: string;
  priority?: Priority;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Reads of one patient's index a page may make; past them the page ends early, with a cursor. */
const MAX_READS_PER_PATIENT = 4;

interface PatientReading {
  alerts: Alert[];
  /** Where reading stopped before the index ran out: the order key of the last alert read; nothing below it was. */
  stoppedAt?: string;
}

/**
 * Up to `query.limit` of a patient's alerts the caller may see, newest first, reading on past
 * those they may not (or that the filters drop), at most MAX_READS_PER_PATIENT times.
 */
async function visibleAlertsOf(table: TableClient, patient: VisiblePatient, query: PatientAlertQuery): Promise<PatientReading> {
  const visible = (alert: Alert) => patient.scopes === undefined || consentCovers(patient.scopes, alertNeed(alert));
  const found: Alert[] = [];
  let before = query.before;
  for (let read = 0; ; read++) {
    const page = await readPatientAlerts(table, patient.patientId, { ...query, ...(before === undefined ? {} : { before }) });
    found.push(...page.alerts.filter(visible));
    if (found.length >= query.limit || page.lastRead === undefined) return { alerts: found };
    if (read + 1 >= MAX_READS_PER_PATIENT) return { alerts: found, stoppedAt: page.lastRead };
    before = page.lastRead;
  }
}

/**
 * Newest first across all patients the caller may see, within their consent: each patient's
 * index is read from the cursor position down and the pages are merged. The cursor is bound to
 * caller and filters.
 */
export async function listAlerts(deps: AlertServiceDependencies, caller: Caller, request: AlertListRequest) {
  const limit = request.limit ?? PAGE_LIMITS.default;
  const from = utcIso(request.from);
  const to = utcIso(request.to);
  const scope = ['alerts', caller.userId, request.status, request.patientId, request.cause, request.priority, from, to].join('|');
  const before = request.cursor ? deps.cursors.decode(request.cursor, scope) : undefined;
  const patients = await patientsVisibleTo(deps, caller, request.patientId);
  const query: PatientAlertQuery = {
    limit: limit + 1,
    ...(request.status ? { status: request.status } : {}),
    ...(request.cause ? { cause: request.cause } : {}),
    ...(request.priority ? { priority: request.priority } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(before ? { before } : {}),
  };
  const readings = await Promise.all(patients.map((patient) => visibleAlertsOf(deps.table, patient, query)));
  // A patient whose reading stopped early may have alerts below where it stopped: the page holds
  // only what is at or above the highest such point (the alert there was read), and the next
  // page starts just below it.
  const floor = readings
    .map((reading) => reading.stoppedAt)
    .filter((key) => key !== undefined)
    .sort()
    .at(-1);
  const merged = readings
    .flatMap((reading) => reading.alerts)
    .filter((alert) => floor === undefined || alertKeys.order(alert) >= floor)
    .sort((a, b) => (alertKeys.order(a) < alertKeys.order(b) ? 1 : -1));
  const items = merged.slice(0, limit);
  noteAccessTo(...items.map((alert) => alert.patientId));
  const last = items.at(-1);
  const continueAt = merged.length > limit && last ? alertKeys.order(last) : floor;
  const nextCursor = continueAt === undefined ? undefined : deps.cursors.encode(continueAt, scope);
  return { items: items.map((alert) => alertViewFor(alert, caller.role)), ...(nextCursor ? { nextCursor } : {}) };
}

const alertNotFound = (alertId: string) => new NotFoundError(`alert ${alertId} not found`);

/**
 * One alert, for those who may see it: the patient's clinicians, the patient, and caregivers
 * whose consent covers it. Anyone else, admins included, is told it does not exist.
 */
export async function getAlertAs(deps: Pick<AlertServiceDependencies, 'table'>, caller: Caller, alertId: string): Promise<PublicAlert> {
  const alert = await getAlert(deps.table, alertId);
  if (!alert || alert.orgId !== caller.orgId) throw alertNotFound(alertId);
  try {
    await requirePatientAccess(deps.table, caller, alert.patientId, readingOf(alertNeed(alert)));
  } catch (error) {
    if (error instanceof DomainError) throw alertNotFound(alertId);
    throw error;
  }
  return alertViewFor(alert, caller.role);
}

/** An alert a clinician of its patient may act on: anyone else is told it does not exist. */
async function managedAlert(deps: Pick<AlertServiceDependencies, 'table'>, caller: Caller, alertId: string): Promise<Alert> {
  const alert = await getAlert(deps.table, alertId);
  if (!alert || alert.orgId !== caller.orgId) throw alertNotFound(alertId);
  await requirePatientAccess(deps.table, caller, alert.patientId, MANAGE);
  return alert;
}

/** Adds a clinician's note, with their name and the time; notes are for the care team's clinicians. */
export async function addNote(deps: AlertServiceDependencies, caller: Caller, alertId: string, text: string): Promise<PublicAlert> {
  await managedAlert(deps, caller, alertId);
  const author = await getUser(deps.table, caller.userId);
  const note = {
    noteId: randomUUID(),
    text,
    authorId: caller.userId,
    authorName: author?.name ?? caller.userId,
    at: (deps.now?.() ?? new Date()).toISOString(),
  };
  const updated = await addAlertNote(deps.table, alertId, note);
  if (!updated) throw new ConflictError(`alert ${alertId} already holds the most notes an alert may`);
  return alertViewFor(updated, caller.role);
}

async function changeAlert(
  deps: AlertServiceDependencies,
  caller: Caller,
  alertId: string,
  change: (alert: Alert, at: string) => Promise<Alert>,
): Promise<PublicAlert> {
  const alert = await managedAlert(deps, caller, alertId);
  let changed: Alert;
  try {
    changed = await change(alert, (deps.now?.() ?? new Date()).toISOString());
  } catch (error) {
    if (error instanceof AlertStateError) throw new ConflictError(error.message);
    throw error;
  }
  await notifyAlert(deps, changed, 'alert.updated');
  return alertViewFor(changed, caller.role);
}

export function acknowledge(deps: AlertServiceDependencies, caller: Caller, alertId: string) {
  return changeAlert(deps, caller, alertId, (alert, at) => acknowledgeAlert(deps.table, alert, caller.userId, at));
}

export function resolve(deps: AlertServiceDependencies, caller: Caller, alertId: string) {
  return changeAlert(deps, caller, alertId, (alert, at) => resolveAlert(deps.table, alert, caller.userId, at));
}

/** Resolves an open alert for a reason other than a clinician's judgement (an SOS cancelled), and tells the care team. */
export async function resolveWithReason(
  deps: Pick<AlertServiceDependencies, 'table' | 'notifier' | 'now' | 'requestId'>,
  alert: Alert,
  by: string,
  reason: string,
): Promise<Alert | undefined> {
  let resolved: Alert;
  try {
    resolved = await resolveAlert(deps.table, alert, by, (deps.now?.() ?? new Date()).toISOString(), reason);
  } catch (error) {
    if (error instanceof AlertStateError) return undefined;
    throw error;
  }
  await notifyAlert(deps, resolved, 'alert.updated');
  return resolved;
}
