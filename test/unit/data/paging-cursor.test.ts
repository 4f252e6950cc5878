import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../../shared/data/paging-cursor.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';

const codec = createCursorCodec('test-secret');

describe('paging cursors', () => {
  it('round-trips a position within its scope', () => {
    const cursor = codec.encode('2026-11-22T00:00:00.000Z#abc', 'alerts|user-1|open|');
    expect(codec.decode(cursor, 'alerts|user-1|open|')).toBe('2026-11-22T00:00:00.000Z#abc');
  });
  it('is opaque: the position is not readable as plain text', () => {
    expect(codec.encode('PATIENT#secret', 'scope')).not.toContain('PATIENT#secret');
  });
  it('rejects a cursor replayed by another caller or for other filters', () => {
    const cursor = codec.encode('pos', 'alerts|user-1|open|');
    expect(() => codec.decode(cursor, 'alerts|user-2|open|')).toThrow(ValidationError);
    expect(() => codec.decode(cursor, 'alerts|user-1||')).toThrow(ValidationError);
  });
  it('rejects a tampered position', () => {
    const cursor = codec.encode('pos', 's');
    const [, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ p: 'other' })).toString('base64url')}.${mac}`;
    expect(() => codec.decode(forged, 's')).toThrow(/cursor is not valid/);
  });
  it('rejects garbage', () => {
    expect(() => codec.decode('nonsense', 's')).toThrow(ValidationError);
    expect(() => codec.decode('', 's')).toThrow(ValidationError);
  });
  it('rejects a cursor signed with another secret', () => {
    expect(() => codec.decode(createCursorCodec('other').encode('pos', 's'), 's')).toThrow(ValidationError);
  });
});
