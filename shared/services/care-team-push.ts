// Pushing a patient's data to the people allowed to see it, and recording each push in the
// audit trail before it is sent. Who may see a message is decided here, from the care team as
// it is at push time, so a revoked consent stops the very next push.
import type { NotificationMessage, ServerMessage } from '../api/websocket-messages.ts';
import { type Actor, pushEntries } from '../audit/audit-entries.ts';
import { scopesOf } from '../domain/care-team.ts';
import { type ConsentNeed, consentCovers } from '../domain/consent.ts';
import { writeAuditEntries } from '../data/audit-store.ts';
import { listCareTeam } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import type { Delivery, Notifier } from '../realtime/connection-notifier.ts';
import { notifyAbout } from './notification-service.ts';

export interface CareTeamPushDependencies {
  table: TableClient;
  notifier: Notifier;
  /** The invocation the push happens in, for its audit entries. */
  requestId?: string;
  now?: () => Date;
}

interface PatientRef {
  patientId: string;
  orgId: string;
}

/**
 * The patient's clinicians, and the caregivers whose consent covers `need`; the patient too when
 * asked. Every member is an enabled account of the role it joined as: the store lets nobody join
 * while disabled or as another role, and disables or moves nobody still on a team.
 */
async function audienceOf(table: TableClient, patient: PatientRef, need: ConsentNeed, withPatient: boolean): Promise<Actor[]> {
  const team = await listCareTeam(table, patient.patientId);
  const members = team
    .filter((member) => member.memberRole === 'clinician' || consentCovers(scopesOf(member), need))
    .map((member): Actor => ({ userId: member.memberId, orgId: member.orgId, role: member.memberRole }));
  return withPatient ? [{ userId: patient.patientId, orgId: patient.orgId, role: 'patient' }, ...members] : members;
}

async function audit(
  deps: CareTeamPushDependencies,
  patient: PatientRef,
  recipients: readonly Actor[],
  message: ServerMessage,
  objectId?: string,
) {
  if (recipients.length === 0) return;
  await writeAuditEntries(
    deps.table,
    pushEntries({
      recipients,
      messageType: message.type,
      patientId: patient.patientId,
      ...(objectId === undefined ? {} : { objectId }),
      requestId: deps.requestId ?? 'unknown',
      at: (deps.now?.() ?? new Date()).toISOString(),
    }),
  );
}

/**
 * Tells the care team members `need` allows (the patient is not paged): each gets the message
 * stored as a notification under their own next number and pushed to their live connections.
 * `message` builds what one recipient is sent.
 */
export async function notifyCareTeam(
  deps: CareTeamPushDependencies,
  patient: PatientRef,
  need: ConsentNeed,
  message: (recipient: Actor, seq: number) => NotificationMessage,
  objectId?: string,
) {
  const recipients = await audienceOf(deps.table, patient, need, false);
  return notifyAbout(
    deps,
    patient.patientId,
    recipients.map((recipient) => ({ recipient, message: (seq: number) => message(recipient, seq) })),
    objectId,
  );
}

/** Pushes to the connections watching the patient whose users `need` allows, the patient included. */
export async function pushToWatchers(
  deps: CareTeamPushDependencies,
  patient: PatientRef,
  need: ConsentNeed,
  message: ServerMessage,
  objectId?: string,
): Promise<Delivery> {
  return deps.notifier.toPatientSubscribers(patient.patientId, message, async (watchers) => {
    const audience = await audienceOf(deps.table, patient, need, true);
    const recipients = audience.filter((actor) => watchers.includes(actor.userId));
    await audit(deps, patient, recipients, message, objectId);
    return new Set(recipients.map((recipient) => recipient.userId));
  });
}
