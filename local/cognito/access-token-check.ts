import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { trustLocalEmulatorKeys } from './emulator-keys';
import { CognitoError } from './errors';
import type { TokenLedger } from './token-ledger';

/**
 * Correction 8: cognito-local only decodes the access token an operation carries (GetUser,
 * ChangePassword, GlobalSignOut, …), so forged, expired and revoked ones pass. Cognito checks
 * its signature (the pool's keys), its client, its expiry and the revocations in the ledger.
 */
export class AccessTokenCheck {
  private readonly verifier;

  constructor(
    userPool: { id: string; clientId: string },
    private readonly ledger: TokenLedger,
  ) {
    this.verifier = CognitoJwtVerifier.create({
      userPoolId: userPool.id,
      tokenUse: 'access',
      clientId: userPool.clientId,
    });
  }

  /** Local-only: trusts the emulator's signing keys (see emulator-keys.ts). */
  async loadEmulatorKeys(jwksUrl: string): Promise<void> {
    await trustLocalEmulatorKeys(this.verifier, jwksUrl);
  }

  /** The token's owner, or Cognito's NotAuthorizedException. */
  async verify(token: string | undefined): Promise<{ sub: string }> {
    let payload: { sub: string; jti?: string };
    try {
      payload = await this.verifier.verify(token ?? '');
    } catch (error) {
      throw new CognitoError(
        'NotAuthorizedException',
        error instanceof JwtExpiredError ? 'Access Token has expired' : 'Invalid Access Token',
      );
    }
    if (payload.jti && this.ledger.isAccessTokenRevoked(payload.jti)) {
      throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    }
    return payload;
  }
}
