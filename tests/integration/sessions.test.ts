import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ApiAnswer } from '../../client/api';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../sam/template';
import { api, cognito, latestCode, newPassword, newUser, type SignedInUser } from './api-client';
import { sharedStack } from './harness';

/**
 * Every way a session ends, against the local stack, at every protected route: after the 2xx
 * that ended it, the very next request with a token of that session gets 401 (the check reads
 * the record strongly consistently, so well within the 1-second bound), and sessions that must
 * go on still work.
 */

const run = promisify(execFile);
const LOG_ID = '1763712000000abcdef012345';

/** Every protected route of template.yaml, with a body it would accept. */
const protectedRoutes = samFunctions(loadTemplate(API_TEMPLATE))
  .flatMap((fn) => fn.routes)
  .filter((route) => route.authorizer !== 'NONE');

function request(route: { method: string; path: string }, user: SignedInUser) {
  const body: Record<string, unknown> = {
    'POST /me/logs': { content: 'an entry' },
    'PUT /me/profile': { theme: 'dark' },
    'POST /auth/change-password': {
      accessToken: user.accessToken,
      previousPassword: user.password,
      proposedPassword: newPassword(),
    },
    'POST /auth/signout-all': { accessToken: user.accessToken },
  };
  return {
    method: route.method,
    path: route.path.replace('{id}', LOG_ID),
    body: body[`${route.method} ${route.path}`],
  };
}

/** Routes that change nothing about the session when they succeed. */
const harmless = protectedRoutes.filter(
  (route) => !['/auth/change-password', '/auth/signout-all'].includes(route.path),
);

async function callAll(
  routes: typeof protectedRoutes,
  user: SignedInUser,
  idToken = user.idToken,
): Promise<Record<string, number>> {
  const answers: [string, ApiAnswer][] = [];
  for (const route of routes) {
    const { method, path: routePath, body } = request(route, user);
    answers.push([
      `${method} ${route.path}`,
      await api(routePath, { method, token: idToken, ...(body ? { body } : {}) }),
    ]);
  }
  return Object.fromEntries(answers.map(([key, answer]) => [key, answer.status]));
}

const allRefused = (routes: typeof protectedRoutes) =>
  Object.fromEntries(routes.map((route) => [`${route.method} ${route.path}`, 401]));

const SESSION_ENDED =
  'This session has ended (signed out, password changed, or account disabled). Sign in again.';
const ACCOUNT_DELETED =
  'This session has ended: the account has been deleted, or its deletion has not finished (DELETE /me with the password finishes it).';

async function expectEndedEverywhere(
  user: SignedInUser,
  idToken = user.idToken,
  message = SESSION_ENDED,
): Promise<void> {
  expect(await callAll(protectedRoutes, user, idToken)).toEqual(allRefused(protectedRoutes));
  const answer = await api('/me', { token: idToken });
  expect(answer.body).toEqual({ error: 'Unauthorized', message });
}

async function expectGoingOn(user: SignedInUser, idToken = user.idToken): Promise<void> {
  const statuses = await callAll(harmless, user, idToken);
  expect(Object.entries(statuses).filter(([, status]) => status === 401)).toEqual([]);
}

async function signInAgain(user: SignedInUser): Promise<SignedInUser> {
  const answer = await api('/auth/signin', {
    body: { email: user.email, password: user.password },
  });
  expect(answer.status).toBe(200);
  return {
    ...user,
    idToken: String(answer.body.idToken),
    accessToken: String(answer.body.accessToken),
    refreshToken: String(answer.body.refreshToken),
  };
}

