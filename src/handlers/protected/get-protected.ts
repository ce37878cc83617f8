import { protectedHandler } from '../../http/protected-handler';
import { json } from '../../http/response';

/** GET /protected: answers only callers with a valid ID token of a session that goes on. */
export const handler = protectedHandler(async (_event, { sub }) =>
  json(200, { message: 'You are signed in.', sub }),
);
