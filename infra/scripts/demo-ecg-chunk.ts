// Prints a chunk body of synthetic ECG for trying the API by hand:
//   npm run -s demo-chunk -- [--bpm 140] [--seconds 10] [--rate 250] > chunk.json
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { ChunkRequest } from '../../shared/api/schemas.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';

const { values } = parseArgs({
  options: {
    bpm: { type: 'string', default: '140' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '250' },
  },
});
const { samples } = regularRhythmEcg({
  heartRateBpm: Number(values.bpm),
  seconds: Number(values.seconds),
  sampleRateHz: Number(values.rate),
});
const body: z.input<typeof ChunkRequest> = { samples: Array.from(samples) };
process.stdout.write(`${JSON.stringify(body)}\n`);
