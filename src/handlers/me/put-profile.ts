import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { PROFILE_MAX_BYTES, Profile } from '../../http/storage-requests';
import { userStore } from '../../storage/store';

/** PUT /me/profile: replaces the caller's profile (any JSON object up to 16 KiB), every key kept. */
export const handler = protectedHandler(async (event, { sub }) => {
  const profile = parseJsonBody(event, Profile, { maxBytes: PROFILE_MAX_BYTES });
  await userStore.putProfile(sub, profile);
  return json(200, profile);
});
