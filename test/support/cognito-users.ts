// Signed-in users for gateway tests: a Cognito user in the given groups and its tokens.
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/local-aws.ts';
import { createCognitoIdentityProvider } from '../../shared/auth/identity-provider.ts';
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
    // Signed in the way the API signs people in.
    const tokens = await createCognitoIdentityProvider(client, { userPoolId: target.userPoolId, clientId: target.userPoolClientId }).signIn(
      email,
      password,
    );
    return { email, password, sub, accessToken: tokens.accessToken, idToken: tokens.idToken };
  } finally {
    client.destroy();
  }
}
