import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AuditPage,
  type AuditRange,
  auditKeys,
  queryActorAudit,
  queryOrganisationAudit,
  queryPatientAudit,
  writeAuditEntries,
} from '../../shared/data/audit-store.ts';
import type { AuditEntry } from '../../shared/domain/audit-entry.ts';
import { testTable } from './support/table.ts';

const table = testTable();

function entry(fields: Pick<AuditEntry, 'orgId' | 'at' | 'actorId'> & Partial<AuditEntry>): AuditEntry {
  return {
    entryId: randomUUID(),
    actorRole: 'clinician',
    action: 'GET /v1/patients/{patientId}/vitals',
    outcome: 200,
    requestId: randomUUID(),
    ...fields,
  };
}

/** `minutes` after 10:00 UTC on `day`. */
const atMinute = (day: string, minutes: number) => new Date(Date.parse(`${day}T10:00:00.000Z`) + minutes * 60_000).toISOString();

/** Every page of a query, following `next` until it is absent. */
async function allPages(query: (next: string | undefined) => Promise<AuditPage>): Promise<AuditPage[]> {
  const pages: AuditPage[] = [];
  let next: string | undefined;
  do {
    const page = await query(next);
    pages.push(page);
    next = page.next;
    if (pages.length > 20) throw new Error('paging does not end');
  } while (next !== undefined);
  return pages;
}

const ids = (entries: readonly AuditEntry[]) => entries.map((e) => e.entryId);
const newestFirst = (entries: readonly AuditEntry[]) => [...entries].sort((a, b) => b.at.localeCompare(a.at));

