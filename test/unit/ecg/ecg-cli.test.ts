import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureCincRecord, fixtureMitdbRecord } from '../../support/ecg-records.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = `${REPO}node_modules/.bin/node`;

function cli(...args: string[]): string {
  return execFileSync(NODE, ['infra/scripts/ecg-cli.ts', ...args], { cwd: REPO, encoding: 'utf8' });
}

describe('ecg CLI', () => {
  it('detect prints the sample rate and R-peak sample indices as JSON', () => {
    const output = JSON.parse(cli('detect', fixtureCincRecord('A00001'))) as { fs: number; peaks: number[] };
    expect(output.fs).toBe(300);
    expect(output.peaks.length).toBeGreaterThan(30);
    expect(output.peaks.every((p, i) => Number.isInteger(p) && (i === 0 || p > output.peaks[i - 1]!))).toBe(true);
  });

  it('eval prints Se, +P, TP, FP and FN against the annotations', () => {
    const output = cli('eval', fixtureMitdbRecord('100'));
    expect(output).toMatch(/Se \d+\.\d+%\s+\+P \d+\.\d+%\s+TP \d+\s+FP \d+\s+FN \d+/);
    const tp = Number(/TP (\d+)/.exec(output)?.[1]);
    const fn = Number(/FN (\d+)/.exec(output)?.[1]);
    expect(tp + fn).toBe(2273);
  });

  it('rhythm prints the rhythm and the measures behind it', () => {
    const output = JSON.parse(cli('rhythm', fixtureCincRecord('A00009'), '--channel', '0')) as {
      rhythm: string;
      irregularity: Record<string, number>;
    };
    expect(['sinus', 'af', 'other', 'noisy']).toContain(output.rhythm);
    expect(output.irregularity.normalizedMedianSuccessiveDifference).toBeGreaterThan(0);
  });

  it('screens many records in one process, one JSON line each with its record, going on past one it cannot read', () => {
    const records = [fixtureCincRecord('A00001'), `${fixtureCincRecord('A00001')}-missing`, fixtureCincRecord('A00009')];
    let stdout = '';
    let stderr = '';
    try {
      execFileSync(NODE, ['infra/scripts/ecg-cli.ts', 'rhythm', ...records], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      ({ stdout, stderr } = error as { stdout: string; stderr: string });
    }
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { record: string; rhythm: string });
    expect(lines.map((line) => line.record)).toEqual([records[0], records[2]]);
    expect(stderr).toContain(`${records[1]}:`);
    const detected = cli('detect', records[0]!, records[2]!)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { record: string; fs: number; peaks: number[] });
    expect(detected.map((line) => line.record)).toEqual([records[0], records[2]]);
    expect(detected.every((line) => line.peaks.length > 10)).toBe(true);
  });

  it('fails with a message for a channel the record does not have', () => {
    expect(() =>
      execFileSync(NODE, ['infra/scripts/ecg-cli.ts', 'detect', fixtureCincRecord('A00001'), '--channel', '3'], {
        cwd: REPO,
        stdio: 'pipe',
      }),
    ).toThrow(/no channel 3/);
  });
});
