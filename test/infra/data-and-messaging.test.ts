import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { USER_POOL } from '../../shared/auth/user-pool-definition.ts';
import { TABLE_INDEXES, TABLE_KEYS } from '../../shared/data/table-definition.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { referencedIds, synthesizeVigil, type SynthesizedVigil } from './synthesized-stack.ts';

let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil();
});

const propertiesOf = (construct: Parameters<SynthesizedVigil['logicalId']>[0]) => {
  const resource = vigil.resources[vigil.logicalId(construct)];
  if (!resource) throw new Error(`not in the template: ${construct.node.path}`);
  return resource;
};

describe('table', () => {
  it('has the keys, indexes and TTL attribute of table-definition.ts', () => {
    const table = propertiesOf(vigil.stack.data.table).Properties;
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true });
    const indexes = table.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(
      Object.values(TABLE_INDEXES)
        .map((i) => i.indexName)
        .sort(),
    );
    for (const index of Object.values(TABLE_INDEXES)) {
      expect(indexes.find((i) => i.IndexName === index.indexName)).toMatchObject({
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
  });

  it('is on-demand, point-in-time recoverable and encrypted with the customer-managed key', () => {
    const table = propertiesOf(vigil.stack.data.table).Properties;
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    const [keyId] = referencedIds((table.SSESpecification as { KMSMasterKeyId: unknown }).KMSMasterKeyId);
    expect(vigil.resources[keyId as string]?.Properties).toMatchObject({ EnableKeyRotation: true });
  });

  it('survives deletion of the stack', () => {
    expect(propertiesOf(vigil.stack.data.table)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('ECG queue', () => {
  it('is FIFO with producer-set deduplication ids, and parks a chunk in a FIFO DLQ after maxReceiveCount receives', () => {
    const queue = propertiesOf(vigil.stack.ecg.queue).Properties;
    expect(queue).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      VisibilityTimeout: ECG_QUEUE.visibilityTimeoutSeconds,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: ECG_QUEUE.maxReceiveCount },
    });
    const [dlqId] = referencedIds((queue.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn);
    expect(dlqId).toBe(vigil.logicalId(vigil.stack.ecg.deadLetterQueue));
    expect(vigil.resources[dlqId as string]?.Properties).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
  });

  it('keeps messages invisible for longer than six analyzer timeouts', () => {
    expect(ECG_QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * (QUEUE_FUNCTIONS.ecgAnalyzer.timeoutSeconds ?? 0));
    expect(vigil.functionProperties('ecgAnalyzer').Timeout).toBe(QUEUE_FUNCTIONS.ecgAnalyzer.timeoutSeconds);
  });

  it('refuses requests without TLS on both queues', () => {
    for (const queue of [vigil.stack.ecg.queue, vigil.stack.ecg.deadLetterQueue]) {
      vigil.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: vigil.logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('feeds the analyzer in batches, reporting failed items instead of failing the batch', () => {
    vigil.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [vigil.logicalId(vigil.stack.ecg.queue), 'Arn'] },
      FunctionName: { Ref: vigil.functionLogicalId('ecgAnalyzer') },
      BatchSize: ECG_QUEUE.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('raises an alarm, to the alarm topic, as soon as one chunk reaches the DLQ', () => {
    const alarm = propertiesOf(vigil.stack.monitoring.ecgDeadLetterAlarm).Properties;
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [vigil.logicalId(vigil.stack.ecg.deadLetterQueue), 'QueueName'] } }],
      AlarmActions: [{ Ref: vigil.logicalId(vigil.stack.monitoring.alarmTopic) }],
    });
  });
});

describe('user pool', () => {
  it('has a group per role and lets nobody sign themselves up', () => {
    const poolId = vigil.logicalId(vigil.stack.auth.userPool);
    for (const group of USER_POOL.groups) {
      vigil.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group, UserPoolId: { Ref: poolId } });
    }
    expect(propertiesOf(vigil.stack.auth.userPool).Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UserPoolTier: 'PLUS',
    });
  });

  it('enforces the password policy of the definition', () => {
    const p = USER_POOL.passwordPolicy;
    expect(propertiesOf(vigil.stack.auth.userPool).Properties.Policies).toMatchObject({
      PasswordPolicy: {
        MinimumLength: p.minLength,
        RequireLowercase: p.requireLowercase,
        RequireUppercase: p.requireUppercase,
        RequireNumbers: p.requireDigits,
        RequireSymbols: p.requireSymbols,
      },
    });
  });

  it('has a public app client for password sign-in and refresh, with the token lifetimes of the definition', () => {
    const client = propertiesOf(vigil.stack.auth.client).Properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AccessTokenValidity: USER_POOL.accessTokenValidityMinutes,
      RefreshTokenValidity: USER_POOL.refreshTokenValidityDays * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
  });

  it('has no OAuth flows, scopes or callback URLs on the app client (no placeholder https://example.com)', () => {
    const client = propertiesOf(vigil.stack.auth.client).Properties;
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(false);
    for (const property of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs'])
      expect(client).not.toHaveProperty(property);
  });

  it('revokes refresh tokens on request, so that signing out ends a session', () => {
    expect(propertiesOf(vigil.stack.auth.client).Properties.EnableTokenRevocation).toBe(true);
  });
});

describe('outputs', () => {
  it('publishes what clients, scripts and the local tools need', () => {
    const outputs = Object.keys(vigil.template.toJSON().Outputs as object);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'HttpApiUrl',
        'WebSocketUrl',
        'WebSocketManagementEndpoint',
        'UserPoolId',
        'UserPoolClientId',
        'TableName',
        'EcgQueueUrl',
      ]),
    );
  });
});
