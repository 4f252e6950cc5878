import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  acknowledgeAlert,
  AlertStateError,
  alertKeys,
  getAlert,
  openOrRepeatAlert,
  queryPatientAlerts,
  resolveAlert,
} from '../../shared/data/alert-store.ts';
import type { AlertDraft } from '../../shared/domain/alert.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const CLINICIAN = randomUUID();

function draft(patientId: string, overrides: Partial<AlertDraft> = {}): AlertDraft {
  return {
    alertId: randomUUID(),
    patientId,
    orgId: randomUUID(),
    cause: 'heart_rate.high',
    metric: 'heart_rate',
    priority: 'high',
    message: 'Heart rate 120 /min above the limit of 100 /min',
    firstValue: 120,
    limit: 100,
    firstSeenAt: '2026-11-22T04:00:00.000Z',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('alert store (DynamoDB Local)', () => {
  it('opens one alert per patient and cause and counts repeats on it', async () => {
    const patientId = randomUUID();
    const first = await openOrRepeatAlert(table, draft(patientId));
    const second = await openOrRepeatAlert(table, draft(patientId, { firstValue: 131, firstSeenAt: '2026-11-22T04:00:10.000Z' }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.alert).toMatchObject({
      alertId: first.alert.alertId,
      count: 2,
      firstValue: 120,
      lastValue: 131,
      lastSeenAt: '2026-11-22T04:00:10.000Z',
    });
    expect(await queryPatientAlerts(table, patientId, { status: 'open', limit: 10 })).toHaveLength(1);
  });

  it('opens exactly one alert when analyses race on the same cause', async () => {
    const patientId = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => openOrRepeatAlert(table, draft(patientId))));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const [alert] = await queryPatientAlerts(table, patientId, { limit: 10 });
    expect(alert?.count).toBe(8);
  });

  it('keeps different causes apart', async () => {
    const patientId = randomUUID();
    await openOrRepeatAlert(table, draft(patientId));
    const pause = await openOrRepeatAlert(table, draft(patientId, { cause: 'ecg.pause' }));
    expect(pause.created).toBe(true);
  });

  it('acknowledges an open alert once, moving it between status lists', async () => {
    const patientId = randomUUID();
    const { alert } = await openOrRepeatAlert(table, draft(patientId));
    const acknowledged = await acknowledgeAlert(table, alert, CLINICIAN, '2026-11-22T04:01:00.000Z');
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedBy: CLINICIAN });
    await expect(acknowledgeAlert(table, alert, CLINICIAN, '2026-11-22T04:02:00.000Z')).rejects.toThrow(AlertStateError);
    expect(await queryPatientAlerts(table, patientId, { status: 'open', limit: 10 })).toHaveLength(0);
    expect(await queryPatientAlerts(table, patientId, { status: 'acknowledged', limit: 10 })).toHaveLength(1);
  });

  it('repeats of an acknowledged cause update it instead of paging again', async () => {
    const patientId = randomUUID();
    const { alert } = await openOrRepeatAlert(table, draft(patientId));
    await acknowledgeAlert(table, alert, CLINICIAN, '2026-11-22T04:01:00.000Z');
    const repeat = await openOrRepeatAlert(table, draft(patientId));
    expect(repeat).toMatchObject({ created: false, alert: { alertId: alert.alertId, status: 'acknowledged', count: 2 } });
  });

  it('resolving frees the cause so the next breach opens a new alert', async () => {
    const patientId = randomUUID();
    const { alert } = await openOrRepeatAlert(table, draft(patientId));
    const resolved = await resolveAlert(table, alert, CLINICIAN, '2026-11-22T04:03:00.000Z');
    expect(resolved.status).toBe('resolved');
    expect((await getAlert(table, alert.alertId))?.status).toBe('resolved');
    await expect(resolveAlert(table, alert, CLINICIAN, '2026-11-22T04:04:00.000Z')).rejects.toThrow(AlertStateError);
    const next = await openOrRepeatAlert(table, draft(patientId));
    expect(next.created).toBe(true);
    expect(next.alert.alertId).not.toBe(alert.alertId);
  });

  it("pages a patient's alerts newest first from a position", async () => {
    const patientId = randomUUID();
    for (let i = 0; i < 5; i++) {
      await openOrRepeatAlert(table, draft(patientId, { cause: `cause-${i}`, createdAt: `2026-11-22T04:0${i}:00.000Z` }));
    }
    const firstPage = await queryPatientAlerts(table, patientId, { limit: 2 });
    expect(firstPage.map((alert) => alert.cause)).toEqual(['cause-4', 'cause-3']);
    const secondPage = await queryPatientAlerts(table, patientId, { limit: 2, before: alertKeys.order(firstPage[1]!) });
    expect(secondPage.map((alert) => alert.cause)).toEqual(['cause-2', 'cause-1']);
  });
});
