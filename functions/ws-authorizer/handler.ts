import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { accessTokenVerifierFromEnv, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { authorizeConnection } from '../../shared/services/connection-service.ts';

const logger = new Logger({ serviceName: 'vigil-ws-authorizer' });
let verifier: TokenVerifier | undefined;

/**
 * Runs once per connection, on $connect. Throwing "Unauthorized" makes API Gateway answer
 * 401; the Allow policy's context reaches every later event of the connection.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent, context: Context): Promise<APIGatewayAuthorizerResult> => {
  logger.addContext(context);
  verifier ??= accessTokenVerifierFromEnv();
  const caller = await authorizeConnection(verifier, tableClientFromEnv(), event.queryStringParameters?.['token']);
  if (!caller) {
    logger.info('connection refused: no valid token of a Vigil user');
    throw new Error('Unauthorized');
  }
  return {
    principalId: caller.userId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { userId: caller.userId, orgId: caller.orgId, role: caller.role },
  };
};
