import * as v from 'valibot';
import { accessTokenSubject } from '../../auth/access-token';
import { callerFrom } from '../../auth/caller';
import { changePassword } from '../../auth/cognito';
import { ApiError } from '../../http/api-error';
import { AUTH_BODY_MAX_BYTES, Password, Token } from '../../http/fields';
import { httpHandler } from '../../http/handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';

const ChangePasswordBody = v.strictObject({
  accessToken: Token,
  previousPassword: Password,
  proposedPassword: Password,
});

/** POST /auth/change-password (protected): the caller changes their own password. */
export const handler = httpHandler(async (event) => {
  const caller = callerFrom(event);
  const body = parseJsonBody(event, ChangePasswordBody, { maxBytes: AUTH_BODY_MAX_BYTES });
  if (accessTokenSubject(body.accessToken) !== caller.sub) {
    throw new ApiError(403, 'Forbidden', 'The access token belongs to another user.');
  }
  await changePassword(body);
  return noContent();
});
