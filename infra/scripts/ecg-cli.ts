// ECG reference-data tool: detect beats, score them against annotations, classify rhythm.
//   npm run -s ecg -- detect <record> [--channel N]
//   npm run -s ecg -- eval <record> [--channel N]
//   npm run -s ecg -- rhythm <record> [--channel N]
// <record> is a WFDB record path without extension (a .hea next to its signal files).
import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { measureRrIrregularity } from '../../shared/ecg/rhythm-classifier.ts';
import { matchBeats, matchToleranceSamples } from '../../shared/ecg/beat-matching.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../shared/ecg/wfdb/wfdb-record-loader.ts';

const USAGE = 'usage: ecg <detect|eval|rhythm> <record-path-without-extension> [--channel N]';

function parseArgs(argv: string[]): { command: string; record: string; channel: number } {
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
  const [command, record] = positional;
  if (command === undefined || record === undefined || positional.length > 2) throw new Error(USAGE);
  return { command, record, channel };
}

function main(): void {
  const { command, record, channel } = parseArgs(process.argv.slice(2));
  const signal = loadWfdbChannel(record, channel);
  const fs = signal.sampleRateHz;
  const analysis = analyzeRecording(signal.microvolts, fs);
  switch (command) {
    case 'detect':
      process.stdout.write(`${JSON.stringify({ fs, peaks: analysis.beats })}\n`);
      return;
    case 'eval': {
      const match = matchBeats(loadWfdbBeatSamples(record), analysis.beats, matchToleranceSamples(fs));
      const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
      process.stdout.write(
        `record ${record} channel ${channel}\nSe ${pct(match.sensitivity)}  +P ${pct(match.positivePredictivity)}  TP ${match.truePositives}  FP ${match.falsePositives}  FN ${match.falseNegatives}\n`,
      );
      return;
    }
    case 'rhythm': {
      const { summary } = analysis;
      process.stdout.write(
        `${JSON.stringify({
          rhythm: summary.rhythm === 'unknown' ? 'other' : summary.rhythm,
          beatCount: summary.beatCount,
          analyzedSeconds: summary.analyzedSeconds,
          unusableSeconds: summary.unusableSeconds,
          heartRate: summary.heartRate,
          hrv: summary.hrv,
          irregularity: measureRrIrregularity(analysis.rrIntervalsMs),
          rhythmSeconds: summary.rhythmSeconds,
          flags: summary.flags,
        })}\n`,
      );
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
