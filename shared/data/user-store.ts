// Users and organisations.
//
// Key layout
//   user profile      pk USER#<userId>        sk PROFILE
//                     gsi1pk ORG#<orgId>#ROLE#<role>  gsi1sk USER#<userId>   (users of an org by role)
//                     gsi2pk ORG#<orgId>#USERS        gsi2sk USER#<userId>   (every user of an org)
//                     patients also carry clinicianCount: a care team never loses its last clinician
//   email claim       pk EMAIL#<email>        sk EMAIL   (makes an email unique across Vigil)
//   organisation      pk ORG#<orgId>          sk PROFILE
//                     enabledAdmins: an organisation never loses its last enabled admin
// userId is the Cognito `sub`, so a verified token leads straight to the profile. The two
// counters are changed only inside the transaction that changes what they count, under a
// condition that keeps them at one or more, so concurrent removals cannot both pass.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import { Organisation, User } from '../domain/user.ts';
import { careTeamMembershipPut } from './care-team-store.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import {
  batchGetAll,
  queryPage,
  type QueryPage,
  type TableClient,
  type TransactItems,
  transactWriteIfConditionsHold,
  updateIfConditionHolds,
} from './table-client.ts';
import { parseItem } from './table-item.ts';

export const userKeys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  byOrgRole: (orgId: string, role: Role) => `ORG#${orgId}#ROLE#${role}`,
  ofOrg: (orgId: string) => `ORG#${orgId}#USERS`,
  userSort: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' }),
  organisation: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'PROFILE' }),
};

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

/** A user as a caller hands it to the store: defaults (time zone) not yet applied. */
export type UserRecord = z.input<typeof User>;

const parseUser = (item: Record<string, unknown>): User => parseItem('user', User, item);

function userItem(user: User) {
  return {
    ...userKeys.profile(user.userId),
    gsi1pk: userKeys.byOrgRole(user.orgId, user.role),
    gsi1sk: userKeys.userSort(user.userId),
    gsi2pk: userKeys.ofOrg(user.orgId),
    gsi2sk: userKeys.userSort(user.userId),
    type: 'user',
    ...user,
    ...(user.role === 'patient' ? { clinicianCount: user.primaryClinicianId ? 1 : 0 } : {}),
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

/**
 * A counter on `key` moved by `delta`, inside a transaction; a decrement must leave at least
 * one, so two removals racing each other cannot both pass.
 */
function guardedCountChange(table: TableClient, key: Record<string, string>, counter: string, delta: 1 | -1): TransactItems[number] {
  return {
    Update: {
      TableName: table.tableName,
      Key: key,
      UpdateExpression: 'ADD #counter :delta',
      ConditionExpression: delta < 0 ? '#counter > :one' : 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: delta < 0 ? { ':delta': delta, ':one': 1 } : { ':delta': delta },
    },
  };
}

/** The organisation's count of enabled admins. */
const adminCountChange = (table: TableClient, orgId: string, delta: 1 | -1) =>
  guardedCountChange(table, userKeys.organisation(orgId), 'enabledAdmins', delta);

/** The patient's count of clinicians on their care team. */
export const clinicianCountChange = (table: TableClient, patientId: string, delta: 1 | -1) =>
  guardedCountChange(table, userKeys.profile(patientId), 'clinicianCount', delta);

async function writeAtomically(table: TableClient, items: TransactItems, email: string) {
  if (!(await transactWriteIfConditionsHold(table, items))) throw new EmailTakenError(`a user with email ${email} already exists`);
}

/** An organisation and its first admin, written together so neither exists without the other. */
export async function createOrganisationWithAdmin(table: TableClient, organisation: Organisation, admin: UserRecord): Promise<void> {
  const user = User.parse(admin);
  await writeAtomically(
    table,
    [
      {
        Put: {
          TableName: table.tableName,
          Item: { ...userKeys.organisation(organisation.orgId), type: 'organisation', ...organisation, enabledAdmins: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...newUserPuts(table, user),
    ],
    user.email,
  );
}

/** A new user; a patient joins their enrolling clinician's care team in the same write. */
export async function createUser(table: TableClient, record: UserRecord): Promise<User> {
  const user = User.parse(record);
  const careTeam: TransactItems =
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
  const admins = user.role === 'admin' ? [adminCountChange(table, user.orgId, 1)] : [];
  await writeAtomically(table, [...newUserPuts(table, user), ...careTeam, ...admins], user.email);
  return user;
}

export async function getUser(table: TableClient, userId: string): Promise<User | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.profile(userId) }));
  return Item ? parseUser(Item) : undefined;
}

/** The users of `userIds` that exist, in no particular order. */
export async function getUsers(table: TableClient, userIds: readonly string[]): Promise<User[]> {
  const items = await batchGetAll(
    table,
    [...new Set(userIds)].map((userId) => userKeys.profile(userId)),
  );
  return items.map(parseUser);
}

/** The user with this email, if any (email claims are global, so the caller checks the organisation). */
export async function getUserIdByEmail(table: TableClient, email: string): Promise<string | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.email(email) }));
  return typeof Item?.['userId'] === 'string' ? Item['userId'] : undefined;
}

