import * as v from 'valibot';
import { callerFrom } from '../../auth/caller';
import { httpHandler } from '../../http/handler';
import { parseQuery } from '../../http/request';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

const ListLogsQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
    '20',
  ),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512))),
});

/** GET /me/logs?limit=&cursor=: the caller's log entries, newest first, a page at a time. */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  const { limit, cursor } = parseQuery(event, ListLogsQuery);
  return json(200, await userStore.listLogs(sub, { limit, ...(cursor ? { cursor } : {}) }));
});
