// Building the audit entries of a request or a push from what happened. Pure: the writing is
// the audit store's, and the HTTP plumbing and the push service decide when.
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../domain/audit-entry.ts';
import type { Role } from '../domain/roles.ts';

export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}

export interface RequestFacts {
  actor: Actor;
  /** The route key. */
  action: string;
  outcome: number;
  requestId: string;
  sourceIp?: string;
  /** The patient the path named, if any, for a request refused before it reached one. */
  pathPatientId?: string;
  /** The other object the path named (a recording, an alert, a user). */
  objectId?: string;
  at: string;
}

/** One entry per patient the request reached; one without a patient when it reached none. */
export function requestEntries(facts: RequestFacts, reached: ReadonlySet<string>): AuditEntry[] {
  const patients = reached.size > 0 ? [...reached] : [facts.pathPatientId];
  return patients.map((patientId) => ({
    entryId: randomUUID(),
    orgId: facts.actor.orgId,
    at: facts.at,
    actorId: facts.actor.userId,
    actorRole: facts.actor.role,
    action: facts.action,
    ...(patientId === undefined ? {} : { patientId }),
    ...(facts.objectId === undefined || facts.objectId === patientId ? {} : { objectId: facts.objectId }),
    outcome: facts.outcome,
    requestId: facts.requestId,
    ...(facts.sourceIp === undefined ? {} : { sourceIp: facts.sourceIp }),
  }));
}

export interface PushFacts {
  recipients: readonly Actor[];
  /** The pushed message's type: "alert.created", "ecg.analyzed". */
  messageType: string;
  patientId: string;
  objectId?: string;
  requestId: string;
  at: string;
  /** How the message went: pushed as it happened, or replayed to a resuming connection. */
  via?: 'push' | 'resume';
}

/** One entry per recipient of a push of a patient's data. */
export function pushEntries(facts: PushFacts): AuditEntry[] {
  return facts.recipients.map((recipient) => ({
    entryId: randomUUID(),
    orgId: recipient.orgId,
    at: facts.at,
    actorId: recipient.userId,
    actorRole: recipient.role,
    action: `WS ${facts.via ?? 'push'} ${facts.messageType}`,
    patientId: facts.patientId,
    ...(facts.objectId === undefined ? {} : { objectId: facts.objectId }),
    outcome: 200,
    requestId: facts.requestId,
  }));
}
