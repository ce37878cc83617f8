import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/refresh-tokens';
import { REFRESH_COOKIE } from '../../../../src/http/cookies';
import { apiEvent, invoke, REFRESH_TOKEN, TOKENS } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const refreshed = {
  IdToken: TOKENS.IdToken,
  AccessToken: TOKENS.AccessToken,
  ExpiresIn: 900,
  TokenType: 'Bearer',
};
const refresh = (options: {
  body?: unknown;
  rawBody?: string | null;
  headers?: Record<string, string>;
}) => invoke(handler, apiEvent({ resource: '/auth/refresh', ...options }));

describe('POST /auth/refresh', () => {
  it('trades the refresh token from the body for new tokens', async () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: refreshed });
    const response = await refresh({ body: { refreshToken: REFRESH_TOKEN } });
    expect(response).toMatchObject({
      statusCode: 200,
      body: {
        idToken: TOKENS.IdToken,
        accessToken: TOKENS.AccessToken,
        expiresIn: 900,
        tokenType: 'Bearer',
      },
    });
    expect(response.body).not.toHaveProperty('refreshToken');
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: REFRESH_TOKEN },
    });
  });

  it('uses the cookie when the body has no token, from an allowed origin', async () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: refreshed });
    const response = await refresh({
      rawBody: null,
      headers: {
        'Content-Type': 'application/json',
        Origin: 'http://localhost:5173',
        Cookie: `${REFRESH_COOKIE}=${REFRESH_TOKEN}`,
      },
    });
    expect(response.statusCode).toBe(200);
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthParameters: { REFRESH_TOKEN: REFRESH_TOKEN },
    });
  });

  it.each([
    [
      'a foreign origin',
      { 'Content-Type': 'application/json', Origin: 'https://evil.example.com' },
      403,
    ],
    ['no origin', { 'Content-Type': 'application/json' }, 403],
    [
      'a form content type (no preflight)',
      { 'Content-Type': 'text/plain', Origin: 'http://localhost:5173' },
      415,
    ],
  ])('refuses the cookie from %s', async (_why, headers, statusCode) => {
    const response = await refresh({
      rawBody: null,
      headers: { ...headers, Cookie: `${REFRESH_COOKIE}=${REFRESH_TOKEN}` },
    });
    expect(response.statusCode).toBe(statusCode);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });

  it('answers 401 with no token at all', async () => {
    const response = await refresh({ body: {} });
    expect(response).toMatchObject({ statusCode: 401, body: { error: 'NotAuthorized' } });
  });

  it('answers 401 for an invalid, expired or revoked token', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Refresh Token has been revoked'));
    expect(await refresh({ body: { refreshToken: REFRESH_TOKEN } })).toMatchObject({
      statusCode: 401,
      body: { message: 'The refresh token is invalid, expired or revoked. Sign in again.' },
    });
  });
});
