import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, callerFrom, sessionFrom } from '../auth/caller';
import type { Session } from '../sessions/session-record';
import { assertSessionActive } from '../sessions/sessions';
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
  route: (event: APIGatewayProxyEvent, caller: Caller, session: Session) => Promise<HttpResponse>,
): LambdaHandler {
  return httpHandler(async (event) => {
    const caller = callerFrom(event);
    const session = sessionFrom(event);
    await assertSessionActive(caller.sub, session);
    return route(event, caller, session);
  });
}
