// Care-team membership: who looks after a patient (clinicians) or shares their data
// (caregivers, with consent scopes).
//
// Key layout
//   membership   pk PATIENT#<patientId>  sk CARE#<memberId>          (a patient's care team)
//                gsi1pk MEMBER#<memberId>#PATIENTS  gsi1sk PATIENT#<patientId>   (a member's patients)
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_INDEXES } from './table-definition.ts';
import { queryAll, type TableClient } from './table-client.ts';

export type CareTeamRole = 'clinician' | 'caregiver';

export interface CareTeamMembership {
  patientId: string;
  memberId: string;
  memberRole: CareTeamRole;
  orgId: string;
  addedAt: string;
  /** Caregivers only: the metrics the patient consented to share. */
  scopes?: string[];
}

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

function strip(item: Record<string, unknown>): CareTeamMembership {
  const { patientId, memberId, memberRole, orgId, addedAt, scopes } = item as unknown as CareTeamMembership;
  return { patientId, memberId, memberRole, orgId, addedAt, ...(scopes ? { scopes } : {}) };
}

export async function getMembership(table: TableClient, patientId: string, memberId: string): Promise<CareTeamMembership | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: careTeamKeys.membership(patientId, memberId) }));
  return Item ? strip(Item) : undefined;
}

export async function listCareTeam(table: TableClient, patientId: string): Promise<CareTeamMembership[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
    ExpressionAttributeValues: { ':pk': careTeamKeys.patientPartition(patientId), ':care': careTeamKeys.teamPrefix },
  });
  return items.map(strip);
}

/** Every patient a member looks after. A clinician's panel is bounded (hundreds), so this reads all. */
export async function listPatientIdsOf(table: TableClient, memberId: string): Promise<string[]> {
  const items = await queryAll(table, {
    IndexName: TABLE_INDEXES.gsi1.indexName,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': careTeamKeys.patientsOf(memberId) },
    ProjectionExpression: 'patientId',
  });
  return items.map((item) => String(item['patientId']));
}
