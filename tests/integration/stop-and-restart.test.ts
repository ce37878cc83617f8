import { createServer } from 'node:net';
import { cognito, newUser, type SignedInUser } from './api-client';
import { processesOf, type RunningStack, spawnStack } from './harness';
import { payloadOf } from './tokens';

/** What the emulators' supervisor (local/child-process.ts) says when one dies on its own. */
const SUPERVISOR_ALARM = /stopped unexpectedly|restarting it|keeps stopping|did not restart/;

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `npm start` as a terminal runs it, stopped with Ctrl-C (SIGINT to its whole process group),
 * then started again on the same data: what it says, what it leaves behind, and what the
 * local Cognito still knows about the tokens it issued before.
 */
describe('npm start, Ctrl-C, npm start', () => {
  let stack: RunningStack;
  let keptSession: SignedInUser;
  let signedOut: SignedInUser;

  beforeAll(async () => {
    stack = await spawnStack({}, { inATerminal: true });
    keptSession = await newUser('kept-session', stack.outputs.ApiUrl);
    signedOut = await newUser('signed-out', stack.outputs.ApiUrl);
    const signOut = await cognito(
      'GlobalSignOut',
      { AccessToken: signedOut.accessToken },
      stack.outputs.CognitoEndpoint,
    );
    expect(signOut.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('stops quietly on Ctrl-C, restarts nothing, and frees every port', async () => {
    const { ApiUrl, CognitoEndpoint, S3Endpoint, WebUrl } = stack.outputs;
    const ports = [ApiUrl, CognitoEndpoint, S3Endpoint, WebUrl].map((url) =>
      Number(new URL(url).port),
    );
    // npm itself ends by the signal, as programs do on Ctrl-C, whatever its script exits with
    // (start.test.ts checks local/start.ts's own exit code); what it says and leaves counts.
    await stack.stop();
    expect(stack.output()).toContain('SIGINT: stopping the local stack');
    expect(stack.output()).not.toMatch(SUPERVISOR_ALARM);
    // Nothing of this stack runs any more: not npm, not tsx, not an emulator.
    expect(processesOf(stack.dataDir)).toEqual([]);
    for (const port of ports) expect(await isFree(port)).toBe(true);
  });

  it('knows every session after the restart: the same origin_jti on refresh, revocations kept', async () => {
    stack = await spawnStack({ LOCAL_DATA_DIR: stack.dataDir });
    const { CognitoEndpoint: endpoint, UserPoolClientId: ClientId } = stack.outputs;
    const refresh = (refreshToken: string) =>
      cognito(
        'InitiateAuth',
        {
          ClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        },
        endpoint,
      );

    const refreshed = (await refresh(keptSession.refreshToken)).body.AuthenticationResult as Record<
      string,
      string
    >;
    expect(payloadOf(refreshed.AccessToken ?? '').origin_jti).toBe(
      payloadOf(keptSession.accessToken).origin_jti,
    );
    expect((await refresh(signedOut.refreshToken)).body.message).toBe(
      'Refresh Token has been revoked',
    );
    expect(
      (await cognito('GetUser', { AccessToken: signedOut.accessToken }, endpoint)).body.message,
    ).toBe('Access Token has been revoked');
  }, 60_000);
});
