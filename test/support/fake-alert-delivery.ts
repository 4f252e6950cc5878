// Escalation schedules and messages outside the app that go nowhere and are remembered, for
// tests of services that raise alerts without the twin's local Scheduler, SES and SNS.
import type { EscalationScheduler } from '../../shared/messaging/escalation-scheduler.ts';
import type { OutsideAppSender } from '../../shared/messaging/outside-app-sender.ts';

export interface RecordingAlertDelivery {
  escalations: EscalationScheduler;
  outsideApp: OutsideAppSender;
  scheduled: Array<{ alertId: string; at: string }>;
  sent: Array<{ channel: 'email' | 'sms' | 'push'; to: string; text: string }>;
}

export function recordingAlertDelivery(): RecordingAlertDelivery {
  const scheduled: RecordingAlertDelivery['scheduled'] = [];
  const sent: RecordingAlertDelivery['sent'] = [];
  return {
    scheduled,
    sent,
    escalations: {
      schedule: async (alertId, at) => {
        scheduled.push({ alertId, at });
      },
    },
    outsideApp: {
      email: async (to, _subject, text) => {
        sent.push({ channel: 'email', to, text });
      },
      sms: async (to, text) => {
        sent.push({ channel: 'sms', to, text });
      },
      push: async (to, text) => {
        sent.push({ channel: 'push', to, text });
      },
    },
  };
}
