import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';
import {
  api,
  cognito,
  enrolTotp,
  latestCode,
  newPassword,
  newUser,
  type SignedInUser,
  uniqueEmail,
} from './api-client';
import { type RunningStack, sharedStack, spawnStack } from './harness';
import { mint, payloadOf } from './tokens';
import { Authenticator } from './totp';

/**
 * One test per correction the local Cognito makes where cognito-local is not Cognito, named
 * and numbered as in the README ("How the local Cognito differs from AWS") and the code
 * (local/cognito/), checked on the local Cognito endpoint the way an SDK, the AWS CLI or
 * Postman calls it.
 */
const { UserPoolId, UserPoolClientId: ClientId } = sharedStack().outputs;
const run = promisify(execFile);

async function signIn(email: string, password: string, endpoint?: string) {
  return cognito(
    'InitiateAuth',
    {
      ClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    },
    endpoint,
  );
}

/** The SOFTWARE_TOKEN_MFA answer of a sign-in that asked for it. */
async function answerTotp(email: string, session: string | undefined, code: string) {
  return cognito('RespondToAuthChallenge', {
    ClientId,
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    Session: session,
    ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
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
  it('correction 18: accepts an authenticator code once', async () => {
    const target = await newUser('totp-once');
    const enrolment = await cognito('AssociateSoftwareToken', { AccessToken: target.accessToken });
    const app = new Authenticator(String(enrolment.body.SecretCode));
    const code = app.code();
    const verified = await cognito('VerifySoftwareToken', {
      AccessToken: target.accessToken,
      UserCode: code,
    });
    expect(verified.body).toEqual({ Status: 'SUCCESS' });
    await cognito('SetUserMFAPreference', {
      AccessToken: target.accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const challenge = (await signIn(target.email, target.password)).body;
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    // The code that verified the app, still current: refused as used.
    expect((await answerTotp(target.email, challenge.Session, code)).body).toEqual({
      __type: 'CodeMismatchException',
      message: 'Invalid code received for user',
    });
    const next = app.nextCode();
    const signedIn = await answerTotp(target.email, challenge.Session, next);
    expect(signedIn.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer' });
    const again = (await signIn(target.email, target.password)).body;
    expect((await answerTotp(target.email, again.Session, next)).body.__type).toBe(
      'CodeMismatchException',
    );
  });

  it('correction 19: locks a user out after repeated wrong authenticator codes', async () => {
    const target = await newUser('totp-lockout');
    const app = await enrolTotp(target);
    const { Session } = (await signIn(target.email, target.password)).body;
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push((await answerTotp(target.email, Session, app.wrongCode())).body.message);
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('Invalid code received for user'));
    expect(answers[5]).toBe('Password attempts exceeded');
    // The user is locked out, the password sign-in too; through the API a 429.
    expect((await signIn(target.email, target.password)).body.message).toBe(
      'Password attempts exceeded',
    );
    const viaApi = await api('/auth/challenge', {
      body: {
        email: target.email,
        challenge: 'SOFTWARE_TOKEN_MFA',
        session: Session,
        code: app.nextCode(),
      },
    });
    expect(viaApi).toMatchObject({ status: 429, body: { error: 'TooManyRequests' } });
  });

  it('correction 20: names a wrong first code EnableSoftwareTokenMFAException', async () => {
    const target = await newUser('totp-first');
    const enrolment = await cognito('AssociateSoftwareToken', { AccessToken: target.accessToken });
    const app = new Authenticator(String(enrolment.body.SecretCode));
    expect(
      await cognito('VerifySoftwareToken', {
        AccessToken: target.accessToken,
        UserCode: app.wrongCode(),
      }),
    ).toEqual({
      status: 400,
      body: {
        __type: 'EnableSoftwareTokenMFAException',
        message: 'Code mismatch and fail enable Software Token MFA',
      },
    });
  });

  it('correction 22: sends the code of a new email address to that address, and changes it only once verified', async () => {
    const target = await newUser('email-change');
    const newEmail = uniqueEmail('email-new');
    const update = await cognito('UpdateUserAttributes', {
      AccessToken: target.accessToken,
      UserAttributes: [{ Name: 'email', Value: newEmail }],
    });
    expect(update.body).toEqual({
      CodeDeliveryDetailsList: [
        { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'e***@e***' },
      ],
    });
    const code = await latestCode(newEmail, 'verify-email');
    // Until then the old address is the email and the sign-in name.
    const emailOf = async (accessToken: string) =>
      (
        (await cognito('GetUser', { AccessToken: accessToken })).body.UserAttributes as {
          Name: string;
          Value: string;
        }[]
      ).find((attribute) => attribute.Name === 'email')?.Value;
    expect(await emailOf(target.accessToken)).toBe(target.email);
    expect((await signIn(target.email, target.password)).status).toBe(200);
    expect((await signIn(newEmail, target.password)).body.__type).toBe('NotAuthorizedException');

    const wrong = code === '000000' ? '000001' : '000000';
    expect(
      (
        await cognito('VerifyUserAttribute', {
          AccessToken: target.accessToken,
          AttributeName: 'email',
          Code: wrong,
        })
      ).body.__type,
    ).toBe('CodeMismatchException');
    const verified = await cognito('VerifyUserAttribute', {
      AccessToken: target.accessToken,
      AttributeName: 'email',
      Code: code,
    });
    expect(verified).toEqual({ status: 200, body: {} });
    expect(await emailOf(target.accessToken)).toBe(newEmail);
    expect((await signIn(target.email, target.password)).body.__type).toBe(
      'NotAuthorizedException',
    );
    const signedIn = (await signIn(newEmail, target.password)).body.AuthenticationResult as {
      IdToken: string;
    };
    expect(payloadOf(signedIn.IdToken)).toMatchObject({ email: newEmail, email_verified: true });
  });

  it('correction 23: refuses an email address another account uses, when asked and when verified', async () => {
    const [owner, other] = await Promise.all([newUser('alias-owner'), newUser('alias-other')]);
    const taken = await cognito('UpdateUserAttributes', {
      AccessToken: other.accessToken,
      UserAttributes: [{ Name: 'email', Value: owner.email }],
    });
    expect(taken.body).toEqual({
      __type: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    // Free when asked for, taken (by a new account) by the time the code comes back.
    const contested = uniqueEmail('alias-contested');
    await cognito('UpdateUserAttributes', {
      AccessToken: other.accessToken,
      UserAttributes: [{ Name: 'email', Value: contested }],
    });
    const code = await latestCode(contested, 'verify-email');
    await api('/auth/signup', { body: { email: contested, password: newPassword() } });
    const verified = await cognito('VerifyUserAttribute', {
      AccessToken: other.accessToken,
      AttributeName: 'email',
      Code: code,
    });
    expect(verified.body.__type).toBe('AliasExistsException');
  });

  it('correction 24: refreshes tokens that a challenge answer issued', async () => {
    const target = await newUser('challenge-refresh');
    const app = await enrolTotp(target);
    const { Session } = (await signIn(target.email, target.password)).body;
    const tokens = (await answerTotp(target.email, Session, app.nextCode())).body
      .AuthenticationResult as { RefreshToken: string };
    const refreshed = await cognito('InitiateAuth', {
      ClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer' });
  });
});

describe('the local Cognito of a pool that requires MFA (MfaConfiguration ON)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await spawnStack({}, { args: ['--auth-parameter-overrides', 'MfaConfiguration=ON'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('correction 17: asks a user without MFA to set it up (MFA_SETUP), with a session for each step', async () => {
    const { ApiUrl, CognitoEndpoint } = stack.outputs;
    const target = await signedUpOn(ApiUrl);
    const challenge = (await signIn(target.email, target.password, CognitoEndpoint)).body;
    expect(challenge).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    });
    const associated = (
      await cognito('AssociateSoftwareToken', { Session: challenge.Session }, CognitoEndpoint)
    ).body;
    expect(associated.Session).not.toBe(challenge.Session);
    const app = new Authenticator(String(associated.SecretCode));
    const verified = (
      await cognito(
        'VerifySoftwareToken',
        { Session: associated.Session, UserCode: app.code() },
        CognitoEndpoint,
      )
    ).body;
    expect(verified).toMatchObject({ Status: 'SUCCESS' });
    // Each session serves one step.
    expect(
      (await cognito('AssociateSoftwareToken', { Session: challenge.Session }, CognitoEndpoint))
        .body.__type,
    ).toBe('NotAuthorizedException');
    const done = await cognito(
      'RespondToAuthChallenge',
      {
        ClientId,
        ChallengeName: 'MFA_SETUP',
        Session: verified.Session,
        ChallengeResponses: { USERNAME: target.email },
      },
      CognitoEndpoint,
    );
    expect(done.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer' });
    expect((await signIn(target.email, target.password, CognitoEndpoint)).body.ChallengeName).toBe(
      'SOFTWARE_TOKEN_MFA',
    );

    // And through the API, as its clients see it: the enrolment in /auth/challenge, and MFA
    // that cannot be turned off.
    const other = await signedUpOn(ApiUrl);
    const first = await api('/auth/signin', { apiUrl: ApiUrl, body: other });
    expect(first.body).toMatchObject({ challenge: 'MFA_SETUP' });
    const setup = await api('/auth/challenge', {
      apiUrl: ApiUrl,
      body: { email: other.email, challenge: 'MFA_SETUP', session: first.body.session },
    });
    expect(setup).toMatchObject({
      status: 200,
      body: { challenge: 'MFA_SETUP', otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//) },
    });
    const otherApp = Authenticator.fromUri(String(setup.body.otpauthUri));
    const tokens = await api('/auth/challenge', {
      apiUrl: ApiUrl,
      body: {
        email: other.email,
        challenge: 'MFA_SETUP',
        session: setup.body.session,
        code: otherApp.code(),
      },
    });
    expect(tokens).toMatchObject({ status: 200, body: { tokenType: 'Bearer' } });
    const disable = await api('/me/mfa/disable', {
      apiUrl: ApiUrl,
      token: String(tokens.body.idToken),
      body: { accessToken: tokens.body.accessToken, password: other.password },
    });
    expect(disable).toMatchObject({ status: 403, body: { error: 'MfaRequired' } });
  });
});

describe('the local Cognito of a pool without MFA (MfaConfiguration OFF)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await spawnStack({}, { args: ['--auth-parameter-overrides', 'MfaConfiguration=OFF'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('correction 21: refuses to associate an authenticator (SoftwareTokenMFANotFoundException)', async () => {
    const { ApiUrl, CognitoEndpoint } = stack.outputs;
    const target = await newUser('mfa-off', ApiUrl);
    expect(
      await cognito('AssociateSoftwareToken', { AccessToken: target.accessToken }, CognitoEndpoint),
    ).toEqual({
      status: 400,
      body: {
        __type: 'SoftwareTokenMFANotFoundException',
        message: 'Software Token MFA has not been enabled by the userPool.',
      },
    });
    const viaApi = await api('/me/mfa/totp', {
      apiUrl: ApiUrl,
      token: target.idToken,
      body: { accessToken: target.accessToken },
    });
    expect(viaApi).toMatchObject({ status: 403, body: { error: 'MfaUnavailable' } });
  });
});

/** A confirmed user of another stack who has not signed in (its sign-in is the test). */
async function signedUpOn(apiUrl: string): Promise<{ email: string; password: string }> {
  const email = uniqueEmail('mfa-on');
  const password = newPassword();
  await api('/auth/signup', { apiUrl, body: { email, password } });
  await api('/auth/confirm-signup', {
    apiUrl,
    body: { email, code: await latestCode(email, 'signup', apiUrl) },
  });
  return { email, password };
}
