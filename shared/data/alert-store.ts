// Alerts and their one-open-per-cause guard.
//
// Key layout
//   alert            pk ALERT#<alertId>        sk ALERT
//                    gsi1pk PATIENT#<patientId>#ALERTS            gsi1sk <createdAt>#<alertId>  (a patient's alerts, newest first)
//                    gsi2pk PATIENT#<patientId>#ALERTS#<status>   gsi2sk <createdAt>#<alertId>  (… by status)
//   open-cause guard pk PATIENT#<patientId>    sk OPEN_ALERT#<cause>  → alertId
// The guard is written in the same transaction as the alert, so two racing analyses of the
// same cause cannot both open one; it is deleted when the alert is resolved.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Alert, type AlertDraft, type AlertNote, type AlertStatus, MAX_NOTES_PER_ALERT } from '../domain/alert.ts';
import type { Priority } from '../domain/thresholds.ts';
import { Id } from '../domain/identifiers.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { type TableClient, transactWriteIfConditionsHold, updateIfConditionHolds } from './table-client.ts';
import { parseItem } from './table-item.ts';
import { sortKeyCondition } from './time-ordered-range.ts';

export const alertKeys = {
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  ofPatient: (patientId: string) => `PATIENT#${patientId}#ALERTS`,
  ofPatientByStatus: (patientId: string, status: AlertStatus) => `PATIENT#${patientId}#ALERTS#${status}`,
  order: (alert: Pick<Alert, 'createdAt' | 'alertId'>) => `${alert.createdAt}#${alert.alertId}`,
  openCause: (patientId: string, cause: string) => ({ pk: `PATIENT#${patientId}`, sk: `OPEN_ALERT#${cause}` }),
  /** One historical alert per cause and recording, so a late hour of ECG is one record, not hundreds. */
  historicalCause: (patientId: string, cause: string, episode: string) => ({
    pk: `PATIENT#${patientId}`,
    sk: `HISTORICAL_ALERT#${episode}#${cause}`,
  }),
};

const parseAlert = (item: Record<string, unknown>): Alert => parseItem('alert', Alert, item);

/** The open-cause and historical guards hold only the id of the alert they stand for. */
const AlertGuard = z.object({ alertId: Id });
const guardedAlertId = (item: Record<string, unknown>) => parseItem('alert guard', AlertGuard, item).alertId;

function alertItem(alert: Alert) {
  return {
    ...alertKeys.alert(alert.alertId),
    gsi1pk: alertKeys.ofPatient(alert.patientId),
    gsi1sk: alertKeys.order(alert),
    gsi2pk: alertKeys.ofPatientByStatus(alert.patientId, alert.status),
    gsi2sk: alertKeys.order(alert),
    type: 'alert',
    ...alert,
  };
}

export async function getAlert(table: TableClient, alertId: string): Promise<Alert | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: alertKeys.alert(alertId) }));
  return Item ? parseAlert(Item) : undefined;
}

/**
 * Opens an alert for (patient, cause), or — while one is open — counts the repeat on it.
 * `created` tells the caller whether to announce a new alert or an update.
 */
