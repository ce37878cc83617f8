import { protectedHandler } from '../../http/protected-handler';
import { parsePath } from '../../http/request';
import { noContent } from '../../http/response';
import { LogPath, logNotFound } from '../../http/storage-requests';
import { userStore } from '../../storage/store';

/** DELETE /me/logs/{id}: deletes one of the caller's log entries. */
export const handler = protectedHandler(async (event, { sub }) => {
  const { id } = parsePath(event, LogPath);
  if (!(await userStore.deleteLog(sub, id))) throw logNotFound();
  return noContent();
});
