// The twin's Lambda service: each function runs in execution environments of its own (worker
// threads, lambda-worker.ts), each with only that function's environment variables and its
// own copy of every module, one invocation at a time. Environments are started on first use
// (a cold start, with a budget of its own as in Lambda) and kept warm until idle for a while;
// one that overruns its timeout is thrown away, as Lambda does.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FunctionDefinition, functionTimeoutSeconds } from '../../shared/api/function-catalog.ts';
import type { InvokeMessage, LambdaWorkerData, SerializedError, WorkerReply } from './lambda-worker.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './local-aws.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** Where a catalog `entry` (functions/users/handler.ts) is loaded from; tests map entries to fixtures. */
export type HandlerModuleResolver = (entry: string) => string;

export const repositoryHandlerModules: HandlerModuleResolver = (entry) => join(REPO_ROOT, entry);

export interface FunctionToInvoke {
  /** The catalog key, e.g. "users"; becomes the local function name. */
  readonly name: string;
  readonly entry: string;
  /** The function's own timeout: how long one invocation may run once its environment is ready. */
  readonly timeoutMs: number;
  readonly memoryMb?: number;
}

/** A catalog entry as the runtime invokes it, with its own timeout unless a test overrides it. */
export function functionToInvoke(name: string, definition: FunctionDefinition, timeoutMs?: number): FunctionToInvoke {
  return {
    name,
    entry: definition.entry,
    timeoutMs: timeoutMs ?? functionTimeoutSeconds(definition) * 1000,
    ...(definition.memoryMb === undefined ? {} : { memoryMb: definition.memoryMb }),
  };
}

export type InvocationOutcome =
  | { readonly kind: 'result'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'timeout' };

export interface LambdaRuntimeOptions {
  readonly resolveModule?: HandlerModuleResolver;
  /** The variables of a function's environment (its own, plus region, credentials and endpoints). */
  readonly environmentOf: (name: string) => Readonly<Record<string, string>>;
  /** cognito-local's endpoint, which answers for the user pool's key set inside the environments. */
  readonly cognitoEndpoint?: string;
  /** Environments one function may run at once; further invocations wait for one (a reserved concurrency). */
  readonly maxConcurrencyPerFunction?: number;
  /** How long an environment may sit idle before it is shut down. */
  readonly idleShutdownMs?: number;
}

export interface LambdaRuntime {
  invoke(fn: FunctionToInvoke, event: unknown): Promise<InvocationOutcome>;
  stop(): Promise<void>;
}

interface Environment {
  readonly worker: Worker;
  /** Resolves when the handler module has loaded; rejects with its load error. */
  readonly ready: Promise<void>;
  pending?: { id: number; settle: (outcome: InvocationOutcome) => void };
  idleTimer?: NodeJS.Timeout;
}

interface FunctionPool {
  readonly idle: Environment[];
  readonly all: Set<Environment>;
  readonly waiting: Array<() => void>;
}

const DEFAULT_MAX_CONCURRENCY = 8;
/** Lambda gives a function's initialisation ten seconds of its own. */
const INIT_TIMEOUT_MS = 10_000;
const DEFAULT_IDLE_SHUTDOWN_MS = 5 * 60_000;

