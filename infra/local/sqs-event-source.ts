// The Lambda SQS event source mapping: long-polls the ECG queue, calls the analysis handler
// with real SQS event batches and deletes only what succeeded (ReportBatchItemFailures).
// Failed records are left alone: they reappear after the visibility timeout, and the
// queue's redrive policy parks them in the DLQ after maxReceiveCount receives.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { FunctionToInvoke, InvocationOutcome } from './lambda-runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws.ts';

export interface SqsEventSourceOptions {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly fn: FunctionToInvoke;
  readonly invoke: (fn: FunctionToInvoke, event: unknown) => Promise<InvocationOutcome>;
  /** Long-poll wait per ReceiveMessage; short values make stopping quicker. */
  readonly waitTimeSeconds?: number;
  readonly log?: (message: string) => void;
}

export interface SqsEventSource {
  stop(): Promise<void>;
}

export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const client = new SQSClient({ endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const log = options.log ?? ((message: string) => console.error(message));
  const abort = new AbortController();
  let running = true;

  const loop = (async () => {
    while (running) {
      try {
        const { Messages } = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 2,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        if (Messages === undefined || Messages.length === 0) continue;
        await processBatch(Messages);
      } catch (error) {
        if (!running) break;
        log(`[sqs] polling ${options.queueUrl} failed: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  async function processBatch(messages: Message[]): Promise<void> {
    const records = messages.map((message) => sqsRecord(message, options.queueArn));
    const event: SQSEvent = { Records: records };
    const outcome = await options.invoke(options.fn, event);
    let failed: Set<string>;
    if (outcome.kind === 'result') {
      failed = reportedFailures(outcome.value, records);
    } else {
      log(
        `[sqs] ${options.fn.name} ${outcome.kind === 'timeout' ? 'timed out' : `threw: ${String(outcome.error)}`}; the whole batch will be retried`,
      );
      failed = new Set(records.map((record) => record.messageId));
    }
    failed = withFifoGroupOrdering(records, failed);
    const succeeded = records.filter((record) => !failed.has(record.messageId));
    if (succeeded.length === 0) return;
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: succeeded.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
  }

  return {
    async stop() {
      running = false;
      abort.abort();
      // A batch still in the handler is not waited for beyond a moment: its messages simply
      // become visible again, as when a Lambda is cut short.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      client.destroy();
    },
  };
}

/**
 * The ids the handler reported in `batchItemFailures`. As in Lambda, a malformed report (an
 * unknown or empty itemIdentifier) fails the whole batch.
 */
export function reportedFailures(result: unknown, records: readonly SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return new Set();
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/**
 * For FIFO queues Lambda stops a message group at its first failure: every later record of
 * that group is returned to the queue too, so a group is never processed out of order.
 */
export function withFifoGroupOrdering(records: readonly SQSRecord[], failed: ReadonlySet<string>): Set<string> {
  const result = new Set(failed);
  const stoppedGroups = new Set<string>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId;
    if (group === undefined) continue;
    if (stoppedGroups.has(group)) result.add(record.messageId);
    else if (result.has(record.messageId)) stoppedGroups.add(group);
  }
  return result;
}

export function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: system['ApproximateReceiveCount'] ?? '1',
    SentTimestamp: system['SentTimestamp'] ?? String(Date.now()),
    SenderId: system['SenderId'] ?? 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: system['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
  };
  for (const name of ['MessageGroupId', 'MessageDeduplicationId', 'SequenceNumber', 'AWSTraceHeader'] as const) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: eventMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? LOCAL_REGION,
  };
}

function eventMessageAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const converted: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    converted[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return converted;
}
