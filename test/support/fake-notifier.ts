// A Notifier that delivers nothing and remembers what it was asked to push, for tests of
// services that push.
import type { ServerMessage } from '../../shared/api/websocket-messages.ts';
import type { Notifier } from '../../shared/realtime/connection-notifier.ts';

export interface RecordingNotifier {
  notifier: Notifier;
  /** Every message pushed to users, patient subscribers or a connection, in order. */
  pushes: ServerMessage[];
}

export function recordingNotifier(): RecordingNotifier {
  const pushes: ServerMessage[] = [];
  return {
    pushes,
    notifier: {
      toUserInSequence: async (_user, _seq, message) => {
        pushes.push(message);
        return { delivered: 0, gone: 0 };
      },
      toPatientSubscribers: async (_patient, message, audience) => {
        await audience([]);
        pushes.push(message);
        return { delivered: 0, gone: 0 };
      },
      toConnection: async (_connection, message) => {
        pushes.push(message);
        return true;
      },
      isConnected: async () => true,
      disconnectUser: async () => undefined,
    },
  };
}
