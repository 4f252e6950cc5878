import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { type Actor, pushEntries, type RequestFacts, requestEntries } from '../../../shared/audit/audit-entries.ts';
import { AuditEntry } from '../../../shared/domain/audit-entry.ts';

const orgId = randomUUID();
const clinician: Actor = { userId: randomUUID(), orgId, role: 'clinician' };
const caregiver: Actor = { userId: randomUUID(), orgId, role: 'caregiver' };
const patientA = randomUUID();
const patientB = randomUUID();
const recordingId = randomUUID();
const at = '2026-03-01T10:00:00.000Z';

const facts = (overrides: Partial<RequestFacts> = {}): RequestFacts => ({
  actor: clinician,
  action: 'GET /v1/ecg/{recordingId}',
  outcome: 200,
  requestId: 'req-1',
  sourceIp: '203.0.113.7',
  at,
  ...overrides,
});

/** Parses strictly: an entry must carry nothing the schema does not name (no health values, no bodies). */
const StrictEntry = AuditEntry.strict();
const expectValidEntries = (entries: readonly unknown[]) => {
  for (const entry of entries) expect(StrictEntry.safeParse(entry).error?.issues ?? []).toEqual([]);
};

describe('requestEntries', () => {
  it('writes one entry per patient the request reached, each naming who, what, when, how it ended and from where', () => {
    const entries = requestEntries(facts({ objectId: recordingId }), new Set([patientA, patientB]));
    expect(entries).toHaveLength(2);
    expect(entries.map((entry) => entry.patientId)).toEqual([patientA, patientB]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        orgId,
        at,
        actorId: clinician.userId,
        actorRole: 'clinician',
        action: 'GET /v1/ecg/{recordingId}',
        objectId: recordingId,
        outcome: 200,
        requestId: 'req-1',
        sourceIp: '203.0.113.7',
      });
    }
    expectValidEntries(entries);
  });

  it('gives every entry its own id', () => {
    const entries = requestEntries(facts(), new Set([patientA, patientB]));
    expect(new Set(entries.map((entry) => entry.entryId)).size).toBe(2);
  });

  it('writes one entry without a patient when the request reached none and the path named none', () => {
    const entries = requestEntries(facts({ outcome: 404, objectId: recordingId }), new Set());
    expect(entries).toHaveLength(1);
    expect(entries[0]).not.toHaveProperty('patientId');
    expect(entries[0]).toMatchObject({ outcome: 404, objectId: recordingId });
    expectValidEntries(entries);
  });

  it("names the path's patient when the request was refused before reaching one", () => {
    const entries = requestEntries(facts({ outcome: 403, pathPatientId: patientA }), new Set());
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ patientId: patientA, outcome: 403 });
    expectValidEntries(entries);
  });

  it("names the patients reached rather than the path's patient when it reached some", () => {
    const entries = requestEntries(facts({ pathPatientId: patientA }), new Set([patientB]));
    expect(entries.map((entry) => entry.patientId)).toEqual([patientB]);
  });

  it('leaves out the object when it is the patient the entry names (GET /v1/users/{userId} of a patient)', () => {
    const entries = requestEntries(facts({ action: 'GET /v1/users/{userId}', objectId: patientA }), new Set([patientA, patientB]));
    expect(entries[0]).not.toHaveProperty('objectId');
    expect(entries[1]).toMatchObject({ patientId: patientB, objectId: patientA });
    expectValidEntries(entries);
  });

  it('leaves out the source address when the request had none', () => {
    const { sourceIp: _sourceIp, ...withoutIp } = facts();
    const [entry] = requestEntries(withoutIp, new Set([patientA]));
    expect(entry).not.toHaveProperty('sourceIp');
    expectValidEntries([entry]);
  });
});

describe('pushEntries', () => {
  const push = { messageType: 'alert.created', patientId: patientA, requestId: 'req-2', at };

  it('writes one entry per recipient, as the recipient, with action "WS push <type>" and outcome 200', () => {
    const entries = pushEntries({ ...push, recipients: [clinician, caregiver], objectId: recordingId });
    expect(entries).toHaveLength(2);
    expect(entries.map((entry) => [entry.actorId, entry.actorRole])).toEqual([
      [clinician.userId, 'clinician'],
      [caregiver.userId, 'caregiver'],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        orgId,
        at,
        action: 'WS push alert.created',
        patientId: patientA,
        objectId: recordingId,
        outcome: 200,
        requestId: 'req-2',
      });
    }
    expectValidEntries(entries);
  });

  it('writes nothing when nobody received the push', () => {
    expect(pushEntries({ ...push, recipients: [] })).toEqual([]);
  });

  it('leaves out the object when the push named none', () => {
    const [entry] = pushEntries({ ...push, messageType: 'ecg.analyzed', recipients: [caregiver] });
    expect(entry).not.toHaveProperty('objectId');
    expect(entry?.action).toBe('WS push ecg.analyzed');
    expectValidEntries([entry]);
  });

  it('names a replay to a resuming connection as such', () => {
    const [entry] = pushEntries({ ...push, messageType: 'alert.created', recipients: [clinician], via: 'resume' });
    expect(entry?.action).toBe('WS resume alert.created');
    expectValidEntries([entry]);
  });

  it("records each recipient's own organisation", () => {
    const elsewhere: Actor = { userId: randomUUID(), orgId: randomUUID(), role: 'clinician' };
    const entries = pushEntries({ ...push, recipients: [clinician, elsewhere] });
    expect(entries.map((entry) => entry.orgId)).toEqual([orgId, elsewhere.orgId]);
  });
});
