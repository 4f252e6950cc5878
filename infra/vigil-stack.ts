import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { HttpFunctionName } from '../shared/api/function-catalog.ts';
import { DataTable } from './constructs/data-table.ts';
import { EcgPipeline } from './constructs/ecg-pipeline.ts';
import { EncryptionKey } from './constructs/encryption-key.ts';
import { HttpApi } from './constructs/http-api.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { UserPoolAuth } from './constructs/user-pool-auth.ts';
import type { VigilFunction } from './constructs/vigil-function.ts';
import { WebSocketApi } from './constructs/websocket-api.ts';

export interface VigilStackProps extends StackProps {
  /** Days DynamoDB keeps raw ECG chunks before TTL removes them. */
  readonly ecgRetentionDays: number;
}

/** Vigil on AWS: the picture in ARCHITECTURE.md, one construct per box. */
export class VigilStack extends Stack {
  readonly data: DataTable;
  readonly auth: UserPoolAuth;
  readonly realtime: WebSocketApi;
  readonly ecg: EcgPipeline;
  readonly http: HttpApi;
  readonly monitoring: Monitoring;
  /** Every Lambda by its catalog name, for tests and tooling. */
  readonly functions: Record<HttpFunctionName | 'wsAuthorizer' | 'wsConnections' | 'ecgAnalyzer', VigilFunction>;

  constructor(scope: Construct, id: string, props: VigilStackProps) {
    super(scope, id, props);

    const { key: encryptionKey } = new EncryptionKey(this, 'Encryption');
    const data = (this.data = new DataTable(this, 'Data', { encryptionKey }));
    const auth = (this.auth = new UserPoolAuth(this, 'Auth'));
    const base = { table: data, auth, encryptionKey, ecgRetentionDays: props.ecgRetentionDays };

    const realtime = (this.realtime = new WebSocketApi(this, 'Realtime', { resources: base }));
    const ecg = (this.ecg = new EcgPipeline(this, 'Ecg', { resources: { ...base, connections: realtime } }));
    const http = (this.http = new HttpApi(this, 'Http', { resources: { ...base, connections: realtime, ecgChunks: ecg } }));
    this.monitoring = new Monitoring(this, 'Monitoring', {
      encryptionKey,
      ecgDeadLetterQueue: ecg.deadLetterQueue,
      ecgAnalyzer: ecg.analyzer.function,
    });

    this.functions = { ...http.functions, ...realtime.functions, ecgAnalyzer: ecg.analyzer };

    new CfnOutput(this, 'HttpApiUrl', { value: http.url });
    new CfnOutput(this, 'WebSocketUrl', { value: realtime.url });
    new CfnOutput(this, 'WebSocketManagementEndpoint', { value: realtime.managementEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'EcgQueueUrl', { value: ecg.queueUrl });
  }
}