export async function openOrRepeatAlert(table: TableClient, draft: AlertDraft): Promise<{ alert: Alert; created: boolean }> {
  const alert: Alert = {
    ...draft,
    status: 'open',
    count: 1,
    ...(draft.firstValue === undefined ? {} : { lastValue: draft.firstValue }),
    lastSeenAt: draft.firstSeenAt,
  };
  // Open and repeat can each lose a race (another open; a resolve in between), so try again
  // a few times; every round trip moves the state on, so this ends quickly.
  for (let attempt = 0; attempt < 3; attempt++) {
    const opened = await transactWriteIfConditionsHold(table, [
      {
        Put: {
          TableName: table.tableName,
          Item: { ...alertKeys.openCause(draft.patientId, draft.cause), type: 'openAlert', alertId: draft.alertId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: table.tableName, Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
    if (opened) return { alert, created: true };
    const repeated = await repeatOpenAlert(table, draft);
    if (repeated) return { alert: repeated, created: false };
  }
  throw new Error(`alert for cause ${draft.cause} kept changing under us; retry`);
}

/** The id of the open alert of (patient, cause), read from its guard; undefined when none is open. */
async function openAlertId(table: TableClient, patientId: string, cause: string): Promise<string | undefined> {
  const { Item: guard } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: alertKeys.openCause(patientId, cause), ConsistentRead: true }),
  );
  return guard && guardedAlertId(guard);
}

/** Counts a repeat on the open alert of the draft's cause; undefined when there is none any more. */
async function repeatOpenAlert(table: TableClient, draft: AlertDraft): Promise<Alert | undefined> {
  const alertId = await openAlertId(table, draft.patientId, draft.cause);
  if (alertId === undefined) return undefined;
  // What a repeat brings that is newer than the alert's: the last value, and for an SOS who called and from where.
  const latest = {
    ...(draft.firstValue === undefined ? {} : { lastValue: draft.firstValue }),
    ...(draft.location === undefined ? {} : { location: draft.location }),
    ...(draft.raisedBy === undefined ? {} : { raisedBy: draft.raisedBy }),
  };
  const updated = await updateIfConditionHolds(table, {
    Key: alertKeys.alert(alertId),
    UpdateExpression: [
      'SET #count = #count + :one, lastSeenAt = :seen, message = :message',
      ...Object.keys(latest).map((field) => `#${field} = :${field}`),
    ].join(', '),
    // Resolved in the meantime: the repeat belongs to a new alert instead.
    ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
    // Named, not written: "location" is one of DynamoDB's reserved words.
    ExpressionAttributeNames: {
      '#count': 'count',
      '#status': 'status',
      ...Object.fromEntries(Object.keys(latest).map((field) => [`#${field}`, field])),
    },
    ExpressionAttributeValues: {
      ':one': 1,
      ':seen': draft.firstSeenAt,
      ':message': draft.message,
      ':resolved': 'resolved',
      ...Object.fromEntries(Object.entries(latest).map(([field, value]) => [`:${field}`, value])),
    },
  });
  return updated && parseAlert(updated);
}

/** The open alert of (patient, cause), if there is one. */
export async function getOpenAlert(table: TableClient, patientId: string, cause: string): Promise<Alert | undefined> {
  const alertId = await openAlertId(table, patientId, cause);
  if (alertId === undefined) return undefined;
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: alertKeys.alert(alertId), ConsistentRead: true }),
  );
  return Item ? parseAlert(Item) : undefined;
}

/**
 * Records an alert from late data: born resolved and marked historical, counted per
 * (cause, recording) like an open alert, and never holding the live open-cause guard.
 */
