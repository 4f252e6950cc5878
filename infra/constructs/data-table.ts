import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableAccess } from '../../shared/api/function-catalog.ts';
import { TABLE_INDEXES, TABLE_KEYS } from '../../shared/data/table-definition.ts';

// Item-level actions only: every access pattern is a GetItem, Query or transaction
// (docs/data-model.md), so no function gets Scan, and none may change the table itself.
// Transactions are authorised by these same per-item actions.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// DynamoDB uses the table's key on the caller's behalf: reading needs Decrypt, writing
// needs new data keys as well.
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

export interface DataTableProps {
  readonly encryptionKey: kms.IKey;
}

/** The one table, built from shared/data/table-definition.ts so cloud and local twin agree. */
export class DataTable extends Construct {
  readonly table: dynamodb.Table;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      // Health records outlive any one deployment: a stack delete or a replacement must not
      // take them along.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    Validations.of(this.table).acknowledge({
      id: 'HIPAA.Security-DynamoDBInBackupPlan',
      reason:
        'Point-in-time recovery restores any second of the last 35 days. Long-term copies belong in the organisation-wide AWS Backup policy, not in one application stack.',
    });
    for (const index of Object.values(TABLE_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** Grants the catalog's table access level (items and indexes, plus the key to read or write them). */
  grantAccess(grantee: iam.IGrantable, access: TableAccess): void {
    if (access === 'none') return;
    const write = access === 'readWrite';
    // The table and its two named indexes, rather than CDK's index/* wildcard.
    const indexArns = Object.values(TABLE_INDEXES).map((index) => `${this.table.tableArn}/index/${index.indexName}`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...READ_ACTIONS, ...(write ? WRITE_ACTIONS : [])],
        resources: [this.table.tableArn, ...indexArns],
      }),
    );
    // Only through DynamoDB: the function cannot use the key to decrypt anything directly.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...KEY_READ_ACTIONS, ...(write ? KEY_WRITE_ACTIONS : [])],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
