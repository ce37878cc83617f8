import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';
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
 * One test per correction the local Cognito makes where cognito-local is not Cognito, named
 * and numbered as in the README ("How the local Cognito differs from AWS") and the code
 * (local/cognito/), checked on the local Cognito endpoint the way an SDK, the AWS CLI or
 * Postman calls it.
 */
const { UserPoolId, UserPoolClientId: ClientId } = sharedStack().outputs;
const run = promisify(execFile);

async function signIn(email: string, password: string) {
  return cognito('InitiateAuth', {
    ClientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
}

describe('the local Cognito corrects cognito-local', () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('fidelity');
  });

  it('correction 1: enforces the password policy of auth-stack.yaml everywhere a password is set', async () => {
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

  it("correction 2: refuses auth flows the client's ExplicitAuthFlows does not allow", async () => {
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

  it('correction 3: names a wrong password NotAuthorizedException, on sign-in and on change-password', async () => {
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

  it('correction 4: does not reveal whether a user exists (PreventUserExistenceErrors: ENABLED)', async () => {
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

  it('correction 5: returns ExpiresIn and TokenType with tokens', async () => {
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

  it('correction 6: matches usernames case-insensitively and refuses disabled users', async () => {
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

  it('correction 7: implements GlobalSignOut, AdminUserGlobalSignOut and ResendConfirmationCode', async () => {
    const signedOutByAdmin = await newUser('admin-global');
    expect(
      (await cognito('AdminUserGlobalSignOut', { UserPoolId, Username: signedOutByAdmin.email }))
        .status,
    ).toBe(200);
    expect(
      (
        await cognito('InitiateAuth', {
          ClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: signedOutByAdmin.refreshToken },
        })
      ).body.message,
    ).toBe('Refresh Token has been revoked');
    expect(
      (await cognito('AdminUserGlobalSignOut', { UserPoolId, Username: uniqueEmail('nobody') }))
        .body.__type,
    ).toBe('UserNotFoundException');

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

  it('correction 8: refuses forged, expired and revoked access tokens', async () => {
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

  it('correction 9: marks the email verified when the sign-up is confirmed', async () => {
    const found = await cognito('AdminGetUser', { UserPoolId, Username: user.email });
    expect(found.body.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(payloadOf(user.idToken).email_verified).toBe(true);
  });

  it("correction 10: issues tokens with the lifetimes of template.yaml's client", async () => {
    const id = payloadOf(user.idToken);
    const access = payloadOf(user.accessToken);
    const refresh = payloadOf(user.refreshToken);
    expect(Number(id.exp) - Number(id.iat)).toBe(15 * 60);
    expect(Number(access.exp) - Number(access.iat)).toBe(15 * 60);
    expect(Number(refresh.exp) - Number(refresh.iat)).toBe(30 * 86_400);
  });

  it('correction 11: puts the standard attributes the client may read (name) in the ID token', async () => {
    const email = uniqueEmail('named');
    const password = newPassword();
    await api('/auth/signup', { body: { email, password, name: 'Grace Hopper' } });
    await api('/auth/confirm-signup', { body: { email, code: await latestCode(email, 'signup') } });
    const { body } = await api('/auth/signin', { body: { email, password } });
    expect(payloadOf(String(body.idToken)).name).toBe('Grace Hopper');
    expect((await api('/me', { token: String(body.idToken) })).body.name).toBe('Grace Hopper');
  });

  it('correction 12: locks a user out after repeated wrong passwords, as Cognito does', async () => {
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

  it('correction 13: accepts a challenge answer only with the session Cognito issued', async () => {
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

  it('correction 14: puts origin_jti in ID and access tokens, one per sign-in, kept by every refresh', async () => {
    const signedIn = (await signIn(user.email, user.password)).body.AuthenticationResult as Record<
      string,
      string
    >;
    const origin = payloadOf(signedIn.IdToken ?? '').origin_jti;
    expect(origin).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(payloadOf(signedIn.AccessToken ?? '').origin_jti).toBe(origin);

    const refreshed = (
      await cognito('InitiateAuth', {
        ClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken ?? '' },
      })
    ).body.AuthenticationResult as Record<string, string>;
    for (const token of [refreshed.IdToken ?? '', refreshed.AccessToken ?? ''])
      expect(payloadOf(token).origin_jti).toBe(origin);
    // Each token is still a token of its own (jti), and a new sign-in is a new origin.
    expect(payloadOf(refreshed.AccessToken ?? '').jti).not.toBe(
      payloadOf(signedIn.AccessToken ?? '').jti,
    );
    const again = (await signIn(user.email, user.password)).body.AuthenticationResult as Record<
      string,
      string
    >;
    expect(payloadOf(again.IdToken ?? '').origin_jti).not.toBe(origin);

    // Signed again with the pool's key: Cognito takes the access token, the API the ID token.
    expect((await cognito('GetUser', { AccessToken: refreshed.AccessToken })).status).toBe(200);
    expect((await api('/me', { token: refreshed.IdToken ?? '' })).status).toBe(200);
    // And through the API, as its clients see it.
    const viaApi = await api('/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(payloadOf(String(viaApi.body.idToken)).origin_jti).toBe(
      payloadOf(user.idToken).origin_jti,
    );
    expect(payloadOf(String(viaApi.body.accessToken)).origin_jti).toBe(
      payloadOf(user.accessToken).origin_jti,
    );
  });

  it("correction 16: keeps the sign-in's auth_time in every token refreshed from it", async () => {
    const signedIn = (await signIn(user.email, user.password)).body.AuthenticationResult as Record<
      string,
      string
    >;
    const authTime = payloadOf(signedIn.IdToken ?? '').auth_time;
    expect(typeof authTime).toBe('number');
    // auth_time has whole seconds: refresh in a later second than the sign-in.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refreshed = (
      await cognito('InitiateAuth', {
        ClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken ?? '' },
      })
    ).body.AuthenticationResult as Record<string, string>;
    for (const token of [refreshed.IdToken ?? '', refreshed.AccessToken ?? '']) {
      expect(payloadOf(token).auth_time).toBe(authTime);
      expect(Number(payloadOf(token).iat)).toBeGreaterThan(Number(authTime));
    }
    expect((await api('/me', { token: refreshed.IdToken ?? '' })).status).toBe(200);
  });

  it("correction 15: serves an OIDC discovery document that an OIDC client's key discovery accepts", async () => {
    const { CognitoEndpoint } = sharedStack().outputs;
    const discoveryUrl = `${CognitoEndpoint}/${UserPoolId}/.well-known/openid-configuration`;
    const document = (await (await fetch(discoveryUrl)).json()) as Record<string, unknown>;
    expect(document).toMatchObject({
      issuer: payloadOf(user.idToken).iss,
      // The emulator's own port (COGNITO_PORT, a free one here), not cognito-local's 9229.
      jwks_uri: `${CognitoEndpoint}/${UserPoolId}/.well-known/jwks.json`,
    });

    // openid-client discovers, jose verifies with the discovered keys and issuer: from the
    // document's local URL, and from the issuer identifier as code written for AWS does.
    const verified = [
      { DISCOVERY_URL: discoveryUrl },
      { ISSUER: String(document.issuer), ISSUER_REACHED_AT: CognitoEndpoint },
    ].map((discovery) =>
      run(process.execPath, [require.resolve('tsx/cli'), 'tests/integration/oidc-client.mts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...discovery, CLIENT_ID: ClientId, ID_TOKEN: user.idToken },
      }),
    );
    for (const { stdout } of await Promise.all(verified)) {
      expect(JSON.parse(stdout)).toMatchObject({
        issuer: document.issuer,
        jwksUri: document.jwks_uri,
        claims: { sub: user.sub, token_use: 'id' },
      });
    }
  });
});
