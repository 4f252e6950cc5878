import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionTimeoutSeconds, type FunctionDefinition } from '../../shared/api/function-catalog.ts';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { functionEnvironment } from '../function-environment.ts';
import type { EscalationSchedules, OutsideAppChannels, PushDevices } from './alert-delivery.ts';
import type { DataTable } from './data-table.ts';
import type { UserPoolAuth } from './user-pool-auth.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Bundles are ESM; some dependencies still call require() for Node built-ins, which ESM
// lacks, so every bundle starts by recreating it.
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** The WebSocket API's management endpoint, for functions that push to connections. */
export interface ConnectionsEndpoint {
  readonly managementEndpoint: string;
  grantManageConnections(grantee: iam.IGrantable): void;
}

/** The ECG chunk queue, for the function that enqueues chunks. */
export interface EcgChunkQueue {
  readonly queueUrl: string;
  grantSendChunks(grantee: iam.IGrantable): void;
}

/** What a function may be bound to; which of these it gets is decided by its catalog `access`. */
export interface FunctionResources {
  readonly table: DataTable;
  readonly auth: UserPoolAuth;
  /** Encrypts the function's log group and its environment variables. */
  readonly encryptionKey: kms.IKey;
  readonly ecgRetentionDays: number;
  readonly recordingIdleSeconds: number;
  readonly ecgChunks?: EcgChunkQueue;
  readonly connections?: ConnectionsEndpoint;
  /** The secret that signs paging cursors, for functions that mint them. */
  readonly cursorSecret?: secretsmanager.ISecret;
  readonly escalations?: EscalationSchedules;
  readonly outsideApp?: OutsideAppChannels;
  readonly pushDevices?: PushDevices;
}

export interface VigilFunctionProps {
  readonly definition: FunctionDefinition;
  readonly resources: FunctionResources;
}

/**
 * One Lambda from the function catalog with the project's defaults applied (Node 24 on arm64,
 * minified ESM bundle built by the local esbuild, JSON logs in an encrypted log group), and
 * with exactly the grants and environment variables its catalog `access` calls for.
 */
export class VigilFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: VigilFunctionProps) {
    super(scope, id);
    const { definition, resources } = props;
    const { access } = definition;

    // Our own role instead of AWSLambdaBasicExecutionRole, whose log permissions reach every
    // log group in the account; this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Vigil ${id}: ${definition.description}`,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: resources.encryptionKey,
    });
    logGroup.grantWrite(this.role);

    // The same derivation as the local twin's: exactly the variables `access` calls for.
    const environment = functionEnvironment(definition, {
      tableName: () => resources.table.table.tableName,
      userPool: () => ({ userPoolId: resources.auth.userPool.userPoolId, userPoolClientId: resources.auth.client.userPoolClientId }),
      ecgQueueUrl: () => required(resources.ecgChunks, id, 'the ECG chunk queue').queueUrl,
      ecgRetentionDays: () => String(resources.ecgRetentionDays),
      wsManagementEndpoint: () => required(resources.connections, id, 'the WebSocket API').managementEndpoint,
      // Resolved by CloudFormation at deploy time into the (KMS-encrypted) environment: in
      // neither the repository nor the template, and no call at cold start.
      cursorSecret: () => required(resources.cursorSecret, id, 'the cursor secret').secretValue.unsafeUnwrap(),
      recordingIdleSeconds: () => String(resources.recordingIdleSeconds),
      escalationSchedules: () => {
        const schedules = required(resources.escalations, id, 'the escalation schedules');
        return { groupName: schedules.groupName, escalatorArn: schedules.escalatorArn, roleArn: schedules.roleArn };
      },
      alertEmailFrom: () => required(resources.outsideApp, id, 'the channels outside the app').fromAddress,
      pushApplications: () => JSON.stringify(required(resources.pushDevices, id, 'the push applications').applications),
    });
    if (access.table !== 'none') resources.table.grantAccess(this.role, access.table);
    if (access.administerUsers) resources.auth.grantAdministerUsers(this.role);
    if (access.sendEcgChunks) required(resources.ecgChunks, id, 'the ECG chunk queue').grantSendChunks(this.role);
    if (access.manageConnections) required(resources.connections, id, 'the WebSocket API').grantManageConnections(this.role);
    if (access.schedulesEscalations) required(resources.escalations, id, 'the escalation schedules').grantSchedule(this.role);
    if (access.sendsOutsideApp) required(resources.outsideApp, id, 'the channels outside the app').grantSend(this.role);
    if (access.registersPushDevices) required(resources.pushDevices, id, 'the push applications').grantRegister(this.role);
    // consumeEcgChunks is granted by the queue's event source (EcgPipeline), not here.

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${definition.entry}`,
      handler: 'handler',
      description: definition.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb ?? 512,
      timeout: Duration.seconds(functionTimeoutSeconds(definition)),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environmentEncryption: resources.encryptionKey,
      environment: {
        ...(environment as Record<string, string>),
        // Stack traces in the logs point at our TypeScript lines, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: pinned versions we test with, tree-shaken, no surprise
        // upgrades from the runtime's copy.
        externalModules: [],
        forceDockerBundling: false,
      },
    });

    Validations.of(this.function).acknowledge(
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          'Reserved concurrency would carve fixed slices out of the account pool per function; API Gateway stage throttling and the SQS event source bound concurrency instead.',
      },
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked synchronously (API Gateway) or by an SQS event source, never asynchronously; failed ECG messages go to the queue DLQ, which is alarmed.',
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason:
          'The function reaches only AWS service APIs (DynamoDB, SQS, Cognito, API Gateway) over TLS with IAM; a VPC would add NAT or endpoint cost and cold-start latency without isolating anything.',
      },
    );
    Validations.of(this.role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "The role's only policy is its own least-privilege grants, created with it and never shared; a customer-managed policy would be the same document attached 1:1.",
    });
  }
}

function required<T>(resource: T | undefined, id: string, what: string): T {
  if (resource === undefined) throw new Error(`function ${id} needs ${what} but was built without it`);
  return resource;
}

/** One VigilFunction per catalog entry, keyed like the catalog. */
export function createFunctions<N extends string>(
  scope: Construct,
  definitions: Record<N, FunctionDefinition>,
  resources: FunctionResources,
): Record<N, VigilFunction> {
  const entries = (Object.entries(definitions) as [N, FunctionDefinition][]).map(
    ([name, definition]) => [name, new VigilFunction(scope, name, { definition, resources })] as const,
  );
  return Object.fromEntries(entries) as Record<N, VigilFunction>;
}
