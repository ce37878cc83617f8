import { ChangePasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/change-password';
import {
  ACCESS_TOKEN,
  apiEvent,
  CALLER_CLAIMS,
  invoke,
  NEW_PASSWORD,
  OTHER_ACCESS_TOKEN,
  PASSWORD,
} from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const change = (body: unknown, claims: Record<string, string> | null = CALLER_CLAIMS) =>
  invoke(
    handler,
    apiEvent({ resource: '/auth/change-password', body, ...(claims ? { claims } : {}) }),
  );
const valid = {
  accessToken: ACCESS_TOKEN,
  previousPassword: PASSWORD,
  proposedPassword: NEW_PASSWORD,
};

describe('POST /auth/change-password', () => {
  it("changes the caller's password with their access token", async () => {
    cognitoMock.on(ChangePasswordCommand).resolves({});
    expect((await change(valid)).statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(ChangePasswordCommand, {
      AccessToken: ACCESS_TOKEN,
      PreviousPassword: PASSWORD,
      ProposedPassword: NEW_PASSWORD,
    });
  });

  it("answers 403 for another user's access token, without calling Cognito", async () => {
    const response = await change({ ...valid, accessToken: OTHER_ACCESS_TOKEN });
    expect(response).toMatchObject({ statusCode: 403, body: { error: 'Forbidden' } });
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });

  it('answers 401 without authorizer claims', async () => {
    expect((await change(valid, null)).statusCode).toBe(401);
  });

  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 400, 'IncorrectPassword'],
    ['NotAuthorizedException', 'Access Token has been revoked', 401, 'NotAuthorized'],
    ['InvalidPasswordException', 'Password did not conform with policy', 400, 'InvalidPassword'],
    ['LimitExceededException', 'Attempt limit exceeded', 429, 'TooManyRequests'],
  ])('maps %s (%s) to %i', async (name, message, statusCode, error) => {
    cognitoMock.on(ChangePasswordCommand).rejects(cognitoError(name, message));
    expect(await change(valid)).toMatchObject({ statusCode, body: { error } });
  });
});
