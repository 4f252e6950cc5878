// Turns zod schemas into JSON Schema for the API descriptions, with every schema that has an
// id (`.meta({ id })`) collected once as a named component and referenced from where it is used.
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export interface SchemaComponents {
  /** The JSON Schema of `schema`, a $ref when it has an id. */
  add(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
  /** The named schemas collected so far. */
  readonly schemas: Record<string, JsonSchema>;
}

export function schemaComponents(options: { refBase: string; target: 'draft-2020-12' | 'draft-7' }): SchemaComponents {
  const schemas: Record<string, JsonSchema> = {};
  const definitionsKey = options.target === 'draft-7' ? 'definitions' : '$defs';
  const localRef = `#/${definitionsKey}/`;
  const rewriteRefs = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewriteRefs);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string' && inner.startsWith(localRef)
          ? options.refBase + inner.slice(localRef.length)
          : rewriteRefs(inner),
      ]),
    );
  };
  return {
    schemas,
    add(schema, io) {
      const converted = z.toJSONSchema(schema, { io, target: options.target, unrepresentable: 'any' }) as JsonSchema;
      const { $schema: _schema, [definitionsKey]: definitions = {}, ...root } = converted;
      for (const [id, definition] of Object.entries(definitions as Record<string, JsonSchema>)) {
        const rewritten = rewriteRefs(definition) as JsonSchema;
        const existing = schemas[id];
        if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
          throw new Error(`schema id ${id} names two different schemas (one as ${io}); give them distinct ids`);
        }
        schemas[id] = rewritten;
      }
      return rewriteRefs(root) as JsonSchema;
    },
  };
}
