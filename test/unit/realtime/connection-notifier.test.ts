import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createConnectionPoster, createNotifier } from '../../../shared/realtime/connection-notifier.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { connectionKeys } from '../../../shared/data/connection-store.ts';

// The SDK error path (410 GoneException) is what this test is about, so the SDK is mocked;
// the same behaviour is proven against the local twin in the e2e suite.
const management = mockClient(ApiGatewayManagementApiClient);
const dynamo = mockClient(DynamoDBDocumentClient);

describe('connection notifier', () => {
  beforeEach(() => {
    management.reset();
    dynamo.reset();
  });

  it('removes exactly the connection that answered 410 and still delivers to the others', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ connectionId: 'alive' }, { connectionId: 'dead' }] });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    management.on(PostToConnectionCommand, { ConnectionId: 'alive' }).resolves({});
    management
      .on(PostToConnectionCommand, { ConnectionId: 'dead' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));

    const table = createTableClient('table', new DynamoDBClient({ region: 'eu-west-1' }));
    const notifier = createNotifier(
      table,
      createConnectionPoster(new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'https://x' })),
    );
    const result = await notifier.toUsers(['clinician-1'], { type: 'alert.created' });

    expect(result).toEqual({ delivered: 1, gone: 1 });
    const deleted = dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key);
    expect(deleted).toEqual([connectionKeys.connection('dead')]);
  });

  it('keeps going when one push fails for another reason', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ connectionId: 'flaky' }, { connectionId: 'alive' }] });
    management.on(PostToConnectionCommand, { ConnectionId: 'flaky' }).rejects(new Error('throttled'));
    management.on(PostToConnectionCommand, { ConnectionId: 'alive' }).resolves({});

    const table = createTableClient('table', new DynamoDBClient({ region: 'eu-west-1' }));
    const notifier = createNotifier(
      table,
      createConnectionPoster(new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'https://x' })),
    );
    expect(await notifier.toUsers(['clinician-1'], { type: 'alert.created' })).toEqual({ delivered: 1, gone: 0 });
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});
