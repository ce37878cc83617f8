/**
 * Correction 13: the sessions Cognito issues with an auth challenge. cognito-local accepts any
 * `Session` string with a challenge answer; Cognito accepts only one it issued, once, within
 * the client's `AuthSessionValidity` (minutes).
 */
export class ChallengeSessions {
  private readonly expiryMs = new Map<string, number>();

  constructor(private readonly validityMinutes: number) {}

  issued(session: string, nowMs = Date.now()): void {
    for (const [key, expiresMs] of this.expiryMs) if (expiresMs <= nowMs) this.expiryMs.delete(key);
    this.expiryMs.set(session, nowMs + this.validityMinutes * 60_000);
  }

  isOpen(session: string, nowMs = Date.now()): boolean {
    return (this.expiryMs.get(session) ?? 0) > nowMs;
  }

  answered(session: string): void {
    this.expiryMs.delete(session);
  }
}
