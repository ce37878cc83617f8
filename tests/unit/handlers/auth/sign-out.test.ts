import { RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/sign-out';
import { REFRESH_COOKIE } from '../../../../src/http/cookies';
import { apiEvent, invoke, REFRESH_TOKEN } from '../../fixtures';
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