describe('audit store (DynamoDB Local)', () => {
  it("pages a patient's entries newest first, keeping to an inclusive range, with no duplicates or gaps", async () => {
    const orgId = randomUUID();
    const patientId = randomUUID();
    const actorId = randomUUID();
    const written = [0, 1, 2, 3, 4, 5, 6].map((minute) => entry({ orgId, actorId, patientId, at: atMinute('2026-03-10', minute) }));
    // Written out of order: the order comes from the sort key, not from insertion.
    await writeAuditEntries(table, [written[3]!, written[0]!, written[6]!, written[1]!, written[5]!, written[2]!, written[4]!]);
    // The range's ends are exactly the times of the second and sixth entries.
    const range: AuditRange = { from: written[1]!.at, to: written[5]!.at };

    const pages = await allPages((next) => queryPatientAudit(table, orgId, patientId, { range, limit: 2, ...(next ? { next } : {}) }));

    expect(pages.map((page) => page.entries.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.entries)).toEqual(newestFirst(written.slice(1, 6)));
  });

  it("keeps another organisation's look at the same patient id out of this organisation's patient partition", async () => {
    const orgId = randomUUID();
    const otherOrgId = randomUUID();
    const patientId = randomUUID();
    const ours = entry({ orgId, actorId: randomUUID(), patientId, at: atMinute('2026-03-10', 0) });
    const theirs = entry({ orgId: otherOrgId, actorId: randomUUID(), patientId, at: atMinute('2026-03-10', 1), outcome: 403 });
    await writeAuditEntries(table, [ours, theirs]);
    const range = { from: '2026-03-10T00:00:00.000Z', to: '2026-03-10T23:59:59.999Z' };

    expect((await queryPatientAudit(table, orgId, patientId, { range, limit: 10 })).entries).toEqual([ours]);
    expect((await queryPatientAudit(table, otherOrgId, patientId, { range, limit: 10 })).entries).toEqual([theirs]);
  });

  it("lists one actor's entries across patients, newest first, and pages them", async () => {
    const orgId = randomUUID();
    const actorId = randomUUID();
    const mine = [
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-10', 0) }),
      entry({ orgId, actorId, at: atMinute('2026-03-10', 1), outcome: 404, objectId: 'recording-1' }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-11', 0) }),
    ];
    const someoneElses = entry({ orgId, actorId: randomUUID(), patientId: mine[0]!.patientId!, at: atMinute('2026-03-10', 2) });
    const beforeRange = entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-08', 0) });
    await writeAuditEntries(table, [...mine, someoneElses, beforeRange]);
    const range = { from: '2026-03-09T00:00:00.000Z', to: '2026-03-12T00:00:00.000Z' };

    const pages = await allPages((next) => queryActorAudit(table, orgId, actorId, { range, limit: 2, ...(next ? { next } : {}) }));

    expect(pages.map((page) => page.entries.length)).toEqual([2, 1]);
    expect(pages.flatMap((page) => page.entries)).toEqual(newestFirst(mine));
  });

  // Defect: the actor index was global, so another organisation's admin got (empty) pages whose
  // cursors carried this organisation's patient ids, and could page through them.
  it("finds nothing, and hands out no position, when another organisation asks for this one's actor", async () => {
    const orgId = randomUUID();
    const actorId = randomUUID();
    await writeAuditEntries(table, [entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-10', 0) })]);
    const range = { from: '2026-03-09T00:00:00.000Z', to: '2026-03-12T00:00:00.000Z' };
    expect(await queryActorAudit(table, randomUUID(), actorId, { range, limit: 1 })).toEqual({ entries: [] });
  });

  it("walks an organisation's days newest first, with a page crossing from one day to the one before", async () => {
    const orgId = randomUUID();
    const actorId = randomUUID();
    const inRange = [
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-10', 5) }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-10', 0) }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-09', 0) }),
      entry({ orgId, actorId, at: atMinute('2026-03-08', 600) }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-08', 300) }),
    ];
    const outOfRange = [
      // Same first day, but before the range starts at noon.
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-08', -60) }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-07', 0) }),
      entry({ orgId, actorId, patientId: randomUUID(), at: atMinute('2026-03-11', 0) }),
      // Another organisation, same day.
      entry({ orgId: randomUUID(), actorId, patientId: randomUUID(), at: atMinute('2026-03-09', 1) }),
    ];
    await writeAuditEntries(table, [...outOfRange, ...inRange]);
    const range = { from: '2026-03-08T12:00:00.000Z', to: '2026-03-10T23:59:59.999Z' };

    const pages = await allPages((next) => queryOrganisationAudit(table, orgId, { range, limit: 2, ...(next ? { next } : {}) }));

    // Day 10 fills the first page; the second holds day 9's entry and day 8's newest.
    expect(pages.map((page) => ids(page.entries))).toEqual([ids(inRange.slice(0, 2)), ids(inRange.slice(2, 4)), ids(inRange.slice(4))]);
    expect(pages.flatMap((page) => page.entries)).toEqual(inRange);
  });

  it("leaves the patient's own requests out when asked to, even when they split the pages", async () => {
    const orgId = randomUUID();
    const patientId = randomUUID();
    const clinicianId = randomUUID();
    const caregiverId = randomUUID();
    const byPatient = (minute: number) =>
      entry({ orgId, actorId: patientId, actorRole: 'patient', patientId, at: atMinute('2026-03-10', minute) });
    const written = [
      byPatient(6),
      byPatient(5),
      entry({ orgId, actorId: clinicianId, patientId, at: atMinute('2026-03-10', 4) }),
      byPatient(3),
      byPatient(2),
      entry({ orgId, actorId: caregiverId, actorRole: 'caregiver', patientId, at: atMinute('2026-03-10', 1) }),
      entry({ orgId, actorId: clinicianId, patientId, at: atMinute('2026-03-10', 0) }),
    ];
    await writeAuditEntries(table, written);
    const range = { from: '2026-03-10T00:00:00.000Z', to: '2026-03-10T23:59:59.999Z' };

    const others = await allPages((next) =>
      queryPatientAudit(table, orgId, patientId, { range, limit: 2, exceptActorId: patientId, ...(next ? { next } : {}) }),
    );
    const clinicians = await queryPatientAudit(table, orgId, patientId, { range, limit: 10, actorId: clinicianId });

    expect(others.flatMap((page) => page.entries)).toEqual(written.filter((e) => e.actorId !== patientId));
    expect(others[0]?.entries).toHaveLength(2);
    expect(clinicians.entries).toEqual(written.filter((e) => e.actorId === clinicianId));
  });

  it('stores each entry to expire about six years after it happened', async () => {
    const orgId = randomUUID();
    const patientId = randomUUID();
    const written = entry({ orgId, actorId: randomUUID(), patientId, at: '2026-03-10T10:00:00.000Z' });
    await writeAuditEntries(table, [written]);

    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: auditKeys.ofPatient(orgId, patientId), sk: auditKeys.order(written) } }),
    );

    const sixYearsOn = Date.UTC(2032, 2, 10, 10) / 1000;
    const expiresAt = Item?.['expiresAt'];
    expect(Number.isInteger(expiresAt)).toBe(true);
    // At least six calendar years (HIPAA's minimum), and not much more.
    expect(expiresAt).toBeGreaterThanOrEqual(sixYearsOn);
    expect(expiresAt).toBeLessThanOrEqual(sixYearsOn + 7 * 86_400);
  });
});
