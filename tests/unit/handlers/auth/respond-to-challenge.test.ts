import { RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/respond-to-challenge';
import { apiEvent, EMAIL, invoke, NEW_PASSWORD, TOKENS } from '../../fixtures';
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

  it('supports only NEW_PASSWORD_REQUIRED', async () => {
    const response = await respond({ ...valid, challenge: 'SMS_MFA' });
    expect(response.statusCode).toBe(400);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });
});
