import { randomUUID } from 'node:crypto';
import type { PendingSignIn } from './challenge-sessions';

/**
 * Correction 18: Cognito accepts an authenticator code once (RFC 6238, section 5.2: "the
 * verifier MUST NOT accept the second attempt of the OTP after the successful validation");
 * cognito-local accepts the same code again for as long as it is current. A code is remembered
 * per user for as long as any verifier could still accept it (its 30 s step, one step of
 * tolerance either side). Kept in memory, like the lockout.
 */
export class UsedTotpCodes {
  private readonly used = new Map<string, number>();

  static readonly REMEMBER_MS = 120_000;

  isUsed(username: string, code: string, nowMs = Date.now()): boolean {
    return (this.used.get(`${username}\n${code}`) ?? 0) > nowMs;
  }

  use(username: string, code: string, nowMs = Date.now()): void {
    for (const [key, untilMs] of this.used) if (untilMs <= nowMs) this.used.delete(key);
    this.used.set(`${username}\n${code}`, nowMs + UsedTotpCodes.REMEMBER_MS);
  }
}

/** An enrolment during sign-in (MFA_SETUP): whose it is, and its secret once associated. */
export interface MfaSetup {
  signIn: PendingSignIn;
  /** cognito-local's username of the user (their sub). */
  userId: string;
  secret?: string;
  verified: boolean;
}

/**
 * Correction 17: the MFA_SETUP sessions. Cognito hands a new session to each step of the
 * enrolment (AssociateSoftwareToken, then VerifySoftwareToken) and tokens to the last
 * (RespondToAuthChallenge with MFA_SETUP); cognito-local has none of it. Each session is good
 * for the next step only; ChallengeSessions (correction 13) gives them their lifetime.
 */
export class MfaSetups {
  private readonly setups = new Map<string, MfaSetup>();

  /** A new session for the next step of `setup`; the session it came with is spent. */
  next(setup: MfaSetup, spent?: string): string {
    if (spent) this.setups.delete(spent);
    const session = `mfa-setup-${randomUUID()}`;
    this.setups.set(session, setup);
    return session;
  }

  of(session: string): MfaSetup | undefined {
    return this.setups.get(session);
  }

  end(session: string): void {
    this.setups.delete(session);
  }
}
