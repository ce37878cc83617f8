import { assertIsJwks, type Jwks } from 'aws-jwt-verify/jwk';

/**
 * The local-only switch. cognito-local signs every token with a private key that ships inside
 * its npm package (the same in every install), so anyone can mint tokens it "signed". Its keys
 * are loaded only here, only from an emulator on this machine's loopback interface, and only
 * by the local stack; aws-jwt-verify itself fetches keys over https from Cognito alone.
 */
export async function trustLocalEmulatorKeys(
  verifier: { cacheJwks: (jwks: Jwks) => void },
  jwksUrl: string,
): Promise<void> {
  const url = new URL(jwksUrl);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(
      `Refusing to trust signing keys from ${url.origin}: only a local emulator on loopback`,
    );
  }
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok)
    throw new Error(`The local Cognito did not serve its JWKS (${response.status})`);
  const jwks: unknown = await response.json();
  assertIsJwks(jwks as Parameters<typeof assertIsJwks>[0]);
  verifier.cacheJwks(jwks as Jwks);
}
