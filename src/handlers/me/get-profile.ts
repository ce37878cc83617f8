import { callerFrom } from '../../auth/caller';
import { httpHandler } from '../../http/handler';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

/** GET /me/profile: the caller's stored profile, `{}` when there is none. */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  return json(200, await userStore.getProfile(sub));
});
