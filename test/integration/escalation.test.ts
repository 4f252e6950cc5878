// Escalating an unacknowledged high-priority alert against DynamoDB Local: once, to the
// patient's clinicians with the alert and to the admins without it; not once acknowledged; and
// again on the retry of an invocation that could not tell everyone.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, getAlert, openOrRepeatAlert } from '../../shared/data/alert-store.ts';
import type { Notifier } from '../../shared/realtime/connection-notifier.ts';
import { escalateAlert } from '../../shared/services/escalation-service.ts';
import { recordingAlertDelivery } from '../support/fake-alert-delivery.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function overdueAlert() {
  const clinician = await storedClinician(table);
  const patient = await storedPatient(table, { orgId: clinician.orgId, primaryClinicianId: clinician.userId });
  const { alert } = await openOrRepeatAlert(table, {
    alertId: randomUUID(),
    patientId: patient.userId,
    orgId: clinician.orgId,
    cause: 'heart_rate.high',
    metric: 'heart_rate',
    priority: 'high',
    message: 'Heart rate 170 /min above the limit of 130 /min',
    firstSeenAt: minutesAgo(11),
    createdAt: minutesAgo(11),
    escalatesAt: minutesAgo(1),
  });
  return { alert, clinician };
}

describe('escalation (DynamoDB Local)', () => {
  it('escalates once, telling the clinicians with the alert', async () => {
    const { alert, clinician } = await overdueAlert();
    const { notifier, pushes } = recordingNotifier();
    const delivery = recordingAlertDelivery();
    expect(await escalateAlert({ table, notifier, outsideApp: delivery.outsideApp }, alert.alertId)).toBe('escalated');
    expect(await escalateAlert({ table, notifier, outsideApp: delivery.outsideApp }, alert.alertId)).toBe('not-due');
    expect(pushes).toEqual([
      expect.objectContaining({
        type: 'alert.escalated',
        alertId: alert.alertId,
        alert: expect.objectContaining({ alertId: alert.alertId }),
      }),
    ]);
    expect((await getAlert(table, alert.alertId))?.escalatedAt).toBeDefined();
    expect(clinician.role).toBe('clinician');
  });

  it('does not escalate an alert acknowledged first, nor one not yet due', async () => {
    const { alert, clinician } = await overdueAlert();
    await acknowledgeAlert(table, alert, clinician.userId, new Date().toISOString());
    const { notifier, pushes } = recordingNotifier();
    const delivery = recordingAlertDelivery();
    expect(await escalateAlert({ table, notifier, outsideApp: delivery.outsideApp }, alert.alertId)).toBe('not-due');
    const early = await overdueAlert();
    const tooEarly = () => new Date(Date.parse(early.alert.escalatesAt ?? '') - 60_000);
    expect(await escalateAlert({ table, notifier, outsideApp: delivery.outsideApp, now: tooEarly }, early.alert.alertId)).toBe('not-due');
    expect(pushes).toEqual([]);
  });

  it('tells everyone on the retry of an invocation that failed part-way', async () => {
    const { alert } = await overdueAlert();
    const { notifier, pushes } = recordingNotifier();
    let failing = true;
    const flaky: Notifier = {
      ...notifier,
      toUserInSequence: async (...args) => {
        if (failing) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
        return notifier.toUserInSequence(...args);
      },
    };
    const delivery = recordingAlertDelivery();
    await expect(escalateAlert({ table, notifier: flaky, outsideApp: delivery.outsideApp }, alert.alertId)).rejects.toThrow('throttled');
    // Nobody could be told: the alert does not say it escalated.
    expect(await getAlert(table, alert.alertId)).not.toHaveProperty('escalated');
    failing = false;
    expect(await escalateAlert({ table, notifier: flaky, outsideApp: delivery.outsideApp }, alert.alertId)).toBe('escalated');
    expect(pushes.filter((message) => message.type === 'alert.escalated')).toHaveLength(1);
  });
});
