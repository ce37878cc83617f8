import { protectedHandler } from '../../http/protected-handler';
import { parseQuery } from '../../http/request';
import { json } from '../../http/response';
import { ListLogsQuery } from '../../http/storage-requests';
import { userStore } from '../../storage/store';

/** GET /me/logs?limit=&cursor=: the caller's log entries, newest first, a page at a time. */
export const handler = protectedHandler(async (event, { sub }) => {
  const { limit, cursor } = parseQuery(event, ListLogsQuery);
  return json(200, await userStore.listLogs(sub, { limit, ...(cursor ? { cursor } : {}) }));
});
