import type { SignInResult, Tokens } from '../auth/cognito';
import { sessionOfIssuedToken } from '../auth/token-session';
import { logger } from '../logger';
import type { SecuritySubject } from '../security-events';
import { keepNewSession } from './sessions';

/**
 * After a sign-in (or a new-password challenge) that began at `startedAtMs` and answered with
 * tokens: a sign-out everywhere or password change earlier in the same second must not end the
 * new session (see keepingNewSession). If the record cannot be reached, the sign-in still
 * succeeds: the worst outcome is that this one new session is refused later, never that an
 * ended one goes on.
 */
export async function admitNewSession(tokens: Tokens, startedAtMs: number): Promise<void> {
  const issued = sessionOfIssuedToken(tokens.idToken);
  if (!issued) return;
  try {
    await keepNewSession(issued.sub, issued.session, startedAtMs);
  } catch (error) {
    logger.warn('a new session could not be checked against a cut in the same second', {
      reason: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/** Whom a sign-in's security event is about: the new session's user, once known. */
export function signedInSubject(result: SignInResult, email: string): SecuritySubject {
  if (result.kind === 'tokens') {
    const sub = sessionOfIssuedToken(result.tokens.idToken)?.sub;
    if (sub) return { sub };
  }
  return { email };
}
