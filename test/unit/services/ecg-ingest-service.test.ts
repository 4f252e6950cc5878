import { describe, expect, it } from 'vitest';
import { decodeChunkSamples } from '../../../shared/services/ecg-ingest-service.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';

describe('decodeChunkSamples', () => {
  it('takes samples as JSON integers', () => {
    expect(Array.from(decodeChunkSamples({ samples: [0, -1, 32767, -32768] }))).toEqual([0, -1, 32767, -32768]);
  });
  it('takes samples as base64 little-endian int16', () => {
    const bytes = Buffer.alloc(6);
    bytes.writeInt16LE(1200, 0);
    bytes.writeInt16LE(-300, 2);
    bytes.writeInt16LE(-32768, 4);
    expect(Array.from(decodeChunkSamples({ samplesBase64: bytes.toString('base64') }))).toEqual([1200, -300, -32768]);
  });
  it('refuses base64 that does not hold whole samples, naming the field', () => {
    const error = (() => {
      try {
        decodeChunkSamples({ samplesBase64: Buffer.from([1, 2, 3]).toString('base64') });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.[0]?.path).toBe('body.samplesBase64');
  });
});
