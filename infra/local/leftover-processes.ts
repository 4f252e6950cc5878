// What a twin killed outright (SIGKILL, a crash of the terminal) leaves behind: its emulators
// run in process groups of their own, so they outlive it. The twin records their process ids
// in its data folder while they run; the next start stops the ones still running, and when a
// port is still taken it names the process that holds it instead of failing obscurely.
import { readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export interface RecordedProcess {
  readonly name: string;
  readonly pid: number;
  /** A piece of its command line, so a recycled pid of another program is never touched. */
  readonly commandMarker: string;
}

const recordFile = (dataDir: string) => join(dataDir, 'emulator-pids.json');

const processId = z.number().int().positive();
const recordSchema = z.object({
  /** The twin that started them: while it lives, they are its emulators, not leftovers. */
  owner: processId,
  /** The owner's command line, so a recycled owner pid is not mistaken for a running twin. */
  ownerCommand: z.string().optional(),
  processes: z.array(z.object({ name: z.string(), pid: processId, commandMarker: z.string().min(1) })),
});

export async function recordProcesses(dataDir: string, processes: readonly RecordedProcess[]): Promise<void> {
  const ownerCommand = await commandLine(process.pid);
  const record: z.infer<typeof recordSchema> = {
    owner: process.pid,
    ...(ownerCommand === undefined ? {} : { ownerCommand }),
    processes: processes.filter((recorded) => recorded.pid > 0),
  };
  await writeFile(recordFile(dataDir), `${JSON.stringify(record, null, 2)}\n`);
}

export async function forgetProcesses(dataDir: string): Promise<void> {
  await rm(recordFile(dataDir), { force: true });
}

async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the emulators a previous twin recorded and left running; returns what it stopped.
 * Refuses while that twin is still alive, since its emulators are then in use.
 */
export async function stopLeftoverProcesses(dataDir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(recordFile(dataDir), 'utf8');
  } catch {
    return [];
  }
  const record = recordSchema.safeParse(parseJson(text));
  if (!record.success) {
    // Unreadable (an older format, a torn write): nothing in it can be trusted to kill.
    await forgetProcesses(dataDir);
    return [];
  }
  const { owner, ownerCommand, processes } = record.data;
  if (owner !== process.pid && isRunning(owner) && ownerCommand !== undefined && (await commandLine(owner)) === ownerCommand) {
    throw new Error(`another local twin (pid ${owner}) is running with ${dataDir}; stop it first (Ctrl-C in its terminal)`);
  }
  const stopped: string[] = [];
  for (const leftover of processes) {
    if (!isRunning(leftover.pid)) continue;
    // Only a process whose command line shows it is the emulator: a recycled pid belongs to
    // another program, and without /proc (not Linux) nothing can be verified, so nothing is killed.
    const command = await commandLine(leftover.pid);
    if (command === undefined || !command.includes(leftover.commandMarker)) continue;
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-leftover.pid, signal);
      } catch {
        // The group is gone.
      }
      for (let waited = 0; waited < 3000 && isRunning(leftover.pid); waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      if (!isRunning(leftover.pid)) break;
    }
    stopped.push(`${leftover.name} (pid ${leftover.pid})`);
  }
  await forgetProcesses(dataDir);
  return stopped;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The processes listening on `port`, as "pid 123: java -jar DynamoDBLocal.jar …" (Linux only; empty elsewhere). */
export async function processesListeningOn(port: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // State 0A is LISTEN; the port is the hex after the colon.
      if (local === undefined || fields[3] !== '0A' || Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      if (fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return [];
  const holders: string[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const descriptors = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const descriptor of descriptors) {
      const target = await readlink(`/proc/${entry}/fd/${descriptor}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        holders.push(`pid ${entry}: ${(await commandLine(Number(entry)))?.slice(0, 160) ?? '?'}`);
        break;
      }
    }
  }
  return holders;
}
