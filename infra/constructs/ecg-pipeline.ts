import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { VigilFunction, type EcgChunkQueue, type FunctionResources } from './vigil-function.ts';

export interface EcgPipelineProps {
  /** Everything but `ecgChunks`, which this pipeline provides. */
  readonly resources: Omit<FunctionResources, 'ecgChunks'>;
}

/**
 * Uploaded ECG chunks wait in a FIFO queue (one message group per recording, so a
 * recording's chunks are analysed in order while recordings run in parallel) for the
 * analyzer; a chunk that fails maxReceiveCount times is parked in a FIFO dead-letter queue.
 */
export class EcgPipeline extends Construct implements EcgChunkQueue {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly analyzer: VigilFunction;

  constructor(scope: Construct, id: string, props: EcgPipelineProps) {
    super(scope, id);

    // Messages carry only {recordingId, seq}, never samples, so SQS-managed encryption is
    // enough; a KMS key would add a KMS call per message and key grants to both ends.
    // Physical names are left to CloudFormation (CDK adds .fifo) so stages can share an account;
    // ECG_QUEUE.name is the local twin's name.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      retentionPeriod: Duration.seconds(ECG_QUEUE.deadLetterRetentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      // The producer sets the deduplication id (recording + seq), so a repeated PUT of the
      // same chunk is dropped; content-based dedup would miss a re-encoded identical chunk.
      contentBasedDeduplication: false,
      // High-throughput FIFO: limits apply per recording instead of to the whole queue.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: Duration.seconds(ECG_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(ECG_QUEUE.retentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: ECG_QUEUE.maxReceiveCount },
    });

    const definition = QUEUE_FUNCTIONS.ecgAnalyzer;
    this.analyzer = new VigilFunction(this, 'ecgAnalyzer', { definition, resources: { ...props.resources, ecgChunks: this } });
    // consumeEcgChunks: the event source grants receive/delete/change-visibility on this
    // queue alone. Partial batch responses let one bad chunk fail without replaying the rest.
    this.analyzer.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: ECG_QUEUE.batchSize, reportBatchItemFailures: true }),
    );
  }

  get queueUrl(): string {
    return this.queue.queueUrl;
  }

  /** sqs:SendMessage on the chunk queue only: the producer never reads or deletes. */
  grantSendChunks(grantee: iam.IGrantable): void {
    this.queue.grant(grantee, 'sqs:SendMessage');
  }
}
