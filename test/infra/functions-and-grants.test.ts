import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_FUNCTIONS,
  type FunctionDefinition,
  HTTP_FUNCTION_TIMEOUT_SECONDS,
  SCHEDULED_FUNCTIONS,
} from '../../shared/api/function-catalog.ts';
import { ENV } from '../../shared/config/env.ts';
import {
  ALERT_EMAIL_FROM,
  PUSH_APPLICATIONS,
  ECG_RETENTION_DAYS,
  type FunctionName,
  RECORDING_IDLE_SECONDS,
  referencedIds,
  type SynthesizedVigil,
  synthesizeVigil,
} from './synthesized-stack.ts';

let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil();
});

const CATALOG: Record<FunctionName, FunctionDefinition> = ALL_FUNCTIONS;
const ALL = Object.keys(CATALOG) as FunctionName[];
const where = (test: (d: FunctionDefinition) => boolean) => ALL.filter((name) => test(CATALOG[name]));
const not = (names: FunctionName[]) => ALL.filter((name) => !names.includes(name));

/** The resources (as logical ids they reference) of statements allowing `action`. */
const resourcesAllowing = (name: FunctionName, action: string) =>
  vigil
    .statementsOf(name)
    .filter((s) => [s.Action].flat().includes(action))
    .flatMap((s) => referencedIds(s.Resource));

describe('every function', () => {
  it.each(ALL)(
    '%s has a description IAM takes as a role description (Latin-1 only: CloudFormation refuses the deploy otherwise)',
    (name) => {
      expect(CATALOG[name].description).toMatch(/^[\u0020-\u007E\u00A1-\u00FF]*$/);
    },
  );

  it.each(ALL)('%s runs on Node.js 24 on arm64 from an esbuild bundle', (name) => {
    expect(vigil.functionProperties(name)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON' },
    });
  });

  it.each(ALL)('%s has the timeout of the catalog', (name) => {
    expect(vigil.functionProperties(name).Timeout).toBe(CATALOG[name].timeoutSeconds ?? HTTP_FUNCTION_TIMEOUT_SECONDS);
  });

  it.each(ALL)('%s logs to its own encrypted log group, and may write to no other', (name) => {
    const logGroupId = referencedIds((vigil.functionProperties(name).LoggingConfig as { LogGroup: unknown }).LogGroup)[0] as string;
    expect(vigil.resources[logGroupId]?.Properties).toMatchObject({ KmsKeyId: expect.anything(), RetentionInDays: expect.any(Number) });
    expect(resourcesAllowing(name, 'logs:PutLogEvents')).toEqual([logGroupId]);
    expect(vigil.actionsOf(name)).not.toContain('logs:CreateLogGroup');
  });

  it.each(ALL)('%s has its environment variables encrypted with the stack key', (name) => {
    expect(referencedIds(vigil.functionProperties(name).KmsKeyArn)).toEqual([
      vigil.logicalId(vigil.stack.node.findChild('Encryption').node.findChild('Key')),
    ]);
  });

  it.each(ALL)('%s has no wildcard action and no Scan', (name) => {
    for (const action of vigil.actionsOf(name)) expect(action).not.toMatch(/\*|^dynamodb:Scan$/);
  });
});

