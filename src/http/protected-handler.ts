import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { type Caller, callerFrom, sessionFrom } from '../auth/caller';
import type { Session } from '../sessions/session-record';
import { assertSessionActive, assertSessionActiveOrDeleting } from '../sessions/sessions';
import { httpHandler, type LambdaHandler } from './handler';
import type { HttpResponse } from './response';

/**
 * Wraps a protected route (one behind the Cognito authorizer): the caller from the verified
 * claims, then the session check, then the route. API Gateway's authorizer checks the ID
 * token's signature and expiry only, so without the check a token would keep working after
 * sign-out, a password change or an account's disabling. Every protected function is built on
 * this (tests/unit/handlers/protected-routes.test.ts invokes each with an ended session).
 */
export function protectedHandler(
  route: (
    event: APIGatewayProxyEvent,
    caller: Caller,
    session: CheckedSession,
    context: Context,
  ) => Promise<HttpResponse>,
  options: { finishesDeletion?: boolean } = {},
): LambdaHandler {
  return httpHandler(async (event, context) => {
    const caller = callerFrom(event);
    const session = sessionFrom(event);
    let accountDeleted = false;
    if (options.finishesDeletion) {
      accountDeleted = await assertSessionActiveOrDeleting(caller.sub, session);
    } else {
      await assertSessionActive(caller.sub, session);
    }
    return route(event, caller, { ...session, accountDeleted }, context);
  });
}

/**
 * The caller's session, checked. `accountDeleted` can be true only for a route built with
 * `finishesDeletion` (DELETE /me): the account's deletion began and did not finish.
 */
export interface CheckedSession extends Session {
  accountDeleted: boolean;
}
