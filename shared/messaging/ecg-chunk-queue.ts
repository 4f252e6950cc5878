// Sending "analyse this chunk" messages to the FIFO queue. The SQS endpoint comes from the
// SDK's AWS_ENDPOINT_URL_SQS in the local twin.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV, requireEnv } from '../config/env.ts';
import type { EcgChunkMessage } from './ecg-chunk-message.ts';
import { ecgChunkDeduplicationId, ecgChunkMessageGroupId } from './queue-definitions.ts';

export interface EcgChunkQueue {
  enqueue(message: EcgChunkMessage): Promise<void>;
}

export function createEcgChunkQueue(client: SQSClient, queueUrl: string): EcgChunkQueue {
  return {
    async enqueue(message) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          MessageGroupId: ecgChunkMessageGroupId(message),
          MessageDeduplicationId: ecgChunkDeduplicationId(message),
        }),
      );
    },
  };
}

let fromEnv: EcgChunkQueue | undefined;
export function ecgChunkQueueFromEnv(): EcgChunkQueue {
  // The regional (or configured) endpoint, not the queue URL's host: the same in AWS, and it
  // lets an emulator whose queue URLs name an unresolvable host work through AWS_ENDPOINT_URL_SQS.
  fromEnv ??= createEcgChunkQueue(new SQSClient({ useQueueUrlAsEndpoint: false }), requireEnv(ENV.ecgQueueUrl));
  return fromEnv;
}