export async function recordHistoricalAlert(
  table: TableClient,
  draft: AlertDraft,
  /** What the historical alert is one of per cause: a recording, or an hour of late vital signs. */
  episode: string,
): Promise<{ alert: Alert; created: boolean }> {
  const alert: Alert = {
    ...draft,
    status: 'resolved',
    historical: true,
    resolvedAt: draft.createdAt,
    count: 1,
    ...(draft.firstValue === undefined ? {} : { lastValue: draft.firstValue }),
    lastSeenAt: draft.firstSeenAt,
  };
  const guardKey = alertKeys.historicalCause(draft.patientId, draft.cause, episode);
  const recorded = await transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: { ...guardKey, type: 'historicalAlert', alertId: draft.alertId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: table.tableName, Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  if (recorded) return { alert, created: true };
  const { Item: guard } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: guardKey, ConsistentRead: true }));
  if (!guard) throw new Error(`historical alert guard for cause ${draft.cause} vanished; retry`);
  const { Attributes } = await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: alertKeys.alert(guardedAlertId(guard)),
      UpdateExpression: `SET #count = #count + :one, lastSeenAt = :seen${draft.firstValue === undefined ? '' : ', lastValue = :value'}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':seen': draft.firstSeenAt,
        ...(draft.firstValue === undefined ? {} : { ':value': draft.firstValue }),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { alert: parseAlert(Attributes ?? {}), created: false };
}

export class AlertStateError extends Error {
  override name = 'AlertStateError';
}

export async function acknowledgeAlert(table: TableClient, alert: Alert, by: string, at: string): Promise<Alert> {
  const updated = await updateIfConditionHolds(table, {
    Key: alertKeys.alert(alert.alertId),
    UpdateExpression: 'SET #status = :ack, acknowledgedAt = :at, acknowledgedBy = :by, gsi2pk = :byStatus',
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':ack': 'acknowledged',
      ':open': 'open',
      ':at': at,
      ':by': by,
      ':byStatus': alertKeys.ofPatientByStatus(alert.patientId, 'acknowledged'),
    },
  });
  if (!updated) throw new AlertStateError(`alert ${alert.alertId} is not open`);
  return parseAlert(updated);
}

/** Resolves the alert and frees its cause, so the next breach opens a new alert. */
export async function resolveAlert(table: TableClient, alert: Alert, by: string, at: string, resolution?: string): Promise<Alert> {
  const resolved = await transactWriteIfConditionsHold(table, [
    {
      Update: {
        TableName: table.tableName,
        Key: alertKeys.alert(alert.alertId),
        UpdateExpression: `SET #status = :resolved, resolvedAt = :at, resolvedBy = :by, gsi2pk = :byStatus${resolution === undefined ? '' : ', resolution = :resolution'}`,
        ConditionExpression: '#status IN (:open, :ack)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':resolved': 'resolved',
          ':open': 'open',
          ':ack': 'acknowledged',
          ':at': at,
          ':by': by,
          ':byStatus': alertKeys.ofPatientByStatus(alert.patientId, 'resolved'),
          ...(resolution === undefined ? {} : { ':resolution': resolution }),
        },
      },
    },
    {
      Delete: {
        TableName: table.tableName,
        Key: alertKeys.openCause(alert.patientId, alert.cause),
        ConditionExpression: 'alertId = :id',
        ExpressionAttributeValues: { ':id': alert.alertId },
      },
    },
  ]);
  if (!resolved) throw new AlertStateError(`alert ${alert.alertId} is already resolved`);
  // Re-read: repeats counted since the caller's read belong in the answer and the push.
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: alertKeys.alert(alert.alertId), ConsistentRead: true }),
  );
  return parseAlert(Item ?? {});
}

export interface PatientAlertQuery {
  status?: AlertStatus;
  cause?: string;
  priority?: Priority;
  /** Raised at or after / before these instants (ISO 8601, UTC). */
  from?: string;
  to?: string;
  /** An order key from alertKeys.order: only alerts strictly older. */
  before?: string;
  limit: number;
}

export interface PatientAlertPage {
  /** The alerts read that pass the filters, newest first. */
  alerts: Alert[];
  /** The order key of the last alert read, filtered out or not, when the index may hold more. */
  lastRead?: string;
}

/**
 * One read of a patient's alerts, newest first: `limit` alerts evaluated (DynamoDB's Limit counts
 * before the filter), of which those passing cause and priority are returned. Status picks the
 * index; the time range and cursor bound the sort key. Reads stay bounded however rare a filter
 * matches: a caller wanting more reads on from `lastRead`.
 */
