import { DescribeUserPoolCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/auth/sign-up';
import { apiEvent, EMAIL, invoke, PASSWORD } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const signUp = (body: unknown) => invoke(handler, apiEvent({ resource: '/auth/signup', body }));

describe('POST /auth/signup', () => {
  it('registers the account with the email as username and answers 201', async () => {
    cognitoMock.on(SignUpCommand).resolves({
      UserSub: 'a1b2c3d4-0000-4000-8000-000000000000',
      UserConfirmed: false,
      CodeDeliveryDetails: {
        DeliveryMedium: 'EMAIL',
        Destination: 'g***@e***',
        AttributeName: 'email',
      },
    });
    const response = await signUp({
      email: ' Grace@Example.com ',
      password: PASSWORD,
      name: 'Grace Hopper',
    });
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      userSub: 'a1b2c3d4-0000-4000-8000-000000000000',
      confirmed: false,
      delivery: { medium: 'EMAIL', destination: 'g***@e***' },
    });
    expect(cognitoMock).toHaveReceivedCommandWith(SignUpCommand, {
      ClientId: 'testclient0000000000000001',
      Username: EMAIL,
      Password: PASSWORD,
      UserAttributes: [
        { Name: 'email', Value: EMAIL },
        { Name: 'name', Value: 'Grace Hopper' },
      ],
    });
  });

  it('omits delivery when Cognito confirmed the user itself (auto-confirm trigger)', async () => {
    cognitoMock
      .on(SignUpCommand)
      .resolves({ UserSub: 'a1b2c3d4-0000-4000-8000-000000000000', UserConfirmed: true });
    const response = await signUp({ email: EMAIL, password: PASSWORD });
    expect(response.body).toEqual({
      userSub: 'a1b2c3d4-0000-4000-8000-000000000000',
      confirmed: true,
    });
  });

  it('answers 409 when the email is taken', async () => {
    cognitoMock.on(SignUpCommand).rejects(cognitoError('UsernameExistsException'));
    expect(await signUp({ email: EMAIL, password: PASSWORD })).toMatchObject({
      statusCode: 409,
      body: { error: 'UsernameExists' },
    });
  });

  it('answers 400 saying what the policy wants for a weak password', async () => {
    cognitoMock
      .on(SignUpCommand)
      .rejects(cognitoError('InvalidPasswordException', 'Password did not conform with policy'));
    cognitoMock.on(DescribeUserPoolCommand).resolves({
      UserPool: {
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: false,
            RequireNumbers: true,
            RequireSymbols: false,
          },
        },
      },
    });
    const response = await signUp({ email: EMAIL, password: 'short' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: 'InvalidPassword',
      message:
        'The password does not meet the policy. Use at least 12 characters, with a lowercase letter and a number.',
    });
  });

  it.each([
    ['an email that is not one', { email: 'not-an-email', password: PASSWORD }, 'email'],
    [
      'a control character in the name',
      { email: EMAIL, password: PASSWORD, name: 'bad\u0007name' },
      'name',
    ],
    // Refused, not trimmed away: the contract says a name has no control characters.
    [
      'a name ending in a newline',
      { email: EMAIL, password: PASSWORD, name: 'Grace Hopper\n' },
      'name',
    ],
    [
      'a name starting with U+0085',
      { email: EMAIL, password: PASSWORD, name: '\u0085Grace' },
      'name',
    ],
    ['a password of 257 characters', { email: EMAIL, password: 'p'.repeat(257) }, 'password'],
    [
      'an email of 262 characters',
      { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD },
      'email',
    ],
  ])('refuses %s with 400 naming the field, before calling Cognito', async (_what, body, path) => {
    const response = await signUp(body);
    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ path })]);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });
});
