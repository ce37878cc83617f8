import * as v from 'valibot';
import { callerFrom } from '../../auth/caller';
import { ApiError } from '../../http/api-error';
import { LogId } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parsePath } from '../../http/request';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

const LogPath = v.object({ id: LogId });

/** GET /me/logs/{id}: one of the caller's log entries; another user's id is simply not found. */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  const { id } = parsePath(event, LogPath);
  const entry = await userStore.getLog(sub, id);
  if (!entry) throw new ApiError(404, 'NotFound', 'There is no log entry with this id.');
  return json(200, entry);
});
