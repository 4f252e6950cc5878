// ECG reference-data tool: detect beats, score them against annotations, classify rhythm.
//   npm run -s ecg -- detect <record>... [--channel N]
//   npm run -s ecg -- eval <record>... [--channel N]
//   npm run -s ecg -- rhythm <record>... [--channel N]
// <record> is a WFDB record path without extension (a .hea next to its signal files). Many
// records are screened in one process, one line each (JSON for detect and rhythm, with its
// `record`); a record that cannot be read is reported on stderr and the rest go on (exit 1).
import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { measureRrIrregularity } from '../../shared/ecg/rhythm-classifier.ts';
import { matchBeats, matchToleranceSamples } from '../../shared/ecg/beat-matching.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../shared/ecg/wfdb/wfdb-record-loader.ts';

const USAGE = 'usage: ecg <detect|eval|rhythm> <record-path-without-extension>... [--channel N]';
const COMMANDS = ['detect', 'eval', 'rhythm'];

function parseArgs(argv: string[]): { command: string; records: string[]; channel: number } {
  const positional: string[] = [];
  let channel = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--channel') {
      const value = argv[++i];
      channel = Number(value);
      if (value === undefined || !Number.isInteger(channel) || channel < 0)
        throw new Error(`--channel needs a non-negative integer, got ${String(value)}`);
    } else positional.push(arg);
  }
  const [command, ...records] = positional;
  if (command === undefined || !COMMANDS.includes(command) || records.length === 0) throw new Error(USAGE);
  return { command, records, channel };
}

/** The line one record gets. */
function report(command: string, record: string, channel: number): string {
  const signal = loadWfdbChannel(record, channel);
  const fs = signal.sampleRateHz;
  const analysis = analyzeRecording(signal.microvolts, fs);
  switch (command) {
    case 'detect':
      return `${JSON.stringify({ record, fs, peaks: analysis.beats })}\n`;
    case 'eval': {
      const match = matchBeats(loadWfdbBeatSamples(record), analysis.beats, matchToleranceSamples(fs));
      const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
      return `record ${record} channel ${channel}\nSe ${pct(match.sensitivity)}  +P ${pct(match.positivePredictivity)}  TP ${match.truePositives}  FP ${match.falsePositives}  FN ${match.falseNegatives}\n`;
    }
    default: {
      const { summary } = analysis;
      return `${JSON.stringify({
        record,
        rhythm: summary.rhythm === 'unknown' ? 'other' : summary.rhythm,
        beatCount: summary.beatCount,
        analyzedSeconds: summary.analyzedSeconds,
        unusableSeconds: summary.unusableSeconds,
        heartRate: summary.heartRate,
        hrv: summary.hrv,
        irregularity: measureRrIrregularity(analysis.rrIntervalsMs),
        rhythmSeconds: summary.rhythmSeconds,
        flags: summary.flags,
      })}\n`;
    }
  }
}

function main(): void {
  const { command, records, channel } = parseArgs(process.argv.slice(2));
  for (const record of records) {
    try {
      process.stdout.write(report(command, record, channel));
    } catch (error) {
      process.stderr.write(`${record}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
