import {
  api,
  cognito,
  latestCode,
  newPassword,
  newUser,
  type SignedInUser,
  uniqueEmail,
} from './api-client';
import { sharedStack } from './harness';
import { mint, payloadOf } from './tokens';

/**
 * One test per place where cognito-local is not Cognito and the local stack corrects it
 * (README.md, "How the local Cognito differs from AWS"), checked on the local Cognito
 * endpoint the way an SDK, the AWS CLI or Postman calls it.
 */
const { UserPoolId, UserPoolClientId: ClientId } = sharedStack().outputs;

async function signIn(email: string, password: string) {
  return cognito('InitiateAuth', {
    ClientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
}

describe('local Cognito fidelity corrections', () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('fidelity');
  });

  it('1. enforces the password policy of auth-stack.yaml everywhere a password is set', async () => {
    const short = 'too-short';
    const email = uniqueEmail('policy');
    const signUp = await cognito('SignUp', { ClientId, Username: email, Password: short });
    expect(signUp.body).toEqual({
      __type: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const adminSet = await cognito('AdminSetUserPassword', {
      UserPoolId,
      Username: user.email,
      Password: short,
      Permanent: true,
    });
    expect(adminSet.body.__type).toBe('InvalidPasswordException');
    const change = await cognito('ChangePassword', {
      AccessToken: user.accessToken,
      PreviousPassword: user.password,
      ProposedPassword: short,
    });
    expect(change.body.__type).toBe('InvalidPasswordException');
  });

  it("2. refuses auth flows the client's ExplicitAuthFlows does not allow", async () => {
    const answer = await cognito('InitiateAuth', {
      ClientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: user.email, SRP_A: 'abc' },
    });
    expect(answer).toEqual({
      status: 400,
      body: {
        __type: 'InvalidParameterException',
        message: 'USER_SRP_AUTH flow not enabled for this client',
      },
    });
  });

  it('3. names a wrong password NotAuthorizedException, on sign-in and on change-password', async () => {
    expect((await signIn(user.email, 'wrong-password-123')).body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const change = await cognito('ChangePassword', {
      AccessToken: user.accessToken,
      PreviousPassword: 'wrong-password-123',
      ProposedPassword: newPassword(),
    });
    expect(change.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('4. does not reveal whether a user exists (PreventUserExistenceErrors: ENABLED)', async () => {
    const nobody = uniqueEmail('nobody');
    expect((await signIn(nobody, 'whatever-password')).body).toEqual(
      (await signIn(user.email, 'whatever-password')).body,
    );
    const forgot = await cognito('ForgotPassword', { ClientId, Username: nobody });
    expect(forgot).toEqual({
      status: 200,
      body: {
        CodeDeliveryDetails: {
          AttributeName: 'email',
          DeliveryMedium: 'EMAIL',
          Destination: 'n***@e***',
        },
      },
    });
    expect((await cognito('ResendConfirmationCode', { ClientId, Username: nobody })).status).toBe(
      200,
    );
    expect(
      (await cognito('ConfirmSignUp', { ClientId, Username: nobody, ConfirmationCode: '123456' }))
        .body.__type,
    ).toBe('CodeMismatchException');
    // And through the API: the same answers for an existing and a missing account.
    expect((await api('/auth/forgot-password', { body: { email: nobody } })).body).toEqual(
      (await api('/auth/forgot-password', { body: { email: user.email } })).body,
    );
  });

  it('5. returns ExpiresIn and TokenType with tokens', async () => {
    const { body } = await signIn(user.email, user.password);
    expect(body.AuthenticationResult).toMatchObject({ ExpiresIn: 900, TokenType: 'Bearer' });
    const refreshed = await cognito('InitiateAuth', {
      ClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: user.refreshToken },
    });
    expect(refreshed.body.AuthenticationResult).toMatchObject({
      ExpiresIn: 900,
      TokenType: 'Bearer',
    });
  });

  it('6. matches usernames case-insensitively and refuses disabled users', async () => {
    const email = uniqueEmail('MixedCase').replace('mixedcase', 'MixedCase');
    const password = newPassword();
    expect(
      (await cognito('SignUp', { ClientId, Username: email, Password: password })).status,
    ).toBe(200);
    await cognito('AdminConfirmSignUp', { UserPoolId, Username: email.toLowerCase() });
    expect((await signIn(email.toUpperCase(), password)).status).toBe(200);
    expect((await signIn(email.toLowerCase(), password)).status).toBe(200);

    await cognito('AdminDisableUser', { UserPoolId, Username: email });
    expect((await signIn(email, password)).body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    expect((await api('/auth/signin', { body: { email, password } })).status).toBe(401);
  });

  it('7. implements GlobalSignOut and ResendConfirmationCode', async () => {
    const other = await newUser('global');
    expect((await cognito('GlobalSignOut', { AccessToken: other.accessToken })).status).toBe(200);
    const refresh = await cognito('InitiateAuth', {
      ClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: other.refreshToken },
    });
    expect(refresh.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect((await cognito('GetUser', { AccessToken: other.accessToken })).body.message).toBe(
      'Access Token has been revoked',
    );

    const email = uniqueEmail('resent');
    await cognito('SignUp', { ClientId, Username: email, Password: newPassword() });
    const resend = await cognito('ResendConfirmationCode', { ClientId, Username: email });
    expect(resend.body.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
    expect(await latestCode(email, 'resend')).toMatch(/^\d{6}$/);
  });

  it('8. refuses forged, expired and revoked access tokens', async () => {
    const claims = payloadOf(user.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      ['Invalid Access Token', 'not-a-token'],
      ['Invalid Access Token', mint(claims, 'stranger')],
      ['Access Token has expired', mint({ ...claims, iat: now - 7200, exp: now - 3600 })],
    ];
    for (const [message, token] of cases) {
      expect((await cognito('GetUser', { AccessToken: token })).body).toEqual({
        __type: 'NotAuthorizedException',
        message,
      });
    }
    const victim = await newUser('revoked');
    expect((await cognito('GetUser', { AccessToken: victim.accessToken })).status).toBe(200);
    expect((await cognito('RevokeToken', { ClientId, Token: victim.refreshToken })).status).toBe(
      200,
    );
    const change = await cognito('ChangePassword', {
      AccessToken: victim.accessToken,
      PreviousPassword: victim.password,
      ProposedPassword: newPassword(),
    });
    expect(change.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });

  it('9. marks the email verified when the sign-up is confirmed', async () => {
    const found = await cognito('AdminGetUser', { UserPoolId, Username: user.email });
    expect(found.body.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(payloadOf(user.idToken).email_verified).toBe(true);
  });

  it("10. issues tokens with the lifetimes of template.yaml's client", async () => {
    const id = payloadOf(user.idToken);
    const access = payloadOf(user.accessToken);
    const refresh = payloadOf(user.refreshToken);
    expect(Number(id.exp) - Number(id.iat)).toBe(15 * 60);
    expect(Number(access.exp) - Number(access.iat)).toBe(15 * 60);
    expect(Number(refresh.exp) - Number(refresh.iat)).toBe(30 * 86_400);
  });

  it('11. puts the standard attributes the client may read (name) in the ID token', async () => {
    const email = uniqueEmail('named');
    const password = newPassword();
    await api('/auth/signup', { body: { email, password, name: 'Grace Hopper' } });
    await api('/auth/confirm-signup', { body: { email, code: await latestCode(email, 'signup') } });
    const { body } = await api('/auth/signin', { body: { email, password } });
    expect(payloadOf(String(body.idToken)).name).toBe('Grace Hopper');
    expect((await api('/me', { token: String(body.idToken) })).body.name).toBe('Grace Hopper');
  });

  it('12. locks a user out after repeated wrong passwords, as Cognito does', async () => {
    const target = await newUser('lockout');
    const attempts = [];
    for (let i = 0; i < 6; i++)
      attempts.push((await signIn(target.email, `wrong-password-${i}`)).body.message);
    expect(attempts.slice(0, 5)).toEqual(Array(5).fill('Incorrect username or password.'));
    expect(attempts[5]).toBe('Password attempts exceeded');
    const viaApi = await api('/auth/signin', {
      body: { email: target.email, password: target.password },
    });
    expect(viaApi).toMatchObject({ status: 429, body: { error: 'TooManyRequests' } });
  });

  it('13. accepts a challenge answer only with the session Cognito issued', async () => {
    const answer = await cognito('RespondToAuthChallenge', {
      ClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'made-up-session-made-up-session',
      ChallengeResponses: { USERNAME: user.email, NEW_PASSWORD: newPassword() },
    });
    expect(answer.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });
});
