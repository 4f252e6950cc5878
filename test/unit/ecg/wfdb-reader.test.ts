import { describe, expect, it } from 'vitest';
import { parseWfdbHeader } from '../../../shared/ecg/wfdb/wfdb-header.ts';
import { adcToMicrovolts, decodeWfdbSignals } from '../../../shared/ecg/wfdb/wfdb-signal.ts';
import { decodeWfdbAnnotations, isBeatAnnotation } from '../../../shared/ecg/wfdb/wfdb-annotation.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { fixtureCincRecord, fixtureMitdbRecord } from '../../support/ecg-records.ts';

describe('WFDB header', () => {
  it('skips comment lines anywhere and reads gain, baseline and units', () => {
    const header = parseWfdbHeader(
      '# made by hand\nrec 2 500 1000\nrec.dat 16 400(12)/uV 16 0 5 0 0 lead I\n# between\nrec.dat 16 0 16 7 0 0 0 II\n# age 60\n',
    );
    expect(header).toMatchObject({ recordName: 'rec', signalCount: 2, sampleRateHz: 500, sampleCount: 1000 });
    expect(header.signals[0]).toMatchObject({ format: 16, gain: 400, baseline: 12, units: 'uV', description: 'lead I' });
    // A gain of 0 means the WFDB default of 200; without a baseline the ADC zero is used.
    expect(header.signals[1]).toMatchObject({ gain: 200, baseline: 7, units: 'mV' });
    expect(header.comments).toEqual(['made by hand', 'between', 'age 60']);
  });
});

describe('WFDB signal decoding', () => {
  it('decodes format 212 pairs including negative 12-bit values', () => {
    // Samples 0x123 and -2 (0xFFE): byte0 = 0x23, byte1 = (0xF << 4) | 0x1, byte2 = 0xFE.
    const [first, second] = decodeWfdbSignals(Uint8Array.from([0x23, 0xf1, 0xfe]), 212, 2);
    expect(Array.from(first!)).toEqual([0x123]);
    expect(Array.from(second!)).toEqual([-2]);
  });

  it('decodes interleaved little-endian format 16 and converts to µV', () => {
    const bytes = new Uint8Array(new Int16Array([1000, -5, -1000, 7]).buffer);
    const [a, b] = decodeWfdbSignals(bytes, 16, 2);
    expect(Array.from(a!)).toEqual([1000, -1000]);
    expect(Array.from(b!)).toEqual([-5, 7]);
    const header = parseWfdbHeader('r 1 300 2\nr.dat 16 1000/mV 16 0 0 0 0 ECG\n');
    expect(Array.from(adcToMicrovolts(a!, header, 0))).toEqual([1000, -1000]);
  });
});

describe('WFDB annotations', () => {
  it('reads beat codes and skips non-beat and aux annotations', () => {
    const word = (code: number, value: number): number[] => [(value | (code << 10)) & 0xff, ((value | (code << 10)) >> 8) & 0xff];
    // N at 10, aux text "ab", '+' rhythm change at 15, V at 20, then a SKIP of 70000 samples and N.
    const bytes = Uint8Array.from([
      ...word(1, 10),
      ...word(63, 2),
      0x61,
      0x62,
      ...word(28, 5),
      ...word(5, 5),
      ...word(59, 0),
      0x01,
      0x00,
      0x70,
      0x11,
      ...word(1, 0),
      0,
      0,
    ]);
    const annotations = decodeWfdbAnnotations(bytes);
    expect(annotations.map((a) => [a.sample, a.symbol])).toEqual([
      [10, 'N'],
      [15, '+'],
      [20, 'V'],
      [20 + 0x11170, 'N'],
    ]);
    expect(annotations.filter(isBeatAnnotation).map((a) => a.symbol)).toEqual(['N', 'V', 'N']);
  });
});

describe('shared reference records', () => {
  it('reads MIT-BIH 100 in µV with its 2273 reference beats', () => {
    const record = loadWfdbChannel(fixtureMitdbRecord('100'), 0);
    expect(record.sampleRateHz).toBe(360);
    expect(record.microvolts.length).toBe(650000);
    // First sample 995 adu with baseline 1024 and 200 adu/mV.
    expect(record.microvolts[0]).toBeCloseTo(((995 - 1024) / 200) * 1000, 6);
    expect(loadWfdbBeatSamples(fixtureMitdbRecord('100'))).toHaveLength(2273);
  });

  it('reads the second channel and a format 16 CinC clip', () => {
    expect(loadWfdbChannel(fixtureMitdbRecord('100'), 1).microvolts[0]).toBeCloseTo(((1011 - 1024) / 200) * 1000, 6);
    const clip = loadWfdbChannel(fixtureCincRecord('A00001'), 0);
    expect(clip.sampleRateHz).toBe(300);
    expect(clip.microvolts.length).toBe(9000);
    expect(clip.microvolts[0]).toBe(-127);
  });
});
