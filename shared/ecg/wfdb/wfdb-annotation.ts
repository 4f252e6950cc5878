/** One annotation from a WFDB annotation file (MIT format, e.g. `.atr`). */
export interface WfdbAnnotation {
  sample: number;
  /** The WFDB annotation code (1 = N, 5 = V, ...). */
  code: number;
  symbol: string;
}

// Annotation codes from WFDB's ecgcodes.h, indexed by code.
const SYMBOLS = [
  ' ',
  'N',
  'L',
  'R',
  'a',
  'V',
  'F',
  'J',
  'A',
  'S',
  'E',
  'j',
  '/',
  'Q',
  '~',
  ' ',
  '|',
  ' ',
  's',
  'T',
  '*',
  'D',
  '"',
  '=',
  'p',
  'B',
  '^',
  't',
  '+',
  'u',
  '?',
  '!',
  '[',
  ']',
  'e',
  'n',
  '@',
  'x',
  'f',
  '(',
  ')',
  'r',
];

// The beat codes of WFDB's isqrs(): N L R a V F J A S E j / Q, B, e n f, r.
const BEAT_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 34, 35, 38, 41]);

export function isBeatAnnotation(annotation: WfdbAnnotation): boolean {
  return BEAT_CODES.has(annotation.code);
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/** Decodes an MIT-format annotation file: 16-bit little-endian words, code in the top 6 bits. */
export function decodeWfdbAnnotations(bytes: Uint8Array): WfdbAnnotation[] {
  const out: WfdbAnnotation[] = [];
  let sample = 0;
  let i = 0;
  const word = (at: number): number => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
  while (i + 1 < bytes.length) {
    const w = word(i);
    i += 2;
    const code = w >> 10;
    const value = w & 0x3ff;
    if (code === 0 && value === 0) break;
    if (code === SKIP) {
      // A 32-bit interval follows, high 16 bits first.
      const high = word(i);
      const low = word(i + 2);
      i += 4;
      const interval = ((high << 16) | low) >> 0;
      sample += interval;
    } else if (code === AUX) {
      i += value + (value & 1);
    } else if (code === NUM || code === SUB || code === CHN) {
      // Modifiers of the previous annotation; not needed for scoring.
    } else {
      sample += value;
      out.push({ sample, code, symbol: SYMBOLS[code] ?? '?' });
    }
  }
  return out;
}
