// Free text people type (names) and identifiers devices send. Everything is bounded, and
// characters that hide or reorder what a reader sees are refused: control characters (NUL,
// newlines, escapes) and the bidirectional overrides and isolates that make "evil.exe‮txt.pdf"
// display as something else. Markup is refused in names: no person's name holds < or >, and
// a name is shown on screens, in PDFs and in SVG.
import { z } from 'zod';

// U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;

function refuseHiddenCharacters(text: string, context: z.core.$RefinementCtx<string>): void {
  if (!text.isWellFormed()) context.addIssue({ code: 'custom', message: 'must be valid Unicode text (a lone surrogate was sent)' });
  if (CONTROL_CHARACTERS.test(text))
    context.addIssue({ code: 'custom', message: 'must not contain control characters (NUL, tab, newline …)' });
  if (BIDI_CONTROLS.test(text))
    context.addIssue({ code: 'custom', message: 'must not contain bidirectional override or isolate characters' });
}

/**
 * Text a person typed that may run over several lines (a clinician's note): trimmed, NFC, 1 to
 * `maxLength` characters; line breaks and tabs are kept, every other control character refused.
 */
export function multiLineText(maxLength: number) {
  return z
    .string()
    .max(maxLength * 4)
    .transform((text) => text.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(maxLength)
        .superRefine((text, context) => refuseHiddenCharacters(text.replace(/[\n\t]/g, ' '), context)),
    );
}

/** One line of text a person typed: trimmed, in canonical (NFC) form, 1 to `maxLength` characters. */
export function singleLineText(maxLength: number) {
  return z
    .string()
    .max(maxLength * 4)
    .transform((text) => text.normalize('NFC').trim())
    .pipe(z.string().min(1, 'must not be empty').max(maxLength).superRefine(refuseHiddenCharacters));
}

export const PERSON_NAME_MAX_LENGTH = 200;

/** A person's name as shown to clinicians. */
export const PersonName = singleLineText(PERSON_NAME_MAX_LENGTH).refine((name) => !/[<>]/.test(name), {
  message: 'must not contain < or >',
});

export const DEVICE_ID_MAX_LENGTH = 128;

/** A device's own identifier (serial number, MAC address, vendor id): printable ASCII without spaces. */
export const DeviceId = z
  .string()
  .min(1)
  .max(DEVICE_ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9._:\-/#]+$/, 'must be letters, digits and . _ : - / # only');

/** A phone number in E.164 form (+ and up to 15 digits), the one form SMS and voice services take. */
export const PhoneNumber = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 phone number: + then the country code and number, digits only')
  .meta({ example: '+4930123456' });
