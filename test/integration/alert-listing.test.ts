// Listing alerts across a clinician's patients: merged newest first, paged with a cursor
// that only that clinician and those filters can use.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { openOrRepeatAlert } from '../../shared/data/alert-store.ts';
import { addMember } from '../../shared/data/care-team-store.ts';
import type { TableClient } from '../../shared/data/table-client.ts';
import { createUser } from '../../shared/data/user-store.ts';
import type { ConsentScope } from '../../shared/domain/consent.ts';
import { createCursorCodec } from '../../shared/data/paging-cursor.ts';
import { listAlerts } from '../../shared/services/alert-service.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const NOW = new Date().toISOString();
const deps = { table, notifier: recordingNotifier().notifier, cursors: createCursorCodec('integration-secret') };

async function clinicianWithPatients(count: number) {
  const clinician = await storedClinician(table);
  const patients: string[] = [];
  for (let i = 0; i < count; i++) {
    patients.push((await storedPatient(table, { orgId: clinician.orgId, primaryClinicianId: clinician.userId })).userId);
  }
  return { clinician, patients, orgId: clinician.orgId };
}

describe('listing alerts (DynamoDB Local)', () => {
  it("merges the clinician's patients newest first and pages to the end without repeats", async () => {
    const { clinician, patients, orgId } = await clinicianWithPatients(3);
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { alert } = await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId: patients[i % 3]!,
        orgId,
        cause: `cause-${i}`,
        priority: 'high',
        message: 'm',
        firstSeenAt: NOW,
        createdAt: `2026-11-22T04:00:0${i}.000Z`,
      });
      created.push(alert.alertId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAlerts(deps, clinician, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((alert) => alert.alertId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it("does not show another clinician's patients, and refuses their cursor", async () => {
    const mine = await clinicianWithPatients(1);
    const theirs = await clinicianWithPatients(1);
    for (let i = 0; i < 3; i++) {
      await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId: theirs.patients[0]!,
        orgId: theirs.orgId,
        cause: `c${i}`,
        priority: 'low',
        message: 'm',
        firstSeenAt: NOW,
        createdAt: `2026-11-22T05:00:0${i}.000Z`,
      });
    }
    expect((await listAlerts(deps, mine.clinician, {})).items).toEqual([]);
    const page = await listAlerts(deps, theirs.clinician, { limit: 1 });
    expect(page.nextCursor).toBeDefined();
    await expect(listAlerts(deps, mine.clinician, { limit: 1, cursor: page.nextCursor! })).rejects.toThrow(ValidationError);
  });

  it('reads a bounded number of times per page however rare a filter or consent makes matches, and still finds them by paging on', async () => {
    const { clinician, patients, orgId } = await clinicianWithPatients(1);
    const patientId = patients[0]!;
    const caregiver = await storedCaregiverOf(patientId, orgId, ['sos']);
    const raise = (cause: string, second: number) =>
      openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId,
        orgId,
        cause,
        ...(cause === 'sos' ? {} : { metric: 'heart_rate' as const }),
        priority: 'high',
        message: 'm',
        firstSeenAt: NOW,
        createdAt: new Date(Date.UTC(2026, 10, 22, 6) + second * 1000).toISOString(),
      });
    // The one SOS is the oldest alert, under 120 heart-rate alerts.
    await raise('sos', 0);
    for (let second = 1; second <= 120; second++) await raise(`heart_rate.high.${second}`, second);
    let queries = 0;
    const counting = {
      tableName: table.tableName,
      doc: {
        send: (command: unknown) => {
          if (command instanceof QueryCommand) queries++;
          return (table.doc.send as (sent: unknown) => Promise<unknown>)(command);
        },
      },
    } as unknown as TableClient;
    const countingDeps = { ...deps, table: counting };

    for (const [caller, request] of [
      [caregiver, { limit: 1 }],
      [clinician, { limit: 1, cause: 'sos' }],
    ] as const) {
      const found: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        queries = 0;
        const page = await listAlerts(countingDeps, caller, { ...request, ...(cursor ? { cursor } : {}) });
        // The caller's patients (one query), then at most four reads of the patient's index.
        expect(queries).toBeLessThanOrEqual(5);
        found.push(...page.items.map((alert) => alert.cause));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(found).toEqual(['sos']);
    }
  });

  it('never loses the alert at which a patient’s reading stopped', async () => {
    const { clinician, patients, orgId } = await clinicianWithPatients(1);
    for (let i = 0; i < 12; i++) {
      // Newest first, the 8th is the one SOS: with limit 1 (two a read), four reads end exactly on it.
      const position = 12 - i;
      await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId: patients[0]!,
        orgId,
        cause: position === 8 ? 'sos' : `heart_rate.high.${i}`,
        priority: 'high',
        message: 'm',
        firstSeenAt: NOW,
        createdAt: new Date(Date.UTC(2026, 10, 22, 7) + i * 1000).toISOString(),
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

async function storedCaregiverOf(patientId: string, orgId: string, scopes: ConsentScope[]) {
  const caregiver = await createUser(table, {
    userId: randomUUID(),
    orgId,
    role: 'caregiver',
    email: `caregiver-${randomUUID()}@example.org`,
    name: 'Kim',
    createdAt: NOW,
  });
  await addMember(table, { patientId, memberId: caregiver.userId, memberRole: 'caregiver', orgId, addedAt: NOW, scopes });
  return { userId: caregiver.userId, orgId, role: 'caregiver' as const };
}
