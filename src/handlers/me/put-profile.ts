import * as v from 'valibot';
import { callerFrom } from '../../auth/caller';
import { PROFILE_MAX_BYTES } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { userStore } from '../../storage/store';

const Profile = v.record(v.string(), v.unknown());

/** PUT /me/profile: replaces the caller's profile (any JSON object up to 16 KiB). */
export const handler = httpHandler(async (event) => {
  const { sub } = callerFrom(event);
  const profile = parseJsonBody(event, Profile, { maxBytes: PROFILE_MAX_BYTES });
  await userStore.putProfile(sub, profile);
  return json(200, profile);
});
