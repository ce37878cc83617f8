import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IssuedTokens, standardClaims } from '../../../../local/cognito/issued-tokens';
import { TokenLedger } from '../../../../local/cognito/token-ledger';
import type { LocalClient } from '../../../../local/plan';
import { mint, payloadOf } from '../../../integration/tokens';

describe('standardClaims (correction 11)', () => {
  const attributes = {
    sub: 'sub-ada',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    phone_number_verified: 'false',
    updated_at: '1800000000',
    'custom:team': 'engines',
  };

  it('adds the standard attributes, typed as OIDC claims', () => {
    expect(standardClaims(attributes, undefined)).toEqual({
      name: 'Ada Lovelace',
      phone_number_verified: false,
      updated_at: 1_800_000_000,
    });
  });

  it('leaves out those the client may not read', () => {
    expect(standardClaims(attributes, ['email', 'name'])).toEqual({ name: 'Ada Lovelace' });
  });
});

describe('IssuedTokens', () => {
  const now = Math.floor(Date.now() / 1000);
  const client = (EnableTokenRevocation: boolean) =>
    ({ EnableTokenRevocation, ReadAttributes: ['email', 'name'] }) as LocalClient;
  const issued = () => ({
    AccessToken: mint({
      sub: 'sub-ada',
      token_use: 'access',
      jti: 'access-1',
      iat: now,
      exp: now + 900,
    }),
    IdToken: mint({ sub: 'sub-ada', token_use: 'id', 'cognito:username': 'ada@example.com' }),
    RefreshToken: mint({ 'cognito:username': 'ada@example.com', exp: now + 86_400 }),
  });
  const tokensFor = (EnableTokenRevocation: boolean) =>
    new IssuedTokens({
      client: client(EnableTokenRevocation),
      ledger: new TokenLedger(
        path.join(mkdtempSync(path.join(tmpdir(), 'issued-')), 'ledger.jsonl'),
      ),
      user: async () => ({
        Username: 'ada@example.com',
        Enabled: true,
        UserStatus: 'CONFIRMED',
        attributes: { email: 'ada@example.com', name: 'Ada Lovelace' },
        mfaSettings: [],
      }),
    });

  it('adds ExpiresIn, TokenType, the standard attributes and one origin_jti to both tokens', async () => {
    const completed = await tokensFor(true).complete(issued());
    expect(completed).toMatchObject({ ExpiresIn: 900, TokenType: 'Bearer' });
    const id = payloadOf(completed?.IdToken ?? '');
    const access = payloadOf(completed?.AccessToken ?? '');
    expect(id.name).toBe('Ada Lovelace');
    expect(id.origin_jti).toEqual(expect.any(String));
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.jti).toBe('access-1');
  });

  it('keeps the origin_jti for a refresh, and gives another sign-in its own', async () => {
    const tokens = tokensFor(true);
    const originOf = (answer: { AccessToken?: string } | undefined) =>
      payloadOf(answer?.AccessToken ?? '').origin_jti;
    const signedIn = issued();
    const first = await tokens.complete(signedIn);
    // A refresh answers no refresh token of its own: the one it came with counts.
    const { RefreshToken: _none, ...refreshAnswer } = issued();
    const refreshed = await tokens.complete(refreshAnswer, signedIn.RefreshToken);
    expect(originOf(refreshed)).toBe(originOf(first));
    const otherSignIn = {
      ...issued(),
      RefreshToken: mint({ 'cognito:username': 'ada@example.com', jti: 'another-sign-in' }),
    };
    expect(originOf(await tokens.complete(otherSignIn))).not.toBe(originOf(first));
  });

  it('adds no origin_jti when the client has token revocation disabled, as Cognito', async () => {
    const signedIn = issued();
    const completed = await tokensFor(false).complete(signedIn);
    expect(payloadOf(completed?.IdToken ?? '')).not.toHaveProperty('origin_jti');
    expect(completed?.AccessToken).toBe(signedIn.AccessToken);
  });

  it('leaves an answer without tokens (a challenge) as it is', async () => {
    expect(await tokensFor(true).complete(undefined)).toBeUndefined();
  });
});
