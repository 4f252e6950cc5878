import { randomUUID } from 'node:crypto';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../../shared/api/websocket-messages.ts';
import { connectionKeys } from '../../../shared/data/connection-store.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { createConnectionPoster, createNotifier } from '../../../shared/realtime/connection-notifier.ts';
import { lambdaContext } from '../fixtures/http-api-event.ts';

// The SDK error paths (410 GoneException, a failed push) are what these tests are about, so
// the SDK is mocked; the same behaviour is proven against the local twin in the e2e suite.
const management = mockClient(ApiGatewayManagementApiClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const pong: ServerMessage = { type: 'pong' };
const table = () => createTableClient('table', new DynamoDBClient({ region: 'eu-west-1' }));
const poster = () => createConnectionPoster(new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'https://x' }));

describe('connection notifier', () => {
  beforeEach(() => {
    management.reset();
    dynamo.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('removes exactly the connection that answered 410 and still delivers to the others', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ connectionId: 'alive' }, { connectionId: 'dead' }] });
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(GetCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    management.on(PostToConnectionCommand, { ConnectionId: 'alive' }).resolves({});
    management
      .on(PostToConnectionCommand, { ConnectionId: 'dead' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));

    const notifier = createNotifier(table(), poster(), new Logger());
    const result = await notifier.toUserInSequence('clinician-1', 7, pong);

    expect(result).toEqual({ delivered: 1, gone: 1 });
    const deleted = dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key);
    expect(deleted).toEqual([connectionKeys.connection('dead')]);
  });

  it("keeps going when one push fails for another reason, and logs it with the invocation's request id", async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const lines: string[] = [];
    // Powertools writes warnings to stderr.
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.length > 0),
      );
      return true;
    });
    dynamo.on(QueryCommand).resolves({ Items: [{ connectionId: 'flaky' }, { connectionId: 'alive' }] });
    dynamo.on(UpdateCommand).resolves({});
    management.on(PostToConnectionCommand, { ConnectionId: 'flaky' }).rejects(new Error('throttled'));
    management.on(PostToConnectionCommand, { ConnectionId: 'alive' }).resolves({});

    const logger = new Logger({ serviceName: 'vigil-test' });
    const requestId = randomUUID();
    logger.addContext(lambdaContext({ awsRequestId: requestId }));
    const notifier = createNotifier(table(), poster(), logger);
    expect(await notifier.toUserInSequence('clinician-1', 7, pong)).toEqual({ delivered: 1, gone: 0 });
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);

    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['message'] === 'push to connection failed');
    expect(warning).toMatchObject({ function_request_id: requestId, module: 'connection-notifier', connectionId: 'flaky' });
  });

  it('tells a connection API Gateway still holds from one it has dropped', async () => {
    management.on(GetConnectionCommand, { ConnectionId: 'open' }).resolves({});
    management
      .on(GetConnectionCommand, { ConnectionId: 'dropped' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
    const notifier = createNotifier(table(), poster(), new Logger());
    expect(await notifier.isConnected('open')).toBe(true);
    expect(await notifier.isConnected('dropped')).toBe(false);
  });
});
