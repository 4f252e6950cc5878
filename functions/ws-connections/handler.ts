import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { statusOf } from '../../shared/http/errors.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import {
  callerFromContext,
  closeConnection,
  handleDefaultMessage,
  openConnection,
  resume,
  subscribe,
} from '../../shared/services/connection-service.ts';

type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: unknown } };

const logger = new Logger({ serviceName: 'vigil-ws-connections' });

const dependencies = () => ({
  table: tableClientFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv(), logger),
});

/** One function for the connection resource; API Gateway picks the route by `action`. */
export const handler = async (event: WebSocketEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
  logger.addContext(context);
  const { connectionId, routeKey } = event.requestContext;
  switch (routeKey) {
    case '$connect': {
      const refused = await openConnection(dependencies(), connectionId, callerFromContext(event.requestContext.authorizer));
      // A non-2xx answer to $connect refuses the handshake with that status.
      if (refused) {
        logger.info('connection refused', { reason: refused.message });
        return { statusCode: statusOf(refused.kind) };
      }
      break;
    }
    case '$disconnect':
      await closeConnection(dependencies(), connectionId);
      break;
    case 'subscribe':
      await subscribe(dependencies(), connectionId, callerFromContext(event.requestContext.authorizer), event.body);
      break;
    case 'resume':
      await resume(
        { ...dependencies(), remainingMs: () => context.getRemainingTimeInMillis() },
        connectionId,
        callerFromContext(event.requestContext.authorizer),
        event.body,
      );
      break;
    default:
      await handleDefaultMessage(dependencies(), connectionId, event.body);
  }
  return { statusCode: 200 };
};
