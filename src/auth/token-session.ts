import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { SecuritySubject } from '../security-events';
import type { Session } from '../sessions/session-record';
import type { SignInResult } from './cognito';

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

/** Whom a sign-in's security event is about: the new session's user, once known. */
export function signedInSubject(result: SignInResult, email: string): SecuritySubject {
  if (result.kind === 'tokens') {
    const sub = sessionOfIssuedToken(result.tokens.idToken)?.sub;
    if (sub) return { sub };
  }
  return { email };
}
