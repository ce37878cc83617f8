import { randomUUID } from 'node:crypto';
import type { Tokens } from '../../../src/auth/cognito';
import { admitNewSession, signedInSubject } from '../../../src/sessions/new-session';
import { readSessionRecord } from '../../../src/sessions/session-store';
import { endAllSessions } from '../../../src/sessions/sessions';
import { EMAIL, fakeJwt, logLines, withUnreachableDynamoDb } from '../fixtures';

const tokensWith = (idTokenClaims: Record<string, unknown>): Tokens => ({
  idToken: fakeJwt({ token_use: 'id', ...idTokenClaims }),
  accessToken: fakeJwt({ token_use: 'access' }),
  expiresIn: 3600,
  tokenType: 'Bearer',
});

/** A user whose sessions were all ended just now, and a sign-in that began after that cut. */
async function justCut() {
  const sub = randomUUID();
  await endAllSessions(sub);
  const startedAtMs = Date.now() + 1;
  await new Promise((resolve) => setTimeout(resolve, 2));
  const authTime = (await readSessionRecord(sub)).notBefore - 1;
  return { sub, startedAtMs, authTime };
}

describe('admitNewSession', () => {
  it('keeps a sign-in that began after a cut in the same second', async () => {
    const { sub, startedAtMs, authTime } = await justCut();
    await admitNewSession(
      tokensWith({ sub, origin_jti: 'fresh', auth_time: authTime }),
      startedAtMs,
    );
    expect((await readSessionRecord(sub)).keepOrigins).toEqual(['fresh']);
  });

  it('writes nothing for tokens whose ID token names no session', async () => {
    const { sub, startedAtMs, authTime } = await justCut();
    const before = await readSessionRecord(sub);
    await admitNewSession(tokensWith({ sub, auth_time: authTime }), startedAtMs);
    await admitNewSession({ ...tokensWith({}), idToken: 'not-a-jwt' }, startedAtMs);
    expect(await readSessionRecord(sub)).toEqual(before);
  });

  it('lets the sign-in succeed when the record cannot be reached, and warns without the token', async () => {
    await withUnreachableDynamoDb(async () => {
      const isolated = await import('../../../src/sessions/new-session');
      await expect(
        isolated.admitNewSession(
          tokensWith({ sub: randomUUID(), origin_jti: 'fresh', auth_time: 1 }),
          Date.now(),
        ),
      ).resolves.toBeUndefined();
    });
    expect(logLines().at(-1)).toMatchObject({
      level: 'WARN',
      message: 'a new session could not be checked against a cut in the same second',
      reason: 'ApiError',
    });
  });
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
