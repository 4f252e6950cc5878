import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  InvalidPasswordException,
  LimitExceededException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  UnauthorizedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createCognitoIdentityProvider,
  InvalidCredentialsError,
  NewPasswordRequiredError,
  NoNewPasswordExpectedError,
  TooManyAttemptsError,
  WeakPasswordError,
} from '../../../shared/auth/identity-provider.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const identity = createCognitoIdentityProvider(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), {
  userPoolId: 'pool',
  clientId: 'client',
});
const RESULT = { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 } };
type Fault =
  | typeof NotAuthorizedException
  | typeof InvalidPasswordException
  | typeof UserNotFoundException
  | typeof CodeMismatchException
  | typeof LimitExceededException;
const fault = (Type: Fault) => new Type({ message: 'no', $metadata: {} });

beforeEach(() => cognito.reset());

describe('signing in through the user pool', () => {
  it('a wrong password (NotAuthorizedException) is InvalidCredentialsError', async () => {
    cognito.on(InitiateAuthCommand).rejects(fault(NotAuthorizedException));
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

describe('sessions and passwords through the user pool', () => {
  it('revokes a refresh token with the app client; an unknown one is InvalidCredentialsError', async () => {
    cognito.on(RevokeTokenCommand).resolvesOnce({}).rejects(fault(NotAuthorizedException));
    await identity.revokeRefreshToken('refresh-1');
    expect(cognito.commandCalls(RevokeTokenCommand)[0]!.args[0].input).toEqual({ ClientId: 'client', Token: 'refresh-1' });
    await expect(identity.revokeRefreshToken('refresh-1')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('calls a token RevokeToken refuses as a bad parameter or unauthorized an InvalidCredentialsError, not a failure', async () => {
    cognito
      .on(RevokeTokenCommand)
      .rejectsOnce(new InvalidParameterException({ message: 'bad token', $metadata: {} }))
      .rejects(new UnauthorizedException({ message: 'not this client', $metadata: {} }));
    await expect(identity.revokeRefreshToken('x')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(identity.revokeRefreshToken('x')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('starts a password reset without saying whether the account exists', async () => {
    cognito.on(ForgotPasswordCommand).rejects(fault(UserNotFoundException));
    await expect(identity.startPasswordReset('nobody@example.org')).resolves.toBeUndefined();
  });

  it('tells a wrong reset code from a weak new password and from throttling', async () => {
    cognito
      .on(ConfirmForgotPasswordCommand)
      .rejectsOnce(fault(CodeMismatchException))
      .rejectsOnce(fault(InvalidPasswordException))
      .rejects(fault(LimitExceededException));
    await expect(identity.confirmPasswordReset('ada@example.org', '000000', 'Correct-Horse-42')).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
    await expect(identity.confirmPasswordReset('ada@example.org', '123456', 'weak')).rejects.toBeInstanceOf(WeakPasswordError);
    await expect(identity.confirmPasswordReset('ada@example.org', '123456', 'Correct-Horse-42')).rejects.toBeInstanceOf(
      TooManyAttemptsError,
    );
  });
});

describe('creating accounts in the user pool', () => {
  beforeEach(() => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminSetUserPasswordCommand).resolves({});
  });

  it('creates an account with a temporary password, which is never made permanent', async () => {
    await identity.createAccount({
      email: 'pat@example.org',
      role: 'patient',
      password: { value: 'Temporary-Pass-42', kind: 'temporary' },
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toMatchObject({
      Username: 'pat@example.org',
      TemporaryPassword: 'Temporary-Pass-42',
      MessageAction: 'SUPPRESS',
    });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it("sets an organisation's first admin's own password as permanent", async () => {
    await identity.createAccount({ email: 'admin@example.org', role: 'admin', password: { value: 'Own-Password-42', kind: 'permanent' } });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toMatchObject({
      Password: 'Own-Password-42',
      Permanent: true,
    });
  });

  it('invites an account created without a password', async () => {
    await identity.createAccount({ email: 'ada@example.org', role: 'clinician' });
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(input.TemporaryPassword).toBeUndefined();
    expect(input.MessageAction).toBeUndefined();
  });
});

describe('disabling accounts and changing roles in the user pool', () => {
  it('disables an account, then signs it out everywhere, both by pool and email', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    await identity.disableAccount('pat@example.org');
    const account = { UserPoolId: 'pool', Username: 'pat@example.org' };
    expect(cognito.commandCalls(AdminDisableUserCommand).map((call) => call.args[0].input)).toEqual([account]);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand).map((call) => call.args[0].input)).toEqual([account]);
    // Disabled before signed out, so no sign-in can mint a refresh token in between.
    expect(cognito.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'AdminDisableUserCommand',
      'AdminUserGlobalSignOutCommand',
    ]);
  });

  it('does not sign an account out when it could not be disabled', async () => {
    cognito.on(AdminDisableUserCommand).rejects(fault(UserNotFoundException));
    await expect(identity.disableAccount('nobody@example.org')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });

  it("adds the account to the new role's group before removing it from the old one", async () => {
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
    await identity.changeRole('ada@example.org', 'clinician', 'admin');
    expect(cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['AdminAddUserToGroupCommand', { UserPoolId: 'pool', Username: 'ada@example.org', GroupName: 'admin' }],
      ['AdminRemoveUserFromGroupCommand', { UserPoolId: 'pool', Username: 'ada@example.org', GroupName: 'clinician' }],
    ]);
  });

  it('keeps the account in its old group when it could not be added to the new one', async () => {
    cognito.on(AdminAddUserToGroupCommand).rejects(fault(UserNotFoundException));
    await expect(identity.changeRole('ada@example.org', 'clinician', 'admin')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand)).toHaveLength(0);
  });

  it('leaves an account whose role does not change in its group', async () => {
    await identity.changeRole('ada@example.org', 'clinician', 'clinician');
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand)).toHaveLength(0);
  });
});
