// EventBridge Scheduler for the twin: the one-time `at()` schedules handlers create through the
// real SDK (REST-JSON: POST, GET and DELETE /schedules/{Name}), each invoking its Lambda target
// with the schedule's Input when due. Schedules are kept in a JSON file when one is given, so
// a restart keeps them and fires the ones that fell due while the twin was down.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../local-aws.ts';
import { AwsServiceError, type EmulatedRequest, type EmulatedResponse, jsonResponse, restJsonErrorResponse } from './aws-wire.ts';

export interface SchedulerEmulatorOptions {
  /** Where schedules are kept across restarts; omit to keep them in memory. */
  readonly schedulesFile?: string;
  /** Runs a target: the function name from its ARN and the parsed Input as the event; rejects when the function fails. */
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** Whether a target function exists; CreateSchedule refuses the others. Any name by default. */
  readonly knowsFunction?: (functionName: string) => boolean;
  readonly log: (message: string) => void;
}

export interface SchedulerEmulator {
  handle(request: EmulatedRequest): Promise<EmulatedResponse>;
  /** Clears every timer and waits for the schedules file to be written. */
  stop(): Promise<void>;
}

const NAME = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-zA-Z-_.]+$/);
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_]+)(?::[a-zA-Z0-9-_$]+)?$/;
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
/** The zone names that mean UTC; the twin does not carry a time-zone database for the others. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC']);
/** setTimeout fires at once past this (about 24.8 days); later schedules re-arm on the way. */
const MAX_TIMER_MS = 2_147_483_647;

const targetSchema = z.object({
  Arn: z.string().regex(LAMBDA_FUNCTION_ARN, 'the local scheduler only invokes Lambda functions (arn:aws:lambda:…:function:…)'),
  RoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
  Input: z.string().refine(isJson, 'must be JSON: it becomes the Lambda event').optional(),
});