export async function readPatientAlerts(table: TableClient, patientId: string, query: PatientAlertQuery): Promise<PatientAlertPage> {
  const index = query.status ? TABLE_INDEXES.gsi2 : TABLE_INDEXES.gsi1;
  const partition = query.status ? alertKeys.ofPatientByStatus(patientId, query.status) : alertKeys.ofPatient(patientId);
  const range = sortKeyCondition(query);
  if (range.empty) return { alerts: [] };
  const filters = [
    query.cause === undefined ? undefined : 'cause = :cause',
    query.priority === undefined ? undefined : 'priority = :priority',
  ].filter((filter) => filter !== undefined);
  const { Items = [], LastEvaluatedKey } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `#pk = :pk${range.condition}`,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(range.condition ? { '#sk': index.sortKey } : {}) },
      ExpressionAttributeValues: {
        ':pk': partition,
        ...range.values,
        ...(query.cause === undefined ? {} : { ':cause': query.cause }),
        ...(query.priority === undefined ? {} : { ':priority': query.priority }),
      },
      ScanIndexForward: false,
      Limit: query.limit,
    }),
  );
  const lastRead = LastEvaluatedKey?.[index.sortKey];
  return { alerts: Items.map(parseAlert), ...(typeof lastRead === 'string' ? { lastRead } : {}) };
}

/** Up to `limit` of a patient's alerts, newest first (without cause or priority filters, exactly that many when there are). */
export async function queryPatientAlerts(table: TableClient, patientId: string, query: PatientAlertQuery): Promise<Alert[]> {
  return (await readPatientAlerts(table, patientId, query)).alerts;
}

/**
 * An escalator invocation takes the alert for itself while it tells people, so that two never
 * do at once; a claim older than this is taken to have died with its invocation (whose timeout
 * is shorter), and the retry may claim again.
 */
export const ESCALATION_CLAIM_STALE_MS = 60_000;

/**
 * Claims an open alert for escalating, marking it escalated at once (so the alert says so as soon
 * as anyone is told): one not escalated yet, or one whose escalation was claimed by an invocation
 * that failed or died. Undefined when it is not that.
 */
export async function claimEscalation(table: TableClient, alertId: string, at: string, nowMs: number): Promise<Alert | undefined> {
  const updated = await updateIfConditionHolds(table, {
    Key: alertKeys.alert(alertId),
    UpdateExpression: 'SET escalated = :true, escalatedAt = :at, escalationClaimedAt = :now',
    ConditionExpression: 'attribute_exists(pk) AND #status = :open AND (attribute_not_exists(escalatedAt) OR escalationClaimedAt < :stale)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':true': true, ':at': at, ':now': nowMs, ':open': 'open', ':stale': nowMs - ESCALATION_CLAIM_STALE_MS },
  });
  return updated && parseAlert(updated);
}

/** Gives a claim back (the people could not all be told): not escalated after all, and a retry may claim it at once. */
export async function releaseEscalation(table: TableClient, alertId: string): Promise<void> {
  await updateIfConditionHolds(
    table,
    {
      Key: alertKeys.alert(alertId),
      UpdateExpression: 'REMOVE escalated, escalatedAt, escalationClaimedAt',
      ConditionExpression: 'attribute_exists(escalationClaimedAt)',
    },
    'NONE',
  );
}

/** Everyone was told: the escalation is final and never runs again. */
export async function completeEscalation(table: TableClient, alertId: string): Promise<void> {
  await updateIfConditionHolds(
    table,
    {
      Key: alertKeys.alert(alertId),
      UpdateExpression: 'REMOVE escalationClaimedAt',
      ConditionExpression: 'attribute_exists(pk)',
    },
    'NONE',
  );
}

/** Adds a note; undefined when the alert is gone or holds the most notes it may. */
export async function addAlertNote(table: TableClient, alertId: string, note: AlertNote): Promise<Alert | undefined> {
  const updated = await updateIfConditionHolds(table, {
    Key: alertKeys.alert(alertId),
    UpdateExpression: 'SET notes = list_append(if_not_exists(notes, :none), :note)',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(notes) OR size(notes) < :most)',
    ExpressionAttributeValues: { ':none': [], ':note': [note], ':most': MAX_NOTES_PER_ALERT },
  });
  return updated && parseAlert(updated);
}
