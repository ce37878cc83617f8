import { protectedHandler } from '../../http/protected-handler';
import { parsePath } from '../../http/request';
import { json } from '../../http/response';
import { LogPath, logNotFound } from '../../http/storage-requests';
import { userStore } from '../../storage/store';

/** GET /me/logs/{id}: one of the caller's log entries; another user's id is simply not found. */
export const handler = protectedHandler(async (event, { sub }) => {
  const { id } = parsePath(event, LogPath);
  const entry = await userStore.getLog(sub, id);
  if (!entry) throw logNotFound();
  return json(200, entry);
});
