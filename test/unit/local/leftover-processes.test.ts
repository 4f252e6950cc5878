// What the next start may kill is decided from a file any crash can leave torn or stale: only a
// live process whose command line shows the recorded emulator is ever signalled.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordProcesses, stopLeftoverProcesses } from '../../../infra/local/leftover-processes.ts';

let dataDir: string;
let bystander: ChildProcess;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigil-leftovers-'));
  // A live process that is not an emulator: a recycled pid looks like this.
  bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
});

afterEach(async () => {
  bystander.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const recordFile = () => join(dataDir, 'emulator-pids.json');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stopping leftover emulators', () => {
  it('leaves alone a live process whose command line is not the recorded emulator', async () => {
    await writeFile(
      recordFile(),
      JSON.stringify({
        owner: 2 ** 22 + 1,
        processes: [{ name: 'DynamoDB Local', pid: bystander.pid, commandMarker: 'DynamoDBLocal.jar' }],
      }),
    );
    expect(await stopLeftoverProcesses(dataDir)).toEqual([]);
    expect(alive(bystander.pid!)).toBe(true);
  });

  it('stops a recorded emulator whose owner is gone', async () => {
    await writeFile(
      recordFile(),
      JSON.stringify({ owner: 2 ** 22 + 1, processes: [{ name: 'stand-in', pid: bystander.pid, commandMarker: 'setInterval' }] }),
    );
    expect(await stopLeftoverProcesses(dataDir)).toEqual([`stand-in (pid ${bystander.pid})`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(bystander.pid!)).toBe(false);
  });

  it('ignores and removes a torn or unknown record, and never records a missing pid', async () => {
    for (const text of ['{"owner": 1, "processes": [{"name": "x", "pid": 0', '[{"name":"x","pid":-1,"commandMarker":"node"}]']) {
      await writeFile(recordFile(), text);
      expect(await stopLeftoverProcesses(dataDir)).toEqual([]);
      await expect(readFile(recordFile())).rejects.toThrow(/ENOENT/);
    }
    await recordProcesses(dataDir, [
      { name: 'never started', pid: -1, commandMarker: 'x' },
      { name: 'stand-in', pid: bystander.pid!, commandMarker: 'setInterval' },
    ]);
    const record = JSON.parse(await readFile(recordFile(), 'utf8')) as { owner: number; processes: Array<{ name: string }> };
    expect(record.owner).toBe(process.pid);
    expect(record.processes.map((recorded) => recorded.name)).toEqual(['stand-in']);
  });
});
