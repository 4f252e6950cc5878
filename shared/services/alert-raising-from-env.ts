// What every function that raises or escalates alerts is given, from its environment: the
// table, pushes, escalation schedules and messages outside the app.
import type { Logger } from '@aws-lambda-powertools/logger';
import { tableClientFromEnv } from '../data/table-client.ts';
import { escalationSchedulerFromEnv } from '../messaging/escalation-scheduler.ts';
import { outsideAppSenderFromEnv } from '../messaging/outside-app-sender.ts';
import { connectionPosterFromEnv, createNotifier } from '../realtime/connection-notifier.ts';
import type { AlertDeliveryDependencies, AlertRaisingDependencies } from './alert-service.ts';

type Invocation = { logger: Logger; requestId: string };

/** Raising alerts: everything telling people takes, and escalation schedules. */
export function alertRaisingFromEnv(invocation: Invocation): AlertRaisingDependencies {
  return { ...alertDeliveryFromEnv(invocation), escalations: escalationSchedulerFromEnv() };
}

/** Telling people about alerts: pushes with stored notifications, and messages outside the app. */
export function alertDeliveryFromEnv({ logger, requestId }: Invocation): AlertDeliveryDependencies {
  const table = tableClientFromEnv();
  return {
    table,
    notifier: createNotifier(table, connectionPosterFromEnv(), logger),
    requestId,
    outsideApp: outsideAppSenderFromEnv(),
    // The in-app notification is stored and pushed whatever happens to an email or a text.
    onOutsideAppFailure: (channel, error) => logger.warn('message outside the app failed', { channel, error: (error as Error).name }),
  };
}
