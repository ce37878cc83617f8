/**
 * Correction 12: Cognito's lockout after repeated wrong passwords, which cognito-local does
 * not have. After 5 failures in a row a user is locked out for 1 s, doubling with each further
 * failure up to 15 minutes; a successful sign-in starts the count again. Kept in memory: a
 * restart of the local stack forgets it.
 */
export const FAILURES_BEFORE_LOCKOUT = 5;
export const MAX_LOCKOUT_SECONDS = 900;

/** How long the `failures`-th wrong password in a row locks the user out, in seconds. */
export function lockoutSeconds(failures: number): number {
  if (failures < FAILURES_BEFORE_LOCKOUT) return 0;
  return Math.min(2 ** (failures - FAILURES_BEFORE_LOCKOUT), MAX_LOCKOUT_SECONDS);
}

export class Lockout {
  private readonly failures = new Map<string, { count: number; lockedUntilMs: number }>();

  isLockedOut(username: string, nowMs = Date.now()): boolean {
    return (this.failures.get(username)?.lockedUntilMs ?? 0) > nowMs;
  }

  recordFailure(username: string, nowMs = Date.now()): void {
    const count = (this.failures.get(username)?.count ?? 0) + 1;
    this.failures.set(username, { count, lockedUntilMs: nowMs + lockoutSeconds(count) * 1000 });
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }
}
