// Signed-in users for gateway tests: a Cognito user in the given groups and its tokens.
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/local-aws.ts';
import type { Role } from '../../shared/domain/roles.ts';

export interface CognitoTarget {
  readonly cognitoEndpoint: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface SignedInUser {
  readonly email: string;
  readonly password: string;
  readonly sub: string;
  readonly accessToken: string;
  readonly idToken: string;
}

/** Creates a Cognito user only (no table records) and signs it in. */
export async function signInNewCognitoUser(target: CognitoTarget, groups: readonly Role[] = []): Promise<SignedInUser> {
  const client = new CognitoIdentityProviderClient({
    endpoint: target.cognitoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const email = `user-${randomUUID()}@example.org`;
    const password = 'Test-Password-1234';
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: target.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    const sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (sub === undefined) throw new Error('cognito-local returned no sub');
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: target.userPoolId, Username: email, Password: password, Permanent: true }),
    );
    for (const GroupName of groups) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: target.userPoolId, Username: email, GroupName }));
    }
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: target.userPoolClientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    if (AuthenticationResult?.AccessToken === undefined || AuthenticationResult.IdToken === undefined)
      throw new Error('sign-in returned no tokens');
    return { email, password, sub, accessToken: AuthenticationResult.AccessToken, idToken: AuthenticationResult.IdToken };
  } finally {
    client.destroy();
  }
}
