// One small HTTP server answering, on one port, for the AWS services that have no emulator
// package worth starting: EventBridge Scheduler (scheduler-emulator.ts), and SES v2 and SNS
// (outbox-emulator.ts). Functions reach it through AWS_ENDPOINT_URL_SCHEDULER, _SESV2 and _SNS,
// so the SDK clients they create are the ones they use in AWS. The request's path and shape
// say which service it is meant for, as the three protocols do not overlap.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsServiceError, type EmulatedRequest, type EmulatedResponse, restJsonErrorResponse } from './aws-wire.ts';
import { type OutboxEmulator, startOutboxEmulator } from './outbox-emulator.ts';
import { type SchedulerEmulator, startSchedulerEmulator } from './scheduler-emulator.ts';

export interface LocalAwsServicesOptions {
  /** 0 picks a free one. */
  readonly port: number;
  /** Where pending schedules are kept across restarts; omit to keep them in memory. */
  readonly schedulesFile?: string;
  /** The JSON-lines file sent email, SMS and push land in. */
  readonly outboxFile: string;
  /** Runs a schedule's target function with its Input as the event; rejects when the function fails. */
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** Whether a schedule's target function exists; CreateSchedule refuses the others. Any name by default. */
  readonly knowsFunction?: (functionName: string) => boolean;
  readonly log: (message: string) => void;
}

export interface LocalAwsServices {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The endpoint for a port: what the twin puts in AWS_ENDPOINT_URL_* before the server starts. */
export const localAwsServicesEndpoint = (port: number) => `http://127.0.0.1:${port}`;

export async function startLocalAwsServices(options: LocalAwsServicesOptions): Promise<LocalAwsServices> {
  // Listening first: schedules that fell due while the twin was down fire as soon as the
  // scheduler starts, and must not be spent on a start that then fails for a busy port.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, like the rest of the twin: nothing here checks a signature.
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const closeServer = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  let outbox: OutboxEmulator;
  let scheduler: SchedulerEmulator;
  try {
    outbox = await startOutboxEmulator({ outboxFile: options.outboxFile, log: options.log });
    scheduler = await startSchedulerEmulator({
      invoke: options.invoke,
      log: options.log,
      ...(options.schedulesFile === undefined ? {} : { schedulesFile: options.schedulesFile }),
      ...(options.knowsFunction === undefined ? {} : { knowsFunction: options.knowsFunction }),
    });
  } catch (error) {
    await closeServer();
    throw error;
  }

  const dispatch = (request: EmulatedRequest): Promise<EmulatedResponse> => {
    if (request.path === '/schedules' || request.path.startsWith('/schedules/')) return scheduler.handle(request);
    if (request.method === 'POST' && request.path === '/v2/email/outbound-emails') return outbox.sendEmail(request);
    // awsQuery: every SNS action is a form POST to the root.
    if (request.method === 'POST' && request.path === '/' && request.contentType.startsWith('application/x-www-form-urlencoded')) {
      return outbox.sns(request);
    }
    const unknown = new AwsServiceError(
      'UnknownOperationException',
      404,
      `No local AWS service answers ${request.method} ${request.path}.`,
    );
    return Promise.resolve(restJsonErrorResponse(unknown));
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let response: EmulatedResponse;
      try {
        response = await dispatch(await readRequest(req));
      } catch (error) {
        options.log(`[aws] ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
        response = restJsonErrorResponse(new AwsServiceError('InternalFailure', 500, 'The local AWS services failed; see the twin log.'));
      }
      res.writeHead(response.status, { ...response.headers, 'x-amzn-requestid': randomUUID() }).end(response.body);
    })();
  });

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    endpoint: localAwsServicesEndpoint(port),
    async stop() {
      await scheduler.stop();
      await closeServer();
      await outbox.stop();
    },
  };
}

async function readRequest(req: IncomingMessage): Promise<EmulatedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://local');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    contentType: req.headers['content-type'] ?? '',
    body: Buffer.concat(chunks).toString('utf8'),
  };
}
