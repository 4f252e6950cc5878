// The twin's Scheduler, SES v2 and SNS, driven only through the real SDK clients configured the
// way functions are (AWS_ENDPOINT_URL_* from platformEnvironment): one-time schedules fire their
// Lambda target once with their input, persist across a restart, and fail as AWS does; email,
// SMS and push land in the outbox file and the log.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreatePlatformEndpointCommand, InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../infra/local/free-port.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, platformEnvironment } from '../../infra/local/local-aws.ts';
import type { OutboxMessage } from '../../infra/local/services/outbox-emulator.ts';
import { type LocalAwsServices, startLocalAwsServices } from '../../infra/local/services/local-aws-services.ts';

const TARGET_ARN = `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:alertEscalator`;
const ROLE_ARN = 'arn:aws:iam::000000000000:role/vigil-scheduler';

let dataDir: string;
let port: number;
let services: LocalAwsServices | undefined;
const invocations: Array<{ functionName: string; event: unknown }> = [];
const logLines: string[] = [];
let scheduler: SchedulerClient;
let ses: SESv2Client;
let sns: SNSClient;

const schedulesFile = () => join(dataDir, 'schedules.json');
const outboxFile = () => join(dataDir, 'outbox.jsonl');

async function start(): Promise<void> {
  services = await startLocalAwsServices({
    port,
    schedulesFile: schedulesFile(),
    outboxFile: outboxFile(),
    knowsFunction: (name) => name === 'alertEscalator',
    invoke: async (functionName, event) => {
      invocations.push({ functionName, event });
    },
    log: (line) => logLines.push(line),
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigil-aws-services-'));
  port = await freePort();
  await start();
  // Exactly what every function of the twin gets, so the clients below find the endpoint as handlers do.
  const endpoint = services!.endpoint;
  Object.assign(process.env, platformEnvironment({ scheduler: endpoint, sesv2: endpoint, sns: endpoint }));
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  scheduler = new SchedulerClient(config);
  ses = new SESv2Client(config);
  sns = new SNSClient(config);
});

afterAll(async () => {
  for (const client of [scheduler, ses, sns]) client?.destroy();
  await services?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** An at() expression `ms` from now, cut to the second as the expression is. */
const at = (ms: number) => `at(${new Date(Date.now() + ms).toISOString().slice(0, 19)})`;

function schedule(name: string, expression: string, overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN, Input: JSON.stringify({ marker: name }) },
    ...overrides,
  };
}

const firingsOf = (name: string) => invocations.filter(({ event }) => (event as { marker?: string }).marker === name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outbox(): Promise<OutboxMessage[]> {
  const text = await readFile(outboxFile(), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OutboxMessage);
}

describe('the local EventBridge Scheduler', () => {
  it('invokes the target function once with the input when the schedule is due, then deletes it', async () => {
    const name = `escalate-${randomUUID()}`;
    const { ScheduleArn } = await scheduler.send(new CreateScheduleCommand(schedule(name, at(2_000))));
    expect(ScheduleArn).toBe(`arn:aws:scheduler:${LOCAL_REGION}:000000000000:schedule/default/${name}`);

    const pending = await scheduler.send(new GetScheduleCommand({ Name: name }));
    expect(pending).toMatchObject({
      Name: name,
      GroupName: 'default',
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: TARGET_ARN, Input: JSON.stringify({ marker: name }) },
    });
    expect(pending.CreationDate).toBeInstanceOf(Date);
    expect(firingsOf(name)).toEqual([]);

    await vi.waitFor(() => expect(firingsOf(name)).toHaveLength(1), { timeout: 4_000, interval: 50 });
    expect(firingsOf(name)[0]).toEqual({ functionName: 'alertEscalator', event: { marker: name } });
    expect(logLines).toContain(`[scheduler] ${name} → alertEscalator`);
    await expect(scheduler.send(new GetScheduleCommand({ Name: name }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await sleep(1_200);
    expect(firingsOf(name)).toHaveLength(1);
  });

  it('fires a schedule created in the past at once', async () => {
    const name = `overdue-${randomUUID()}`;
    await scheduler.send(new CreateScheduleCommand(schedule(name, at(-60_000))));
    await vi.waitFor(() => expect(firingsOf(name)).toHaveLength(1), { timeout: 1_000, interval: 20 });
  });

  it('refuses a second schedule of the same name in the group with a ConflictException', async () => {
    const name = `duplicate-${randomUUID()}`;
    await scheduler.send(new CreateScheduleCommand(schedule(name, at(3_600_000))));
    const second = scheduler.send(new CreateScheduleCommand(schedule(name, at(7_200_000))));
    await expect(second).rejects.toBeInstanceOf(ConflictException);
    await expect(second).rejects.toMatchObject({ $metadata: { httpStatusCode: 409 } });
    // The same name in another group is another schedule.
    await scheduler.send(new CreateScheduleCommand(schedule(name, at(3_600_000), { GroupName: 'escalations' })));
    await scheduler.send(new DeleteScheduleCommand({ Name: name }));
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: 'escalations' }));
  });

  it('never fires a schedule deleted before it is due, and answers ResourceNotFoundException for it afterwards', async () => {
    const name = `cancelled-${randomUUID()}`;
    await scheduler.send(new CreateScheduleCommand(schedule(name, at(2_000))));
    await scheduler.send(new DeleteScheduleCommand({ Name: name }));
    await sleep(2_500);
    expect(firingsOf(name)).toEqual([]);
    await expect(scheduler.send(new GetScheduleCommand({ Name: name }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const again = scheduler.send(new DeleteScheduleCommand({ Name: name }));
    await expect(again).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(again).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it.each([
    ['a target function the twin does not have', { Target: { Arn: TARGET_ARN.replace('alertEscalator', 'nobody'), RoleArn: ROLE_ARN } }],
    ['a target that is not a Lambda function', { Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:queue', RoleArn: ROLE_ARN } }],
    ['an input that is not JSON', { Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN, Input: 'not json' } }],
    ['a recurring expression', { ScheduleExpression: 'rate(5 minutes)' }],
    ['a date that does not exist', { ScheduleExpression: 'at(2031-02-30T10:00:00)' }],
    ['a time zone other than UTC', { ScheduleExpressionTimezone: 'Europe/Berlin' }],
  ] satisfies Array<[string, Partial<CreateScheduleCommandInput>]>)('refuses %s with a ValidationException', async (_, overrides) => {
    const name = `invalid-${randomUUID()}`;
    const created = scheduler.send(new CreateScheduleCommand(schedule(name, at(3_600_000), overrides)));
    await expect(created).rejects.toBeInstanceOf(ValidationException);
    await expect(created).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(scheduler.send(new GetScheduleCommand({ Name: name }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps schedules across a restart: one that fell due while stopped fires at start, a fired one does not fire again', async () => {
    const overdue = `restart-overdue-${randomUUID()}`;
    const later = `restart-later-${randomUUID()}`;
    const fired = `restart-fired-${randomUUID()}`;
    await scheduler.send(new CreateScheduleCommand(schedule(fired, at(-1_000), { ActionAfterCompletion: 'NONE' })));
    await vi.waitFor(() => expect(firingsOf(fired)).toHaveLength(1), { timeout: 1_000, interval: 20 });
    await scheduler.send(new CreateScheduleCommand(schedule(overdue, at(1_500))));
    await scheduler.send(new CreateScheduleCommand(schedule(later, at(3_600_000))));

    await services?.stop();
    services = undefined;
    await sleep(2_000);
    expect(firingsOf(overdue)).toEqual([]);

    await start();
    await vi.waitFor(() => expect(firingsOf(overdue)).toHaveLength(1), { timeout: 1_000, interval: 20 });
    await expect(scheduler.send(new GetScheduleCommand({ Name: later }))).resolves.toMatchObject({ Name: later, State: 'ENABLED' });
    // ActionAfterCompletion NONE keeps a fired schedule readable, as AWS does.
    await expect(scheduler.send(new GetScheduleCommand({ Name: fired }))).resolves.toMatchObject({ Name: fired });
    await sleep(200);
    expect(firingsOf(fired)).toHaveLength(1);
    expect(firingsOf(later)).toEqual([]);
  });
});

describe('the local outbox (SES v2 and SNS)', () => {
  it('records an email sent with SendEmail as a JSON line and a log line', async () => {
    const to = `clinician-${randomUUID()}@example.org`;
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'alerts@vigil.example',
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: 'Vigil: an alert is waiting' },
            Body: { Text: { Data: 'A high-priority alert\nfor one of your patients.' } },
          },
        },
      }),
    );
    expect(MessageId).toEqual(expect.any(String));
    expect((await outbox()).find((message) => message.messageId === MessageId)).toMatchObject({
      channel: 'email',
      to,
      from: 'alerts@vigil.example',
      subject: 'Vigil: an alert is waiting',
      text: 'A high-priority alert\nfor one of your patients.',
      at: expect.any(String),
    });
    expect(logLines).toContain(`[outbox] email ${to}: Vigil: an alert is waiting | A high-priority alert for one of your patients.`);
  });

  it('records an SMS published to a phone number as a JSON line and a log line', async () => {
    const text = 'Vigil: a high-priority alert for one of your patients. Open the app.';
    const { MessageId } = await sns.send(new PublishCommand({ PhoneNumber: '+4915112345678', Message: text }));
    expect(MessageId).toEqual(expect.any(String));
    expect((await outbox()).find((message) => message.messageId === MessageId)).toMatchObject({
      channel: 'sms',
      to: '+4915112345678',
      text,
    });
    expect(logLines).toContain(`[outbox] sms +4915112345678: ${text}`);
  });

  it('records a push published to a platform endpoint, with the default entry of a JSON message', async () => {
    const endpointArn = `arn:aws:sns:${LOCAL_REGION}:000000000000:endpoint/GCM/vigil-android/${randomUUID()}`;
    const { MessageId } = await sns.send(
      new PublishCommand({
        TargetArn: endpointArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'A new alert', GCM: JSON.stringify({ notification: { title: 'A new alert' } }) }),
      }),
    );
    expect((await outbox()).find((message) => message.messageId === MessageId)).toMatchObject({
      channel: 'push',
      to: endpointArn,
      text: 'A new alert',
    });
  });

  it('registers a device token as a platform endpoint, the same one when registered again', async () => {
    const application = `arn:aws:sns:${LOCAL_REGION}:000000000000:app/APNS/vigil-ios`;
    const register = () => sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: 'apns-token-1' }));
    const { EndpointArn } = await register();
    expect(EndpointArn).toMatch(new RegExp(`^arn:aws:sns:${LOCAL_REGION}:000000000000:endpoint/APNS/vigil-ios/[0-9a-f-]{36}$`));
    expect((await register()).EndpointArn).toBe(EndpointArn);
    const other = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: 'apns-token-2' }));
    expect(other.EndpointArn).not.toBe(EndpointArn);
    await expect(sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: 'not-an-arn', Token: 't' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('refuses a Publish without a target with InvalidParameter, as SNS does', async () => {
    const published = sns.send(new PublishCommand({ Message: 'to nobody' }));
    await expect(published).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(published).rejects.toMatchObject({ Code: 'InvalidParameter', $metadata: { httpStatusCode: 400 } });
    expect((await outbox()).some((message) => message.text === 'to nobody')).toBe(false);
  });
});
