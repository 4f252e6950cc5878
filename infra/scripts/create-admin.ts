// Creates an organisation and its first admin: a Cognito user in the admin group and the
// organisation + user records in the table.
//
//   npm run create-admin -- <email> <password> [--org-name NAME] [--name NAME]
//       against the running local twin (reads .vigil-local/state.json)
//   npm run create-admin -- <email> <password> --user-pool-id ID --table-name NAME --region R
//       against a deployed stack (its outputs), with the caller's AWS credentials
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { createCognitoIdentityProvider } from '../../shared/auth/identity-provider.ts';
import { Email } from '../../shared/domain/identifiers.ts';
import { PersonName } from '../../shared/domain/text.ts';
import { createTableClient } from '../../shared/data/table-client.ts';
import { createOrganisation } from '../../shared/services/user-service.ts';
import { readLocalState } from '../local/twin.ts';
import { REPO_ROOT } from '../local/lambda-runtime.ts';
import { LOCAL_CREDENTIALS } from '../local/local-aws.ts';

const usage =
  'usage: npm run create-admin -- <email> <password> [--org-name NAME] [--name NAME] [--user-pool-id ID --table-name NAME --region REGION]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'org-name': { type: 'string' },
    name: { type: 'string' },
    'user-pool-id': { type: 'string' },
    'table-name': { type: 'string' },
    region: { type: 'string' },
  },
});
const [email, password] = positionals;
if (email === undefined || password === undefined || positionals.length > 2) {
  console.error(usage);
  process.exit(2);
}

interface Target {
  readonly userPoolId: string;
  readonly tableName: string;
  readonly cognito: CognitoIdentityProviderClient;
  readonly dynamo: DynamoDBClient;
  readonly description: string;
}

async function resolveTarget(): Promise<Target> {
  const userPoolId = values['user-pool-id'];
  const tableName = values['table-name'];
  if (userPoolId !== undefined || tableName !== undefined) {
    if (userPoolId === undefined || tableName === undefined) throw new Error(`--user-pool-id and --table-name go together\n${usage}`);
    const region = values.region ?? userPoolId.split('_')[0];
    return {
      userPoolId,
      tableName,
      cognito: new CognitoIdentityProviderClient({ region }),
      dynamo: new DynamoDBClient({ region }),
      description: `user pool ${userPoolId} and table ${tableName} in ${region}`,
    };
  }
  const dataDir = process.env['VIGIL_LOCAL_DIR'] ?? join(REPO_ROOT, '.vigil-local');
  const state = await readLocalState(dataDir);
  if (state === undefined)
    throw new Error(`no local twin state in ${dataDir}: run \`npm start\` first, or pass --user-pool-id and --table-name`);
  const local = { region: state.region, credentials: LOCAL_CREDENTIALS };
  return {
    userPoolId: state.userPoolId,
    tableName: state.tableName,
    cognito: new CognitoIdentityProviderClient({ ...local, endpoint: state.cognitoEndpoint }),
    dynamo: new DynamoDBClient({ ...local, endpoint: state.dynamoDbEndpoint }),
    description: `the local twin (${state.userPoolId}, table ${state.tableName})`,
  };
}

try {
  const target = await resolveTarget();
  // The app client id is only needed to sign in, which this script does not do.
  const identity = createCognitoIdentityProvider(target.cognito, { userPoolId: target.userPoolId, clientId: '' });
  // The same checks the API applies to what people type.
  const checked = z.object({ email: Email, organisationName: PersonName, name: PersonName }).safeParse({
    email,
    organisationName: values['org-name'] ?? `${email.split('@')[1] ?? email} organisation`,
    name: values.name ?? email.split('@')[0] ?? email,
  });
  if (!checked.success) throw new Error(checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const { organisation, admin } = await createOrganisation(
    { table: createTableClient(target.tableName, target.dynamo), identity },
    { ...checked.data, password },
  );
  console.log(
    `Created organisation "${organisation.name}" (${organisation.orgId}) with admin ${admin.email} (${admin.userId}) in ${target.description}.`,
  );
} catch (error) {
  console.error(`create-admin failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exit(1);
}
