/** Parsed WFDB record header (.hea). Only what the signal reader needs is kept. */
export interface WfdbSignalSpec {
  fileName: string;
  format: number;
  /** ADC units per physical unit. */
  gain: number;
  baseline: number;
  units: string;
  description: string;
  byteOffset: number;
}

export interface WfdbHeader {
  recordName: string;
  signalCount: number;
  sampleRateHz: number;
  sampleCount: number;
  signals: WfdbSignalSpec[];
  comments: string[];
}

// WFDB's documented default when a header gives no gain (or a gain of 0).
const DEFAULT_GAIN = 200;

export function parseWfdbHeader(text: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('#')) comments.push(line.slice(1).trim());
    else if (line.length > 0) lines.push(line);
  }
  const recordLine = lines[0];
  if (recordLine === undefined) throw new Error('WFDB header has no record line');
  const fields = recordLine.split(/\s+/);
  const recordName = (fields[0] ?? '').split('/')[0] ?? '';
  const signalCount = Number.parseInt(fields[1] ?? '', 10);
  if (!Number.isInteger(signalCount) || signalCount < 0) throw new Error(`WFDB header: bad signal count in "${recordLine}"`);
  // The frequency field may carry a counter frequency and base counter ("360/1000(0)").
  const sampleRateHz = fields[2] === undefined ? 250 : Number.parseFloat(fields[2]);
  if (!(sampleRateHz > 0)) throw new Error(`WFDB header: bad sample rate in "${recordLine}"`);
  const sampleCount = fields[3] === undefined ? 0 : Number.parseInt(fields[3], 10);

  const signals: WfdbSignalSpec[] = [];
  for (let s = 0; s < signalCount; s++) {
    const line = lines[1 + s];
    if (line === undefined) throw new Error(`WFDB header: missing line for signal ${s}`);
    signals.push(parseSignalLine(line));
  }
  return { recordName, signalCount, sampleRateHz, sampleCount, signals, comments };
}

function parseSignalLine(line: string): WfdbSignalSpec {
  const f = line.split(/\s+/);
  const fileName = f[0] ?? '';
  // Format field: "212", "16x2:3+512" (samples per frame, skew, byte offset).
  const formatMatch = /^(\d+)(?:x\d+)?(?::\d+)?(?:\+(\d+))?$/.exec(f[1] ?? '');
  if (formatMatch === null) throw new Error(`WFDB header: bad format in "${line}"`);
  const format = Number.parseInt(formatMatch[1] ?? '', 10);
  const byteOffset = formatMatch[2] === undefined ? 0 : Number.parseInt(formatMatch[2], 10);
  // Gain field: "200", "200(1024)/mV", "1000/mV".
  const gainMatch = /^([-+\d.eE]+)?(?:\(([-+\d]+)\))?(?:\/(\S+))?$/.exec(f[2] ?? '');
  const parsedGain = gainMatch?.[1] === undefined ? 0 : Number.parseFloat(gainMatch[1]);
  const gain = parsedGain === 0 || !Number.isFinite(parsedGain) ? DEFAULT_GAIN : parsedGain;
  const units = gainMatch?.[3] ?? 'mV';
  const adcZero = f[4] === undefined ? 0 : Number.parseInt(f[4], 10);
  const baseline = gainMatch?.[2] === undefined ? adcZero : Number.parseInt(gainMatch[2], 10);
  const description = f.slice(8).join(' ');
  return { fileName, format, gain, baseline, units, description, byteOffset };
}
