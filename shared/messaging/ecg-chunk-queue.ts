// Sending "analyse this chunk" messages to the FIFO queue. The SQS endpoint comes from the
// SDK's AWS_ENDPOINT_URL_SQS in the local twin.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV, requireEnv } from '../config/env.ts';
import { ecgChunkDeduplicationId, ecgChunkMessageGroupId, type EcgChunkMessage } from './queue-definitions.ts';

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
  fromEnv ??= createEcgChunkQueue(new SQSClient({}), requireEnv(ENV.ecgQueueUrl));
  return fromEnv;
}
