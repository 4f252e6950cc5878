// Opaque, tamper-proof paging cursors. A cursor is the position to continue from plus the
// query it belongs to (caller and filters), signed with HMAC-SHA256; a cursor that was
// altered, or replayed by another caller or with other filters, is rejected.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ENV, requireEnv } from '../config/env.ts';
import { ValidationError } from '../domain/errors.ts';

export interface CursorCodec {
  encode(position: string, scope: string): string;
  /** The position, or a 400 naming the cursor when it was not issued for this scope. */
  decode(cursor: string, scope: string): string;
}

export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    encode(position, scope) {
      const payload = Buffer.from(JSON.stringify({ p: position }), 'utf8');
      const mac = sign(`${scope}\n${payload.toString('base64url')}`);
      return `${payload.toString('base64url')}.${mac.toString('base64url')}`;
    },
    decode(cursor, scope) {
      const invalid = () =>
        new ValidationError('cursor is not valid for this query', [{ path: 'query.cursor', message: 'not a cursor this query issued' }]);
      const [payload, mac] = cursor.split('.');
      if (!payload || !mac) throw invalid();
      const expected = sign(`${scope}\n${payload}`);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      try {
        const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const position = (parsed as { p?: unknown }).p;
        if (typeof position !== 'string') throw invalid();
        return position;
      } catch {
        throw invalid();
      }
    },
  };
}

let fromEnv: CursorCodec | undefined;
export function cursorCodecFromEnv(): CursorCodec {
  fromEnv ??= createCursorCodec(requireEnv(ENV.cursorSecret));
  return fromEnv;
}
