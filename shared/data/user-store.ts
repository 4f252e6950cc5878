// Users and organisations.
//
// Key layout
//   user profile      pk USER#<userId>        sk PROFILE
//                     gsi1pk ORG#<orgId>#ROLE#<role>  gsi1sk USER#<userId>   (users of an org by role)
//   email claim       pk EMAIL#<email>        sk EMAIL   (makes an email unique across Vigil)
//   organisation      pk ORG#<orgId>          sk PROFILE
// userId is the Cognito `sub`, so a verified token leads straight to the profile.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../domain/roles.ts';
import { Organisation, User } from '../domain/user.ts';
import { careTeamMembershipPut } from './care-team-store.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { type TableClient, type TransactItems, transactWriteIfConditionsHold } from './table-client.ts';
import { parseItem } from './table-item.ts';

export const userKeys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  byOrgRole: (orgId: string, role: Role) => `ORG#${orgId}#ROLE#${role}`,
  email: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' }),
  organisation: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'PROFILE' }),
};

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

const parseUser = (item: Record<string, unknown>): User => parseItem('user', User, item);

function userItem(user: User) {
  return {
    ...userKeys.profile(user.userId),
    gsi1pk: userKeys.byOrgRole(user.orgId, user.role),
    gsi1sk: `USER#${user.userId}`,
    type: 'user',
    ...user,
  };
}

function newUserPuts(table: TableClient, user: User) {
  return [
    { Put: { TableName: table.tableName, Item: userItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: table.tableName,
        Item: { ...userKeys.email(user.email), type: 'email', userId: user.userId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

async function writeAtomically(table: TableClient, items: TransactItems, email: string) {
  if (!(await transactWriteIfConditionsHold(table, items))) throw new EmailTakenError(`a user with email ${email} already exists`);
}

/** An organisation and its first admin, written together so neither exists without the other. */
export async function createOrganisationWithAdmin(table: TableClient, organisation: Organisation, admin: User): Promise<void> {
  await writeAtomically(
    table,
    [
      {
        Put: {
          TableName: table.tableName,
          Item: { ...userKeys.organisation(organisation.orgId), type: 'organisation', ...organisation },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...newUserPuts(table, admin),
    ],
    admin.email,
  );
}

/** A new user; a patient joins their enrolling clinician's care team in the same write. */
export async function createUser(table: TableClient, user: User): Promise<void> {
  const careTeam =
    user.role === 'patient' && user.primaryClinicianId
      ? [
          {
            Put: {
              TableName: table.tableName,
              Item: careTeamMembershipPut({
                patientId: user.userId,
                memberId: user.primaryClinicianId,
                memberRole: 'clinician',
                orgId: user.orgId,
                addedAt: user.createdAt,
              }),
            },
          },
        ]
      : [];
  await writeAtomically(table, [...newUserPuts(table, user), ...careTeam], user.email);
}

export async function getUser(table: TableClient, userId: string): Promise<User | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.profile(userId) }));
  return Item ? parseUser(Item) : undefined;
}

export async function getOrganisation(table: TableClient, orgId: string): Promise<Organisation | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.organisation(orgId) }));
  return Item ? parseItem('organisation', Organisation, Item) : undefined;
}

export async function listUsersByRole(table: TableClient, orgId: string, role: Role, limit = 100): Promise<User[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: TABLE_INDEXES.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': userKeys.byOrgRole(orgId, role) },
      Limit: limit,
    }),
  );
  return Items.map(parseUser);
}
