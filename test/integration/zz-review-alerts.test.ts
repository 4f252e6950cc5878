import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openOrRepeatAlert } from '../../shared/data/alert-store.ts';
import { createCursorCodec } from '../../shared/data/paging-cursor.ts';
import { listAlerts } from '../../shared/services/alert-service.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const deps = { table, notifier: recordingNotifier().notifier, cursors: createCursorCodec('integration-secret') };

describe('review: alert list paging', () => {
  it('never loses the alert at which a patient reading stopped (the 4th read’s last item)', async () => {
    const clinician = await storedClinician(table);
    const patientId = (await storedPatient(table, { orgId: clinician.orgId, primaryClinicianId: clinician.userId })).userId;
    // limit 1 → each read evaluates 2; four reads evaluate the 8 newest. The 8th newest is the only 'sos'.
    for (let i = 0; i < 12; i++) {
      const position = 12 - i; // 1 = newest
      await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId,
        orgId: clinician.orgId,
        cause: position === 8 ? 'sos' : `heart_rate.high.${i}`,
        priority: 'high',
        message: 'm',
        firstSeenAt: '2026-11-22T06:00:00.000Z',
        createdAt: new Date(Date.UTC(2026, 10, 22, 6) + i * 1000).toISOString(),
      });
    }
    const found: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAlerts(deps, clinician, { limit: 1, cause: 'sos', ...(cursor ? { cursor } : {}) });
      found.push(...page.items.map((alert) => alert.cause));
      cursor = page.nextCursor;
    } while (cursor && ++pages < 50);
    expect(found).toEqual(['sos']);
  });
});
