import { describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { reportedFailures, sqsRecord, withFifoGroupOrdering } from '../../../infra/local/sqs-event-source.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:vigil-ecg-chunks.fifo';

function record(messageId: string, group: string): SQSRecord {
  return sqsRecord(
    {
      MessageId: messageId,
      ReceiptHandle: `rh-${messageId}`,
      Body: '{}',
      Attributes: { MessageGroupId: group, ApproximateReceiveCount: '1' },
    },
    QUEUE_ARN,
  );
}

describe('SQS event source batch results', () => {
  const batch = [record('a1', 'a'), record('b1', 'b'), record('a2', 'a'), record('a3', 'a'), record('b2', 'b')];

  it('fails only the records named in batchItemFailures', () => {
    expect(reportedFailures({ batchItemFailures: [{ itemIdentifier: 'b2' }] }, batch)).toEqual(new Set(['b2']));
    expect(reportedFailures({ batchItemFailures: [] }, batch)).toEqual(new Set());
    expect(reportedFailures(undefined, batch)).toEqual(new Set());
  });

  it('fails the whole batch when a reported identifier is empty or unknown', () => {
    const all = new Set(batch.map((r) => r.messageId));
    expect(reportedFailures({ batchItemFailures: [{ itemIdentifier: '' }] }, batch)).toEqual(all);
    expect(reportedFailures({ batchItemFailures: [{ itemIdentifier: 'nope' }] }, batch)).toEqual(all);
  });

  it('stops a FIFO message group at its first failure, leaving later records of that group too', () => {
    expect(withFifoGroupOrdering(batch, new Set(['a2']))).toEqual(new Set(['a2', 'a3']));
    expect(withFifoGroupOrdering(batch, new Set(['b1']))).toEqual(new Set(['b1', 'b2']));
  });

  it('builds records in the shape Lambda delivers', () => {
    expect(record('m', 'g')).toMatchObject({
      messageId: 'm',
      receiptHandle: 'rh-m',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'us-east-1',
      attributes: { MessageGroupId: 'g', ApproximateReceiveCount: '1' },
      messageAttributes: {},
    });
  });
});
