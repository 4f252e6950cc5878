// Runs Lambda handlers in-process: loads a catalog entry, builds a Lambda-like context and
// enforces a time limit. A handler that overruns cannot be killed in-process; the caller
// just stops waiting for it, as API Gateway does.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './local-aws.ts';

export type LambdaHandler = (event: unknown, context: Context) => unknown;

/** Resolves a catalog `entry` (e.g. functions/users/handler.ts) to its exported `handler`. */
export type HandlerLoader = (entry: string) => Promise<LambdaHandler>;

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** The real loader: a dynamic import of the entry below the repository root, cached by Node. */
export function moduleHandlerLoader(root: string = REPO_ROOT): HandlerLoader {
  return async (entry) => {
    const module = (await import(pathToFileURL(join(root, entry)).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
    return module.handler as LambdaHandler;
  };
}

export interface FunctionToInvoke {
  /** The catalog key, e.g. "users"; becomes the local function name. */
  readonly name: string;
  readonly entry: string;
  readonly timeoutMs: number;
  readonly memoryMb?: number;
}

export type InvocationOutcome =
  | { readonly kind: 'result'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' };

export async function invokeFunction(loader: HandlerLoader, fn: FunctionToInvoke, event: unknown): Promise<InvocationOutcome> {
  const deadline = Date.now() + fn.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<InvocationOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), fn.timeoutMs);
  });
  const run = (async (): Promise<InvocationOutcome> => {
    try {
      const handler = await loader(fn.entry);
      return { kind: 'result', value: await handler(event, lambdaContext(fn, deadline)) };
    } catch (error) {
      return { kind: 'error', error };
    }
  })();
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function lambdaContext(fn: FunctionToInvoke, deadline: number): Context {
  const functionName = `vigil-local-${fn.name}`;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
