import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/sign-out';
import { REFRESH_COOKIE } from '../../../../src/http/cookies';
import { EMPTY_RECORD, sessionEnded } from '../../../../src/sessions/session-record';
import { readSessionRecord } from '../../../../src/sessions/session-store';
import { apiEvent, invoke, logLines, REFRESH_TOKEN } from '../../fixtures';
import { forgerKey, serveJwks, signedIdToken } from '../../id-tokens';
import { cognitoError, cognitoMock } from '../cognito-mock';

const signOut = (options: {
  body?: unknown;
  rawBody?: string | null;
  headers?: Record<string, string>;
}) => invoke(handler, apiEvent({ resource: '/auth/signout', ...options }));

describe('POST /auth/signout', () => {
  it('revokes the refresh token from the body and expires the cookie', async () => {
    cognitoMock.on(RevokeTokenCommand).resolves({});
    const response = await signOut({ body: { refreshToken: REFRESH_TOKEN } });
    expect(response.statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, {
      Token: REFRESH_TOKEN,
      ClientId: 'testclient0000000000000001',
    });
    const [cookie] = response.multiValueHeaders?.['Set-Cookie'] ?? [];
    expect(String(cookie)).toMatch(new RegExp(`^${REFRESH_COOKIE}=; Max-Age=0;`));
  });

  it('revokes the cookie token for an allowed origin', async () => {
    cognitoMock.on(RevokeTokenCommand).resolves({});
    const response = await signOut({
      rawBody: '{}',
      headers: {
        'content-type': 'application/json',
        origin: 'https://app.example.com',
        cookie: `${REFRESH_COOKIE}=${REFRESH_TOKEN}`,
      },
    });
    expect(response.statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, { Token: REFRESH_TOKEN });
  });

  it('refuses to use the cookie for a foreign origin', async () => {
    const response = await signOut({
      rawBody: '{}',
      headers: {
        'content-type': 'application/json',
        origin: 'https://evil.example.com',
        cookie: `${REFRESH_COOKIE}=${REFRESH_TOKEN}`,
      },
    });
    expect(response.statusCode).toBe(403);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });

  it('is idempotent: a token Cognito no longer accepts still signs out', async () => {
    cognitoMock
      .on(RevokeTokenCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Invalid token'));
    expect((await signOut({ body: { refreshToken: REFRESH_TOKEN } })).statusCode).toBe(204);
    expect((await signOut({ body: {} })).statusCode).toBe(204);
  });

  it('reports an outage instead of pretending the token was revoked', async () => {
    cognitoMock
      .on(RevokeTokenCommand)
      .rejects(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    expect((await signOut({ body: { refreshToken: REFRESH_TOKEN } })).statusCode).toBe(503);
  });
});

describe('POST /auth/signout with the ID token', () => {
  let jwks: Server;
  beforeAll(async () => {
    jwks = await serveJwks();
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  const session = { originJti: 'signed-out-session', authTime: Math.floor(Date.now() / 1000) };
  const withIdToken = (token: string) =>
    signOut({
      body: { refreshToken: REFRESH_TOKEN },
      headers: { Authorization: `Bearer ${token}` },
    });

  it('ends every token of that session, and records who signed out', async () => {
    cognitoMock.on(RevokeTokenCommand).resolves({});
    const sub = randomUUID();
    const token = signedIdToken({
      sub,
      origin_jti: session.originJti,
      auth_time: session.authTime,
    });
    expect((await withIdToken(token)).statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, { Token: REFRESH_TOKEN });
    expect(sessionEnded(await readSessionRecord(sub), session)).toBe(true);
    expect(logLines().at(-2)).toMatchObject({ securityEvent: 'sign-out', outcome: 'success', sub });
  });

  it.each([
    [
      'forged (another key)',
      (sub: string) => signedIdToken({ sub, origin_jti: 'x', auth_time: 1 }, forgerKey),
    ],
    [
      'expired',
      (sub: string) => signedIdToken({ sub, origin_jti: 'x', auth_time: 1, exp: 1_700_000_000 }),
    ],
    [
      'of another client',
      (sub: string) => signedIdToken({ sub, origin_jti: 'x', auth_time: 1, aud: 'otherclient' }),
    ],
    [
      'an access token',
      (sub: string) => signedIdToken({ sub, origin_jti: 'x', auth_time: 1, token_use: 'access' }),
    ],
  ])('ends nothing with a token that is %s, and still signs out', async (_kind, make) => {
    cognitoMock.on(RevokeTokenCommand).resolves({});
    const sub = randomUUID();
    expect((await withIdToken(make(sub))).statusCode).toBe(204);
    expect(await readSessionRecord(sub)).toEqual(EMPTY_RECORD);
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, { Token: REFRESH_TOKEN });
  });
});
