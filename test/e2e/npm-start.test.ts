// `npm start` as a newcomer runs it: ready with its URLs well within 20 s, data kept across a
// restart, wiped by --fresh, nothing left listening after Ctrl-C or a closed terminal, the
// emulators of a killed run stopped by the next (never those of a twin still running), and a
// port held by something else named.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../infra/local/free-port.ts';
import { REPO_ROOT } from '../../infra/local/lambda-runtime.ts';

const READY_BUDGET_MS = 20_000;
let dataDir: string;
let ports: number[];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const tmpRoot = join(REPO_ROOT, '.vitest-tmp');
  await mkdir(tmpRoot, { recursive: true });
  dataDir = await mkdtemp(join(tmpRoot, 'npm-start-'));
  ports = await freePorts(6);
  const [http, ws, dynamo, sqs, cognito, services] = ports.map(String);
  env = {
    ...process.env,
    VIGIL_LOCAL_DIR: dataDir,
    VIGIL_HTTP_PORT: http,
    VIGIL_WS_PORT: ws,
    VIGIL_DYNAMODB_PORT: dynamo,
    VIGIL_SQS_PORT: sqs,
    VIGIL_COGNITO_PORT: cognito,
    VIGIL_SERVICES_PORT: services,
  };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs start.ts (or `npm start` itself) and resolves once it prints that it is ready. */
function startTwinProcess(args: string[] = [], { throughNpm = false } = {}): Promise<Started> {
  const child = throughNpm
    ? spawn('npm', ['start', '--', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [join(REPO_ROOT, 'infra/local/start.ts'), ...args], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready within ${READY_BUDGET_MS} ms:\n${text}`));
    }, READY_BUDGET_MS);
    const check = () => {
      if (text.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.ts exited with ${code} before it was ready:\n${text}`));
    });
  });
}

function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function createAdmin(email: string, password: string): Promise<void> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'infra/scripts/create-admin.ts'), email, password], {
    cwd: REPO_ROOT,
    env,
    stdio: 'ignore',
  });
  expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
}

const login = (email: string, password: string) =>
  fetch(`http://127.0.0.1:${ports[0]}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('npm start', () => {
  const email = 'admin@example.org';
  const password = 'Correct-Horse-42';

  it('prints its URLs, keeps data across a restart, and leaves nothing behind on Ctrl-C', async () => {
    // startTwinProcess fails past READY_BUDGET_MS; a healthy start takes a few seconds.
    const first = await startTwinProcess();
    expect(first.output()).toContain(`http://localhost:${ports[0]}/v1/health`);
    expect(first.output()).toContain(`ws://localhost:${ports[1]}`);
    await createAdmin(email, password);
    expect((await login(email, password)).status).toBe(200);
    expect(await stop(first, 'SIGINT')).toBe(0);
    for (const port of ports) expect(await listening(port), `port ${port} after Ctrl-C`).toBe(false);

    const second = await startTwinProcess();
    expect((await login(email, password)).status).toBe(200);
    expect(await stop(second, 'SIGHUP')).toBe(0);
    for (const port of ports) expect(await listening(port), `port ${port} after SIGHUP`).toBe(false);
  }, 90_000);

  it('--fresh starts with no data', async () => {
    const fresh = await startTwinProcess(['--fresh']);
    expect(fresh.output()).toContain('started fresh');
    expect((await login(email, password)).status).toBe(401);
    expect(await stop(fresh, 'SIGTERM')).toBe(0);
  }, 60_000);

  it('stops the emulators a killed run left behind, and then runs', async () => {
    const killed = await startTwinProcess();
    killed.child.kill('SIGKILL');
    await new Promise((resolve) => killed.child.once('exit', resolve));
    // DynamoDB Local runs in a process group of its own, so it outlived the twin.
    expect(await listening(ports[2]!)).toBe(true);

    const next = await startTwinProcess();
    expect(next.output()).toMatch(/stopped emulators a previous run left behind: DynamoDB Local \(pid \d+\), cognito-local \(pid \d+\)/);
    expect((await fetch(`http://127.0.0.1:${ports[0]}/v1/health`)).status).toBe(200);
    expect(await stop(next, 'SIGINT')).toBe(0);
    for (const port of ports) expect(await listening(port), `port ${port} after the restart`).toBe(false);
  }, 90_000);

  it('refuses to start, even --fresh, on the data folder of a twin that is running, and leaves that twin alone', async () => {
    const running = await startTwinProcess();
    try {
      for (const args of [[], ['--fresh']]) {
        const failed = await startTwinProcess(args).then(
          () => {
            throw new Error('a second twin started on the same data folder');
          },
          (error: Error) => error.message,
        );
        expect(failed).toContain(`another local twin (pid ${running.child.pid}) is running with ${dataDir}`);
      }
      expect((await fetch(`http://127.0.0.1:${ports[0]}/v1/health`)).status).toBe(200);
      expect(await listening(ports[2]!), 'DynamoDB Local of the running twin').toBe(true);
    } finally {
      expect(await stop(running, 'SIGINT')).toBe(0);
    }
  }, 90_000);

  it('names the process that holds one of its ports', async () => {
    const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${ports[0]}, '127.0.0.1')`], {
      stdio: 'ignore',
    });
    try {
      await eventuallyListening(ports[0]!);
      const failed = await startTwinProcess().then(
        () => {
          throw new Error('the twin started on a port that was taken');
        },
        (error: Error) => error.message,
      );
      expect(failed).toContain(`ports already in use: http (${ports[0]}, held by pid ${holder.pid}: `);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);

  it('stops everything when only the npm process gets Ctrl-C', async () => {
    const started = await startTwinProcess([], { throughNpm: true });
    // SIGINT to npm alone, not to its process group, as a process manager would send it.
    expect(await stop(started, 'SIGINT')).not.toBeNull();
    for (let waited = 0; waited < 10_000 && (await Promise.all(ports.map(listening))).some(Boolean); waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const port of ports) expect(await listening(port), `port ${port} after SIGINT to npm`).toBe(false);
  }, 60_000);
});

async function eventuallyListening(port: number): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (await listening(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}
