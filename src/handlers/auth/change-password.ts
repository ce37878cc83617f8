import { accessTokenSubject } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { changePassword } from '../../auth/cognito';
import { ApiError } from '../../errors';
import { AUTH_BODY_MAX_BYTES, ChangePasswordRequest } from '../../http/auth-requests';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';

/** POST /auth/change-password (protected): the caller changes their own password. */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, ChangePasswordRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
  if (accessTokenSubject(body.accessToken) !== caller.sub) {
    throw new ApiError('Forbidden', 'The access token belongs to another user.');
  }
  await changePassword(body);
  return noContent();
});