const createScheduleBody = z.object({
  ScheduleExpression: z
    .string()
    .regex(AT_EXPRESSION, 'the local scheduler supports one-time at(yyyy-mm-ddThh:mm:ss) schedules only')
    .refine(namesAnInstant, 'names no date and time that exists'),
  ScheduleExpressionTimezone: z
    .string()
    .refine((zone) => UTC_ZONES.has(zone), 'the local scheduler supports UTC only')
    .optional(),
  GroupName: NAME.optional(),
  Target: targetSchema,
  FlexibleTimeWindow: z.object({
    Mode: z.enum(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
  }),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  Description: z.string().max(512).optional(),
});

/** A schedule as GetSchedule reports it (dates in epoch seconds, as REST-JSON sends them) and as the file keeps it. */
const scheduleSchema = z.object({
  Name: NAME,
  GroupName: NAME,
  ScheduleExpression: z.string().regex(AT_EXPRESSION),
  ScheduleExpressionTimezone: z.string(),
  State: z.enum(['ENABLED', 'DISABLED']),
  Description: z.string().optional(),
  Target: targetSchema,
  FlexibleTimeWindow: createScheduleBody.shape.FlexibleTimeWindow,
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']),
  CreationDate: z.number(),
  LastModificationDate: z.number(),
  /** Fired and kept (ActionAfterCompletion NONE): still readable, never fired again. */
  completed: z.boolean(),
});
type Schedule = z.infer<typeof scheduleSchema>;

const schedulesFileSchema = z.object({ schedules: z.array(scheduleSchema) });

export async function startSchedulerEmulator(options: SchedulerEmulatorOptions): Promise<SchedulerEmulator> {
  const { log } = options;
  const schedules = new Map<string, Schedule>();
  const timers = new Map<string, NodeJS.Timeout>();
  let saving = Promise.resolve();
  let stopped = false;

  for (const schedule of await loadSchedules(options.schedulesFile)) schedules.set(keyOf(schedule), schedule);
  for (const schedule of schedules.values()) arm(schedule);

  function arm(schedule: Schedule): void {
    if (schedule.State === 'DISABLED' || schedule.completed) return;
    const key = keyOf(schedule);
    const delay = dueAt(schedule.ScheduleExpression) - Date.now();
    const timer = setTimeout(
      () => (delay > MAX_TIMER_MS ? arm(schedule) : fire(key, schedule)),
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    // A pending schedule must not keep `npm start` or a test process alive on its own.
    timer.unref();
    timers.set(key, timer);
  }

  function disarm(key: string): void {
    clearTimeout(timers.get(key));
    timers.delete(key);
  }

  function fire(key: string, schedule: Schedule): void {
    timers.delete(key);
    if (stopped || schedules.get(key) !== schedule) return;
    // Settled before the target runs, so whoever the target tells finds the schedule gone.
    if (schedule.ActionAfterCompletion === 'DELETE') schedules.delete(key);
    else schedules.set(key, { ...schedule, completed: true });
    save();
    const functionName = functionNameOf(schedule.Target.Arn);
    log(`[scheduler] ${schedule.Name} → ${functionName}`);
    options
      .invoke(functionName, schedule.Target.Input === undefined ? {} : JSON.parse(schedule.Target.Input))
      .catch((error: unknown) => log(`[scheduler] ${schedule.Name}: ${functionName} failed: ${errorMessage(error)}`));
  }

  function save(): void {
    const file = options.schedulesFile;
    if (file === undefined) return;
    const contents = `${JSON.stringify({ schedules: [...schedules.values()] }, null, 2)}\n`;
    // One write at a time, each replacing the file whole, so a crash never leaves half of one.
    saving = saving
      .then(async () => {
        await writeFile(`${file}.tmp`, contents);
        await rename(`${file}.tmp`, file);
      })
      .catch((error: unknown) => log(`[scheduler] could not save ${file}: ${errorMessage(error)}`));
  }

  function createSchedule(name: string, body: unknown): EmulatedResponse {
    const input = parse(createScheduleBody, body);
    const functionName = functionNameOf(input.Target.Arn);
    if (options.knowsFunction !== undefined && !options.knowsFunction(functionName)) {
      throw new AwsServiceError('ValidationException', 400, `The target function ${functionName} does not exist.`);
    }
    const groupName = input.GroupName ?? 'default';
    const key = keyOf({ GroupName: groupName, Name: name });
    if (schedules.has(key)) throw new AwsServiceError('ConflictException', 409, `Schedule ${name} already exists.`);
    const now = Math.floor(Date.now() / 1000);
    const schedule: Schedule = {
      Name: name,
      GroupName: groupName,
      ScheduleExpression: input.ScheduleExpression,
      ScheduleExpressionTimezone: input.ScheduleExpressionTimezone ?? 'UTC',
      State: input.State ?? 'ENABLED',
      ...(input.Description === undefined ? {} : { Description: input.Description }),
      Target: input.Target,
      FlexibleTimeWindow: input.FlexibleTimeWindow,
      ActionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
      CreationDate: now,
      LastModificationDate: now,
      completed: false,
    };
    schedules.set(key, schedule);
    save();
    arm(schedule);
    return jsonResponse(200, { ScheduleArn: scheduleArn(schedule) });
  }

  function existing(name: string, query: URLSearchParams): [string, Schedule] {
    const key = keyOf({ GroupName: query.get('groupName') ?? 'default', Name: name });
    const schedule = schedules.get(key);
    if (schedule === undefined) throw new AwsServiceError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    return [key, schedule];
  }

  function route(request: EmulatedRequest): EmulatedResponse {
    const match = /^\/schedules\/([^/]+)$/.exec(request.path);
    if (match === null) throw unknownOperation(request);
    const name = parse(NAME, decodedSegment(match[1] ?? ''));
    switch (request.method) {
      case 'POST':
        return createSchedule(name, parseJsonBody(request.body));
      case 'GET': {
        const [, schedule] = existing(name, request.query);
        const { completed: _, ...reported } = schedule;
        return jsonResponse(200, { Arn: scheduleArn(schedule), ...reported });
      }
      case 'DELETE': {
        const [key] = existing(name, request.query);
        disarm(key);
        schedules.delete(key);
        save();
        return jsonResponse(200, {});
      }
      default:
        throw unknownOperation(request);
    }
  }

  return {
    async handle(request) {
      try {
        return route(request);
      } catch (error) {
        if (error instanceof AwsServiceError) return restJsonErrorResponse(error);
        throw error;
      }
    },
    async stop() {
      stopped = true;
      for (const key of [...timers.keys()]) disarm(key);
      await saving;
    },
  };
}

async function loadSchedules(file: string | undefined): Promise<Schedule[]> {
  if (file === undefined) return [];
  await mkdir(dirname(file), { recursive: true });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = schedulesFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${file} does not hold schedules (delete it to start without them): ${z.prettifyError(parsed.error)}`);
  return parsed.data.schedules;
}

/** When an `at()` expression falls due, in epoch milliseconds (the expression is UTC). */
function dueAt(expression: string): number {
  const [, dateTime] = AT_EXPRESSION.exec(expression) ?? [];
  return Date.parse(`${dateTime}Z`);
}

/** An at() whose date does not exist (2026-02-30T…) passes the pattern, and Date.parse rolls it over. */
function namesAnInstant(expression: string): boolean {
  const due = dueAt(expression);
  return !Number.isNaN(due) && new Date(due).toISOString().slice(0, 19) === AT_EXPRESSION.exec(expression)?.[1];
}

function functionNameOf(arn: string): string {
  const [, name] = LAMBDA_FUNCTION_ARN.exec(arn) ?? [];
  if (name === undefined) throw new AwsServiceError('ValidationException', 400, `${arn} is not a Lambda function ARN`);
  return name;
}

const keyOf = (schedule: Pick<Schedule, 'GroupName' | 'Name'>) => `${schedule.GroupName}/${schedule.Name}`;

const scheduleArn = (schedule: Schedule) =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/${schedule.GroupName}/${schedule.Name}`;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AwsServiceError('ValidationException', 400, z.prettifyError(parsed.error));
  return parsed.data;
}

function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new AwsServiceError('SerializationException', 400, 'The request body is not JSON.');
  }
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const unknownOperation = (request: EmulatedRequest) =>
  new AwsServiceError('UnknownOperationException', 404, `The local scheduler does not emulate ${request.method} ${request.path}.`);

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
