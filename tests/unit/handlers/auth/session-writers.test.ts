import { randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler as changePassword } from '../../../../src/handlers/auth/change-password';
import { handler as confirmForgotPassword } from '../../../../src/handlers/auth/confirm-forgot-password';
import { handler as refresh } from '../../../../src/handlers/auth/refresh-tokens';
import { handler as respondToChallenge } from '../../../../src/handlers/auth/respond-to-challenge';
import { handler as signIn } from '../../../../src/handlers/auth/sign-in';
import { handler as signOutAll } from '../../../../src/handlers/auth/sign-out-all';
import { handler as signUp } from '../../../../src/handlers/auth/sign-up';
import { sessionEnded } from '../../../../src/sessions/session-record';
import { readSessionRecord } from '../../../../src/sessions/session-store';
import { endAllSessions, endSession } from '../../../../src/sessions/sessions';
import {
  apiEvent,
  CALLER_CLAIMS,
  CLIENT_ID,
  CODE,
  EMAIL,
  fakeJwt,
  invoke,
  logLines,
  NEW_PASSWORD,
  PASSWORD,
  REFRESH_TOKEN,
  TOTP_CODE,
} from '../../fixtures';
import { cognitoMock } from '../cognito-mock';

/** How each route that ends or starts a session writes the user's session record. */

const now = () => Math.floor(Date.now() / 1000);

function user() {
  const sub = randomUUID();
  const originJti = randomUUID();
  const authTime = now() - 60;
  return {
    sub,
    session: { originJti, authTime },
    claims: { ...CALLER_CLAIMS, sub, origin_jti: originJti, auth_time: String(authTime) },
    accessToken: fakeJwt({ sub, token_use: 'access', client_id: CLIENT_ID }),
    idToken: fakeJwt({
      sub,
      token_use: 'id',
      aud: CLIENT_ID,
      origin_jti: originJti,
      auth_time: authTime,
    }),
  };
}
const other = (sub: string) => ({ originJti: 'another-device', authTime: now() - 30, sub });
const ended = async (sub: string, session: { originJti: string; authTime: number }) =>
  sessionEnded(await readSessionRecord(sub), session);

