// The local SQS event source behaves like Lambda's: real SQS records, partial batch
// responses honoured, and a message that keeps failing is redriven to the DLQ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { QUEUE_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { startLocalTwin, type LocalTwin } from '../support/local-twin.ts';
import { fixtureHandlerModules } from '../support/handler-fixtures.ts';
import { clearRecordedEvents, recordedEvents } from '../support/fixtures/recorded-events.ts';

let twin: LocalTwin;
let sqs: SQSClient;

beforeAll(async () => {
  twin = await startLocalTwin({
    handlerModules: fixtureHandlerModules({ [QUEUE_FUNCTIONS.ecgAnalyzer.entry]: 'ecg-analyzer.ts' }),
    queueVisibilityTimeoutSeconds: 1,
    log: () => undefined,
  });
  sqs = new SQSClient({
    endpoint: twin.state.sqsEndpoint,
    region: twin.state.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  clearRecordedEvents();
});

afterAll(async () => {
  sqs?.destroy();
  await twin?.stop();
});

const records = () => recordedEvents('ecg-analyzer') as SQSRecord[];

async function send(recordingId: string, body: object): Promise<string> {
  const { MessageId } = await sqs.send(
    new SendMessageCommand({
      QueueUrl: twin.state.queueUrl,
      MessageBody: JSON.stringify(body),
      MessageGroupId: recordingId,
      MessageDeduplicationId: `${recordingId}-${JSON.stringify(body)}`,
    }),
  );
  return MessageId ?? '';
}

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
}

describe('SQS event source', () => {
  it('deletes what succeeded, retries what batchItemFailures names, and parks it in the DLQ after maxReceiveCount', {
    timeout: 30_000,
  }, async () => {
    const ok1 = await send('recording-a', { recordingId: 'recording-a', seq: 0 });
    const failing = await send('recording-b', { recordingId: 'recording-b', seq: 0, fail: true });
    const ok2 = await send('recording-c', { recordingId: 'recording-c', seq: 0 });

    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline && (await queueDepth(twin.state.queueUrl)) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const receivesOf = (id: string) => records().filter((record) => record.messageId === id);
    expect(receivesOf(ok1)).toHaveLength(1);
    expect(receivesOf(ok2)).toHaveLength(1);
    expect(receivesOf(failing).map((record) => record.attributes.ApproximateReceiveCount)).toEqual(
      Array.from({ length: ECG_QUEUE.maxReceiveCount }, (_, index) => String(index + 1)),
    );

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: twin.state.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((message) => message.MessageId)).toEqual([failing]);
  });

  it('hands the handler real SQS records', () => {
    const record = records()[0];
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: twin.queues.queueArn,
      awsRegion: twin.state.region,
      attributes: { MessageGroupId: 'recording-a', ApproximateReceiveCount: '1' },
    });
    expect(record?.receiptHandle).toBeTruthy();
    expect(record?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(record?.attributes.SequenceNumber).toBeTruthy();
    expect(record?.attributes.MessageDeduplicationId).toBe('recording-a-{"recordingId":"recording-a","seq":0}');
  });
});
