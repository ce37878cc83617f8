import {
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/respond-to-challenge';
import {
  apiEvent,
  EMAIL,
  invoke,
  logLines,
  NEW_PASSWORD,
  TOKENS,
  TOTP_CODE,
  TOTP_SECRET,
} from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const session = 'AYABeC'.padEnd(64, 'x');
const respond = (body: unknown) => invoke(handler, apiEvent({ resource: '/auth/challenge', body }));
const valid = {
  email: EMAIL,
  challenge: 'NEW_PASSWORD_REQUIRED',
  session,
  newPassword: NEW_PASSWORD,
};

describe('POST /auth/challenge', () => {
  it('answers NEW_PASSWORD_REQUIRED and returns tokens', async () => {
    cognitoMock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
    const response = await respond(valid);
    expect(response).toMatchObject({
      statusCode: 200,
      body: { idToken: TOKENS.IdToken, tokenType: 'Bearer' },
    });
    expect(cognitoMock).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: EMAIL, NEW_PASSWORD: NEW_PASSWORD },
    });
  });

  it('answers 401 for an expired session and 400 for a weak password', async () => {
    cognitoMock
      .on(RespondToAuthChallengeCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Invalid session'));
    expect((await respond(valid)).statusCode).toBe(401);
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoError('InvalidPasswordException'));
    expect(await respond(valid)).toMatchObject({
      statusCode: 400,
      body: { error: 'InvalidPassword' },
    });
  });

  it('supports NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA and MFA_SETUP only', async () => {
    const response = await respond({ ...valid, challenge: 'SMS_MFA' });
    expect(response).toMatchObject({ statusCode: 400, body: { details: [{ path: 'challenge' }] } });
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });

  describe('SOFTWARE_TOKEN_MFA', () => {
    const totp = { email: EMAIL, challenge: 'SOFTWARE_TOKEN_MFA', session, code: TOTP_CODE };

    it("answers with the app's code and returns tokens; in cookie mode the refresh token is the cookie", async () => {
      cognitoMock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      expect(await respond(totp)).toMatchObject({
        statusCode: 200,
        body: { idToken: TOKENS.IdToken },
      });
      expect(cognitoMock).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: session,
        ChallengeResponses: { USERNAME: EMAIL, SOFTWARE_TOKEN_MFA_CODE: TOTP_CODE },
      });
      const cookie = await invoke(
        handler,
        apiEvent({
          resource: '/auth/challenge',
          body: { ...totp, cookie: true },
          headers: { Origin: 'https://app.example.com' },
        }),
      );
      expect(cookie.body.refreshToken).toBeUndefined();
      expect(String(cookie.multiValueHeaders?.['Set-Cookie'])).toMatch(/^__Host-refresh_token=/);
    });

    it('refuses cookie mode from an origin not on the allowlist, before calling Cognito', async () => {
      const response = await respond({ ...totp, cookie: true });
      expect(response).toMatchObject({ statusCode: 403, body: { error: 'OriginNotAllowed' } });
      expect(cognitoMock).not.toHaveReceivedAnyCommand();
    });

    it.each([
      ['CodeMismatchException', 'Invalid code received for user', 401, 'InvalidMfaCode'],
      [
        'ExpiredCodeException',
        'Your software token has already been used once.',
        401,
        'InvalidMfaCode',
      ],
      ['NotAuthorizedException', 'Invalid session for the user.', 401, 'NotAuthorized'],
      ['NotAuthorizedException', 'Password attempts exceeded', 429, 'TooManyRequests'],
    ])('maps %s (%s) to %i %s, and logs the failure', async (name, message, statusCode, error) => {
      cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoError(name, message));
      expect(await respond(totp)).toMatchObject({ statusCode, body: { error } });
      expect(logLines()).toContainEqual(
        expect.objectContaining({
          securityEvent: 'mfa-challenge',
          outcome: 'failure',
          reason: error,
        }),
      );
    });
  });

  describe('MFA_SETUP', () => {
    const setup = { email: EMAIL, challenge: 'MFA_SETUP', session };
    const next = 'AYABeCnext'.padEnd(64, 'y');

    it('without a code: a new secret, its otpauth:// URI and the next session', async () => {
      cognitoMock
        .on(AssociateSoftwareTokenCommand)
        .resolves({ SecretCode: TOTP_SECRET, Session: next });
      const response = await respond(setup);
      expect(response).toMatchObject({
        statusCode: 200,
        body: { challenge: 'MFA_SETUP', secretCode: TOTP_SECRET, session: next },
      });
      expect(response.body.otpauthUri).toBe(
        `otpauth://totp/Example%20App:grace%40example.com?issuer=Example%20App&secret=${TOTP_SECRET}&algorithm=SHA1&digits=6&period=30`,
      );
      expect(cognitoMock).toHaveReceivedCommandWith(AssociateSoftwareTokenCommand, {
        Session: session,
      });
    });

    it('with a code: verifies it, completes the challenge and makes TOTP the preferred MFA', async () => {
      cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS', Session: next });
      cognitoMock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
      expect(await respond({ ...setup, code: TOTP_CODE })).toMatchObject({
        statusCode: 200,
        body: { accessToken: TOKENS.AccessToken },
      });
      expect(cognitoMock).toHaveReceivedCommandWith(VerifySoftwareTokenCommand, {
        Session: session,
        UserCode: TOTP_CODE,
      });
      expect(cognitoMock).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
        ChallengeName: 'MFA_SETUP',
        Session: next,
        ChallengeResponses: { USERNAME: EMAIL },
      });
      expect(cognitoMock).toHaveReceivedCommandWith(SetUserMFAPreferenceCommand, {
        AccessToken: TOKENS.AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      });
    });

    it('keeps the session it was given when Cognito answers a step without a new one', async () => {
      cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: TOTP_SECRET });
      expect(await respond(setup)).toMatchObject({ statusCode: 200, body: { session } });
      cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
      cognitoMock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
      expect((await respond({ ...setup, code: TOTP_CODE })).statusCode).toBe(200);
      expect(cognitoMock).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
        ChallengeName: 'MFA_SETUP',
        Session: session,
      });
    });

    it('refuses a wrong first code with 401, and a verification Cognito did not call a success', async () => {
      cognitoMock
        .on(VerifySoftwareTokenCommand)
        .rejects(cognitoError('EnableSoftwareTokenMFAException', 'Code mismatch'));
      expect(await respond({ ...setup, code: TOTP_CODE })).toMatchObject({
        statusCode: 401,
        body: { error: 'InvalidMfaCode' },
      });
      cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'ERROR' });
      expect((await respond({ ...setup, code: TOTP_CODE })).statusCode).toBe(401);
      expect(cognitoMock).not.toHaveReceivedCommand(RespondToAuthChallengeCommand);
    });
  });

  it('answers the next challenge when Cognito asks for one after a new password', async () => {
    const next = 'AYABeCnext'.padEnd(64, 'y');
    cognitoMock
      .on(RespondToAuthChallengeCommand)
      .resolves({ ChallengeName: 'MFA_SETUP', Session: next });
    expect(await respond(valid)).toMatchObject({
      statusCode: 200,
      body: { challenge: 'MFA_SETUP', session: next },
    });
  });
});
