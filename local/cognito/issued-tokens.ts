import { randomUUID } from 'node:crypto';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { LocalClient } from '../plan';
import type { PoolUser } from './cognito-local-client';
import type { TokenLedger } from './token-ledger';
import { withClaims } from './token-resigning';

/** Standard attributes Cognito puts in ID tokens (when the client may read them). */
const STANDARD_CLAIMS = new Set([
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
]);

/** How long to remember a refresh token whose expiry cannot be read: Cognito's default lifetime. */
const DEFAULT_REFRESH_SECONDS = 30 * 86_400;

/**
 * Correction 11: cognito-local puts only `email` and `email_verified` in ID tokens; Cognito
 * adds every standard attribute the user has and the client may read (`name`, …), typed as
 * the OIDC claims are (booleans for `*_verified`, a number for `updated_at`).
 */
export function standardClaims(
  attributes: Record<string, string>,
  readAttributes: string[] | undefined,
): Record<string, unknown> {
  const readable = readAttributes ? new Set(readAttributes) : undefined;
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!STANDARD_CLAIMS.has(name) || (readable && !readable.has(name))) continue;
    if (name.endsWith('_verified')) claims[name] = value === 'true';
    else if (name === 'updated_at') claims[name] = Number(value);
    else claims[name] = value;
  }
  return claims;
}

export interface IssuedTokensOptions {
  client: LocalClient;
  ledger: TokenLedger;
  user: (username: string | undefined) => Promise<PoolUser | undefined>;
}

/** What the layer adds to the tokens cognito-local issues, before any client sees them. */
export class IssuedTokens {
  constructor(private readonly options: IssuedTokensOptions) {}

  /**
   * Correction 5 (`ExpiresIn`, `TokenType`), 11 (the ID token's standard attributes), 14
   * (`origin_jti`) and 16 (`auth_time`), and the ledger's record of every access token and the refresh token it came
   * from, which revocation (correction 8) needs. `refreshTokenUsed` is the one a refresh came
   * with (the answer then has none of its own).
   */
  async complete(
    tokens: AuthenticationResultType | undefined,
    refreshTokenUsed?: string,
  ): Promise<AuthenticationResultType | undefined> {
    if (!tokens?.AccessToken) return tokens;
    const access = decomposeUnverifiedJwt(tokens.AccessToken).payload;
    const sub = access.sub ?? '';
    const iat = access.iat ?? 0;
    const exp = access.exp ?? iat;
    const refreshToken = tokens.RefreshToken ?? refreshTokenUsed;
    // Correction 14: Cognito puts `origin_jti` in ID and access tokens when the client has
    // token revocation enabled: one value per sign-in, the same in every token minted from
    // that sign-in's refresh token.
    const session = refreshToken
      ? this.options.ledger.issued(
          refreshToken,
          { sub, exp: refreshExpiry(refreshToken) },
          {
            jti: access.jti ?? '',
            exp,
            ...(typeof access.auth_time === 'number' ? { authTime: access.auth_time } : {}),
          },
        )
      : { originJti: randomUUID() };
    const revocationClaims = this.options.client.EnableTokenRevocation
      ? { origin_jti: session.originJti }
      : {};
    // Correction 16: cognito-local sets `auth_time` to the time of every refresh; Cognito keeps
    // the time of the sign-in (as OpenID Connect requires of tokens from a refresh).
    const authTime = session.authTime !== undefined ? { auth_time: session.authTime } : {};
    return {
      ...tokens,
      AccessToken: withClaims(tokens.AccessToken, revocationClaims, authTime),
      ...(tokens.IdToken
        ? { IdToken: await this.completeIdToken(tokens.IdToken, revocationClaims, authTime) }
        : {}),
      ExpiresIn: exp - iat,
      TokenType: 'Bearer',
    };
  }

  private async completeIdToken(
    idToken: string,
    revocationClaims: Record<string, unknown>,
    overrides: Record<string, unknown>,
  ): Promise<string> {
    const username = decomposeUnverifiedJwt(idToken).payload['cognito:username'];
    const user = await this.options.user(typeof username === 'string' ? username : undefined);
    const attributes = user
      ? standardClaims(user.attributes, this.options.client.ReadAttributes)
      : {};
    return withClaims(idToken, { ...revocationClaims, ...attributes }, overrides);
  }
}

function refreshExpiry(refreshToken: string): number {
  try {
    const { exp } = decomposeUnverifiedJwt(refreshToken).payload;
    if (typeof exp === 'number') return exp;
  } catch {
    // Cognito's refresh tokens are opaque; only cognito-local's happen to be JWTs.
  }
  return Math.floor(Date.now() / 1000) + DEFAULT_REFRESH_SECONDS;
}
