// Care-team membership: who looks after a patient (clinicians) or shares their data
// (caregivers, with consent scopes).
//
// Key layout
//   membership   pk PATIENT#<patientId>  sk CARE#<memberId>          (a patient's care team)
//                gsi1pk MEMBER#<memberId>#PATIENTS  gsi1sk PATIENT#<patientId>   (a member's patients)
// Adding or removing a member moves, in the same transaction, the member's patientCount and
// for a clinician the patient's clinicianCount (user-store): the last clinician cannot be
// removed, even by two removals racing, and nobody is added while being disabled or moved to
// another role, nor disabled or moved while still on a team.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CareTeamMembership } from '../domain/care-team.ts';
import type { ConsentScope } from '../domain/consent.ts';
import type { Role } from '../domain/roles.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import {
  batchGetAll,
  guardedCounterChange,
  queryAll,
  queryPage,
  type TableClient,
  type TransactItems,
  transactWriteIfConditionsHold,
  updateIfConditionHolds,
} from './table-client.ts';
import { parseItem } from './table-item.ts';
import { userKeys } from './user-keys.ts';

export const careTeamKeys = {
  membership: (patientId: string, memberId: string) => ({ pk: `PATIENT#${patientId}`, sk: `CARE#${memberId}` }),
  teamPrefix: 'CARE#',
  patientPartition: (patientId: string) => `PATIENT#${patientId}`,
  patientsOf: (memberId: string) => `MEMBER#${memberId}#PATIENTS`,
};

export function careTeamMembershipPut(membership: CareTeamMembership) {
  return {
    ...careTeamKeys.membership(membership.patientId, membership.memberId),
    gsi1pk: careTeamKeys.patientsOf(membership.memberId),
    gsi1sk: `PATIENT#${membership.patientId}`,
    type: 'careTeam',
    ...membership,
  };
}

const PatientOfMember = CareTeamMembership.pick({ patientId: true });

const parseMembership = (item: Record<string, unknown>): CareTeamMembership => parseItem('care-team membership', CareTeamMembership, item);

export async function getMembership(table: TableClient, patientId: string, memberId: string): Promise<CareTeamMembership | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: careTeamKeys.membership(patientId, memberId), ConsistentRead: true }),
  );
  return Item ? parseMembership(Item) : undefined;
}

export async function listCareTeam(table: TableClient, patientId: string): Promise<CareTeamMembership[]> {
  // Consistent: who hears about the patient is decided from it, so a revocation counts at once.
  const items = await queryAll(table, {
    ConsistentRead: true,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
    ExpressionAttributeValues: { ':pk': careTeamKeys.patientPartition(patientId), ':care': careTeamKeys.teamPrefix },
  });
  return items.map(parseMembership);
}

const patientsOfQuery = (memberId: string) => ({
  IndexName: TABLE_INDEXES.gsi1.indexName,
  KeyConditionExpression: 'gsi1pk = :pk',
  ExpressionAttributeValues: { ':pk': careTeamKeys.patientsOf(memberId) },
  ProjectionExpression: 'patientId',
});

/** Every patient a member looks after. A clinician's panel is bounded (hundreds), so this reads all. */
export async function listPatientIdsOf(table: TableClient, memberId: string): Promise<string[]> {
  const items = await queryAll(table, patientsOfQuery(memberId));
  return items.map((item) => parseItem('care-team membership', PatientOfMember, item).patientId);
}

/** The member's memberships of these patients (consistent: a revocation counts at once); missing ones are absent. */
export async function getMembershipsOfMember(
  table: TableClient,
  memberId: string,
  patientIds: readonly string[],
): Promise<Map<string, CareTeamMembership>> {
  const items = await batchGetAll(
    table,
    [...new Set(patientIds)].map((patientId) => careTeamKeys.membership(patientId, memberId)),
    { consistent: true },
  );
  return new Map(items.map(parseMembership).map((membership) => [membership.patientId, membership]));
}

/** Every membership of a member, with its consent scopes: what a caregiver may see of each patient. */
export async function listMembershipsOf(table: TableClient, memberId: string): Promise<CareTeamMembership[]> {
  const { ProjectionExpression: _all, ...query } = patientsOfQuery(memberId);
  return (await queryAll(table, query)).map(parseMembership);
}

