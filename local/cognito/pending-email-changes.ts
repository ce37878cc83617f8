/**
 * Correction 22: the new addresses waiting for their code. Cognito keeps the old address as
 * the email and sign-in name until the code sent to the new one comes back
 * (AttributesRequireVerificationBeforeUpdate). Kept in memory: a restart of the local stack
 * forgets an unverified change, and the user asks for it again.
 */
export class PendingEmailChanges {
  private readonly pending = new Map<string, string>();

  request(username: string, newEmail: string): void {
    this.pending.set(username, newEmail);
  }

  of(username: string): string | undefined {
    return this.pending.get(username);
  }

  done(username: string): void {
    this.pending.delete(username);
  }
}
