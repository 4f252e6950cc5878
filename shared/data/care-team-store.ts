// Care-team membership: who looks after a patient (clinicians) or shares their data
// (caregivers, with consent scopes).
//
// Key layout
//   membership   pk PATIENT#<patientId>  sk CARE#<memberId>          (a patient's care team)
//                gsi1pk MEMBER#<memberId>#PATIENTS  gsi1sk PATIENT#<patientId>   (a member's patients)
// Adding or removing a clinician moves the patient's clinicianCount in the same transaction
// (user-store), so the last clinician cannot be removed, even by two removals racing.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CareTeamMembership } from '../domain/care-team.ts';
import type { ConsentScope } from '../domain/consent.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import {
  isConditionFailure,
  queryAll,
  queryPage,
  type TableClient,
  type TransactItems,
  transactWriteIfConditionsHold,
  updateIfConditionHolds,
} from './table-client.ts';
import { parseItem } from './table-item.ts';

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
  const items = await queryAll(table, {
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

/** A page of the patients a member looks after, in id order. */
export async function listPatientIdsOfPage(table: TableClient, memberId: string, limit: number, startKey?: Record<string, unknown>) {
  const page = await queryPage(table, patientsOfQuery(memberId), limit, startKey);
  return {
    patientIds: page.items.map((item) => parseItem('care-team membership', PatientOfMember, item).patientId),
    ...(page.nextKey ? { nextKey: page.nextKey } : {}),
  };
}

/** Adds a member; false when they are on the team already. A clinician counts towards the patient's clinicians. */
export async function addMember(
  table: TableClient,
  membership: CareTeamMembership,
  countClinician: (patientId: string, delta: 1 | -1) => TransactItems[number],
): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Put: { TableName: table.tableName, Item: careTeamMembershipPut(membership), ConditionExpression: 'attribute_not_exists(pk)' },
    },
    ...(membership.memberRole === 'clinician' ? [countClinician(membership.patientId, 1)] : []),
  ]);
}

/**
 * Removes a member; false when they were not on the team any more, or when they are the
 * patient's last clinician.
 */
export async function removeMember(
  table: TableClient,
  membership: Pick<CareTeamMembership, 'patientId' | 'memberId' | 'memberRole'>,
  countClinician: (patientId: string, delta: 1 | -1) => TransactItems[number],
): Promise<boolean> {
  if (membership.memberRole === 'caregiver') {
    try {
      await table.doc.send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: careTeamKeys.membership(membership.patientId, membership.memberId),
          // A clinician's membership must go through the counted removal below.
          ConditionExpression: 'memberRole = :caregiver',
          ExpressionAttributeValues: { ':caregiver': 'caregiver' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
  return transactWriteIfConditionsHold(table, [
    {
      Delete: {
        TableName: table.tableName,
        Key: careTeamKeys.membership(membership.patientId, membership.memberId),
        ConditionExpression: 'memberRole = :clinician',
        ExpressionAttributeValues: { ':clinician': 'clinician' },
      },
    },
    countClinician(membership.patientId, -1),
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
