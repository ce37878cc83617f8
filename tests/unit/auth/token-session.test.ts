import { randomUUID } from 'node:crypto';
import type { Tokens } from '../../../src/auth/cognito';
import { signedInSubject } from '../../../src/auth/token-session';
import { EMAIL, fakeJwt } from '../fixtures';

const tokensWith = (idTokenClaims: Record<string, unknown>): Tokens => ({
  idToken: fakeJwt({ token_use: 'id', ...idTokenClaims }),
  accessToken: fakeJwt({ token_use: 'access' }),
  expiresIn: 3600,
  tokenType: 'Bearer',
});

describe('signedInSubject', () => {
  it('names the new session’s user when the sign-in answered tokens', () => {
    const sub = randomUUID();
    const tokens = tokensWith({ sub, origin_jti: 'o', auth_time: 1 });
    expect(signedInSubject({ kind: 'tokens', tokens }, EMAIL)).toEqual({ sub });
  });

  it('names the email while a challenge is pending, or the ID token cannot be read', () => {
    expect(
      signedInSubject(
        { kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: 's' },
        EMAIL,
      ),
    ).toEqual({ email: EMAIL });
    const unreadable = { ...tokensWith({}), idToken: 'not-a-jwt' };
    expect(signedInSubject({ kind: 'tokens', tokens: unreadable }, EMAIL)).toEqual({
      email: EMAIL,
    });
  });
});
