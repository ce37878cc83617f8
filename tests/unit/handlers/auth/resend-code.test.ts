import { ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/resend-code';
import { apiEvent, EMAIL, invoke } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const resend = () =>
  invoke(handler, apiEvent({ resource: '/auth/resend-code', body: { email: EMAIL } }));

describe('POST /auth/resend-code', () => {
  it('answers 202 when a code was sent', async () => {
    cognitoMock.on(ResendConfirmationCodeCommand).resolves({});
    expect((await resend()).statusCode).toBe(202);
  });

  it.each(['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException'])(
    'answers the same 202 when Cognito says %s (no enumeration)',
    async (name) => {
      cognitoMock.on(ResendConfirmationCodeCommand).rejects(cognitoError(name));
      const response = await resend();
      expect(response.statusCode).toBe(202);
      expect(response.body).toEqual({
        message: 'If an unconfirmed account exists for this email, a new code is on its way.',
      });
    },
  );

  it('still answers 429 when Cognito throttles and 503 when it cannot be reached', async () => {
    cognitoMock.on(ResendConfirmationCodeCommand).rejects(cognitoError('LimitExceededException'));
    expect((await resend()).statusCode).toBe(429);
    cognitoMock
      .on(ResendConfirmationCodeCommand)
      .rejects(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    expect((await resend()).statusCode).toBe(503);
  });
});
