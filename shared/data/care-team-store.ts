// Care-team membership: who looks after a patient (clinicians) or shares their data
// (caregivers, with consent scopes).
//
// Key layout
//   membership   pk PATIENT#<patientId>  sk CARE#<memberId>          (a patient's care team)
//                gsi1pk MEMBER#<memberId>#PATIENTS  gsi1sk PATIENT#<patientId>   (a member's patients)
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CareTeamMembership } from '../domain/care-team.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { queryAll, type TableClient } from './table-client.ts';
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
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: careTeamKeys.membership(patientId, memberId) }));
  return Item ? parseMembership(Item) : undefined;
}

export async function listCareTeam(table: TableClient, patientId: string): Promise<CareTeamMembership[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
    ExpressionAttributeValues: { ':pk': careTeamKeys.patientPartition(patientId), ':care': careTeamKeys.teamPrefix },
  });
  return items.map(parseMembership);
}

/** Every patient a member looks after. A clinician's panel is bounded (hundreds), so this reads all. */
export async function listPatientIdsOf(table: TableClient, memberId: string): Promise<string[]> {
  const items = await queryAll(table, {
    IndexName: TABLE_INDEXES.gsi1.indexName,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': careTeamKeys.patientsOf(memberId) },
    ProjectionExpression: 'patientId',
  });
  return items.map((item) => parseItem('care-team membership', PatientOfMember, item).patientId);
}
