// One Lambda execution environment of the local twin: a worker thread with its own module
// graph and its own process.env (only its function's variables), running one invocation at
// a time, as a Lambda sandbox does. The twin's side of it is lambda-runtime.ts.
//
// It also stands in for the one AWS endpoint no SDK setting can redirect: the user pool's key
// set at https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json, which the
// token verifier fetches with node:https. Requests there are answered by cognito-local, whose
// tokens the twin has issued under that same issuer. The trust is set up here, in the twin;
// the function's own code is the code that runs in AWS.
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

export interface LambdaWorkerData {
  /** Absolute path of the module exporting `handler`. */
  readonly modulePath: string;
  /** cognito-local's endpoint, which answers for the user pool's key set. */
  readonly cognitoEndpoint?: string;
}

export interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly context: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'> & { readonly deadline: number };
}

export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'init-error'; readonly error: SerializedError }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

const COGNITO_HOST = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/;

function serialize(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

function answerCognitoKeysLocally(cognitoEndpoint: string): void {
  const original = https.request;
  const local = new URL(cognitoEndpoint);
  const redirected = ((...args: Parameters<typeof https.request>) => {
    const [target, options, callback] = args;
    const url = typeof target === 'string' ? new URL(target) : target instanceof URL ? target : undefined;
    if (url === undefined || !COGNITO_HOST.test(url.hostname) || !url.pathname.endsWith('/.well-known/jwks.json')) {
      return original(...args);
    }
    const to = new URL(url.pathname, local);
    const requestOptions = typeof options === 'function' ? {} : { method: options?.method ?? 'GET', signal: options?.signal };
    const onResponse = typeof options === 'function' ? options : callback;
    return http.request(to, requestOptions, onResponse);
  }) as typeof https.request;
  https.request = redirected;
  // ES modules see node:https through a facade; this makes them see the change too.
  syncBuiltinESMExports();
}

const port = parentPort;
if (port === null) throw new Error('lambda-worker.ts runs as a worker thread');
const data = workerData as LambdaWorkerData;
if (data.cognitoEndpoint !== undefined) answerCognitoKeysLocally(data.cognitoEndpoint);

type Handler = (event: unknown, context: Context) => unknown;
let handler: Handler;
try {
  const module = (await import(pathToFileURL(data.modulePath).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${data.modulePath} does not export a handler function`);
  handler = module.handler as Handler;
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ kind: 'init-error', error: serialize(error) } satisfies WorkerReply);
}

const unsupported = () => {
  throw new Error('callback-style completion is not supported; return a promise');
};

port.on('message', async (message: InvokeMessage) => {
  const { deadline, ...fields } = message.context;
  const context: Context = {
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
  try {
    const value = await handler(message.event, context);
    port.postMessage({ kind: 'result', id: message.id, value } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ kind: 'error', id: message.id, error: serialize(error) } satisfies WorkerReply);
  }
});