/** A page of the patients a member looks after, in id order. */
export async function listPatientIdsOfPage(table: TableClient, memberId: string, limit: number, startKey?: Record<string, unknown>) {
  const page = await queryPage(table, patientsOfQuery(memberId), limit, startKey);
  return {
    patientIds: page.items.map((item) => parseItem('care-team membership', PatientOfMember, item).patientId),
    ...(page.nextKey ? { nextKey: page.nextKey } : {}),
  };
}

/** The patient's count of clinicians on their care team, on their profile. */
export const clinicianCountChange = (table: TableClient, patientId: string, delta: 1 | -1) =>
  guardedCounterChange(table, userKeys.profile(patientId), 'clinicianCount', delta);

/**
 * A member's count of care teams, on their profile, moved as they join (only while their account
 * is enabled and still has the role they join as) or leave one.
 */
export function memberCountChange(table: TableClient, memberId: string, role: Role, delta: 1 | -1): TransactItems[number] {
  return {
    Update: {
      TableName: table.tableName,
      Key: userKeys.profile(memberId),
      UpdateExpression: 'ADD patientCount :delta',
      ConditionExpression: delta > 0 ? '#role = :role AND attribute_not_exists(disabledAt)' : 'attribute_exists(pk)',
      ...(delta > 0 ? { ExpressionAttributeNames: { '#role': 'role' } } : {}),
      ExpressionAttributeValues: delta > 0 ? { ':delta': delta, ':role': role } : { ':delta': delta },
    },
  };
}

/**
 * What putting a member on a care team writes: the membership, the member's count of care
 * teams (only while their account is enabled and has the role they join as), and for a
 * clinician the patient's count of clinicians, unless the patient is being created with it.
 */
export function membershipAddition(
  table: TableClient,
  membership: CareTeamMembership,
  { patientIsNew = false }: { patientIsNew?: boolean } = {},
): TransactItems {
  return [
    { Put: { TableName: table.tableName, Item: careTeamMembershipPut(membership), ConditionExpression: 'attribute_not_exists(pk)' } },
    memberCountChange(table, membership.memberId, membership.memberRole, 1),
    ...(membership.memberRole === 'clinician' && !patientIsNew ? [clinicianCountChange(table, membership.patientId, 1)] : []),
  ];
}

/** Adds a member; false when they are on the team already, or their account is disabled or has another role. */
export async function addMember(table: TableClient, membership: CareTeamMembership): Promise<boolean> {
  return transactWriteIfConditionsHold(table, membershipAddition(table, membership));
}

/**
 * Removes a member; false when they were not on the team (as this kind of member) any more, or
 * when they are the patient's last clinician.
 */
export async function removeMember(
  table: TableClient,
  membership: Pick<CareTeamMembership, 'patientId' | 'memberId' | 'memberRole'>,
): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Delete: {
        TableName: table.tableName,
        Key: careTeamKeys.membership(membership.patientId, membership.memberId),
        ConditionExpression: 'memberRole = :role',
        ExpressionAttributeValues: { ':role': membership.memberRole },
      },
    },
    memberCountChange(table, membership.memberId, membership.memberRole, -1),
    ...(membership.memberRole === 'clinician' ? [clinicianCountChange(table, membership.patientId, -1)] : []),
  ]);
}

/** Replaces a caregiver's scopes; undefined when they are not the patient's caregiver. */
export async function setCaregiverScopes(
  table: TableClient,
  patientId: string,
  caregiverId: string,
  change: { scopes: readonly ConsentScope[]; by: string; at: string },
): Promise<CareTeamMembership | undefined> {
  const item = await updateIfConditionHolds(table, {
    Key: careTeamKeys.membership(patientId, caregiverId),
    UpdateExpression: 'SET scopes = :scopes, scopesChangedAt = :at, scopesChangedBy = :by',
    ConditionExpression: 'memberRole = :caregiver',
    ExpressionAttributeValues: { ':scopes': [...change.scopes], ':at': change.at, ':by': change.by, ':caregiver': 'caregiver' },
  });
  return item ? parseMembership(item) : undefined;
}
