// The audit trail: append-only entries of who looked at or changed which patient's data.
//
// Key layout
//   entry   pk AUDIT#<orgId>#PATIENT#<patientId>  sk <at>#<entryId>   (a patient's entries, by time)
//           pk AUDIT#<orgId>#NO_PATIENT           sk <at>#<entryId>   (requests that reached no patient)
//           gsi1pk AUDIT#<orgId>#ACTOR#<actorId>  gsi1sk <at>#<entryId>   (an actor's entries in the organisation, by time)
//           gsi2pk AUDIT#<orgId>#DAY#<yyyy-mm-dd> gsi2sk <at>#<entryId>   (an organisation's entries, day by day)
//           expiresAt: six years after `at`
// The patient partition is the actor's organisation's: a request from another organisation
// is recorded in that organisation's trail, never in the patient's own.
// Nothing here updates or deletes an entry; no route does either.
import { AuditEntry, AUDIT_RETENTION_DAYS } from '../domain/audit-entry.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { batchWriteAll, queryPage, type TableClient } from './table-client.ts';
import { parseItem } from './table-item.ts';

export const auditKeys = {
  ofPatient: (orgId: string, patientId: string) => `AUDIT#${orgId}#PATIENT#${patientId}`,
  withoutPatient: (orgId: string) => `AUDIT#${orgId}#NO_PATIENT`,
  ofActor: (orgId: string, actorId: string) => `AUDIT#${orgId}#ACTOR#${actorId}`,
  ofOrgDay: (orgId: string, day: string) => `AUDIT#${orgId}#DAY#${day}`,
  order: (entry: Pick<AuditEntry, 'at' | 'entryId'>) => `${entry.at}#${entry.entryId}`,
};

const DAY_MS = 86_400_000;

function entryItem(entry: AuditEntry) {
  const order = auditKeys.order(entry);
  return {
    pk: entry.patientId === undefined ? auditKeys.withoutPatient(entry.orgId) : auditKeys.ofPatient(entry.orgId, entry.patientId),
    sk: order,
    gsi1pk: auditKeys.ofActor(entry.orgId, entry.actorId),
    gsi1sk: order,
    gsi2pk: auditKeys.ofOrgDay(entry.orgId, entry.at.slice(0, 10)),
    gsi2sk: order,
    type: 'audit',
    ...entry,
    expiresAt: Math.floor(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_DAYS * 86_400,
  };
}

/** Writes entries; resolves only once every one is stored, so a caller can refuse to answer otherwise. */
export async function writeAuditEntries(table: TableClient, entries: readonly AuditEntry[]): Promise<void> {
  await batchWriteAll(
    table,
    entries.map((entry) => ({ PutRequest: { Item: entryItem(AuditEntry.parse(entry)) } })),
  );
}

const parseEntry = (item: Record<string, unknown>): AuditEntry => parseItem('audit entry', AuditEntry, item);

export interface AuditRange {
  /** Inclusive, ISO 8601 in UTC. */
  from: string;
  to: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Where the next page starts (the query's own position, opaque to callers); absent on the last page. */
  next?: string;
}

// `to` is inclusive: every sort key of that instant starts with it and sorts below `~`.
const rangeValues = (range: AuditRange) => ({ ':from': range.from, ':to': `${range.to}~` });

async function pageOf(
  table: TableClient,
  query: { index?: 'gsi1' | 'gsi2'; partition: string; filter?: { expression: string; values: Record<string, unknown> } },
  range: AuditRange,
  limit: number,
  start?: Record<string, unknown>,
) {
  const index = query.index === undefined ? undefined : TABLE_INDEXES[query.index];
  const [pk, sk] = index === undefined ? ['pk', 'sk'] : [index.partitionKey, index.sortKey];
  return queryPage(
    table,
    {
      ...(index === undefined ? {} : { IndexName: index.indexName }),
      KeyConditionExpression: `${pk} = :pk AND ${sk} BETWEEN :from AND :to`,
      ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
      ExpressionAttributeValues: { ':pk': query.partition, ...rangeValues(range), ...(query.filter?.values ?? {}) },
      ScanIndexForward: false,
    },
    limit,
    start,
  );
}

const encodeKey = (key: Record<string, unknown> | undefined) => (key === undefined ? undefined : JSON.stringify(key));
const decodeKey = (next: string | undefined) => (next === undefined ? undefined : (JSON.parse(next) as Record<string, unknown>));

/** A patient's entries in the organisation's trail, newest first; optionally only one actor's, or all but one actor's. */
export async function queryPatientAudit(
  table: TableClient,
  orgId: string,
  patientId: string,
  options: { range: AuditRange; limit: number; next?: string; actorId?: string; exceptActorId?: string },
): Promise<AuditPage> {
  const filter =
    options.actorId !== undefined
      ? { expression: 'actorId = :actor', values: { ':actor': options.actorId } }
      : options.exceptActorId !== undefined
        ? { expression: 'actorId <> :actor', values: { ':actor': options.exceptActorId } }
        : undefined;
  const page = await pageOf(
    table,
    { partition: auditKeys.ofPatient(orgId, patientId), ...(filter ? { filter } : {}) },
    options.range,
    options.limit,
    decodeKey(options.next),
  );
  const next = encodeKey(page.nextKey);
  return { entries: page.items.map(parseEntry), ...(next ? { next } : {}) };
}

/** An actor's entries in the organisation's trail, newest first. */
export async function queryActorAudit(
  table: TableClient,
  orgId: string,
  actorId: string,
  options: { range: AuditRange; limit: number; next?: string },
): Promise<AuditPage> {
  const page = await pageOf(
    table,
    { index: 'gsi1', partition: auditKeys.ofActor(orgId, actorId) },
    options.range,
    options.limit,
    decodeKey(options.next),
  );
  const next = encodeKey(page.nextKey);
  return { entries: page.items.map(parseEntry), ...(next ? { next } : {}) };
}

/** The days (yyyy-mm-dd, UTC) a range touches, newest first. */
export function daysOf(range: AuditRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(range.to.slice(0, 10)); t >= Date.parse(range.from.slice(0, 10)); t -= DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** An organisation's entries, newest first, walking its day partitions from `to` back to `from`. */
export async function queryOrganisationAudit(
  table: TableClient,
  orgId: string,
  options: { range: AuditRange; limit: number; next?: string },
): Promise<AuditPage> {
  const position = options.next === undefined ? undefined : (JSON.parse(options.next) as { day: string; key?: Record<string, unknown> });
  const days = daysOf(options.range).filter((day) => position === undefined || day <= position.day);
  const entries: AuditEntry[] = [];
  for (const [i, day] of days.entries()) {
    const start = i === 0 ? position?.key : undefined;
    const page = await pageOf(
      table,
      { index: 'gsi2', partition: auditKeys.ofOrgDay(orgId, day) },
      options.range,
      options.limit - entries.length,
      start,
    );
    entries.push(...page.items.map(parseEntry));
    if (entries.length >= options.limit) {
      const nextDay = page.nextKey ? day : days[i + 1];
      const next = nextDay === undefined ? undefined : JSON.stringify({ day: nextDay, ...(page.nextKey ? { key: page.nextKey } : {}) });
      return { entries, ...(next ? { next } : {}) };
    }
  }
  return { entries };
}
