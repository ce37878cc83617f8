import { accessTokenUsername, assertCallersAccessToken } from '../../auth/access-token';
import { accountExists, deleteCognitoUser } from '../../auth/account-deletion';
import { confirmPassword } from '../../auth/reauthentication';
import { Deadline } from '../../deadline';
import { AUTH_BODY_MAX_BYTES, DeleteAccountRequest } from '../../http/auth-requests';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { noContent } from '../../http/response';
import { clearedSessionCookie } from '../../http/session-cookie';
import { recordedAs } from '../../security-events';
import { accountDeleted, markUserDeleted } from '../../sessions/sessions';
import { userDataEraser } from '../../storage/eraser';

/**
 * DELETE /me (protected): deletes the caller's account and everything of theirs, after the
 * password again. The steps are ordered so that a failure part-way (503) leaves a state from
 * which the same request finishes the job:
 * 1. the password (re-authentication, OWASP ASVS 7.5.1);
 * 2. the session record marks the account deleted: from then on every token of it is refused
 *    at every protected route but this one, and no refresh mints new ones;
 * 3. every object, and every version of one, under the user's prefix;
 * 4. the Cognito user, last: until then someone who signs in is told at the first protected
 *    route that the deletion did not finish, and no data is left without its owner.
 * The Cognito user is not disabled first: the password check of a repeated request needs it.
 * Once the user is gone, the account's tokens are refused here too.
 */
export const handler = protectedHandler(
  async (event, caller, session, context) => {
    if (session.accountDeleted && !(await accountExists(caller.sub))) throw accountDeleted();
    const body = parseJsonBody(event, DeleteAccountRequest, { maxBytes: AUTH_BODY_MAX_BYTES });
    assertCallersAccessToken(body.accessToken, caller);
    const deadline = Deadline.of(context);
    await recordedAs('account-delete', { sub: caller.sub }, async () => {
      await confirmPassword(accessTokenUsername(body.accessToken), body.password);
      await markUserDeleted(caller.sub);
      await userDataEraser.deleteEverything(caller.sub, deadline);
      deadline.assertTimeForACall();
      await deleteCognitoUser(caller.sub);
    });
    return noContent({ cookies: [clearedSessionCookie()] });
  },
  { finishesDeletion: true },
);
