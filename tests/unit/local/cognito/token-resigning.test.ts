import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { withClaims } from '../../../../local/cognito/token-resigning';
import { mint, payloadOf } from '../../../integration/tokens';

const EMULATOR_PUBLIC_KEY = createPublicKey({
  key: (require('cognito-local/lib/keys/cognitoLocal.public.json') as { jwk: JsonWebKey }).jwk,
  format: 'jwk',
});

const signedByTheEmulator = (token: string) => {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(EMULATOR_PUBLIC_KEY, signature, 'base64url');
};

describe('withClaims', () => {
  const token = mint({ sub: 'sub-ada', token_use: 'access', jti: 'jti-1' });

  it("adds the claims and signs the token again with the emulator's key, same header", () => {
    const resigned = withClaims(token, { origin_jti: 'origin-1' });
    expect(payloadOf(resigned)).toEqual({
      sub: 'sub-ada',
      token_use: 'access',
      jti: 'jti-1',
      origin_jti: 'origin-1',
    });
    expect(resigned.split('.')[0]).toBe(token.split('.')[0]);
    expect(signedByTheEmulator(resigned)).toBe(true);
  });

  it('never changes a claim the token already has', () => {
    expect(payloadOf(withClaims(token, { jti: 'other', sub: 'other' }))).toEqual(payloadOf(token));
  });

  it('answers the very token when there is nothing to add', () => {
    expect(withClaims(token, {})).toBe(token);
  });
});
