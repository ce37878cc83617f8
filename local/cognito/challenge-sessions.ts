/** Who signed in with what password, for the tokens a challenge answer ends in (correction 24). */
export interface PendingSignIn {
  username: string;
  password: string;
}

/**
 * Correction 13: the sessions Cognito issues with an auth challenge. cognito-local accepts any
 * `Session` string with a challenge answer; Cognito accepts only one it issued, once, within
 * the client's `AuthSessionValidity` (minutes). A session of a sign-in remembers the sign-in
 * for as long as it is open (in memory only: cognito-local keeps passwords in plain text in
 * its files anyway).
 */
export class ChallengeSessions {
  private readonly open = new Map<string, { expiresMs: number; signIn?: PendingSignIn }>();

  constructor(private readonly validityMinutes: number) {}

  issued(session: string, nowMs = Date.now(), signIn?: PendingSignIn): void {
    for (const [key, { expiresMs }] of this.open) if (expiresMs <= nowMs) this.open.delete(key);
    this.open.set(session, {
      expiresMs: nowMs + this.validityMinutes * 60_000,
      ...(signIn ? { signIn } : {}),
    });
  }

  isOpen(session: string, nowMs = Date.now()): boolean {
    return (this.open.get(session)?.expiresMs ?? 0) > nowMs;
  }

  signInOf(session: string): PendingSignIn | undefined {
    return this.open.get(session)?.signIn;
  }

  answered(session: string): void {
    this.open.delete(session);
  }
}
