// The twin's Lambda service: each function runs in execution environments of its own (worker
// threads, lambda-worker.ts), each with only that function's environment variables and its
// own copy of every module, one invocation at a time. Environments are started on first use
// (a cold start) and kept warm; one that overruns its timeout is thrown away, as Lambda does.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
  readonly timeoutMs: number;
  readonly memoryMb?: number;
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
  /** Environments one function may run at once; further invocations wait (a reserved concurrency). */
  readonly maxConcurrencyPerFunction?: number;
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
}

interface FunctionPool {
  readonly idle: Environment[];
  readonly all: Set<Environment>;
  readonly waiting: Array<() => void>;
}

const DEFAULT_MAX_CONCURRENCY = 8;

function revive(error: SerializedError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const resolveModule = options.resolveModule ?? repositoryHandlerModules;
  const maxConcurrency = options.maxConcurrencyPerFunction ?? DEFAULT_MAX_CONCURRENCY;
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
    const discard = (error: Error) => {
      pool.all.delete(environment);
      const index = pool.idle.indexOf(environment);
      if (index >= 0) pool.idle.splice(index, 1);
      failInit(error);
      environment.pending?.settle({ kind: 'error', error });
      environment.pending = undefined;
      pool.waiting.shift()?.();
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') markReady();
      else if (reply.kind === 'init-error') {
        discard(revive(reply.error));
        void worker.terminate();
      } else if (environment.pending?.id === reply.id) {
        const { settle } = environment.pending;
        environment.pending = undefined;
        settle(reply.kind === 'result' ? { kind: 'result', value: reply.value } : { kind: 'error', error: revive(reply.error) });
      }
    });
    worker.on('error', (error) => discard(error));
    worker.on('exit', (code) => discard(new Error(`the execution environment of ${fn.name} exited (code ${code})`)));
    pool.all.add(environment);
    return environment;
  }

  async function acquire(fn: FunctionToInvoke): Promise<Environment> {
    const pool = poolOf(fn.name);
    for (;;) {
      if (stopped) throw new Error('the local Lambda runtime has stopped');
      const warm = pool.idle.pop();
      if (warm !== undefined) return warm;
      if (pool.all.size < maxConcurrency) return startEnvironment(fn, pool);
      await new Promise<void>((resolve) => pool.waiting.push(resolve));
    }
  }

  function release(fn: FunctionToInvoke, environment: Environment): void {
    const pool = poolOf(fn.name);
    if (pool.all.has(environment)) pool.idle.push(environment);
    pool.waiting.shift()?.();
  }

  return {
    async invoke(fn, event) {
      const deadline = Date.now() + fn.timeoutMs;
      let environment: Environment;
      try {
        environment = await acquire(fn);
      } catch (error) {
        return { kind: 'error', error: error instanceof Error ? error : new Error(String(error)) };
      }
      const pool = poolOf(fn.name);
      let timer: NodeJS.Timeout | undefined;
      try {
        const outcome = await new Promise<InvocationOutcome>((settle) => {
          // The timeout counts the cold start too, as Lambda's does for the first invocation.
          timer = setTimeout(
            () => {
              environment.pending = undefined;
              pool.all.delete(environment);
              void environment.worker.terminate();
              settle({ kind: 'timeout' });
            },
            Math.max(0, deadline - Date.now()),
          );
          environment.ready.then(
            () => {
              const id = nextId++;
              environment.pending = { id, settle };
              const message: InvokeMessage = { id, event, context: lambdaContext(fn, deadline) };
              environment.worker.postMessage(message);
            },
            (error: Error) => settle({ kind: 'error', error }),
          );
        });
        return outcome;
      } finally {
        clearTimeout(timer);
        release(fn, environment);
      }
    },
    async stop() {
      stopped = true;
      const workers = [...pools.values()].flatMap((pool) => [...pool.all].map((environment) => environment.worker));
      for (const pool of pools.values()) for (const wake of pool.waiting.splice(0)) wake();
      await Promise.all(workers.map((worker) => worker.terminate()));
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
