// Reading items back from the table: each is parsed by its entity's schema, which also drops
// the key attributes (pk, sk, gsi…, type, expiresAt) that only the table needs. An item that
// does not fit is a corrupt record, reported with its key and the failing fields (never the
// values, which may be health data), and surfaces as a 500.
import type { z } from 'zod';

export class CorruptItemError extends Error {
  override name = 'CorruptItemError';
}

export function parseItem<S extends z.ZodType>(entity: string, schema: S, item: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
  throw new CorruptItemError(`${entity} item pk=${String(item['pk'])} sk=${String(item['sk'])} is corrupt: ${fields}`);
}
