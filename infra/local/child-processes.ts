// Emulator processes (java for DynamoDB Local, node for cognito-local) run in their own
// process group so that stopping the twin can signal the whole group and leave no orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface SpawnManagedOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Output goes here, so a failing emulator can be diagnosed without flooding the console. */
  readonly logFile?: string;
}

const live = new Set<ManagedProcess>();

export function spawnManaged(options: SpawnManagedOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return adoptProcess(options.name, child, options.logFile);
}

/** Tracks a child started elsewhere; it must have been spawned `detached` (own process group). */
export function adoptProcess(name: string, child: ChildProcess, logFile?: string): ManagedProcess {
  if (logFile !== undefined) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  const managed: ManagedProcess = {
    name,
    child,
    async stop() {
      live.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      // The group may still hold grandchildren; make sure none outlive the leader.
      signalGroup(child, 'SIGKILL');
    },
  };
  live.add(managed);
  return managed;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Last line of defence if the twin's process exits without stopping its children
// (an uncaught error, process.exit): 'exit' handlers must be synchronous.
process.once('exit', () => {
  for (const managed of live) signalGroup(managed.child, 'SIGKILL');
});

/** Resolves once `probe` succeeds; rejects if the process dies first or time runs out. */
export async function waitUntilReady(managed: ManagedProcess, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null || managed.child.signalCode !== null) {
      throw new Error(`${managed.name} exited before it was ready (code ${managed.child.exitCode ?? managed.child.signalCode})`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${managed.name} was not ready within ${timeoutMs} ms`);
}