describe('health', () => {
  it('has no permissions beyond its own logs, and no configuration', () => {
    expect([...vigil.actionsOf('health')].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(Object.keys(vigil.environmentOf('health')).filter((k) => k.startsWith('VIGIL_'))).toEqual([]);
  });
});

describe('table access follows the catalog', () => {
  const tableId = () => vigil.logicalId(vigil.stack.data.table);

  it.each(where((d) => d.access.table === 'none'))('%s cannot touch the table and is not told its name', (name) => {
    expect([...vigil.actionsOf(name)].filter((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toEqual([]);
    expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.tableName);
  });

  it.each(where((d) => d.access.table === 'read'))('%s can read but not write the table', (name) => {
    expect(resourcesAllowing(name, 'dynamodb:Query')).toContain(tableId());
    for (const write of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'kms:GenerateDataKey',
    ]) {
      expect(vigil.actionsOf(name)).not.toContain(write);
    }
    expect(vigil.environmentOf(name)[ENV.tableName]).toEqual({ Ref: tableId() });
  });

  it.each(where((d) => d.access.table === 'readWrite'))('%s can read and write the table and its indexes', (name) => {
    const statement = vigil.statementsOf(name).find((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    expect(JSON.stringify(statement?.Resource)).toContain('/index/gsi1');
    expect(referencedIds(statement?.Resource)).toContain(tableId());
    expect(vigil.environmentOf(name)[ENV.tableName]).toEqual({ Ref: tableId() });
  });

  it('lets functions use the table key only through DynamoDB', () => {
    for (const name of where((d) => d.access.table !== 'none')) {
      const keyStatements = vigil.statementsOf(name).filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const s of keyStatements) expect(JSON.stringify(s.Condition)).toContain('kms:ViaService');
    }
  });
});

describe('queue access follows the catalog', () => {
  const queueId = () => vigil.logicalId(vigil.stack.ecg.queue);
  const senders = where((d) => d.access.sendEcgChunks === true);

  it.each(['ecg', 'ecgRecordingCloser'] as const)('%s can send to the chunk queue, but not receive or delete from it', (name) => {
    expect(senders).toEqual(['ecg', 'ecgAnalyzer', 'ecgRecordingCloser']);
    expect(resourcesAllowing(name, 'sqs:SendMessage')).toEqual([queueId()]);
    expect([...vigil.actionsOf(name)].filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(vigil.environmentOf(name)).toMatchObject({ [ENV.ecgQueueUrl]: { Ref: queueId() } });
  });

  it('only the ecg function, which stores raw samples, is told how long they are kept', () => {
    expect(where((d) => d.access.storesRawEcg === true)).toEqual(['ecg']);
    expect(vigil.environmentOf('ecg')[ENV.ecgRetentionDays]).toBe(String(ECG_RETENTION_DAYS));
    for (const name of not(['ecg'])) expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.ecgRetentionDays);
  });

  it('only the recording closer is told the idle time after which a recording closes', () => {
    expect(where((d) => d.access.closesIdleRecordings === true)).toEqual(['ecgRecordingCloser']);
    expect(vigil.environmentOf('ecgRecordingCloser')[ENV.recordingIdleSeconds]).toBe(String(RECORDING_IDLE_SECONDS));
    for (const name of not(['ecgRecordingCloser'])) expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.recordingIdleSeconds);
  });

  it('the analyzer can receive and delete chunks, and send only to the same queue (a backlog continues there)', () => {
    expect(resourcesAllowing('ecgAnalyzer', 'sqs:ReceiveMessage')).toEqual([queueId()]);
    expect(resourcesAllowing('ecgAnalyzer', 'sqs:DeleteMessage')).toEqual([queueId()]);
    expect(resourcesAllowing('ecgAnalyzer', 'sqs:SendMessage')).toEqual([queueId()]);
    expect(vigil.environmentOf('ecgAnalyzer')).toMatchObject({ [ENV.ecgQueueUrl]: { Ref: queueId() } });
  });

  it.each(not(senders))('%s has no queue permission and no queue URL', (name) => {
    expect([...vigil.actionsOf(name)].filter((a) => a.startsWith('sqs:'))).toEqual([]);
    expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.ecgQueueUrl);
  });
});

describe('WebSocket pushes follow the catalog', () => {
  const pushers = where((d) => d.access.manageConnections === true);

  it.each(pushers)('%s may manage connections of the v1 stage of this API only', (name) => {
    const statement = vigil.statementsOf(name).find((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
    expect(referencedIds(statement?.Resource)).toContain(vigil.logicalId(vigil.stack.realtime.api));
    expect(JSON.stringify(statement?.Resource)).toMatch(/\/v1\/\*\/@connections\/\*"\]\]\}$/);
  });

  it.each(not(pushers))('%s cannot push to connections and is not told the endpoint', (name) => {
    expect([...vigil.actionsOf(name)].filter((a) => a.startsWith('execute-api:'))).toEqual([]);
    expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.wsManagementEndpoint);
  });
});

describe('user pool access follows the catalog', () => {
  const administrators = where((d) => d.access.administerUsers === true);
  // No AdminSetUserPassword: a password given at creation is a temporary one, set by AdminCreateUser.
  const ADMIN_ACTIONS = [
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminDeleteUser',
    'cognito-idp:AdminDisableUser',
    'cognito-idp:AdminUserGlobalSignOut',
    'cognito-idp:AdminRemoveUserFromGroup',
    'cognito-idp:AdminGetUser',
  ];

  it('only the users and patients functions (which invite caregivers) may administer users, and only in this pool', () => {
    expect(administrators).toEqual(['users', 'patients']);
    for (const name of administrators) {
      const cognito = vigil.statementsOf(name).filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
      expect(cognito.flatMap((s) => [s.Action].flat()).sort()).toEqual([...ADMIN_ACTIONS].sort());
      for (const s of cognito) expect(referencedIds(s.Resource)).toEqual([vigil.logicalId(vigil.stack.auth.userPool)]);
    }
  });

  it.each(not(administrators))('%s cannot call the Cognito admin API', (name) => {
    expect([...vigil.actionsOf(name)].filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
  });

  it.each(where((d) => d.access.usesAppClient === true || d.access.administerUsers === true))(
    '%s is told the pool and app client ids',
    (name) => {
      expect(vigil.environmentOf(name)).toMatchObject({
        [ENV.userPoolId]: { Ref: vigil.logicalId(vigil.stack.auth.userPool) },
        [ENV.userPoolClientId]: { Ref: vigil.logicalId(vigil.stack.auth.client) },
      });
    },
  );
});

describe('cursor secret', () => {
  const minters = where((d) => d.access.mintsCursors === true);

  it.each(minters)(
    '%s, which mints cursors, gets the secret resolved from Secrets Manager at deploy time, never in the template',
    (name) => {
      expect(minters).toEqual(['users', 'patients', 'vitals', 'audit', 'alerts', 'notifications', 'ecg']);
      const value = JSON.stringify(vigil.environmentOf(name)[ENV.cursorSecret]);
      expect(value).toContain('{{resolve:secretsmanager:');
      expect(referencedIds(vigil.environmentOf(name)[ENV.cursorSecret])).toHaveLength(1);
    },
  );

  it.each(not(minters))('%s, which mints no cursor, does not get the secret', (name) => {
    expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.cursorSecret);
  });
});

describe('scheduled functions', () => {
  it('runs the recording closer on an EventBridge schedule at its catalog interval', () => {
    const rules = Object.values(vigil.resources).filter((r) => r.Type === 'AWS::Events::Rule');
    const closer = rules.find((rule) =>
      (rule.Properties.Targets as Array<{ Arn: unknown }>).some((target) =>
        referencedIds(target.Arn).includes(vigil.functionLogicalId('ecgRecordingCloser')),
      ),
    );
    expect(closer?.Properties.ScheduleExpression).toBe(`rate(${SCHEDULED_FUNCTIONS.ecgRecordingCloser.everyMinutes} minutes)`);
  });

  it('retries a failed run neither from EventBridge nor from Lambda: the next run sweeps again', () => {
    const rules = Object.values(vigil.resources).filter((r) => r.Type === 'AWS::Events::Rule');
    for (const rule of rules) {
      for (const target of rule.Properties.Targets as Array<{ RetryPolicy?: { MaximumRetryAttempts?: number } }>) {
        expect(target.RetryPolicy?.MaximumRetryAttempts).toBe(0);
      }
    }
    const asyncConfigs = Object.values(vigil.resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    const closerConfig = asyncConfigs.find((config) =>
      referencedIds(config.Properties.FunctionName).includes(vigil.functionLogicalId('ecgRecordingCloser')),
    );
    expect(closerConfig?.Properties.MaximumRetryAttempts).toBe(0);
  });
});

describe('alert escalation and messages outside the app', () => {
  const schedulers = where((d) => d.access.schedulesEscalations === true);
  const senders = where((d) => d.access.sendsOutsideApp === true);

  it.each(schedulers)('%s, which raises alerts, may create schedules in the escalation group and pass only the scheduler role', (name) => {
    expect(schedulers).toEqual(['vitals', 'devices', 'alerts', 'ecgAnalyzer']);
    const group = vigil.stack.resolve((vigil.stack.alerts.node.findChild('EscalationGroup') as CfnElement).logicalId) as string;
    expect(resourcesAllowing(name, 'scheduler:CreateSchedule').filter((id) => !id.startsWith('AWS::'))).toEqual([group]);
    expect(resourcesAllowing(name, 'iam:PassRole')).toEqual([vigil.logicalId(vigil.stack.alerts.node.findChild('SchedulerRole'))]);
    const environment = vigil.environmentOf(name);
    expect(referencedIds(environment[ENV.escalatorArn])).toEqual([vigil.functionLogicalId('alertEscalator')]);
    expect(referencedIds(environment[ENV.escalationGroup])).toEqual([group]);
  });

  it.each(not(schedulers))('%s creates no schedule', (name) => {
    expect(vigil.actionsOf(name)).not.toContain('scheduler:CreateSchedule');
    expect(vigil.environmentOf(name)).not.toHaveProperty(ENV.escalatorArn);
  });

  it.each(senders)('%s may send email from the alert identity and text messages, and knows the sender address', (name) => {
    expect([...vigil.actionsOf(name)]).toEqual(expect.arrayContaining(['ses:SendEmail', 'sns:Publish']));
    expect(vigil.environmentOf(name)[ENV.alertEmailFrom]).toBe(ALERT_EMAIL_FROM);
  });

  it.each(not(senders))('%s sends nothing outside the app', (name) => {
    expect(vigil.actionsOf(name)).not.toContain('ses:SendEmail');
    expect(vigil.actionsOf(name)).not.toContain('sns:Publish');
  });

  it('lets the users function, and only it, register phones with the configured push applications', () => {
    const registrars = where((d) => d.access.registersPushDevices === true);
    expect(registrars).toEqual(['users']);
    const statement = vigil.statementsOf('users').find((s) => [s.Action].flat().includes('sns:CreatePlatformEndpoint'));
    expect(statement?.Resource).toEqual(PUSH_APPLICATIONS.fcm);
    expect(JSON.parse(String(vigil.environmentOf('users')[ENV.pushApplications]))).toEqual(PUSH_APPLICATIONS);
    for (const name of not(registrars)) expect(vigil.actionsOf(name)).not.toContain('sns:CreatePlatformEndpoint');
  });

  it('lets EventBridge Scheduler, and only it, invoke the escalator, and verifies the sender address in SES', () => {
    const role = Object.values(vigil.resources).find(
      (r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(role).toBeDefined();
    const identities = Object.values(vigil.resources).filter((r) => r.Type === 'AWS::SES::EmailIdentity');
    expect(identities.map((r) => r.Properties.EmailIdentity)).toEqual([ALERT_EMAIL_FROM]);
    expect(Object.values(vigil.resources).filter((r) => r.Type === 'AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
  });
});
