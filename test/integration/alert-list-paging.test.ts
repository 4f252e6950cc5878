// Paging the alert list over a random mix of four patients (one with many alerts a filter or
// consent drops), as a clinician and as a caregiver with a different consent per patient: every
// alert the caller may see appears once, newest first, whatever the filters and page size.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { acknowledgeAlert, openOrRepeatAlert, resolveAlert, alertKeys } from '../../shared/data/alert-store.ts';
import { addMember } from '../../shared/data/care-team-store.ts';
import { createUser } from '../../shared/data/user-store.ts';
import { createCursorCodec } from '../../shared/data/paging-cursor.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import type { ConsentScope } from '../../shared/domain/consent.ts';
import { alertNeed, consentCovers } from '../../shared/domain/consent.ts';
import { listAlerts, type AlertListRequest } from '../../shared/services/alert-service.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const deps = { table, notifier: recordingNotifier().notifier, cursors: createCursorCodec('integration-secret') };
/** A fixed pseudo-random sequence, so a failure repeats. */
let seed = 12345;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

describe('alert list paging (DynamoDB Local)', () => {
  it('pages every alert the caller may see exactly once, newest first, for every filter, page size and kind of caller', async () => {
    const clinician = await storedClinician(table);
    const orgId = clinician.orgId;
    const patients: string[] = [];
    for (let i = 0; i < 4; i++) patients.push((await storedPatient(table, { orgId, primaryClinicianId: clinician.userId })).userId);
    const caregiver = await createUser(table, {
      userId: randomUUID(),
      orgId,
      role: 'caregiver',
      email: `cg-${randomUUID()}@e.org`,
      name: 'K',
      createdAt: new Date().toISOString(),
    });
    const scopes: ConsentScope[][] = [['sos'], ['alerts', 'vitals:*'], ['ecg', 'alerts']];
    for (let i = 0; i < 3; i++)
      await addMember(table, {
        patientId: patients[i]!,
        memberId: caregiver.userId,
        memberRole: 'caregiver',
        orgId,
        addedAt: new Date().toISOString(),
        scopes: scopes[i]!,
      });
    const cg = { userId: caregiver.userId, orgId, role: 'caregiver' as const };
    const all: Alert[] = [];
    const bases = [
      { cause: 'sos' },
      { cause: 'heart_rate.high', metric: 'heart_rate' as const },
      { cause: 'ecg.afib' },
      { cause: 'device.battery_low' },
    ];
    const weights = [60, 8, 25, 15]; // patient 0 has many mostly non-sos alerts
    let t = 0;
    const counts = [0, 0, 0, 0];
    const total = weights.reduce((a, b) => a + b);
    while (counts.some((c, i) => c < weights[i]!)) {
      const p = Math.floor(rnd() * 4);
      if (counts[p]! >= weights[p]!) continue;
      counts[p]!++;
      const base = p === 0 ? (rnd() < 0.1 ? bases[0]! : bases[1 + Math.floor(rnd() * 3)]!) : bases[Math.floor(rnd() * 4)]!;
      const roll = rnd();
      const stays = roll < 0.3;
      const { alert } = await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId: patients[p]!,
        orgId,
        cause: stays ? `${base.cause}.${t}` : base.cause,
        ...('metric' in base ? { metric: base.metric } : {}),
        priority: rnd() < 0.5 ? 'high' : 'low',
        message: 'm',
        firstSeenAt: '2026-01-01T00:00:00.000Z',
        createdAt: new Date(Date.UTC(2026, 0, 1) + t++ * 60_000).toISOString(),
      });
      let final = alert;
      if (stays && roll < 0.15) final = await acknowledgeAlert(table, alert, clinician.userId, alert.createdAt);
      if (!stays) final = await resolveAlert(table, alert, clinician.userId, alert.createdAt);
      all.push(final);
    }
    expect(all.length).toBe(total);
    const mid = (k: number) => new Date(Date.UTC(2026, 0, 1) + k * 60_000 + 30_000).toISOString();
    const requests: AlertListRequest[] = [
      {},
      { cause: 'sos' },
      { cause: 'heart_rate.high' },
      { priority: 'low' },
      { status: 'resolved' },
      { status: 'open' },
      { status: 'acknowledged' },
      { from: mid(10), to: mid(80) },
      { status: 'resolved', cause: 'ecg.afib', from: mid(5) },
      { priority: 'high', to: mid(90) },
      { cause: 'sos', patientId: patients[0]! },
    ];
    const failures: string[] = [];
    for (const [name, caller, sees] of [
      ['clinician', clinician, (_a: Alert) => true],
      [
        'caregiver',
        cg,
        (a: Alert) => {
          const i = patients.indexOf(a.patientId);
          return i < 3 && consentCovers(scopes[i]!, alertNeed(a));
        },
      ],
    ] as const) {
      for (const request of requests)
        for (const limit of [1, 2, 3, 7]) {
          const expected = all
            .filter(sees)
            .filter(
              (a) =>
                (request.cause === undefined || a.cause === request.cause) &&
                (request.priority === undefined || a.priority === request.priority) &&
                (request.status === undefined || a.status === request.status) &&
                (request.patientId === undefined || a.patientId === request.patientId) &&
                (request.from === undefined || a.createdAt >= request.from) &&
                (request.to === undefined || a.createdAt < request.to),
            )
            .sort((a, b) => (alertKeys.order(a) < alertKeys.order(b) ? 1 : -1))
            .map((a) => a.alertId);
          const got: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await listAlerts(deps, caller, { ...request, limit, ...(cursor ? { cursor } : {}) });
            got.push(...page.items.map((a) => a.alertId));
            cursor = page.nextCursor;
          } while (cursor && ++pages < 500);
          const missing = expected.filter((id) => !got.includes(id)).length;
          const dup = got.length - new Set(got).size;
          const extra = got.filter((id) => !expected.includes(id)).length;
          const ordered =
            JSON.stringify(got.filter((id) => expected.includes(id))) === JSON.stringify(expected.filter((id) => got.includes(id)));
          if (missing || dup || extra || !ordered)
            failures.push(
              `${name} ${JSON.stringify({ ...request, patientId: request.patientId ? 'p0' : undefined })} limit ${limit}: expected ${expected.length}, missing ${missing}, dup ${dup}, extra ${extra}, ordered ${ordered}, pages ${pages + 1}`,
            );
        }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
