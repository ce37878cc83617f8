import { ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/confirm-sign-up';
import { apiEvent, CODE, EMAIL, invoke } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const confirm = (body: unknown) =>
  invoke(handler, apiEvent({ resource: '/auth/confirm-signup', body }));

describe('POST /auth/confirm-signup', () => {
  it('confirms with the code', async () => {
    cognitoMock.on(ConfirmSignUpCommand).resolves({});
    expect(await confirm({ email: EMAIL, code: CODE })).toEqual(
      expect.objectContaining({ statusCode: 200, body: { confirmed: true } }),
    );
    expect(cognitoMock).toHaveReceivedCommandWith(ConfirmSignUpCommand, {
      Username: EMAIL,
      ConfirmationCode: CODE,
    });
  });

  it.each([
    ['CodeMismatchException', 400, 'CodeMismatch'],
    ['ExpiredCodeException', 400, 'ExpiredCode'],
    ['UserNotFoundException', 400, 'CodeMismatch'],
    ['NotAuthorizedException', 409, 'AlreadyConfirmed'],
    ['TooManyFailedAttemptsException', 429, 'TooManyRequests'],
  ])('maps %s to %i %s', async (name, statusCode, error) => {
    cognitoMock.on(ConfirmSignUpCommand).rejects(cognitoError(name));
    expect(await confirm({ email: EMAIL, code: CODE })).toMatchObject({
      statusCode,
      body: { error },
    });
  });

  it('rejects a code that is not six digits', async () => {
    const response = await confirm({ email: EMAIL, code: '12345a' });
    expect(response.body.details).toEqual([
      { path: 'code', message: 'must be the 6-digit code from the email' },
    ]);
  });
});
