import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseWfdbHeader, type WfdbHeader } from './wfdb-header.ts';
import { adcToMicrovolts, decodeWfdbSignals } from './wfdb-signal.ts';
import { decodeWfdbAnnotations, isBeatAnnotation, type WfdbAnnotation } from './wfdb-annotation.ts';

/** One channel of a WFDB record in physical units. */
export interface WfdbChannel {
  header: WfdbHeader;
  channel: number;
  sampleRateHz: number;
  microvolts: Float64Array;
}

/** Reads channel `channel` of the record at `recordPath` (path without extension). */
export function loadWfdbChannel(recordPath: string, channel = 0): WfdbChannel {
  const header = parseWfdbHeader(readFileSync(`${recordPath}.hea`, 'utf8'));
  const spec = header.signals[channel];
  if (spec === undefined) throw new Error(`record ${recordPath} has ${header.signalCount} signal(s); no channel ${channel}`);
  // Signals sharing a file are interleaved; find this signal's position in its file.
  const inFile = header.signals.filter((s) => s.fileName === spec.fileName);
  const position = header.signals.slice(0, channel).filter((s) => s.fileName === spec.fileName).length;
  const bytes = readFileSync(join(dirname(recordPath), spec.fileName));
  const decoded = decodeWfdbSignals(bytes, spec.format, inFile.length, spec.byteOffset);
  let adc = decoded[position] ?? new Int32Array(0);
  if (header.sampleCount > 0 && adc.length > header.sampleCount) adc = adc.subarray(0, header.sampleCount);
  return { header, channel, sampleRateHz: header.sampleRateHz, microvolts: adcToMicrovolts(adc, header, channel) };
}

/** Reads the sample indices of the beat annotations of a record (`.atr` unless told otherwise). */
export function loadWfdbBeatSamples(recordPath: string, annotator = 'atr'): number[] {
  const annotations: WfdbAnnotation[] = decodeWfdbAnnotations(readFileSync(`${recordPath}.${annotator}`));
  return annotations.filter(isBeatAnnotation).map((a) => a.sample);
}
