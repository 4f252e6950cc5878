// Reading the audit trail: admins search their organisation's, and a patient reads who looked
// at their data (an accounting of disclosures).
import { noteAccessTo } from '../audit/access-notes.ts';
import type { AuditEntry } from '../domain/audit-entry.ts';
import type { Caller } from '../domain/caller.ts';
import { ValidationError } from '../domain/errors.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { OWN_RECORD } from '../domain/patient-access.ts';
import { type AuditPage, type AuditRange, queryActorAudit, queryOrganisationAudit, queryPatientAudit } from '../data/audit-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUsers } from '../data/user-store.ts';
import { requirePatientAccess } from './patient-access-check.ts';

export interface AuditServiceDependencies {
  table: TableClient;
  cursors: CursorCodec;
  now?: () => Date;
}

/** When a query gives no `from`: the last 30 days. */
export const DEFAULT_AUDIT_DAYS = 30;
/** An organisation-wide search (no patient, no actor) reads one partition per day, so its range is bounded. */
export const MAX_ORGANISATION_AUDIT_DAYS = 31;

const DAY_MS = 86_400_000;

export interface AuditQuery {
  patientId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

function rangeOf(deps: AuditServiceDependencies, query: Pick<AuditQuery, 'from' | 'to'>, maxDays?: number): AuditRange {
  const to = new Date(query.to ?? deps.now?.() ?? new Date());
  const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_AUDIT_DAYS * DAY_MS) : new Date(query.from);
  if (from > to) throw new ValidationError('from is after to', [{ path: 'query.from', message: 'must not be after `to`' }]);
  if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * DAY_MS) {
    const message = `spans more than ${maxDays} days; narrow it, or give patientId or actorId`;
    throw new ValidationError(`from: ${message}`, [{ path: 'query.from', message }]);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}

export type PublicAuditEntry = Omit<AuditEntry, 'orgId'>;

function publicEntry(entry: AuditEntry): PublicAuditEntry {
  const { orgId: _orgId, ...rest } = entry;
  return rest;
}

/** The organisation's trail, newest first, by patient, by actor, or all of it within a month. */
export async function searchAudit(deps: AuditServiceDependencies, caller: Caller, query: AuditQuery) {
  if (query.patientId !== undefined) noteAccessTo(query.patientId);
  const wide = query.patientId === undefined && query.actorId === undefined;
  const range = rangeOf(deps, query, wide ? MAX_ORGANISATION_AUDIT_DAYS : undefined);
  // The query as asked, not the range derived from the clock, which moves between pages.
  const scope = `audit|${caller.userId}|${query.patientId ?? ''}|${query.actorId ?? ''}|${query.from ?? ''}|${query.to ?? ''}`;
  const next = query.cursor === undefined ? undefined : deps.cursors.decode(query.cursor, scope);
  const limit = query.limit ?? PAGE_LIMITS.default;
  const options = { range, limit, ...(next === undefined ? {} : { next }) };
  let page: AuditPage;
  if (query.patientId !== undefined) {
    page = await queryPatientAudit(deps.table, caller.orgId, query.patientId, {
      ...options,
      ...(query.actorId === undefined ? {} : { actorId: query.actorId }),
    });
  } else if (query.actorId !== undefined) {
    page = await queryActorAudit(deps.table, caller.orgId, query.actorId, options);
  } else {
    page = await queryOrganisationAudit(deps.table, caller.orgId, options);
  }
  return {
    items: page.entries.map(publicEntry),
    ...(page.next === undefined ? {} : { nextCursor: deps.cursors.encode(page.next, scope) }),
  };
}

/** Who looked at the patient's data and when, newest first; the patient's own requests left out. */
export async function readAccessLog(
  deps: AuditServiceDependencies,
  caller: Caller,
  patientId: string,
  query: Omit<AuditQuery, 'patientId' | 'actorId'>,
) {
  await requirePatientAccess(deps.table, caller, patientId, OWN_RECORD);
  const range = rangeOf(deps, query);
  const scope = `access-log|${caller.userId}|${patientId}|${query.from ?? ''}|${query.to ?? ''}`;
  const next = query.cursor === undefined ? undefined : deps.cursors.decode(query.cursor, scope);
  const page = await queryPatientAudit(deps.table, caller.orgId, patientId, {
    range,
    limit: query.limit ?? PAGE_LIMITS.default,
    exceptActorId: patientId,
    ...(next === undefined ? {} : { next }),
  });
  const actors = new Map(
    (
      await getUsers(
        deps.table,
        page.entries.map((entry) => entry.actorId),
      )
    ).map((user) => [user.userId, user]),
  );
  return {
    items: page.entries.map((entry) => ({
      at: entry.at,
      actor: { userId: entry.actorId, role: entry.actorRole, name: actors.get(entry.actorId)?.name ?? '(unknown)' },
      action: entry.action,
      outcome: entry.outcome,
      ...(entry.objectId === undefined ? {} : { objectId: entry.objectId }),
    })),
    ...(page.next === undefined ? {} : { nextCursor: deps.cursors.encode(page.next, scope) }),
  };
}
