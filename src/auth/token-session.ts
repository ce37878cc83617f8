import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { Session } from '../sessions/session-record';

/** Whose an ID token is, and the session (sign-in) it was minted in. */
export interface VerifiedIdToken {
  sub: string;
  session: Session;
}

/**
 * The subject and session of tokens Cognito has just issued to this function (over TLS, in
 * its own answer): read, not verified.
 */
export function sessionOfIssuedToken(idToken: string): VerifiedIdToken | undefined {
  try {
    return sessionOfClaims(decomposeUnverifiedJwt(idToken).payload);
  } catch {
    return undefined;
  }
}

export function sessionOfClaims(claims: Record<string, unknown>): VerifiedIdToken | undefined {
  const { sub, origin_jti: originJti, auth_time: authTime } = claims;
  if (typeof sub !== 'string' || typeof originJti !== 'string' || typeof authTime !== 'number') {
    return undefined;
  }
  return { sub: sub.toLowerCase(), session: { originJti, authTime } };
}
