import type { APIGatewayProxyEvent } from 'aws-lambda';
import { config } from '../config';
import { ApiError } from '../errors';
import type { Session } from '../sessions/session-record';

/** Who is calling, from the claims the Cognito authorizer verified. */
export interface Caller {
  sub: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The caller's identity. It comes only from the authorizer's verified ID-token claims, never
 * from the body, path or query. `sub` is checked to be a UUID because storage keys are built
 * from it. API Gateway's Cognito authorizer accepts ID tokens of every client of the (shared)
 * pool, so the audience is checked here: only this API's client. Missing claims mean the
 * route was deployed without the authorizer: refuse.
 */
export function callerFrom(event: APIGatewayProxyEvent): Caller {
  const claims: Record<string, unknown> = event.requestContext?.authorizer?.claims ?? {};
  const sub = claims.sub;
  if (
    typeof sub !== 'string' ||
    !UUID.test(sub) ||
    claims.token_use !== 'id' ||
    claims.aud !== config.userPoolClientId
  ) {
    throw invalidIdToken();
  }
  // API Gateway hands every claim over as a string.
  const name = typeof claims.name === 'string' && claims.name !== '' ? claims.name : undefined;
  return {
    sub: sub.toLowerCase(),
    email: typeof claims.email === 'string' ? claims.email : '',
    emailVerified: String(claims.email_verified) === 'true',
    ...(name ? { name } : {}),
  };
}

/**
 * The caller's session: the sign-in its ID token was minted from. Cognito puts `origin_jti` in
 * every token when the client has token revocation enabled (template.yaml does), and
 * `auth_time` always; a token without them cannot be checked against ended sessions: refuse.
 */
export function sessionFrom(event: APIGatewayProxyEvent): Session {
  const claims: Record<string, unknown> = event.requestContext?.authorizer?.claims ?? {};
  const originJti = claims.origin_jti;
  // API Gateway hands auth_time over as a string of epoch seconds.
  const authTime = Number(claims.auth_time);
  if (typeof originJti !== 'string' || originJti === '' || !Number.isSafeInteger(authTime)) {
    throw invalidIdToken();
  }
  return { originJti, authTime };
}

function invalidIdToken(): ApiError {
  return new ApiError('Unauthorized', 'A valid ID token is required in the Authorization header.');
}
