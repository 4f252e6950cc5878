import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { accessTokenVerifierFromEnv, type AccessTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { authorizeConnection } from '../../shared/realtime/connection-service.ts';

let verifier: AccessTokenVerifier | undefined;

/**
 * Runs once per connection, on $connect. Throwing "Unauthorized" makes API Gateway answer
 * 401; the Allow policy's context reaches every later event of the connection.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  verifier ??= accessTokenVerifierFromEnv();
  const caller = await authorizeConnection(verifier, tableClientFromEnv(), event.queryStringParameters?.['token']);
  if (!caller) throw new Error('Unauthorized');
  return {
    principalId: caller.userId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { userId: caller.userId, orgId: caller.orgId, role: caller.role },
  };
};
