import * as v from 'valibot';
import { callerFrom } from '../../auth/caller';
import { ApiError } from '../../http/api-error';
import { LogId } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parsePath } from '../../http/request';
import { noContent } from '../../http/response';
import { userStore } from '../../storage/store';

const LogPath = v.object({ id: LogId });

/** DELETE /me/logs/{id}: deletes one of the caller's log entries. */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  const { id } = parsePath(event, LogPath);
  if (!(await userStore.deleteLog(sub, id))) {
    throw new ApiError(404, 'NotFound', 'There is no log entry with this id.');
  }
  return noContent();
});
