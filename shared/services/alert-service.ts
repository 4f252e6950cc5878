// Alerts: raising them (with de-duplication and push to the care team), listing them for
// the people who may see them, and their lifecycle open → acknowledged → resolved.
import { randomUUID } from 'node:crypto';
import type { Alert, AlertDraft, AlertStatus } from '../domain/alert.ts';
import { isHistorical } from '../domain/alert-rules.ts';
import type { Caller } from '../domain/caller.ts';
import { ConflictError, DomainError, NotFoundError } from '../domain/errors.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import {
  acknowledgeAlert,
  AlertStateError,
  alertKeys,
  getAlert,
  openOrRepeatAlert,
  queryPatientAlerts,
  recordHistoricalAlert,
  resolveAlert,
} from '../data/alert-store.ts';
import { listPatientIdsOf } from '../data/care-team-store.ts';
import { alertNeed } from '../domain/consent.ts';
import { type CareTeamPushDependencies, pushToCareTeam } from './care-team-push.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import type { Notifier } from '../realtime/connection-notifier.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { MANAGE, readingOf } from '../domain/patient-access.ts';
import { noteAccessTo } from '../audit/access-notes.ts';

export interface AlertServiceDependencies {
  table: TableClient;
  notifier: Notifier;
  cursors: CursorCodec;
  requestId?: string;
  now?: () => Date;
}

export type PublicAlert = Omit<Alert, 'orgId'>;

export function publicAlert(alert: Alert): PublicAlert {
  const { orgId: _orgId, ...rest } = alert;
  return rest;
}

/** Tells the patient's clinicians, and caregivers whose consent covers the alert. */
function pushAlert(deps: CareTeamPushDependencies, alert: Alert, type: 'alert.created' | 'alert.updated') {
  return pushToCareTeam(deps, alert, alertNeed(alert), { type, alert: publicAlert(alert) }, alert.alertId);
}

export type RaiseAlertInput = Omit<AlertDraft, 'alertId' | 'createdAt'> & {
  /**
   * For data that may arrive late: what a historical alert is one of per cause (the recording,
   * or the hour of late vital signs). The recording when absent; without either, never historical.
   */
  historicalEpisode?: string;
  /** The breach is known to be over already (found in late data): historical whatever its age. */
  over?: boolean;
};

export async function raiseAlert(deps: Pick<AlertServiceDependencies, 'table' | 'notifier' | 'now' | 'requestId'>, input: RaiseAlertInput) {
  const now = deps.now?.() ?? new Date();
  const { historicalEpisode, over, ...fields } = input;
  const draft: AlertDraft = { ...fields, alertId: randomUUID(), createdAt: now.toISOString() };
  const episode = historicalEpisode ?? input.recordingId;
  if (episode && (over === true || isHistorical(input.firstSeenAt, now))) {
    const { alert, created } = await recordHistoricalAlert(deps.table, draft, episode);
    return { alert, created, pushed: { delivered: 0, gone: 0 } };
  }
  const { alert, created } = await openOrRepeatAlert(deps.table, draft);
  const pushed = await pushAlert(deps, alert, created ? 'alert.created' : 'alert.updated');
  return { alert, created, pushed };
}

async function patientsVisibleTo(deps: AlertServiceDependencies, caller: Caller, patientId: string | undefined): Promise<string[]> {
  if (patientId) {
    await requirePatientAccess(deps.table, caller, patientId, readingOf(['alerts']));
    return [patientId];
  }
  return listPatientIdsOf(deps.table, caller.userId);
}

export interface AlertListRequest {
  status?: AlertStatus;
  patientId?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Newest first across all patients the caller may see: each patient's index is read from the
 * cursor position down and the pages are merged. The cursor is bound to caller and filters.
 */
export async function listAlerts(deps: AlertServiceDependencies, caller: Caller, request: AlertListRequest) {
  const limit = request.limit ?? PAGE_LIMITS.default;
  const scope = `alerts|${caller.userId}|${request.status ?? ''}|${request.patientId ?? ''}`;
  const before = request.cursor ? deps.cursors.decode(request.cursor, scope) : undefined;
  const patientIds = await patientsVisibleTo(deps, caller, request.patientId);
  const pages = await Promise.all(
    patientIds.map((patientId) =>
      queryPatientAlerts(deps.table, patientId, {
        limit: limit + 1,
        ...(request.status ? { status: request.status } : {}),
        ...(before ? { before } : {}),
      }),
    ),
  );
  const merged = pages.flat().sort((a, b) => (alertKeys.order(a) < alertKeys.order(b) ? 1 : -1));
  const items = merged.slice(0, limit);
  noteAccessTo(...items.map((alert) => alert.patientId));
  const last = items.at(-1);
  const nextCursor = merged.length > limit && last ? deps.cursors.encode(alertKeys.order(last), scope) : undefined;
  return { items: items.map(publicAlert), ...(nextCursor ? { nextCursor } : {}) };
}

/**
 * One alert, for those who may see it: the patient's clinicians, the patient, and caregivers
 * whose consent covers it. Anyone else, admins included, is told it does not exist.
 */
export async function getAlertAs(deps: Pick<AlertServiceDependencies, 'table'>, caller: Caller, alertId: string): Promise<PublicAlert> {
  const alert = await getAlert(deps.table, alertId);
  if (!alert || alert.orgId !== caller.orgId) throw new NotFoundError(`alert ${alertId} not found`);
  try {
    await requirePatientAccess(deps.table, caller, alert.patientId, readingOf(alertNeed(alert)));
  } catch (error) {
    if (error instanceof DomainError) throw new NotFoundError(`alert ${alertId} not found`);
    throw error;
  }
  return publicAlert(alert);
}

async function changeAlert(
  deps: AlertServiceDependencies,
  caller: Caller,
  alertId: string,
  change: (alert: Alert, at: string) => Promise<Alert>,
): Promise<PublicAlert> {
  const alert = await getAlert(deps.table, alertId);
  if (!alert || alert.orgId !== caller.orgId) throw new NotFoundError(`alert ${alertId} not found`);
  await requirePatientAccess(deps.table, caller, alert.patientId, MANAGE);
  let changed: Alert;
  try {
    changed = await change(alert, (deps.now?.() ?? new Date()).toISOString());
  } catch (error) {
    if (error instanceof AlertStateError) throw new ConflictError(error.message);
    throw error;
  }
  await pushAlert(deps, changed, 'alert.updated');
  return publicAlert(changed);
}

export function acknowledge(deps: AlertServiceDependencies, caller: Caller, alertId: string) {
  return changeAlert(deps, caller, alertId, (alert, at) => acknowledgeAlert(deps.table, alert, caller.userId, at));
}

export function resolve(deps: AlertServiceDependencies, caller: Caller, alertId: string) {
  return changeAlert(deps, caller, alertId, (alert, at) => resolveAlert(deps.table, alert, caller.userId, at));
}
