import * as v from 'valibot';
import { callerFrom } from '../../auth/caller';
import { LOG_BODY_MAX_BYTES } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

const CreateLogBody = v.strictObject({
  content: v.pipe(
    v.unknown(),
    v.check(
      (content) => content !== undefined && content !== null,
      'is required (a string or any JSON value)',
    ),
  ),
});

/** POST /me/logs: stores a log entry (a string or any JSON, body up to 256 KiB). */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  const { content } = parseJsonBody(event, CreateLogBody, { maxBytes: LOG_BODY_MAX_BYTES });
  return json(201, await userStore.createLog(sub, content));
});
