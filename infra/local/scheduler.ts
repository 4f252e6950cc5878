// EventBridge's schedule rules for the twin: each scheduled function is invoked with a
// "Scheduled Event" at its interval. A run still going when the next is due is not doubled.
import { randomUUID } from 'node:crypto';
import type { FunctionToInvoke, InvocationOutcome } from './lambda-runtime.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './local-aws.ts';

export interface ScheduledRun {
  readonly fn: FunctionToInvoke;
  readonly intervalMs: number;
}

export interface Scheduler {
  stop(): void;
}

export function scheduledEvent(ruleName: string, at = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${ruleName}`],
    detail: {},
  };
}

export function startScheduler(
  runs: readonly ScheduledRun[],
  invoke: (fn: FunctionToInvoke, event: unknown) => Promise<InvocationOutcome>,
  log: (message: string) => void,
): Scheduler {
  const timers = runs.map((run) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      invoke(run.fn, scheduledEvent(`vigil-local-${run.fn.name}`))
        .then((outcome) => {
          if (outcome.kind === 'error') log(`[schedule] ${run.fn.name} threw: ${outcome.error.message}`);
          if (outcome.kind === 'timeout') log(`[schedule] ${run.fn.name} timed out`);
        })
        .finally(() => {
          running = false;
        });
    }, run.intervalMs);
  });
  return {
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
