import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError } from 'aws-jwt-verify/error';
import { assertIsJwks, type Jwks } from 'aws-jwt-verify/jwk';
import { config } from '../config';
import { serviceUnavailable } from '../errors';
import { logger } from '../logger';
import { sessionOfClaims, type VerifiedIdToken } from './token-session';

/**
 * ID tokens a public route is handed (sign-out's Authorization header), verified as API
 * Gateway's authorizer and the local gateway verify them: RS256 with the pool's keys, issuer =
 * the pool, audience = this API's client, `token_use: id`, not expired.
 *
 * On AWS, aws-jwt-verify fetches the pool's keys from Cognito over https. The local stack sets
 * COGNITO_JWKS_URI to where its Cognito serves them; aws-jwt-verify fetches only over https, so
 * they are fetched here and handed to it, and only from a loopback address: nothing deployed
 * sets the variable, and a misconfigured one can never make a function trust a remote key.
 */

let verifier: ReturnType<typeof createVerifier> | undefined;
let localKeys: Promise<void> | undefined;

function createVerifier() {
  return CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    tokenUse: 'id',
    clientId: config.userPoolClientId,
  });
}

/**
 * The token's subject and session, or undefined for anything that does not verify. When the
 * pool's keys cannot be fetched, nobody can tell: 503, so that the client tries again.
 */
export async function verifyIdToken(token: string): Promise<VerifiedIdToken | undefined> {
  verifier ??= createVerifier();
  const jwksUri = config.cognitoJwksUri;
  if (jwksUri) {
    const target = verifier;
    localKeys ??= loadLocalKeys(jwksUri).then(
      (jwks) => target.cacheJwks(jwks),
      (error: unknown) => {
        localKeys = undefined;
        throw error;
      },
    );
    await localKeys.catch((error: unknown) => {
      throw keysUnavailable(error);
    });
  }
  try {
    // With the local keys cached, verify with those alone: an unknown key id must not send
    // aws-jwt-verify to fetch Cognito's (the local stack has no network).
    const claims = jwksUri ? verifier.verifySync(token) : await verifier.verify(token);
    return sessionOfClaims(claims);
  } catch (error) {
    if (error instanceof FetchError) throw keysUnavailable(error);
    return undefined;
  }
}

function keysUnavailable(error: unknown) {
  logger.error('the pool keys could not be fetched', {
    reason: error instanceof Error ? error.name : 'unknown',
  });
  return serviceUnavailable('identity');
}

async function loadLocalKeys(jwksUri: string): Promise<Jwks> {
  const url = new URL(jwksUri);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error('COGNITO_JWKS_URI must be a loopback address (the local stack)');
  }
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  if (!response.ok) throw new Error(`no JWKS at COGNITO_JWKS_URI (${response.status})`);
  const jwks: unknown = await response.json();
  assertIsJwks(jwks as Parameters<typeof assertIsJwks>[0]);
  return jwks as Jwks;
}
