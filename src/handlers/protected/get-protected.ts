import { callerFrom } from '../../auth/caller';
import { httpHandler } from '../../http/handler';
import { json } from '../../http/response';

/** GET /protected: answers only callers with a valid ID token. */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  return json(200, { message: 'You are signed in.', sub });
});
