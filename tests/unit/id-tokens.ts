import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_ID } from './fixtures';

/**
 * ID tokens signed as Cognito signs them (RS256, a key id from the pool's JWKS), with a key
 * made for this test file, and a JWKS server on loopback for COGNITO_JWKS_URI: the sign-out
 * function verifies them for real.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'unit-test-key';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${process.env.USER_POOL_ID}`;
const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

export function signedIdToken(claims: Record<string, unknown>, key = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'RS256', kid: KID })}.${encode({
    iss: ISSUER,
    aud: CLIENT_ID,
    token_use: 'id',
    iat: now,
    exp: now + 900,
    ...claims,
  })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key, 'base64url')}`;
}

/** A key that is not the pool's: tokens signed with it are forgeries. */
export const forgerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** The pool's keys, as Cognito's `.well-known/jwks.json` lists them. */
export const JWKS = {
  keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }],
};

/** Serves the JWKS and points COGNITO_JWKS_URI at it (before the function first reads it). */
export async function serveJwks(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(JWKS));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.COGNITO_JWKS_URI = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return server;
}
