// Escalation: when a high-priority alert's time comes and nobody has acknowledged it, it is
// marked escalated (once) and the patient's clinicians and the organisation's admins are told,
// in the app and outside it. Invoked by the alert's one-time schedule.
import type { Actor } from '../audit/audit-entries.ts';
import type { Alert } from '../domain/alert.ts';
import { isEscalationTime } from '../domain/escalation.ts';
import { claimEscalation, completeEscalation, getAlert, releaseEscalation } from '../data/alert-store.ts';
import { listCareTeam } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { listUsersByRole } from '../data/user-store.ts';
import { type AlertDeliveryDependencies, alertViewFor } from './alert-service.ts';
import { notifyAbout } from './notification-service.ts';
import { deliverOutsideApp } from './outside-app-delivery.ts';

export type EscalationDependencies = AlertDeliveryDependencies;

/** A schedule may fire a moment before the instant it names; that is still on time. */
const EARLY_FIRING_TOLERANCE_MS = 5_000;

/** The admins an escalation reaches: an organisation has a handful, so the first page is all of them. */
const MAX_ESCALATION_ADMINS = 100;

export type EscalationOutcome = 'escalated' | 'not-found' | 'not-due';

async function escalationAudience(table: TableClient, alert: Alert): Promise<Actor[]> {
  const [team, admins] = await Promise.all([
    listCareTeam(table, alert.patientId),
    listUsersByRole(table, alert.orgId, 'admin', MAX_ESCALATION_ADMINS),
  ]);
  const clinicians = team
    .filter((member) => member.memberRole === 'clinician')
    .map((member): Actor => ({ userId: member.memberId, orgId: member.orgId, role: 'clinician' }));
  const enabledAdmins = admins
    .filter((admin) => admin.disabledAt === undefined)
    .map((admin): Actor => ({ userId: admin.userId, orgId: admin.orgId, role: 'admin' }));
  return [...clinicians, ...enabledAdmins];
}

/**
 * Escalates the alert if it is still due: claims it (which marks it escalated), tells everyone,
 * then completes the claim. A failure gives the claim back and throws, so the invocation's retry tells them again (some
 * may hear twice; nobody is left out).
 */
export async function escalateAlert(deps: EscalationDependencies, alertId: string): Promise<EscalationOutcome> {
  const now = deps.now?.() ?? new Date();
  const alert = await getAlert(deps.table, alertId);
  if (!alert) return 'not-found';
  if (!isEscalationTime(alert, new Date(now.getTime() + EARLY_FIRING_TOLERANCE_MS))) return 'not-due';
  // Acknowledged, resolved or already escalated: the claim fails, which is how acknowledging stops it.
  const escalatedAt = now.toISOString();
  const escalated = await claimEscalation(deps.table, alertId, escalatedAt, now.getTime());
  if (!escalated) return 'not-due';
  try {
    const audience = await escalationAudience(deps.table, escalated);
    await notifyAbout(
      deps,
      escalated.patientId,
      audience.map((recipient) => ({
        recipient,
        message: (seq: number) => ({
          type: 'alert.escalated' as const,
          seq,
          alertId: escalated.alertId,
          patientId: escalated.patientId,
          priority: escalated.priority,
          escalatedAt,
          // Admins run the organisation's people, not its patients' health: they learn that, not what.
          ...(recipient.role === 'clinician' ? { alert: alertViewFor(escalated, 'clinician') } : {}),
        }),
      })),
      escalated.alertId,
    );
    await deliverOutsideApp(
      deps,
      audience.map((recipient) => recipient.userId),
      'escalation',
    );
    await completeEscalation(deps.table, alertId);
  } catch (error) {
    await releaseEscalation(deps.table, alertId);
    throw error;
  }
  return 'escalated';
}
