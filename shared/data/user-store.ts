// Users and organisations.
//
// Key layout
//   user profile      pk USER#<userId>        sk PROFILE
//                     gsi1pk ORG#<orgId>#ROLE#<role>  gsi1sk USER#<userId>   (users of an org by role)
//                     gsi2pk ORG#<orgId>#USERS        gsi2sk USER#<userId>   (every user of an org)
//                     patients carry clinicianCount: a care team never loses its last clinician;
//                     clinicians and caregivers carry patientCount, the care teams they are on,
//                     which must be 0 before their role changes or they are disabled
//   email claim       pk EMAIL#<email>        sk EMAIL   (makes an email unique across Vigil)
//   organisation      pk ORG#<orgId>          sk PROFILE
//                     enabledAdmins: an organisation never loses its last enabled admin
// userId is the Cognito `sub`, so a verified token leads straight to the profile. The two
// counters are changed only inside the transaction that changes what they count, under a
// condition that keeps them at one or more, so concurrent removals cannot both pass.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import { type NotifyPreferences, Organisation, User } from '../domain/user.ts';
import { membershipAddition } from './care-team-store.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { userKeys } from './user-keys.ts';
import {
  batchGetAll,
  guardedCounterChange,
  queryPage,
  type QueryPage,
  type TableClient,
  type TransactItems,
  transactWriteIfConditionsHold,
  updateIfConditionHolds,
} from './table-client.ts';
import { parseItem } from './table-item.ts';

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

/** The clinician a new patient was to join was disabled or moved to another role meanwhile. */
export class EnrolmentRefusedError extends Error {
  override name = 'EnrolmentRefusedError';
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

/** The organisation's count of enabled admins. */
const adminCountChange = (table: TableClient, orgId: string, delta: 1 | -1) =>
  guardedCounterChange(table, userKeys.organisation(orgId), 'enabledAdmins', delta);

/** True in a condition when the user is on no care team (the counter may never have been written). */
const ON_NO_CARE_TEAM = '(attribute_not_exists(patientCount) OR patientCount = :zero)';

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
  const careTeam =
    user.role === 'patient' && user.primaryClinicianId
      ? membershipAddition(
          table,
          {
            patientId: user.userId,
            memberId: user.primaryClinicianId,
            memberRole: 'clinician',
            orgId: user.orgId,
            addedAt: user.createdAt,
          },
          { patientIsNew: true },
        )
      : [];
  const admins = user.role === 'admin' ? [adminCountChange(table, user.orgId, 1)] : [];
  if (await transactWriteIfConditionsHold(table, [...newUserPuts(table, user), ...careTeam, ...admins])) return user;
  const { Item: claim } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: userKeys.email(user.email), ConsistentRead: true }),
  );
  if (claim) throw new EmailTakenError(`a user with email ${user.email} already exists`);
  throw new EnrolmentRefusedError(`clinician ${user.primaryClinicianId ?? ''} is disabled or no longer a clinician`);
}

export async function getUser(table: TableClient, userId: string): Promise<User | undefined> {
  // Consistent: who a caller is, and whether their account is still enabled, decides every request.
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: userKeys.profile(userId), ConsistentRead: true }),
  );
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
  notify?: NotifyPreferences;
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
 * organisation's admin count. False when the user changed meanwhile, is still on a care team,
 * or the change would leave the organisation without an enabled admin.
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
        // A clinician still on a care team would keep receiving its patients' alerts.
        ConditionExpression: `#role = :from AND attribute_not_exists(disabledAt) AND ${ON_NO_CARE_TEAM}`,
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':to': to, ':from': user.role, ':index': userKeys.byOrgRole(user.orgId, to), ':zero': 0 },
      },
    },
    ...counts,
  ]);
}

/**
 * Marks a user disabled. False when they already were, when their role is no longer `user.role`
 * (the admin count must move with the role they really have), when they are still on a care
 * team, or when they are the organisation's last enabled admin.
 */
export async function disableUser(table: TableClient, user: User, by: string, at: string): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Update: {
        TableName: table.tableName,
        Key: userKeys.profile(user.userId),
        UpdateExpression: 'SET disabledAt = :at, disabledBy = :by',
        // A member must have left every care team first: no alert may go to a disabled account.
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(disabledAt) AND #role = :role AND ${ON_NO_CARE_TEAM}`,
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':at': at, ':by': by, ':role': user.role, ':zero': 0 },
      },
    },
    ...(user.role === 'admin' ? [adminCountChange(table, user.orgId, -1)] : []),
  ]);
}

/**
 * Removes the records of an account that was never used (an invitation nobody accepted): its
 * profile and its email claim. False when it is on a care team again.
 */
export async function deleteUnusedUser(table: TableClient, user: User): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Delete: {
        TableName: table.tableName,
        Key: userKeys.profile(user.userId),
        ConditionExpression: ON_NO_CARE_TEAM,
        ExpressionAttributeValues: { ':zero': 0 },
      },
    },
    { Delete: { TableName: table.tableName, Key: userKeys.email(user.email) } },
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

export { userKeys };
