import {
  AssociateSoftwareTokenCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { handler as disable } from '../../../../src/handlers/me/disable-mfa';
import { handler as enrol } from '../../../../src/handlers/me/enrol-totp';
import { handler as verify } from '../../../../src/handlers/me/verify-totp';
import { hasSessionEnded } from '../../../../src/sessions/sessions';
import {
  ACCESS_TOKEN,
  AUTH_TIME,
  apiEvent,
  CALLER_CLAIMS,
  invoke,
  logLines,
  ORIGIN_JTI,
  OTHER_ACCESS_TOKEN,
  PASSWORD,
  REAUTH_ORIGIN_JTI,
  REAUTH_TOKENS,
  SUB,
  TOTP_CODE,
  TOTP_SECRET,
} from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>;
const call = (handler: Handler, resource: string, body: unknown, claims = CALLER_CLAIMS) =>
  invoke(handler, apiEvent({ resource, body, claims }));
const securityEvents = () => logLines().filter((line) => 'securityEvent' in line);

describe('POST /me/mfa/totp', () => {
  it("answers the new secret and its otpauth:// URI for the caller's email, issued by TOTP_ISSUER", async () => {
    cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: TOTP_SECRET });
    const response = await call(enrol, '/me/mfa/totp', { accessToken: ACCESS_TOKEN });
    expect(response).toEqual(
      expect.objectContaining({
        statusCode: 200,
        body: {
          secretCode: TOTP_SECRET,
          otpauthUri: `otpauth://totp/Example%20App:grace%40example.com?issuer=Example%20App&secret=${TOTP_SECRET}&algorithm=SHA1&digits=6&period=30`,
        },
      }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(AssociateSoftwareTokenCommand, {
      AccessToken: ACCESS_TOKEN,
    });
    expect(securityEvents()).toContainEqual(
      expect.objectContaining({ securityEvent: 'mfa-enrol', outcome: 'success', sub: SUB }),
    );
  });

  it('answers 500 with only a request id when Cognito gives no secret', async () => {
    cognitoMock.on(AssociateSoftwareTokenCommand).resolves({});
    expect(await call(enrol, '/me/mfa/totp', { accessToken: ACCESS_TOKEN })).toMatchObject({
      statusCode: 500,
      body: { error: 'InternalError', requestId: expect.any(String) },
    });
  });

  it("refuses another user's access token (403) without calling Cognito, and a missing one (400)", async () => {
    expect(await call(enrol, '/me/mfa/totp', { accessToken: OTHER_ACCESS_TOKEN })).toMatchObject({
      statusCode: 403,
      body: { error: 'Forbidden' },
    });
    expect(await call(enrol, '/me/mfa/totp', {})).toMatchObject({
      statusCode: 400,
      body: { details: [{ path: 'accessToken' }] },
    });
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });

  it.each([
    ['SoftwareTokenMFANotFoundException', 403, 'MfaUnavailable'],
    ['NotAuthorizedException', 401, 'NotAuthorized'],
    ['InternalErrorException', 503, 'ServiceUnavailable'],
  ])('maps %s to %i %s', async (name, statusCode, error) => {
    cognitoMock.on(AssociateSoftwareTokenCommand).rejects(cognitoError(name));
    expect(await call(enrol, '/me/mfa/totp', { accessToken: ACCESS_TOKEN })).toMatchObject({
      statusCode,
      body: { error },
    });
  });
});

describe('POST /me/mfa/totp/verify', () => {
  const body = { accessToken: ACCESS_TOKEN, code: ` ${TOTP_CODE} ` };

  it('verifies the first code, then makes TOTP the enabled and preferred MFA', async () => {
    cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
    expect(await call(verify, '/me/mfa/totp/verify', body)).toEqual(
      expect.objectContaining({ statusCode: 200, body: { mfa: 'TOTP' } }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(VerifySoftwareTokenCommand, {
      AccessToken: ACCESS_TOKEN,
      UserCode: TOTP_CODE,
    });
    expect(cognitoMock).toHaveReceivedCommandWith(SetUserMFAPreferenceCommand, {
      AccessToken: ACCESS_TOKEN,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  });

  it.each([
    ['EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'],
    ['CodeMismatchException', 'Invalid code received for user'],
  ])(
    'answers a wrong code (%s) with 401 InvalidMfaCode and turns nothing on',
    async (name, message) => {
      cognitoMock.on(VerifySoftwareTokenCommand).rejects(cognitoError(name, message));
      expect(await call(verify, '/me/mfa/totp/verify', body)).toMatchObject({
        statusCode: 401,
        body: { error: 'InvalidMfaCode' },
      });
      expect(cognitoMock).not.toHaveReceivedCommand(SetUserMFAPreferenceCommand);
      expect(securityEvents()).toContainEqual(
        expect.objectContaining({ securityEvent: 'mfa-verify', outcome: 'failure' }),
      );
    },
  );

  it('refuses a code that is not 6 digits', async () => {
    expect(await call(verify, '/me/mfa/totp/verify', { ...body, code: '12345a' })).toMatchObject({
      statusCode: 400,
      body: {
        details: [{ path: 'code', message: 'must be the 6-digit code from the authenticator app' }],
      },
    });
  });
});

describe('POST /me/mfa/disable', () => {
  const body = { accessToken: ACCESS_TOKEN, password: PASSWORD };
  const poolMfa = (MfaConfiguration: 'ON' | 'OPTIONAL') =>
    cognitoMock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration });

  it("checks the password by signing in with the access token's username, revokes that sign-in, turns TOTP off", async () => {
    poolMfa('OPTIONAL');
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: REAUTH_TOKENS });
    cognitoMock.on(RevokeTokenCommand).resolves({});
    cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
    expect(await call(disable, '/me/mfa/disable', body)).toEqual(
      expect.objectContaining({ statusCode: 200, body: { mfa: null } }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: SUB, PASSWORD: PASSWORD },
    });
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, {
      Token: REAUTH_TOKENS.RefreshToken,
    });
    expect(cognitoMock).toHaveReceivedCommandWith(SetUserMFAPreferenceCommand, {
      AccessToken: ACCESS_TOKEN,
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    });
  });

  it("leaves no session behind: the check's own sign-in is ended, the caller's goes on", async () => {
    poolMfa('OPTIONAL');
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: REAUTH_TOKENS });
    cognitoMock.on(RevokeTokenCommand).resolves({});
    cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
    expect((await call(disable, '/me/mfa/disable', body)).statusCode).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    expect(await hasSessionEnded(SUB, { originJti: REAUTH_ORIGIN_JTI, authTime: now })).toBe(true);
    expect(await hasSessionEnded(SUB, { originJti: ORIGIN_JTI, authTime: AUTH_TIME })).toBe(false);
  });

  it('takes an MFA challenge in answer to the password as the password being right', async () => {
    poolMfa('OPTIONAL');
    cognitoMock
      .on(InitiateAuthCommand)
      .resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'AYABeC'.padEnd(64, 'x') });
    cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
    expect((await call(disable, '/me/mfa/disable', body)).statusCode).toBe(200);
    expect(cognitoMock).not.toHaveReceivedCommand(RevokeTokenCommand);
  });

  it.each([
    ['Incorrect username or password.', 401, 'NotAuthorized'],
    ['Password attempts exceeded', 429, 'TooManyRequests'],
  ])(
    'refuses a wrong password (%s) with %i and changes nothing',
    async (message, statusCode, error) => {
      poolMfa('OPTIONAL');
      cognitoMock.on(InitiateAuthCommand).rejects(cognitoError('NotAuthorizedException', message));
      expect(await call(disable, '/me/mfa/disable', body)).toMatchObject({
        statusCode,
        body: { error },
      });
      expect(cognitoMock).not.toHaveReceivedCommand(SetUserMFAPreferenceCommand);
    },
  );
});
