import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { assertReadRequest, listNotifications, markNotificationsRead, unreadCount } from '../../shared/services/notification-service.ts';

const dependencies = () => ({ table: tableClientFromEnv(), cursors: cursorCodecFromEnv() });

export const handler = httpFunction(
  'notifications',
  {
    'GET /v1/notifications': async ({ caller, query }) =>
      listNotifications(dependencies(), caller, {
        ...(query.unread === undefined ? {} : { unread: query.unread === 'true' }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    'GET /v1/notifications/unread-count': async ({ caller }) => unreadCount(dependencies(), caller),
    'POST /v1/notifications/read': async ({ caller, body }) => markNotificationsRead(dependencies(), caller, assertReadRequest(body)),
  },
  signedInRoutes,
);