describe('sessions end, at every protected route', () => {
  it('covers every protected route of the template', () => {
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(10);
  });

  it('sign-out with the ID token ends that session, and only that one', async () => {
    const user = await newUser('sign-out');
    const other = await signInAgain(user);
    await expectGoingOn(user);
    const signedOut = await api('/auth/signout', {
      body: { refreshToken: user.refreshToken },
      token: user.idToken,
    });
    expect(signedOut.status).toBe(204);
    await expectEndedEverywhere(user);
    // The session's refresh token is revoked too, and the other session goes on.
    expect((await api('/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
    await expectGoingOn(other);
  });

  it('sign-out without the ID token revokes the refresh token, as before', async () => {
    const user = await newUser('sign-out-body');
    expect((await api('/auth/signout', { body: { refreshToken: user.refreshToken } })).status).toBe(
      204,
    );
    expect((await api('/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
  });

  it('a forged or foreign ID token at sign-out ends nothing', async () => {
    const user = await newUser('forged');
    const stranger = await newUser('stranger');
    const [header, , signature] = user.idToken.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(user.idToken.split('.')[1] ?? '', 'base64url').toString()),
        sub: stranger.sub,
      }),
    ).toString('base64url');
    expect(
      (await api('/auth/signout', { body: {}, token: `${header}.${forgedPayload}.${signature}` }))
        .status,
    ).toBe(204);
    await expectGoingOn(stranger);
    await expectGoingOn(user);
  });

  it('sign-out everywhere ends every session of the user, refreshes included', async () => {
    const user = await newUser('everywhere');
    const other = await signInAgain(user);
    const refreshed = await api('/auth/refresh', { body: { refreshToken: other.refreshToken } });
    expect(refreshed.status).toBe(200);
    const answer = await api('/auth/signout-all', {
      body: { accessToken: user.accessToken },
      token: user.idToken,
    });
    expect(answer.status).toBe(204);
    await expectEndedEverywhere(user);
    await expectEndedEverywhere(other);
    await expectEndedEverywhere(other, String(refreshed.body.idToken));
    // A new sign-in right after the answer is a new session that goes on.
    await expectGoingOn(await signInAgain(user));
  });

  it.each([
    ['a sign-out everywhere', 'signout-all'],
    ['a password reset', 'reset'],
  ])(
    'after %s, a sign-in straight to Cognito at once is a session that goes on',
    async (_name, cut) => {
      const user = await newUser(`direct-${cut}`);
      let password = user.password;
      let code = '';
      if (cut === 'reset') {
        await api('/auth/forgot-password', { body: { email: user.email } });
        code = await latestCode(user.email, 'forgot-password');
        password = newPassword();
      }
      const sentAtMs = Date.now();
      const answer =
        cut === 'signout-all'
          ? await api('/auth/signout-all', {
              body: { accessToken: user.accessToken },
              token: user.idToken,
            })
          : await api('/auth/confirm-forgot-password', {
              body: { email: user.email, code, newPassword: password },
            });
      expect(answer.status).toBeLessThan(300);
      // The cut answers once the second after it has begun (auth_time has whole seconds).
      expect(Date.now()).toBeGreaterThanOrEqual((Math.floor(sentAtMs / 1000) + 1) * 1000);
      await expectEndedEverywhere(user);
      // As the AWS CLI or Postman's own sign-in would, with no pause.
      const direct = await cognito('InitiateAuth', {
        ClientId: sharedStack().outputs.UserPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: password },
      });
      const idToken = String(direct.body.AuthenticationResult?.IdToken);
      await expectGoingOn({ ...user, password }, idToken);
    },
  );

  it("a password change ends the other sessions and keeps the caller's", async () => {
    const user = await newUser('change');
    const other = await signInAgain(user);
    const proposedPassword = newPassword();
    const answer = await api('/auth/change-password', {
      body: { accessToken: user.accessToken, previousPassword: user.password, proposedPassword },
      token: user.idToken,
    });
    expect(answer.status).toBe(204);
    await expectGoingOn(user);
    await expectEndedEverywhere(other);
    // The other session cannot mint new tokens through the API either: its refresh is refused
    // (and its refresh token revoked).
    const refresh = await api('/auth/refresh', { body: { refreshToken: other.refreshToken } });
    expect(refresh.status).toBe(401);
    // The caller's session refreshes and goes on.
    const mine = await api('/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(mine.status).toBe(200);
    expect((await api('/me', { token: String(mine.body.idToken) })).status).toBe(200);
  });

  it('a password reset ends every session of the account', async () => {
    const user = await newUser('reset');
    expect((await api('/auth/forgot-password', { body: { email: user.email } })).status).toBe(202);
    const code = await latestCode(user.email, 'forgot-password');
    const answer = await api('/auth/confirm-forgot-password', {
      body: { email: user.email, code, newPassword: newPassword() },
    });
    expect(answer.status).toBe(200);
    await expectEndedEverywhere(user);
    expect((await api('/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
  });

  it.each(['disable', 'delete'])(
    'an administrator who runs scripts/admin-user.ts %s ends every session at once',
    async (action) => {
      const user = await newUser(`admin-${action}`);
      await expectGoingOn(user);
      await run(
        process.execPath,
        [require.resolve('tsx/cli'), 'scripts/admin-user.ts', action, user.email, '--local'],
        {
          cwd: PROJECT_ROOT,
          env: {
            PATH: String(process.env.PATH),
            LOCAL_DATA_DIR: sharedStack().dataDir,
            // The local Cognito takes any credentials.
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
          },
        },
      );
      await expectEndedEverywhere(
        user,
        user.idToken,
        action === 'delete' ? ACCOUNT_DELETED : SESSION_ENDED,
      );
      expect(
        (await api('/auth/signin', { body: { email: user.email, password: user.password } }))
          .status,
      ).toBe(401);
    },
    60_000,
  );
});
