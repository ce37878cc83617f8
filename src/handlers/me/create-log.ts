import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { CreateLogRequest, LOG_BODY_MAX_BYTES } from '../../http/storage-requests';
import { userStore } from '../../storage/store';

/** POST /me/logs: stores a log entry (a string or any JSON, body up to 256 KiB). */
export const handler = protectedHandler(async (event, { sub }) => {
  const { content } = parseJsonBody(event, CreateLogRequest, { maxBytes: LOG_BODY_MAX_BYTES });
  return json(201, await userStore.createLog(sub, content));
});
