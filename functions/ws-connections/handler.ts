import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import {
  callerFromContext,
  closeConnection,
  handleDefaultMessage,
  openConnection,
  subscribe,
} from '../../shared/realtime/connection-service.ts';

type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: unknown } };

const dependencies = () => ({ table: tableClientFromEnv(), notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv()) });

/** One function for the connection resource; API Gateway picks the route by `action`. */
export const handler = async (event: WebSocketEvent): Promise<APIGatewayProxyResultV2> => {
  const { connectionId, routeKey } = event.requestContext;
  switch (routeKey) {
    case '$connect':
      await openConnection(dependencies(), connectionId, callerFromContext(event.requestContext.authorizer));
      break;
    case '$disconnect':
      await closeConnection(dependencies(), connectionId);
      break;
    case 'subscribe':
      await subscribe(dependencies(), connectionId, callerFromContext(event.requestContext.authorizer), event.body);
      break;
    default:
      await handleDefaultMessage(dependencies(), connectionId, event.body);
  }
  return { statusCode: 200 };
};
