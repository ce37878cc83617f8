import { httpHandler } from '../../http/handler';
import { json } from '../../http/response';

/** GET /public: answers anyone. */
export const handler = httpHandler(async () =>
  json(200, { message: 'This route is public: no token needed.' }),
);
