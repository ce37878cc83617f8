import { protectedHandler } from '../../http/protected-handler';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

/** GET /me/profile: the caller's stored profile, `{}` when there is none. */
export const handler = protectedHandler(async (_event, { sub }) =>
  json(200, await userStore.getProfile(sub)),
);
