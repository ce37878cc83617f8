import { ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/forgot-password';
import { apiEvent, EMAIL, invoke } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const forgot = () =>
  invoke(handler, apiEvent({ resource: '/auth/forgot-password', body: { email: EMAIL } }));

describe('POST /auth/forgot-password', () => {
  it('answers 202 after sending a code', async () => {
    cognitoMock.on(ForgotPasswordCommand).resolves({});
    expect((await forgot()).statusCode).toBe(202);
    expect(cognitoMock).toHaveReceivedCommandWith(ForgotPasswordCommand, { Username: EMAIL });
  });

  it.each(['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException'])(
    'answers the same 202 when Cognito says %s',
    async (name) => {
      cognitoMock.on(ForgotPasswordCommand).rejects(cognitoError(name));
      expect(await forgot()).toMatchObject({
        statusCode: 202,
        body: { message: 'If an account exists for this email, a reset code is on its way.' },
      });
    },
  );

  it('answers 429 when Cognito throttles', async () => {
    cognitoMock.on(ForgotPasswordCommand).rejects(cognitoError('LimitExceededException'));
    expect((await forgot()).statusCode).toBe(429);
  });
});
