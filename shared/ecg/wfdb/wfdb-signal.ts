import type { WfdbHeader } from './wfdb-header.ts';

/**
 * Decodes the interleaved sample stream of one WFDB signal file into digital (ADC) values,
 * one Int32Array per signal of that file. Formats 212 (two 12-bit samples in three bytes)
 * and 16 (little-endian int16) are supported.
 */
export function decodeWfdbSignals(bytes: Uint8Array, format: number, signalsInFile: number, byteOffset = 0): Int32Array[] {
  if (signalsInFile < 1) return [];
  const data = bytes.subarray(byteOffset);
  let values: Int32Array;
  if (format === 212) values = decodeFormat212(data);
  else if (format === 16) values = decodeFormat16(data);
  else throw new Error(`WFDB signal format ${format} is not supported (only 212 and 16)`);
  const frames = Math.floor(values.length / signalsInFile);
  const out: Int32Array[] = [];
  for (let s = 0; s < signalsInFile; s++) {
    const signal = new Int32Array(frames);
    for (let i = 0, k = s; i < frames; i++, k += signalsInFile) signal[i] = values[k] ?? 0;
    out.push(signal);
  }
  return out;
}

function decodeFormat212(data: Uint8Array): Int32Array {
  const pairs = Math.floor(data.length / 3);
  const out = new Int32Array(pairs * 2);
  for (let p = 0, b = 0; p < pairs; p++, b += 3) {
    const b0 = data[b] ?? 0;
    const b1 = data[b + 1] ?? 0;
    const b2 = data[b + 2] ?? 0;
    const first = b0 | ((b1 & 0x0f) << 8);
    const second = b2 | ((b1 & 0xf0) << 4);
    // Sign-extend the 12-bit two's complement values.
    out[2 * p] = first > 2047 ? first - 4096 : first;
    out[2 * p + 1] = second > 2047 ? second - 4096 : second;
  }
  return out;
}

function decodeFormat16(data: Uint8Array): Int32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = Math.floor(data.length / 2);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true);
  return out;
}

/** Converts ADC values to microvolts using the signal's gain, baseline and units. */
export function adcToMicrovolts(adc: Int32Array, header: WfdbHeader, signalIndex: number): Float64Array {
  const spec = header.signals[signalIndex];
  if (spec === undefined) throw new Error(`record ${header.recordName} has no signal ${signalIndex}`);
  const unitScale = unitsToMicrovolts(spec.units);
  const out = new Float64Array(adc.length);
  const scale = unitScale / spec.gain;
  for (let i = 0; i < adc.length; i++) out[i] = ((adc[i] ?? 0) - spec.baseline) * scale;
  return out;
}

function unitsToMicrovolts(units: string): number {
  const u = units.toLowerCase();
  if (u === 'uv' || u === 'µv') return 1;
  if (u === 'v') return 1e6;
  return 1000; // mV, WFDB's default physical unit
}
