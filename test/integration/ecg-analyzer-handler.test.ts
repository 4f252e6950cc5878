// The analyzer Lambda over DynamoDB Local and the SQS emulator: a backlog longer than one
// invocation goes on through a wake-up message of its own instead of failing the chunk's message.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { ENV } from '../../shared/config/env.ts';
import { createRecording, getRecording, putChunk } from '../../shared/data/ecg-store.ts';
import { startLocalServices, type LocalServices } from '../support/local-services.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/local-aws.ts';
import { storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

let sqs: LocalServices;
const table = testTable();

beforeAll(async () => {
  sqs = await startLocalServices({ dynamoDb: false, cognito: false });
  Object.assign(process.env, sqs.env, {
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    [ENV.tableName]: inject('tableName'),
    // Nobody is connected, so no push is attempted; the endpoint only has to be configured.
    [ENV.wsManagementEndpoint]: 'http://127.0.0.1:9',
    // Nor is an alert raised: escalation and mail only have to be configured too.
    [ENV.escalationGroup]: 'escalations',
    [ENV.escalatorArn]: 'arn:aws:lambda:us-east-1:000000000000:function:alertEscalator',
    [ENV.escalationRoleArn]: 'arn:aws:iam::000000000000:role/scheduler',
    [ENV.alertEmailFrom]: 'alerts@vigil.local',
  });
});

afterAll(async () => {
  await sqs?.stop();
});

function context(remainingMs: () => number): Context {
  return { awsRequestId: randomUUID(), functionName: 'ecgAnalyzer', getRemainingTimeInMillis: remainingMs } as unknown as Context;
}

function chunkEvent(recordingId: string, seq: number): SQSEvent {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'r',
        body: JSON.stringify({ recordingId, seq }),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
          MessageGroupId: recordingId,
          MessageDeduplicationId: `${recordingId}-${seq}`,
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:vigil-ecg-chunks.fifo',
        awsRegion: LOCAL_REGION,
      },
    ],
  };
}

describe('ECG analyzer handler', () => {
  it('continues a backlog through its own message and reports no failure', async () => {
    const { userId: patientId, orgId } = await storedPatient(table);
    const recordingId = randomUUID();
    await createRecording(table, {
      recordingId,
      patientId,
      orgId,
      sampleRateHz: 250,
      lead: 'II',
      status: 'recording',
      createdAt: new Date().toISOString(),
      startedAt: '2026-11-22T04:00:00.000Z',
      chunksReceived: 0,
      chunksAnalyzed: 0,
      findings: { analyzedSeconds: 0, beatCount: 0, flags: [] },
    });
    const { samples } = regularRhythmEcg({ sampleRateHz: 250, seconds: 30, heartRateBpm: 70 });
    for (let seq = 0; seq < 3; seq++)
      await putChunk(table, recordingId, seq, samples.subarray(seq * 2500, (seq + 1) * 2500), 2_000_000_000, new Date().toISOString());

    const { handler } = await import('../../functions/ecg-analyzer/handler.ts');
    let checks = 0;
    // Time for one chunk only: the second check finds the invocation nearly out of time.
    const response = await handler(
      chunkEvent(recordingId, 0),
      context(() => (checks++ === 0 ? 60_000 : 1_000)),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect((await getRecording(table, recordingId))?.chunksAnalyzed).toBe(1);
    const client = new SQSClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: sqs.sqs!.endpoint,
      useQueueUrlAsEndpoint: false,
    });
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.sqs!.queues.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([{ recordingId, seq: 1, wakeUp: expect.any(String) }]);

    const next = await handler(
      chunkEvent(recordingId, 1),
      context(() => 60_000),
    );
    expect(next.batchItemFailures).toEqual([]);
    expect((await getRecording(table, recordingId))?.chunksAnalyzed).toBe(3);
  });
});
