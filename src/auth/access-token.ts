import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { config } from '../config';
import { ApiError } from '../errors';

/** Also Cognito's answer to a forged, expired or revoked access token (see cognito-errors.ts). */
export function accessTokenRejected(): ApiError {
  return new ApiError(
    'NotAuthorized',
    'The access token is invalid, expired or revoked. Sign in again.',
  );
}

/**
 * The `sub` of an access token issued to this API's client. The signature is not checked here:
 * Cognito verifies the token (signature, expiry, revocation) when it is used, and rejects
 * forgeries. This only stops a caller from presenting someone else's genuine token.
 */
export function accessTokenSubject(token: string): string {
  let payload: Record<string, unknown>;
  try {
    payload = decomposeUnverifiedJwt(token).payload;
  } catch {
    throw accessTokenRejected();
  }
  if (
    payload.token_use !== 'access' ||
    payload.client_id !== config.userPoolClientId ||
    typeof payload.sub !== 'string'
  ) {
    throw accessTokenRejected();
  }
  return payload.sub.toLowerCase();
}

/**
 * The access token an account operation carries must be the caller's own: the ID token that
 * passed the authorizer names the caller, and another user's genuine token is a 403.
 */
export function assertCallersAccessToken(token: string, caller: { sub: string }): void {
  if (accessTokenSubject(token) !== caller.sub) {
    throw new ApiError('Forbidden', 'The access token belongs to another user.');
  }
}

/**
 * The username of an access token (its `username` claim): the name the user has in the pool
 * whatever their email is now, which an ID token issued before a change of email may not.
 */
export function accessTokenUsername(token: string): string {
  const { username } = decomposeUnverifiedJwt(token).payload;
  if (typeof username !== 'string' || username === '') throw accessTokenRejected();
  return username;
}
