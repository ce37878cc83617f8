import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { trustLocalEmulatorKeys } from '../cognito/emulator-keys';

/** The most a token in the Authorization header may weigh before we stop looking at it. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * API Gateway's Cognito user-pool authorizer, locally: the ID token from the Authorization
 * header (with or without "Bearer "), verified with aws-jwt-verify (RS256 signature with the
 * pool's keys, issuer, audience = this API's client, token_use = id, expiry). Only keys
 * already loaded are used (verifySync): an unknown key id is a rejection, never a fetch.
 */
export class LocalCognitoAuthorizer {
  private readonly verifier;

  constructor(userPoolId: string, clientId: string) {
    this.verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId });
  }

  /** Local-only: trusts the emulator's signing keys (see emulator-keys.ts). */
  async loadEmulatorKeys(jwksUrl: string): Promise<void> {
    await trustLocalEmulatorKeys(this.verifier, jwksUrl);
  }

  /** The verified claims, or undefined when the request must get a 401. */
  authorize(authorization: string | undefined): Record<string, unknown> | undefined {
    if (!authorization || authorization.length > MAX_TOKEN_LENGTH) return undefined;
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    if (!token) return undefined;
    try {
      return this.verifier.verifySync(token) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

/**
 * Claims as API Gateway hands them to a REST (v1) proxy integration: every value a string,
 * `exp` and `iat` as dates in Java's Date.toString() format.
 */
export function apiGatewayClaims(claims: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (name === 'exp' || name === 'iat') result[name] = javaDate(Number(value));
    else if (Array.isArray(value)) result[name] = `[${value.join(' ')}]`;
    else result[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return result;
}

function javaDate(epochSeconds: number): string {
  // "Sat, 21 Nov 2026 10:14:15 GMT" → "Sat Nov 21 10:14:15 UTC 2026"
  const [weekday, day, month, year, time] = new Date(epochSeconds * 1000)
    .toUTCString()
    .replace(',', '')
    .split(' ');
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}
