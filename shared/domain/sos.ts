// SOS: a patient (or a caregiver they trust with it) calls for help. It opens a high-priority
// alert at once, with no minimum duration; repeats while it is open update it.
import { z } from 'zod';
import { Location } from './alert.ts';
import { singleLineText } from './text.ts';

export const SOS_CAUSE = 'sos';

export const SOS_MESSAGE_MAX_LENGTH = 500;

/** SOS calls per patient in any minute; more answer 429 (a stuck button must not flood the care team). */
export const SOS_RATE_LIMIT = { calls: 10, perSeconds: 60 } as const;

/** What the patient or caregiver cancelling it leaves on the alert. */
export const SOS_CANCELLED = { byPatient: 'cancelled by the patient', byCaregiver: 'cancelled by a caregiver' } as const;

export const SosCall = z.object({
  location: Location.optional(),
  message: singleLineText(SOS_MESSAGE_MAX_LENGTH).optional(),
});
export type SosCall = z.infer<typeof SosCall>;

/** The alert's message: what the caller typed, or a plain call for help. */
export function sosMessage(call: SosCall): string {
  return call.message === undefined ? 'SOS: the patient asks for help' : `SOS: ${call.message}`;
}