function revive(error: SerializedError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const resolveModule = options.resolveModule ?? repositoryHandlerModules;
  const maxConcurrency = options.maxConcurrencyPerFunction ?? DEFAULT_MAX_CONCURRENCY;
  const idleShutdownMs = options.idleShutdownMs ?? DEFAULT_IDLE_SHUTDOWN_MS;
  const pools = new Map<string, FunctionPool>();
  let nextId = 1;
  let stopped = false;

  const poolOf = (name: string): FunctionPool => {
    let pool = pools.get(name);
    if (pool === undefined) {
      pool = { idle: [], all: new Set(), waiting: [] };
      pools.set(name, pool);
    }
    return pool;
  };

  /** Takes an environment out of service: it settles what it was running and frees its place. */
  function retire(pool: FunctionPool, environment: Environment, error: Error): void {
    clearTimeout(environment.idleTimer);
    const wasInPool = pool.all.delete(environment);
    const index = pool.idle.indexOf(environment);
    if (index >= 0) pool.idle.splice(index, 1);
    environment.pending?.settle({ kind: 'error', error });
    environment.pending = undefined;
    if (wasInPool) pool.waiting.shift()?.();
  }

  function startEnvironment(fn: FunctionToInvoke, pool: FunctionPool): Environment {
    const workerData: LambdaWorkerData = {
      modulePath: resolveModule(fn.entry),
      ...(options.cognitoEndpoint === undefined ? {} : { cognitoEndpoint: options.cognitoEndpoint }),
    };
    const worker = new Worker(new URL('./lambda-worker.ts', import.meta.url), {
      workerData,
      env: {
        ...options.environmentOf(fn.name),
        AWS_LAMBDA_FUNCTION_NAME: localFunctionName(fn.name),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb ?? 128),
      },
      // The function's memory setting bounds its heap, roughly as Lambda bounds the sandbox.
      ...(fn.memoryMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb } }),
    });
    let markReady: () => void = () => undefined;
    let failInit: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failInit = reject;
    });
    ready.catch(() => undefined);
    const environment: Environment = { worker, ready };
    const initTimer = setTimeout(() => {
      failInit(new Error(`${fn.name} did not initialise within ${INIT_TIMEOUT_MS} ms`));
      void worker.terminate();
    }, INIT_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(initTimer);
      failInit(error);
      retire(pool, environment, error);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        clearTimeout(initTimer);
        markReady();
      } else if (reply.kind === 'init-error') {
        fail(revive(reply.error));
        void worker.terminate();
      } else if (environment.pending?.id === reply.id) {
        const { settle } = environment.pending;
        environment.pending = undefined;
        settle(reply.kind === 'result' ? { kind: 'result', value: reply.value } : { kind: 'error', error: revive(reply.error) });
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the execution environment of ${fn.name} exited (code ${code})`)));
    pool.all.add(environment);
    return environment;
  }

  async function acquire(fn: FunctionToInvoke): Promise<Environment> {
    const pool = poolOf(fn.name);
    for (;;) {
      if (stopped) throw new Error('the local Lambda runtime has stopped');
      const warm = pool.idle.pop();
      if (warm !== undefined) {
        clearTimeout(warm.idleTimer);
        return warm;
      }
      if (pool.all.size < maxConcurrency) return startEnvironment(fn, pool);
      await new Promise<void>((resolve) => pool.waiting.push(resolve));
    }
  }

  function release(fn: FunctionToInvoke, environment: Environment): void {
    const pool = poolOf(fn.name);
    if (pool.all.has(environment)) {
      pool.idle.push(environment);
      environment.idleTimer = setTimeout(() => {
        retire(pool, environment, new Error('shut down after sitting idle'));
        void environment.worker.terminate();
      }, idleShutdownMs);
      environment.idleTimer.unref();
    }
    pool.waiting.shift()?.();
  }

  /** Runs one invocation on a ready environment; the function's timeout starts now. */
  function run(fn: FunctionToInvoke, environment: Environment, event: unknown): Promise<InvocationOutcome> {
    const pool = poolOf(fn.name);
    const deadline = Date.now() + fn.timeoutMs;
    return new Promise<InvocationOutcome>((settle) => {
      const timer = setTimeout(() => {
        environment.pending = undefined;
        retire(pool, environment, new Error('timed out'));
        void environment.worker.terminate();
        settle({ kind: 'timeout' });
      }, fn.timeoutMs);
      const id = nextId++;
      environment.pending = {
        id,
        settle: (outcome) => {
          clearTimeout(timer);
          settle(outcome);
        },
      };
      try {
        const message: InvokeMessage = { id, event, context: lambdaContext(fn, deadline) };
        environment.worker.postMessage(message);
      } catch (error) {
        // An event that cannot be copied to the environment (it holds a function, say).
        environment.pending.settle({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) });
        environment.pending = undefined;
      }
    });
  }

  return {
    async invoke(fn, event) {
      let environment: Environment;
      try {
        environment = await acquire(fn);
        await environment.ready;
      } catch (error) {
        return { kind: 'error', error: error instanceof Error ? error : new Error(String(error)) };
      }
      try {
        return await run(fn, environment, event);
      } finally {
        release(fn, environment);
      }
    },
    async stop() {
      stopped = true;
      const environments = [...pools.values()].flatMap((pool) => [...pool.all]);
      for (const environment of environments) clearTimeout(environment.idleTimer);
      for (const pool of pools.values()) for (const wake of pool.waiting.splice(0)) wake();
      await Promise.all(environments.map((environment) => environment.worker.terminate()));
    },
  };
}

const localFunctionName = (name: string) => `vigil-local-${name}`;

function lambdaContext(fn: FunctionToInvoke, deadline: number): InvokeMessage['context'] {
  const functionName = localFunctionName(fn.name);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    deadline,
  };
}
