// Thresholds at three scopes; the built-in ones live in code (domain/thresholds.ts).
//
// Key layout
//   patient threshold     pk PATIENT#<patientId>  sk THRESHOLD#<metric>
//   clinician default     pk USER#<clinicianId>   sk THRESHOLD#<metric>
//   organisation default  pk ORG#<orgId>          sk THRESHOLD#<metric>
// Resolving a patient's threshold is one BatchGet of the three keys.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Metric } from '../domain/metrics.ts';
import { Threshold, type ThresholdScope } from '../domain/thresholds.ts';
import { batchGetAll, type TableClient } from './table-client.ts';
import { parseItem } from './table-item.ts';

type StoredScope = Exclude<ThresholdScope, 'builtin'>;

const OWNER_PREFIX: Record<StoredScope, string> = { patient: 'PATIENT#', clinician: 'USER#', org: 'ORG#' };

export const thresholdKeys = {
  threshold: (scope: StoredScope, ownerId: string, metric: Metric) => ({
    pk: `${OWNER_PREFIX[scope]}${ownerId}`,
    sk: `THRESHOLD#${metric}`,
  }),
};

const parseThreshold = (item: Record<string, unknown>): Threshold => parseItem('threshold', Threshold, item);

export async function putThreshold(table: TableClient, ownerId: string, threshold: Threshold & { scope: StoredScope }): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...thresholdKeys.threshold(threshold.scope, ownerId, threshold.metric), type: 'threshold', ...threshold },
    }),
  );
}

export async function deleteThreshold(table: TableClient, scope: StoredScope, ownerId: string, metric: Metric): Promise<boolean> {
  const { Attributes } = await table.doc.send(
    new DeleteCommand({ TableName: table.tableName, Key: thresholdKeys.threshold(scope, ownerId, metric), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes !== undefined;
}

export interface ThresholdOwners {
  patientId?: string;
  clinicianId?: string;
  orgId?: string;
}

export type StoredAlongFallback = { patient?: Threshold; clinician?: Threshold; org?: Threshold };

/** The stored thresholds of each scope for one metric, fetched in a single round trip. */
export async function getThresholdsAlongFallback(
  table: TableClient,
  metric: Metric,
  owners: ThresholdOwners,
): Promise<StoredAlongFallback> {
  return (await getThresholdsAlongFallbackOf(table, [metric], owners)).get(metric) ?? {};
}

/** The same for several metrics at once, still in a single round trip (a batch of vital signs). */
export async function getThresholdsAlongFallbackOf(
  table: TableClient,
  metrics: readonly Metric[],
  owners: ThresholdOwners,
): Promise<Map<Metric, StoredAlongFallback>> {
  const wanted = (
    [
      ['patient', owners.patientId],
      ['clinician', owners.clinicianId],
      ['org', owners.orgId],
    ] as const
  ).filter((entry): entry is readonly [StoredScope, string] => entry[1] !== undefined);
  const found = new Map<Metric, StoredAlongFallback>(metrics.map((metric) => [metric, {}]));
  if (wanted.length === 0 || metrics.length === 0) return found;
  // A key skipped under throttling would silently apply a looser fallback threshold: batchGetAll asks until all are answered.
  const items = await batchGetAll(
    table,
    metrics.flatMap((metric) => wanted.map(([scope, ownerId]) => thresholdKeys.threshold(scope, ownerId, metric))),
  );
  for (const item of items) {
    const threshold = parseThreshold(item);
    const stored = found.get(threshold.metric);
    if (stored && threshold.scope !== 'builtin') stored[threshold.scope] = threshold;
  }
  return found;
}
