import { Secret, TOTP } from 'otpauth';

/**
 * An authenticator app for the tests, on the same TOTP library the API builds its otpauth://
 * URIs with. A code is good once: the step after the current one (within Cognito's tolerance
 * of one step) gives a second, different code without waiting 30 seconds.
 */
export class Authenticator {
  private readonly totp: TOTP;

  constructor(secret: string) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret) });
  }

  static fromUri(uri: string): Authenticator {
    return new Authenticator(new URL(uri).searchParams.get('secret') ?? '');
  }

  code(): string {
    return this.totp.generate();
  }

  nextCode(): string {
    return this.totp.generate({ timestamp: Date.now() + 30_000 });
  }

  /** A code that is none of the ones the app could show now (a wrong code). */
  wrongCode(): string {
    const valid = new Set(
      [-30_000, 0, 30_000].map((skew) => this.totp.generate({ timestamp: Date.now() + skew })),
    );
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, '0');
      if (!valid.has(candidate)) return candidate;
    }
  }
}
