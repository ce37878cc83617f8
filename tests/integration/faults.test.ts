import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { api, newUser, type SignedInUser } from './api-client';
import { type RunningStack, spawnStack } from './harness';

/**
 * Dependencies that stop or slow down: the API answers a clear 503 within the function's
 * timeout (10 s), a write that failed is never listed later, and everything recovers by itself
 * when the dependency is back. Faults are injected through the local-only /_local/faults.
 */
describe('faults', () => {
  let stack: RunningStack;
  let user: SignedInUser;
  const FUNCTION_TIMEOUT_MS = 10_000;

  beforeAll(async () => {
    stack = await spawnStack();
    user = await newUser('faults', stack.outputs.ApiUrl);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (route: string, options: Parameters<typeof api>[1] = {}) =>
    api(route, { apiUrl: stack.outputs.ApiUrl, ...options });
  const fault = async (
    dependency: 'cognito' | 's3' | 'dynamodb',
    state: 'running' | 'stopped' | 'slow',
  ) => {
    const answer = await call('/_local/faults', { body: { dependency, state, delayMs: 8_000 } });
    expect(answer.status).toBe(200);
    expect((answer.body[dependency] as { state: string }).state).toBe(state);
  };
  const timed = async (run: () => ReturnType<typeof api>) => {
    const started = performance.now();
    const answer = await run();
    return { answer, ms: performance.now() - started };
  };
  const signIn = () =>
    call('/auth/signin', { body: { email: user.email, password: user.password } });
  const writeLog = (content: string) =>
    call('/me/logs', { token: user.idToken, body: { content } });
  const listedContents = async () => {
    const page = await call('/me/logs?limit=100', { token: user.idToken });
    expect(page.status).toBe(200);
    const ids = (page.body.items as { id: string }[]).map((item) => item.id);
    const entries = await Promise.all(
      ids.map((id) => call(`/me/logs/${id}`, { token: user.idToken })),
    );
    return entries.map((entry) => entry.body.content);
  };

  it('answers 503 while the local Cognito is stopped, and recovers when it is back', async () => {
    await fault('cognito', 'stopped');
    const { answer, ms } = await timed(signIn);
    expect(answer).toMatchObject({
      status: 503,
      body: { error: 'ServiceUnavailable', message: expect.stringContaining('identity service') },
    });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    // The authorizer needs no call to Cognito: signed-in users keep working.
    expect((await call('/me', { token: user.idToken })).status).toBe(200);
    expect(
      await call('/me/mfa/totp', { token: user.idToken, body: { accessToken: user.accessToken } }),
    ).toMatchObject({ status: 503, body: { error: 'ServiceUnavailable' } });
    await fault('cognito', 'running');
    expect((await signIn()).status).toBe(200);
  }, 30_000);

  it('answers 503 while the local S3 is stopped, loses nothing it acknowledged and lists nothing it refused', async () => {
    expect((await writeLog('before the outage')).status).toBe(201);
    await fault('s3', 'stopped');
    const { answer, ms } = await timed(() => writeLog('during the outage'));
    expect(answer).toMatchObject({
      status: 503,
      body: { error: 'ServiceUnavailable', message: expect.stringContaining('storage service') },
    });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect((await call('/me/logs', { token: user.idToken })).status).toBe(503);
    expect(await call('/me/export', { method: 'POST', token: user.idToken })).toMatchObject({
      status: 503,
      body: { error: 'ServiceUnavailable' },
    });
    await fault('s3', 'running');
    expect((await writeLog('after the outage')).status).toBe(201);
    expect((await listedContents()).sort()).toEqual(['after the outage', 'before the outage']);
  }, 30_000);

  it('answers 503 within the function timeout when Cognito is slow, then recovers', async () => {
    await fault('cognito', 'slow');
    const { answer, ms } = await timed(signIn);
    expect(answer).toMatchObject({ status: 503, body: { error: 'ServiceUnavailable' } });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    await fault('cognito', 'running');
    expect((await signIn()).status).toBe(200);
  }, 30_000);

  it('answers 503 within the function timeout when S3 is slow, and the refused write never appears', async () => {
    const before = await listedContents();
    await fault('s3', 'slow');
    const { answer, ms } = await timed(() => writeLog('while slow'));
    expect(answer).toMatchObject({ status: 503, body: { error: 'ServiceUnavailable' } });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    await fault('s3', 'running');
    // Give a late write every chance to land before looking.
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    expect((await listedContents()).sort()).toEqual([...before].sort());
  }, 45_000);

  it('fails closed while the local DynamoDB is stopped: 503 at protected routes, never a pass', async () => {
    await fault('dynamodb', 'stopped');
    const { answer, ms } = await timed(() => call('/me', { token: user.idToken }));
    expect(answer).toMatchObject({
      status: 503,
      body: { error: 'ServiceUnavailable', message: expect.stringContaining('session service') },
    });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect((await writeLog('without the session record')).status).toBe(503);
    // Signing in does not depend on the record (it only keeps a session started in the second
    // of a sign-out everywhere), nor does signing out with a refresh token alone.
    expect((await signIn()).status).toBe(200);
    await fault('dynamodb', 'running');
    expect((await call('/me', { token: user.idToken })).status).toBe(200);
  }, 30_000);

  it('answers 503 within the function timeout when DynamoDB is slow, then recovers', async () => {
    await fault('dynamodb', 'slow');
    const { answer, ms } = await timed(() => call('/me', { token: user.idToken }));
    expect(answer).toMatchObject({ status: 503, body: { error: 'ServiceUnavailable' } });
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    await fault('dynamodb', 'running');
    expect((await call('/me', { token: user.idToken })).status).toBe(200);
  }, 30_000);

  describe('DELETE /me, failing part-way', () => {
    /** The files s3rver keeps under the user's prefix (no versions: see README). */
    const storedFiles = (sub: string) => {
      const dir = path.join(
        stack.dataDir,
        's3',
        String(stack.outputs.UserDataBucketName),
        'users',
        sub,
      );
      return existsSync(dir) ? readdirSync(dir, { recursive: true }) : [];
    };
    const deleteMe = (who: SignedInUser, idToken = who.idToken) =>
      call('/me', {
        method: 'DELETE',
        token: idToken,
        body: { accessToken: who.accessToken, password: who.password },
      });
    const signInAs = (who: SignedInUser) =>
      call('/auth/signin', { body: { email: who.email, password: who.password } });
    const withData = async (label: string) => {
      const who = await newUser(label, stack.outputs.ApiUrl);
      const writes = [
        call('/me/profile', { method: 'PUT', token: who.idToken, body: { theme: 'dark' } }),
        call('/me/logs', { token: who.idToken, body: { content: 'one' } }),
        call('/me/logs', { token: who.idToken, body: { content: 'two' } }),
        call('/me/export', { method: 'POST', token: who.idToken }),
      ];
      expect((await Promise.all(writes)).map((answer) => answer.status)).toEqual([
        200, 201, 201, 200,
      ]);
      expect(storedFiles(who.sub).length).toBeGreaterThan(0);
      return who;
    };

    it('with S3 stopped: 503, the account says so wherever it is used, and the same request finishes it', async () => {
      const [leaving, staying] = await Promise.all([withData('leaving'), withData('staying')]);
      await fault('s3', 'stopped');
      try {
        expect((await deleteMe(leaving)).status).toBe(503);
      } finally {
        await fault('s3', 'running');
      }
      // Half-deleted: its tokens are refused, and a new sign-in is told at once too.
      const told = {
        status: 401,
        message: expect.stringMatching(/deletion has not finished/),
      };
      const refusal = async (idToken: string) => {
        const answer = await call('/me/profile', { token: idToken });
        return { status: answer.status, message: answer.body.message };
      };
      expect(await refusal(leaving.idToken)).toEqual(told);
      const again = await signInAs(leaving);
      expect(again.status).toBe(200);
      expect(await refusal(String(again.body.idToken))).toEqual(told);

      expect((await deleteMe(leaving)).status).toBe(204);
      expect(storedFiles(leaving.sub)).toEqual([]);
      expect((await signInAs(leaving)).status).toBe(401);
      expect((await deleteMe(leaving)).status).toBe(401);
      expect((await call('/me', { token: leaving.idToken })).status).toBe(401);
      // Nobody else's data is touched.
      expect(storedFiles(staying.sub).length).toBeGreaterThan(0);
      const profile = await call('/me/profile', { token: staying.idToken });
      expect(profile.body).toEqual({ theme: 'dark' });
    }, 60_000);

    it('with Cognito too slow to answer in time, or DynamoDB stopped: 503 and nothing changes; then it goes through', async () => {
      const leaving = await withData('leaving-later');
      await fault('cognito', 'slow');
      try {
        const { answer, ms } = await timed(() => deleteMe(leaving));
        expect(answer.status).toBe(503);
        expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
      } finally {
        await fault('cognito', 'running');
      }
      await fault('dynamodb', 'stopped');
      try {
        expect((await deleteMe(leaving)).status).toBe(503);
      } finally {
        await fault('dynamodb', 'running');
      }
      expect((await call('/me/profile', { token: leaving.idToken })).body).toEqual({
        theme: 'dark',
      });
      expect((await deleteMe(leaving)).status).toBe(204);
      expect(storedFiles(leaving.sub)).toEqual([]);
    }, 60_000);
  });

  it('refuses malformed fault requests and changes nothing', async () => {
    for (const body of [
      { dependency: 'dynamo', state: 'stopped' },
      { dependency: 's3', state: 'paused' },
      { dependency: 's3', state: 'slow', delayMs: -1 },
      { dependency: 's3', state: 'slow', delayMs: '8000' },
      { dependency: 's3', state: 'slow', delayMs: 1.5 },
      { dependency: 's3', state: 'stopped', extra: true },
      [],
    ]) {
      const answer = await call('/_local/faults', { body });
      expect({ body, status: answer.status, error: answer.body.error }).toEqual({
        body,
        status: 400,
        error: 'ValidationError',
      });
    }
    const malformed = await call('/_local/faults', { method: 'POST', rawBody: '{"dependency":' });
    expect(malformed.status).toBe(400);
    expect((await call('/_local/faults')).body).toEqual({
      cognito: { state: 'running', delayMs: 0 },
      s3: { state: 'running', delayMs: 0 },
      dynamodb: { state: 'running', delayMs: 0 },
    });
  });
});

describe('supervision', () => {
  it('restarts an emulator that dies on its own', async () => {
    const stack = await spawnStack();
    try {
      const user = await newUser('crash', stack.outputs.ApiUrl);
      const { readFileSync } = await import('node:fs');
      const { execFileSync } = await import('node:child_process');
      // Find the running s3rver of this stack by its data directory, and kill it.
      const pids = execFileSync('pgrep', ['-f', `s3rver.js --directory ${stack.dataDir}/s3`])
        .toString()
        .trim()
        .split('\n');
      expect(pids).toHaveLength(1);
      process.kill(Number(pids[0]), 'SIGKILL');
      await stack.waitForOutput(/s3rver stopped unexpectedly .*; restarting it/);
      let status = 0;
      for (let attempt = 0; attempt < 40 && status !== 201; attempt++) {
        status = (
          await api('/me/logs', {
            apiUrl: stack.outputs.ApiUrl,
            token: user.idToken,
            body: { content: 'after the crash' },
          })
        ).status;
        if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).toBe(201);
      expect(readFileSync(`${stack.dataDir}/logs/s3rver.log`, 'utf8').length).toBeGreaterThan(0);
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
