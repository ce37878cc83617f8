import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/confirm-forgot-password';
import { apiEvent, CODE, EMAIL, invoke, NEW_PASSWORD } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const confirm = () =>
  invoke(
    handler,
    apiEvent({
      resource: '/auth/confirm-forgot-password',
      body: { email: EMAIL, code: CODE, newPassword: NEW_PASSWORD },
    }),
  );

describe('POST /auth/confirm-forgot-password', () => {
  it('sets the new password', async () => {
    cognitoMock.on(ConfirmForgotPasswordCommand).resolves({});
    cognitoMock.on(AdminGetUserCommand).resolves({
      UserAttributes: [{ Name: 'sub', Value: '33333333-4444-4555-8666-777777777777' }],
    });
    cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
    expect(await confirm()).toMatchObject({ statusCode: 200, body: { passwordReset: true } });
    expect(cognitoMock).toHaveReceivedCommandWith(ConfirmForgotPasswordCommand, {
      Username: EMAIL,
      ConfirmationCode: CODE,
      Password: NEW_PASSWORD,
    });
  });

  it.each([
    ['CodeMismatchException', 400, 'CodeMismatch'],
    ['ExpiredCodeException', 400, 'ExpiredCode'],
    ['InvalidPasswordException', 400, 'InvalidPassword'],
    ['UserNotFoundException', 400, 'CodeMismatch'],
    ['LimitExceededException', 429, 'TooManyRequests'],
  ])('maps %s to %i %s', async (name, statusCode, error) => {
    cognitoMock.on(ConfirmForgotPasswordCommand).rejects(cognitoError(name));
    expect(await confirm()).toMatchObject({ statusCode, body: { error } });
  });
});
