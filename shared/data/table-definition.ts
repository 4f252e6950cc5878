// The one DynamoDB table, described once. The CDK stack and the local twin both build the
// table from this, so the key schema and indexes cannot drift between cloud and laptop.
// Key formats live with their entity, one store each (shared/data/*-store.ts);
// docs/data-model.md lists the access patterns each index serves.

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes raw ECG chunks, connections and expired records. */
  ttlAttribute: 'expiresAt',
} as const;

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

// Two overloaded GSIs: each entity puts its own prefixed values in them (see each store's key layout), so a
// new access pattern rarely needs a new index.
export const TABLE_INDEXES = {
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const satisfies Record<string, IndexDefinition>;

export type IndexName = keyof typeof TABLE_INDEXES;

/** CreateTable input for DynamoDB Local and tests; the stack maps the same fields to CDK. */
export function createTableInput(tableName: string) {
  const indexes = Object.values(TABLE_INDEXES);
  const attributeNames = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
