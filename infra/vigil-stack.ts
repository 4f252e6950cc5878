import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FunctionName } from '../shared/api/function-catalog.ts';
import type { PushApplications } from '../shared/messaging/push-registrar.ts';
import { AlertDelivery } from './constructs/alert-delivery.ts';
import { CursorSecret } from './constructs/cursor-secret.ts';
import { DataTable } from './constructs/data-table.ts';
import { EcgPipeline } from './constructs/ecg-pipeline.ts';
import { EncryptionKey } from './constructs/encryption-key.ts';
import { HttpApi } from './constructs/http-api.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { ScheduledFunctions } from './constructs/scheduled-functions.ts';
import { UserPoolAuth } from './constructs/user-pool-auth.ts';
import type { VigilFunction } from './constructs/vigil-function.ts';
import { WebSocketApi } from './constructs/websocket-api.ts';

export interface VigilStackProps extends StackProps {
  /** Days DynamoDB keeps raw ECG chunks before TTL removes them. */
  readonly ecgRetentionDays: number;
  /** Seconds without a chunk after which an open recording is closed as incomplete. */
  readonly recordingIdleSeconds: number;
  /** Browser origins allowed to call the HTTP API; none: browsers cannot call it. */
  readonly corsOrigins: readonly string[];
  /** The address alert emails come from (verified in SES at deploy). */
  readonly alertEmailFrom: string;
  /** The SNS platform applications phones register with for push, by service; none: no push. */
  readonly pushApplications?: PushApplications;
}

/** Vigil on AWS: the picture in ARCHITECTURE.md, one construct per box. */
export class VigilStack extends Stack {
  readonly data: DataTable;
  readonly auth: UserPoolAuth;
  readonly realtime: WebSocketApi;
  readonly ecg: EcgPipeline;
  readonly http: HttpApi;
  readonly schedules: ScheduledFunctions;
  readonly alerts: AlertDelivery;
  readonly monitoring: Monitoring;
  /** Every Lambda by its catalog name, for tests and tooling. */
  readonly functions: Record<FunctionName, VigilFunction>;

  constructor(scope: Construct, id: string, props: VigilStackProps) {
    super(scope, id, props);

    const { key: encryptionKey } = new EncryptionKey(this, 'Encryption');
    this.data = new DataTable(this, 'Data', { encryptionKey });
    this.auth = new UserPoolAuth(this, 'Auth');
    const { secret: cursorSecret } = new CursorSecret(this, 'CursorSecret', { encryptionKey });
    // What any function may be bound to; each takes only what its catalog `access` asks for.
    const base = {
      table: this.data,
      auth: this.auth,
      encryptionKey,
      cursorSecret,
      ecgRetentionDays: props.ecgRetentionDays,
      recordingIdleSeconds: props.recordingIdleSeconds,
    };

    this.realtime = new WebSocketApi(this, 'Realtime', { resources: base });
    this.alerts = new AlertDelivery(this, 'Alerts', {
      resources: { ...base, connections: this.realtime },
      alertEmailFrom: props.alertEmailFrom,
      pushApplications: props.pushApplications ?? {},
    });
    // What functions that raise alerts are bound to besides the base.
    const raising = { connections: this.realtime, escalations: this.alerts.escalations, outsideApp: this.alerts.outsideApp };
    const pushDevices = this.alerts.pushDevices;
    this.ecg = new EcgPipeline(this, 'Ecg', { resources: { ...base, ...raising } });
    this.http = new HttpApi(this, 'Http', {
      resources: { ...base, ...raising, pushDevices, ecgChunks: this.ecg },
      corsOrigins: props.corsOrigins,
    });
    this.schedules = new ScheduledFunctions(this, 'Schedules', { resources: { ...base, ecgChunks: this.ecg } });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      encryptionKey,
      ecgDeadLetterQueue: this.ecg.deadLetterQueue,
      ecgAnalyzer: this.ecg.analyzer.function,
    });

    this.functions = {
      ...this.http.functions,
      ...this.realtime.functions,
      ecgAnalyzer: this.ecg.analyzer,
      ...this.schedules.functions,
      alertEscalator: this.alerts.escalator,
    };

    new CfnOutput(this, 'HttpApiUrl', { value: this.http.url });
    new CfnOutput(this, 'WebSocketUrl', { value: this.realtime.url });
    new CfnOutput(this, 'WebSocketManagementEndpoint', { value: this.realtime.managementEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EcgQueueUrl', { value: this.ecg.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn });
  }
}
