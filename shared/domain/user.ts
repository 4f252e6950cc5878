// People and the organisations they belong to.
import { z } from 'zod';
import { Email, Id } from './identifiers.ts';
import { Role } from './roles.ts';
import { PersonName, PhoneNumber } from './text.ts';
import { Timestamp } from './time.ts';
import { DEFAULT_TIME_ZONE, TimeZone } from './time-zone.ts';

export const Organisation = z.object({
  orgId: Id,
  name: PersonName,
  createdAt: Timestamp,
});
export type Organisation = z.infer<typeof Organisation>;

/** The mobile push services a device token may come from: Apple's (APNs) and Google's (FCM). */
export const PushPlatform = z.enum(['apns', 'fcm']);
export type PushPlatform = z.infer<typeof PushPlatform>;

/** Device tokens are about 64 (APNs) to 200 (FCM) characters; this leaves room for what comes. */
export const PUSH_TOKEN_MAX_LENGTH = 4_096;

/**
 * How a person wants high-priority alerts and escalations brought to them outside the app. The
 * messages name no health data; they only say to open the app.
 */
export const NotifyPreferences = z.object({
  /** To the account's email address. */
  email: z.boolean(),
  /** A text message to this number. */
  sms: PhoneNumber.optional(),
  /** A push to the phone whose device token was registered (an SNS platform endpoint). */
  push: z.object({ platform: PushPlatform, endpointArn: z.string() }).optional(),
});
export type NotifyPreferences = z.infer<typeof NotifyPreferences>;

/** A change to the preferences: fields left out stay; `sms: null` stops text messages, `push: null` pushes. */
export interface NotifyChange {
  email?: boolean | undefined;
  sms?: string | null | undefined;
  /** The device's registration, once the token became an endpoint; null unregisters. */
  push?: NotifyPreferences['push'] | null | undefined;
}

export function mergeNotifyPreferences(current: NotifyPreferences | undefined, change: NotifyChange): NotifyPreferences {
  const email = change.email ?? current?.email ?? false;
  const sms = change.sms === undefined ? current?.sms : (change.sms ?? undefined);
  const push = change.push === undefined ? current?.push : (change.push ?? undefined);
  return { email, ...(sms === undefined ? {} : { sms }), ...(push === undefined ? {} : { push }) };
}

export const User = z.object({
  /** The Cognito `sub`: a verified token leads straight to the profile. */
  userId: Id,
  orgId: Id,
  email: Email,
  name: PersonName,
  role: Role,
  createdAt: Timestamp,
  phone: PhoneNumber.optional(),
  /** Days in roll-ups and reports are this zone's days. */
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
  /** Patients only: the clinician who enrolled them, whose defaults apply to their thresholds. */
  primaryClinicianId: Id.optional(),
  notify: NotifyPreferences.optional(),
  /** Set when the account was disabled: sign-in and every token are refused from then on; the record stays. */
  disabledAt: Timestamp.optional(),
  disabledBy: Id.optional(),
});
export type User = z.infer<typeof User>;
