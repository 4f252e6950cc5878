import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { USER_POOL } from '../../shared/auth/user-pool-definition.ts';

// Exactly what the users and patients functions do with the pool: create an account (with a
// temporary password or an invitation), put it in its role's group, and remove it again if the
// profile cannot be saved or an invitation nobody accepted is withdrawn (read to tell); disable
// an account and sign it out everywhere; move it to another role's group. Nothing that sets
// passwords, lists, re-enables or updates other users.
const ADMINISTER_USERS_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminGetUser',
];

/** The Cognito user pool, its role groups and the app client, from shared/auth/user-pool-definition.ts. */
export class UserPoolAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = USER_POOL.passwordPolicy;
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: USER_POOL.name,
      // Admins and clinicians enrol people (POST /v1/users); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: policy.minLength,
        requireLowercase: policy.requireLowercase,
        requireUppercase: policy.requireUppercase,
        requireDigits: policy.requireDigits,
        requireSymbols: policy.requireSymbols,
      },
      // Plus adds threat protection, chiefly blocking sign-ins and password changes with
      // credentials known to be leaked. Risk scoring sees the auth function's address, not
      // the phone's (a public client cannot forward user context), so it adds little here.
      // About a third more per active user than Essentials; worth it for accounts with PHI.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      mfa: cognito.Mfa.OFF,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of USER_POOL.groups) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group });
    }

    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: USER_POOL.clientName,
      // A public client: the mobile app signs in through POST /v1/auth/login (USER_PASSWORD_AUTH)
      // and refreshes through /v1/auth/refresh; CDK adds ALLOW_REFRESH_TOKEN_AUTH with it.
      generateSecret: false,
      authFlows: { userPassword: true },
      // No hosted UI: no OAuth flows, scopes or callback URLs (CDK would add implicit and code
      // flows with https://example.com as a callback).
      disableOAuth: true,
      accessTokenValidity: Duration.minutes(USER_POOL.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(USER_POOL.accessTokenValidityMinutes),
      refreshTokenValidity: Duration.days(USER_POOL.refreshTokenValidityDays),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG1',
        reason:
          'Symbols are not required on purpose (shared/auth/user-pool-definition.ts): length 12 with mixed case and digits, following NIST SP 800-63B, which advises against composition rules.',
      },
      {
        id: 'AwsSolutions-COG2',
        reason:
          'The v1 API contract signs in with USER_PASSWORD_AUTH and returns tokens without a challenge step, so required MFA would lock every user out; MFA needs a challenge route first. Meanwhile Plus-tier threat protection blocks sign-ins with leaked credentials.',
      },
    );
  }

  /** The user pool calls the users function makes to enrol people, on this pool only. */
  grantAdministerUsers(grantee: iam.IGrantable): void {
    this.userPool.grant(grantee, ...ADMINISTER_USERS_ACTIONS);
  }
}