describe('POST /auth/signout-all', () => {
  it('signs out at Cognito, then ends every session of the caller, their own included', async () => {
    const caller = user();
    cognitoMock.on(GlobalSignOutCommand).resolves({});
    const response = await invoke(
      signOutAll,
      apiEvent({
        resource: '/auth/signout-all',
        claims: caller.claims,
        body: { accessToken: caller.accessToken },
      }),
    );
    expect(response.statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(GlobalSignOutCommand, {
      AccessToken: caller.accessToken,
    });
    expect(await ended(caller.sub, caller.session)).toBe(true);
    expect(await ended(caller.sub, other(caller.sub))).toBe(true);
    expect(logLines().find((line) => line.securityEvent === 'sign-out-all')).toMatchObject({
      outcome: 'success',
      sub: caller.sub,
    });
  });

  it("refuses another user's access token, and ends nothing", async () => {
    const caller = user();
    const response = await invoke(
      signOutAll,
      apiEvent({
        resource: '/auth/signout-all',
        claims: caller.claims,
        body: { accessToken: user().accessToken },
      }),
    );
    expect(response).toMatchObject({ statusCode: 403, body: { error: 'Forbidden' } });
    expect(cognitoMock).not.toHaveReceivedCommand(GlobalSignOutCommand);
    expect(await ended(caller.sub, caller.session)).toBe(false);
  });
});

describe('POST /auth/change-password', () => {
  it("ends the caller's other sessions and keeps theirs", async () => {
    const caller = user();
    cognitoMock.on(ChangePasswordCommand).resolves({});
    const response = await invoke(
      changePassword,
      apiEvent({
        resource: '/auth/change-password',
        claims: caller.claims,
        body: {
          accessToken: caller.accessToken,
          previousPassword: PASSWORD,
          proposedPassword: NEW_PASSWORD,
        },
      }),
    );
    expect(response.statusCode).toBe(204);
    expect(await ended(caller.sub, caller.session)).toBe(false);
    expect(await ended(caller.sub, other(caller.sub))).toBe(true);
  });

  it('ends nothing when Cognito refuses the change', async () => {
    const caller = user();
    cognitoMock.on(ChangePasswordCommand).rejects(
      Object.assign(new Error('x'), {
        name: 'NotAuthorizedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await invoke(
      changePassword,
      apiEvent({
        resource: '/auth/change-password',
        claims: caller.claims,
        body: {
          accessToken: caller.accessToken,
          previousPassword: PASSWORD,
          proposedPassword: NEW_PASSWORD,
        },
      }),
    );
    expect(await ended(caller.sub, other(caller.sub))).toBe(false);
  });
});

describe('POST /auth/confirm-forgot-password', () => {
  it('revokes every refresh token at Cognito and ends every session of the account', async () => {
    const account = user();
    cognitoMock.on(ConfirmForgotPasswordCommand).resolves({});
    cognitoMock.on(AdminGetUserCommand).resolves({
      Username: account.sub,
      UserAttributes: [{ Name: 'sub', Value: account.sub }],
    });
    cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
    const response = await invoke(
      confirmForgotPassword,
      apiEvent({
        resource: '/auth/confirm-forgot-password',
        body: { email: EMAIL, code: CODE, newPassword: NEW_PASSWORD },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(cognitoMock).toHaveReceivedCommandWith(AdminGetUserCommand, {
      UserPoolId: 'us-east-1_TestPool1',
      Username: EMAIL,
    });
    expect(cognitoMock).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, {
      Username: EMAIL,
    });
    expect(await ended(account.sub, account.session)).toBe(true);
    expect(logLines().find((line) => line.securityEvent === 'password-reset')).toMatchObject({
      outcome: 'success',
    });
  });
});

describe('POST /auth/refresh of an ended session', () => {
  it('revokes the refresh token and answers 401', async () => {
    const account = user();
    await endSession(account.sub, account.session.originJti);
    cognitoMock.on(InitiateAuthCommand).resolves({
      AuthenticationResult: {
        IdToken: account.idToken,
        AccessToken: account.accessToken,
        ExpiresIn: 900,
      },
    });
    cognitoMock.on(RevokeTokenCommand).resolves({});
    const response = await invoke(
      refresh,
      apiEvent({ resource: '/auth/refresh', body: { refreshToken: REFRESH_TOKEN } }),
    );
    expect(response).toMatchObject({
      statusCode: 401,
      body: { message: expect.stringMatching(/session has ended/) },
    });
    expect(response.body).not.toHaveProperty('idToken');
    expect(cognitoMock).toHaveReceivedCommandWith(RevokeTokenCommand, { Token: REFRESH_TOKEN });
  });
});

/**
 * A sign-out everywhere answers once the second after its cut has begun (sessions.ts), so a
 * sign-in after its answer has a later auth_time: the new session goes on without any write.
 */
async function signedOutEverywhere() {
  const account = user();
  await endAllSessions(account.sub);
  const record = await readSessionRecord(account.sub);
  const fresh = { originJti: randomUUID(), authTime: now() };
  const answer = {
    AuthenticationResult: {
      IdToken: fakeJwt({
        sub: account.sub,
        token_use: 'id',
        origin_jti: fresh.originJti,
        auth_time: fresh.authTime,
      }),
      AccessToken: account.accessToken,
      RefreshToken: REFRESH_TOKEN,
      ExpiresIn: 900,
    },
  };
  return { account, record, fresh, answer };
}

describe('POST /auth/signin right after a sign-out everywhere', () => {
  it('opens a session that goes on, and writes no session record', async () => {
    const { account, record, fresh, answer } = await signedOutEverywhere();
    cognitoMock.on(InitiateAuthCommand).resolves(answer);
    const response = await invoke(
      signIn,
      apiEvent({ resource: '/auth/signin', body: { email: EMAIL, password: PASSWORD } }),
    );
    expect(response.statusCode).toBe(200);
    expect(await readSessionRecord(account.sub)).toEqual(record);
    expect(await ended(account.sub, fresh)).toBe(false);
    expect(await ended(account.sub, account.session)).toBe(true);
  });
});

describe('POST /auth/challenge (an MFA answer) right after a sign-out everywhere', () => {
  const challengeSession = 'AYABeC'.padEnd(64, 'x');
  it.each(['SOFTWARE_TOKEN_MFA', 'MFA_SETUP'])(
    'opens with %s a session that goes on, and writes no session record',
    async (challenge) => {
      const { account, record, fresh, answer } = await signedOutEverywhere();
      cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
      cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
      cognitoMock.on(RespondToAuthChallengeCommand).resolves(answer);
      const response = await invoke(
        respondToChallenge,
        apiEvent({
          resource: '/auth/challenge',
          body: { email: EMAIL, challenge, session: challengeSession, code: TOTP_CODE },
        }),
      );
      expect(response.statusCode).toBe(200);
      expect(await readSessionRecord(account.sub)).toEqual(record);
      expect(await ended(account.sub, fresh)).toBe(false);
      expect(await ended(account.sub, account.session)).toBe(true);
    },
  );
});

describe('common passwords (OWASP ASVS 6.2.4)', () => {
  const refused = {
    statusCode: 400,
    body: { error: 'InvalidPassword', message: expect.stringMatching(/most commonly used/) },
  };

  it.each(['sunshine', 'Baseball', 'TRUSTNO1', 'qwertyuiop'])(
    'refuses %s at sign-up before Cognito sees it',
    async (password) => {
      const response = await invoke(
        signUp,
        apiEvent({ resource: '/auth/signup', body: { email: EMAIL, password } }),
      );
      expect(response).toMatchObject(refused);
      expect(cognitoMock).not.toHaveReceivedAnyCommand();
    },
  );

  it('refuses one on a password change, a reset and the new-password challenge', async () => {
    const caller = user();
    const responses = await Promise.all([
      invoke(
        changePassword,
        apiEvent({
          resource: '/auth/change-password',
          claims: caller.claims,
          body: {
            accessToken: caller.accessToken,
            previousPassword: PASSWORD,
            proposedPassword: 'iloveyou',
          },
        }),
      ),
      invoke(
        confirmForgotPassword,
        apiEvent({
          resource: '/auth/confirm-forgot-password',
          body: { email: EMAIL, code: CODE, newPassword: 'iloveyou' },
        }),
      ),
      invoke(
        respondToChallenge,
        apiEvent({
          resource: '/auth/challenge',
          body: {
            email: EMAIL,
            challenge: 'NEW_PASSWORD_REQUIRED',
            session: 'a'.repeat(40),
            newPassword: 'iloveyou',
          },
        }),
      ),
    ]);
    for (const response of responses) expect(response).toMatchObject(refused);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });
});
