import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { EscalationEvent } from '../../shared/messaging/escalation-scheduler.ts';
import { alertDeliveryFromEnv } from '../../shared/services/alert-raising-from-env.ts';
import { escalateAlert } from '../../shared/services/escalation-service.ts';

const logger = new Logger({ serviceName: 'vigil-alert-escalator' });

/** Invoked by an alert's one-time EventBridge schedule when its escalation time comes. */
export const handler = async (event: unknown, context: Context): Promise<{ outcome: string }> => {
  logger.addContext(context);
  const { alertId } = EscalationEvent.parse(event);
  const outcome = await escalateAlert(alertDeliveryFromEnv({ logger, requestId: context.awsRequestId }), alertId);
  logger.info('escalation looked at', { alertId, outcome });
  return { outcome };
};
