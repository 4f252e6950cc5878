// Fixed-window rate limits kept in the table, for limits that are per thing rather than per
// caller (API Gateway throttles per route): SOS calls per patient.
//
// Key layout
//   window  pk RATE#<name>#<subject>  sk <window start, epoch seconds>  → calls, expiresAt (the window's end)
import { type TableClient, updateIfConditionHolds } from './table-client.ts';

export interface RateLimit {
  calls: number;
  perSeconds: number;
}

export const rateLimitKeys = {
  window: (name: string, subject: string, windowStart: number) => ({ pk: `RATE#${name}#${subject}`, sk: String(windowStart) }),
};

/** Counts one call against the limit; false when the window already holds as many as it may. */
export async function takeFromRateLimit(
  table: TableClient,
  name: string,
  subject: string,
  limit: RateLimit,
  nowMs: number,
): Promise<boolean> {
  const windowStart = Math.floor(nowMs / 1000 / limit.perSeconds) * limit.perSeconds;
  const taken = await updateIfConditionHolds(
    table,
    {
      Key: rateLimitKeys.window(name, subject, windowStart),
      UpdateExpression: 'ADD calls :one SET expiresAt = :end',
      ConditionExpression: 'attribute_not_exists(calls) OR calls < :most',
      ExpressionAttributeValues: { ':one': 1, ':end': windowStart + limit.perSeconds, ':most': limit.calls },
    },
    'NONE',
  );
  return taken !== undefined;
}
