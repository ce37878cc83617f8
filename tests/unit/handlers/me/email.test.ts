import {
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { handler as change } from '../../../../src/handlers/me/change-email';
import { handler as verify } from '../../../../src/handlers/me/verify-email';
import {
  ACCESS_TOKEN,
  apiEvent,
  CALLER_CLAIMS,
  CODE,
  EMAIL,
  invoke,
  OTHER_ACCESS_TOKEN,
  PASSWORD,
  REAUTH_TOKENS,
  SUB,
} from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>;
const call = (handler: Handler, resource: string, body: unknown) =>
  invoke(handler, apiEvent({ resource, body, claims: CALLER_CLAIMS }));
const NEW_EMAIL = 'grace.hopper@example.org';

describe('POST /me/email', () => {
  const body = {
    accessToken: ACCESS_TOKEN,
    password: PASSWORD,
    newEmail: ` ${NEW_EMAIL.toUpperCase()} `,
  };
  const passwordIsRight = () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: REAUTH_TOKENS });
    cognitoMock.on(RevokeTokenCommand).resolves({});
  };

  it('checks the password, then asks Cognito to send a code to the new address (normalised)', async () => {
    passwordIsRight();
    cognitoMock.on(UpdateUserAttributesCommand).resolves({
      CodeDeliveryDetailsList: [
        { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@e***' },
      ],
    });
    expect(await call(change, '/me/email', body)).toEqual(
      expect.objectContaining({
        statusCode: 202,
        body: { delivery: { medium: 'EMAIL', destination: 'g***@e***' } },
      }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthParameters: { USERNAME: SUB, PASSWORD: PASSWORD },
    });
    expect(cognitoMock).toHaveReceivedCommandWith(UpdateUserAttributesCommand, {
      AccessToken: ACCESS_TOKEN,
      UserAttributes: [{ Name: 'email', Value: NEW_EMAIL }],
    });
  });

  it('answers 202 without delivery details when Cognito gives none', async () => {
    passwordIsRight();
    cognitoMock.on(UpdateUserAttributesCommand).resolves({});
    expect(await call(change, '/me/email', body)).toMatchObject({ statusCode: 202, body: {} });
    cognitoMock.on(UpdateUserAttributesCommand).resolves({
      CodeDeliveryDetailsList: [{ AttributeName: 'email', Destination: 'g***@e***' }],
    });
    expect(await call(change, '/me/email', body)).toMatchObject({
      statusCode: 202,
      body: { delivery: { medium: 'EMAIL', destination: 'g***@e***' } },
    });
  });

  it('refuses a wrong password before asking for anything', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    expect(await call(change, '/me/email', body)).toMatchObject({
      statusCode: 401,
      body: { error: 'NotAuthorized', message: 'The password is not correct.' },
    });
    expect(cognitoMock).not.toHaveReceivedCommand(UpdateUserAttributesCommand);
  });

  it('refuses an address another account uses with 409 EmailInUse, saying nothing of whose', async () => {
    passwordIsRight();
    cognitoMock
      .on(UpdateUserAttributesCommand)
      .rejects(
        cognitoError('AliasExistsException', 'An account with the given email already exists.'),
      );
    expect(await call(change, '/me/email', body)).toEqual(
      expect.objectContaining({
        statusCode: 409,
        body: {
          error: 'EmailInUse',
          message: 'Another account uses this email address. Choose a different one.',
        },
      }),
    );
  });

  it('refuses the current address, and another user’s access token, without calling Cognito', async () => {
    expect(
      await call(change, '/me/email', { ...body, newEmail: EMAIL.toUpperCase() }),
    ).toMatchObject({
      statusCode: 400,
      body: { error: 'InvalidRequest' },
    });
    expect(
      await call(change, '/me/email', { ...body, accessToken: OTHER_ACCESS_TOKEN }),
    ).toMatchObject({
      statusCode: 403,
    });
    expect(await call(change, '/me/email', { ...body, newEmail: 'not-an-address' })).toMatchObject({
      statusCode: 400,
      body: { details: [{ path: 'newEmail' }] },
    });
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /me/email/verify', () => {
  const body = { accessToken: ACCESS_TOKEN, code: CODE };

  it('verifies the code and answers the new email, verified, as Cognito now has it', async () => {
    cognitoMock.on(VerifyUserAttributeCommand).resolves({});
    cognitoMock.on(GetUserCommand).resolves({
      Username: SUB,
      UserAttributes: [
        { Name: 'email', Value: NEW_EMAIL },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    expect(await call(verify, '/me/email/verify', body)).toEqual(
      expect.objectContaining({ statusCode: 200, body: { email: NEW_EMAIL, emailVerified: true } }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(VerifyUserAttributeCommand, {
      AccessToken: ACCESS_TOKEN,
      AttributeName: 'email',
      Code: CODE,
    });
  });

  it.each([
    ['CodeMismatchException', 400, 'CodeMismatch'],
    ['ExpiredCodeException', 400, 'ExpiredCode'],
    ['AliasExistsException', 409, 'EmailInUse'],
    ['NotAuthorizedException', 401, 'NotAuthorized'],
    ['LimitExceededException', 429, 'TooManyRequests'],
  ])('maps %s to %i %s', async (name, statusCode, error) => {
    cognitoMock.on(VerifyUserAttributeCommand).rejects(cognitoError(name));
    expect(await call(verify, '/me/email/verify', body)).toMatchObject({
      statusCode,
      body: { error },
    });
    expect(cognitoMock).not.toHaveReceivedCommand(GetUserCommand);
  });
});
