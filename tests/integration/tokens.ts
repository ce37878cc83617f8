import { createSign, generateKeyPairSync } from 'node:crypto';

/**
 * Tokens made by hand for the authorizer tests. The emulator's key is the one cognito-local
 * signs with (it ships in its npm package, which is exactly why only the local stack may trust
 * it); a stranger's key stands for any key that is not the pool's.
 */
const EMULATOR_KEY = (
  require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string }
).pem;
const STRANGER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

export function mint(
  payload: Record<string, unknown>,
  key: 'emulator' | 'stranger' = 'emulator',
): string {
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(key === 'emulator' ? EMULATOR_KEY : STRANGER_KEY, 'base64url');
  return `${unsigned}.${signature}`;
}

export function unsigned(payload: Record<string, unknown>): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

/** The same token with one claim changed and the original signature kept. */
export function tampered(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), ...claims };
  return `${header}.${encode(changed)}.${signature}`;
}
