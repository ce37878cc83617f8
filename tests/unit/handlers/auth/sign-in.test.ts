import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/sign-in';
import { REFRESH_COOKIE } from '../../../../src/http/cookies';
import { apiEvent, EMAIL, invoke, PASSWORD, REFRESH_TOKEN, TOKENS } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const signIn = (body: unknown, headers: Record<string, string> = {}) =>
  invoke(handler, apiEvent({ resource: '/auth/signin', body, headers }));

describe('POST /auth/signin', () => {
  it('signs in with USER_PASSWORD_AUTH and returns the tokens', async () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: TOKENS });
    const response = await signIn({ email: EMAIL, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      idToken: TOKENS.IdToken,
      accessToken: TOKENS.AccessToken,
      refreshToken: TOKENS.RefreshToken,
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    expect(response.headers['Cache-Control']).toBe('no-store');
    expect(response.headers['Strict-Transport-Security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: EMAIL, PASSWORD: PASSWORD },
    });
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    const wrongPassword = await signIn({ email: EMAIL, password: PASSWORD });
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError('UserNotFoundException', 'User does not exist.'));
    const unknownUser = await signIn({ email: 'nobody@example.com', password: PASSWORD });
    expect(wrongPassword).toEqual(unknownUser);
    expect(wrongPassword).toMatchObject({
      statusCode: 401,
      body: { error: 'NotAuthorized', message: 'Incorrect email or password.' },
    });
  });

  it.each([
    ['UserNotConfirmedException', 'x', 403, 'UserNotConfirmed'],
    ['PasswordResetRequiredException', 'x', 403, 'PasswordResetRequired'],
    ['NotAuthorizedException', 'Password attempts exceeded', 429, 'TooManyRequests'],
    ['TooManyRequestsException', 'x', 429, 'TooManyRequests'],
    ['InternalErrorException', 'x', 503, 'ServiceUnavailable'],
  ])('maps %s (%s) to %i', async (name, message, statusCode, error) => {
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError(name, message, statusCode >= 500 ? 500 : 400));
    expect(await signIn({ email: EMAIL, password: PASSWORD })).toMatchObject({
      statusCode,
      body: { error },
    });
  });

  it('returns a challenge and its session when Cognito asks one', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's'.repeat(40) });
    expect(await signIn({ email: EMAIL, password: PASSWORD })).toMatchObject({
      statusCode: 200,
      body: { challenge: 'NEW_PASSWORD_REQUIRED', session: 's'.repeat(40) },
    });
  });

  describe('cookie mode', () => {
    it('puts the refresh token in an HttpOnly cookie and leaves it out of the body', async () => {
      cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: TOKENS });
      const response = await signIn(
        { email: EMAIL, password: PASSWORD, session: 'cookie' },
        { Origin: 'https://app.example.com' },
      );
      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual({
        idToken: TOKENS.IdToken,
        accessToken: TOKENS.AccessToken,
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      expect(JSON.stringify(response.body)).not.toContain(REFRESH_TOKEN);
      const [cookie] = response.multiValueHeaders?.['Set-Cookie'] ?? [];
      expect(cookie).toBe(
        `${REFRESH_COOKIE}=${REFRESH_TOKEN}; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Strict`,
      );
      expect(response.headers['Access-Control-Allow-Origin']).toBe('https://app.example.com');
      expect(response.headers['Access-Control-Allow-Credentials']).toBe('true');
    });

    it.each([
      ['a foreign origin', { Origin: 'https://evil.example.com' }],
      ['no origin', {}],
    ])('refuses cookie mode from %s (403) before calling Cognito', async (_why, headers) => {
      const response = await signIn(
        { email: EMAIL, password: PASSWORD, session: 'cookie' },
        headers,
      );
      expect(response).toMatchObject({ statusCode: 403, body: { error: 'OriginNotAllowed' } });
      expect(cognitoMock).not.toHaveReceivedAnyCommand();
    });

    it('rejects any other session mode', async () => {
      const response = await signIn({ email: EMAIL, password: PASSWORD, session: 'local-storage' });
      expect(response.body.details).toEqual([
        { path: 'session', message: 'must be "cookie" when present' },
      ]);
    });
  });
});
