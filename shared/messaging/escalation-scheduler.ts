// Delayed work for escalations: one EventBridge Scheduler one-time schedule per high-priority
// alert, which invokes the escalator with the alert's id when its time comes and then deletes
// itself. Acknowledging does not need to cancel it: the escalator looks at the alert first.
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { z } from 'zod';
import { ENV, requireEnv } from '../config/env.ts';
import { Id } from '../domain/identifiers.ts';

export interface EscalationScheduler {
  /** Arranges for the escalator to look at the alert at `at`; arranging it twice is harmless. */
  schedule(alertId: string, at: string): Promise<void>;
}

/** What the escalator is invoked with. */
export const EscalationEvent = z.object({ alertId: Id });
export type EscalationEvent = z.infer<typeof EscalationEvent>;

export interface EscalationTarget {
  /** The schedule group the escalations live in. */
  groupName: string;
  /** The escalator function's ARN. */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
}

/** `at(…)` takes whole seconds; rounding up means an escalation is never early. */
export function atExpression(at: string): string {
  const seconds = Math.ceil(Date.parse(at) / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

export const escalationScheduleName = (alertId: string) => `escalate-${alertId}`;

export function createEscalationScheduler(client: SchedulerClient, target: EscalationTarget): EscalationScheduler {
  return {
    async schedule(alertId, at) {
      const input: EscalationEvent = { alertId };
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: escalationScheduleName(alertId),
            GroupName: target.groupName,
            ScheduleExpression: atExpression(at),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: { Arn: target.functionArn, RoleArn: target.roleArn, Input: JSON.stringify(input) },
          }),
        );
      } catch (error) {
        // A retried invocation raising the same alert again: the schedule is already there.
        if (error instanceof ConflictException) return;
        throw error;
      }
    },
  };
}

let fromEnv: EscalationScheduler | undefined;
export function escalationSchedulerFromEnv(): EscalationScheduler {
  fromEnv ??= createEscalationScheduler(new SchedulerClient({}), {
    groupName: requireEnv(ENV.escalationGroup),
    functionArn: requireEnv(ENV.escalatorArn),
    roleArn: requireEnv(ENV.escalationRoleArn),
  });
  return fromEnv;
}
