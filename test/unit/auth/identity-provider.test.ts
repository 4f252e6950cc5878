import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidCredentialsError,
  NewPasswordRequiredError,
  NoNewPasswordExpectedError,
  WeakPasswordError,
  createCognitoIdentityProvider,
} from '../../../shared/auth/identity-provider.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const identity = createCognitoIdentityProvider(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), {
  userPoolId: 'pool',
  clientId: 'client',
});
const RESULT = { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 } };
const fault = (Type: typeof NotAuthorizedException | typeof InvalidPasswordException) => new Type({ message: 'no', $metadata: {} });

beforeEach(() => cognito.reset());

describe('signing in through the user pool', () => {
  it.each([
    ['Cognito', NotAuthorizedException],
    ['cognito-local', InvalidPasswordException],
  ] as const)('a wrong password as %s reports it is InvalidCredentialsError', async (_who, Type) => {
    cognito.on(InitiateAuthCommand).rejects(fault(Type));
    await expect(identity.signIn('ada@example.org', 'wrong')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('an invited account without newPassword is NewPasswordRequiredError; with one it answers the challenge as the user the pool named', async () => {
    cognito
      .on(InitiateAuthCommand)
      .resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-1', ChallengeParameters: { USER_ID_FOR_SRP: 'sub-of-ada' } });
    cognito.on(RespondToAuthChallengeCommand).resolves(RESULT);
    await expect(identity.signIn('ada@example.org', 'temp')).rejects.toBeInstanceOf(NewPasswordRequiredError);
    await expect(identity.signIn('ada@example.org', 'temp', 'Correct-Horse-42')).resolves.toMatchObject({ accessToken: 'a' });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
      ClientId: 'client',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 's-1',
      ChallengeResponses: { USERNAME: 'sub-of-ada', NEW_PASSWORD: 'Correct-Horse-42' },
    });
  });

  it('a new password the pool refuses is WeakPasswordError, not a wrong credential', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-1' });
    cognito.on(RespondToAuthChallengeCommand).rejects(fault(InvalidPasswordException));
    await expect(identity.signIn('ada@example.org', 'temp', 'Correct-Horse-42')).rejects.toBeInstanceOf(WeakPasswordError);
  });

  it('newPassword for an account with its own password is NoNewPasswordExpectedError', async () => {
    cognito.on(InitiateAuthCommand).resolves(RESULT);
    await expect(identity.signIn('ada@example.org', 'mine', 'Correct-Horse-42')).rejects.toBeInstanceOf(NoNewPasswordExpectedError);
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)).toHaveLength(0);
  });
});
