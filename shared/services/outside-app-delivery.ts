// High-priority alerts and escalations brought to people outside the app, the way each asked
// (PATCH /v1/users/me {"notify"}). The words name no patient and no finding: a lock screen or
// a shared inbox may show them to anyone.
import type { Role } from '../domain/roles.ts';
import type { User } from '../domain/user.ts';
import { getUsers } from '../data/user-store.ts';
import type { TableClient } from '../data/table-client.ts';
import type { OutsideAppSender } from '../messaging/outside-app-sender.ts';

export type OutsideAppReason = 'alert' | 'escalation';

const WHOSE: Record<Role, string> = {
  clinician: 'one of your patients',
  admin: 'a patient of your organisation',
  caregiver: 'someone you care for',
  patient: 'you',
};

/** What is sent: the kind of event and whose, never which patient or what was found. */
export function outsideAppText(reason: OutsideAppReason, role: Role): string {
  return reason === 'alert'
    ? `Vigil: a high-priority alert for ${WHOSE[role]}. Open the app.`
    : `Vigil: a high-priority alert for ${WHOSE[role]} has not been acknowledged. Open the app.`;
}

export const OUTSIDE_APP_SUBJECT = 'Vigil: high-priority alert';

export interface OutsideAppDependencies {
  table: TableClient;
  outsideApp: OutsideAppSender;
  /** Told of each message that could not be sent; the in-app notification stands regardless. */
  onOutsideAppFailure?: (channel: 'email' | 'sms' | 'push', error: unknown) => void;
}

function messagesFor(user: User, reason: OutsideAppReason, sender: OutsideAppSender) {
  const text = outsideAppText(reason, user.role);
  return [
    ...(user.notify?.email ? [{ channel: 'email' as const, send: () => sender.email(user.email, OUTSIDE_APP_SUBJECT, text) }] : []),
    ...(user.notify?.sms ? [{ channel: 'sms' as const, send: () => sender.sms(user.notify?.sms ?? '', text) }] : []),
    ...(user.notify?.push ? [{ channel: 'push' as const, send: () => sender.push(user.notify?.push?.endpointArn ?? '', text) }] : []),
  ];
}

/** Sends to each enabled user who asked for it; answers how many messages went out. */
export async function deliverOutsideApp(
  deps: OutsideAppDependencies,
  userIds: readonly string[],
  reason: OutsideAppReason,
): Promise<number> {
  if (userIds.length === 0) return 0;
  const users = (await getUsers(deps.table, [...new Set(userIds)])).filter((user) => user.disabledAt === undefined);
  const messages = users.flatMap((user) => messagesFor(user, reason, deps.outsideApp));
  const sent = await Promise.all(
    messages.map(({ channel, send }) =>
      send().then(
        () => true,
        (error: unknown) => {
          deps.onOutsideAppFailure?.(channel, error);
          return false;
        },
      ),
    ),
  );
  return sent.filter(Boolean).length;
}