export async function getOrganisation(table: TableClient, orgId: string): Promise<Organisation | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.organisation(orgId) }));
  return Item ? parseItem('organisation', Organisation, Item) : undefined;
}

export interface UserPage {
  users: User[];
  nextKey?: Record<string, unknown>;
}

/** A page of an organisation's users, of one role or of all, in id order. */
export async function listUsersPage(
  table: TableClient,
  orgId: string,
  role: Role | undefined,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<UserPage> {
  const index = role === undefined ? TABLE_INDEXES.gsi2 : TABLE_INDEXES.gsi1;
  const page: QueryPage = await queryPage(
    table,
    {
      IndexName: index.indexName,
      KeyConditionExpression: `${index.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': role === undefined ? userKeys.ofOrg(orgId) : userKeys.byOrgRole(orgId, role) },
    },
    limit,
    startKey,
  );
  return { users: page.items.map(parseUser), ...(page.nextKey ? { nextKey: page.nextKey } : {}) };
}

export async function listUsersByRole(table: TableClient, orgId: string, role: Role, limit = 100): Promise<User[]> {
  return (await listUsersPage(table, orgId, role, limit)).users;
}

/** The fields a profile edit may change; `phone: null` removes the number. */
export interface ProfileChanges {
  name?: string;
  phone?: string | null;
  timeZone?: string;
}

/** Applies `changes` to an existing profile and returns it as it now is. */
export async function updateProfile(table: TableClient, userId: string, changes: ProfileChanges): Promise<User | undefined> {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) remove.push(`#${field}`);
    else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  if (set.length + remove.length === 0) return getUser(table, userId);
  const item = await updateIfConditionHolds(table, {
    Key: userKeys.profile(userId),
    UpdateExpression: [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].join(' ').trim(),
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  });
  return item ? parseUser(item) : undefined;
}

/**
 * Moves a user to another role: the profile and its role index in one write, with the
 * organisation's admin count. False when the user changed meanwhile or the change would
 * leave the organisation without an enabled admin.
 */
export async function changeRole(table: TableClient, user: User, to: Role): Promise<boolean> {
  const counts: TransactItems = [
    ...(user.role === 'admin' ? [adminCountChange(table, user.orgId, -1)] : []),
    ...(to === 'admin' ? [adminCountChange(table, user.orgId, 1)] : []),
  ];
  return transactWriteIfConditionsHold(table, [
    {
      Update: {
        TableName: table.tableName,
        Key: userKeys.profile(user.userId),
        UpdateExpression: 'SET #role = :to, gsi1pk = :index',
        ConditionExpression: '#role = :from AND attribute_not_exists(disabledAt)',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':to': to, ':from': user.role, ':index': userKeys.byOrgRole(user.orgId, to) },
      },
    },
    ...counts,
  ]);
}

/**
 * Marks a user disabled. False when they already were, when their role is no longer `user.role`
 * (the admin count must move with the role they really have), or when they are the
 * organisation's last enabled admin.
 */
export async function disableUser(table: TableClient, user: User, by: string, at: string): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Update: {
        TableName: table.tableName,
        Key: userKeys.profile(user.userId),
        UpdateExpression: 'SET disabledAt = :at, disabledBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(disabledAt) AND #role = :role',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':at': at, ':by': by, ':role': user.role },
      },
    },
    ...(user.role === 'admin' ? [adminCountChange(table, user.orgId, -1)] : []),
  ]);
}

/** How many clinicians each of `patientIds` has on their care team. */
export async function clinicianCounts(table: TableClient, patientIds: readonly string[]): Promise<Map<string, number>> {
  const items = await batchGetAll(
    table,
    [...new Set(patientIds)].map((patientId) => userKeys.profile(patientId)),
  );
  return new Map(items.map((item) => [String(item['userId']), Number(item['clinicianCount'] ?? 0)]));
}
