import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApiAnswer } from '../../client/api';
import { createThrowAwayUser } from '../../portman/local-target';
import { PROJECT_ROOT } from '../../sam/template';
import { api, cognito, drain } from './api-client';
import {
  newDataDir,
  processesOf,
  type RunningStack,
  spawnStack,
  startCommand,
  tryItScript,
} from './harness';

const run = promisify(execFile);

/**
 * `npm start -- --parameter-overrides ApiKeyRequired=true …`: the real local stack with small
 * limits, so that a handful of requests reach them. Each stack's tests run in order: they spend
 * the key's tokens and quota as they go.
 */

const overrides = (...pairs: string[]) => ['--parameter-overrides', ...pairs];

/** The answer of API Gateway itself (a gateway response), in the API's error shape with CORS. */
function expectGatewayAnswer(
  answer: ApiAnswer,
  stack: RunningStack,
  status: number,
  error: string,
) {
  expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
  expect(answer.body.message).toEqual(expect.any(String));
  expect(answer.headers.get('access-control-allow-origin')).toBe(stack.outputs.WebUrl);
  expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
}

/** The ID token of a user made directly in the local Cognito, without the API's routes. */
async function idTokenFrom(stack: RunningStack): Promise<string> {
  const user = await createThrowAwayUser(stack.outputs);
  const signIn = await cognito(
    'InitiateAuth',
    {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack.outputs.UserPoolClientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    },
    stack.outputs.CognitoEndpoint,
  );
  return String((signIn.body.AuthenticationResult as { IdToken: string }).IdToken);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ApiKeyRequired=true: the key, and its usage plan throttle', () => {
  // One token every 2 s: a volley, or two calls in a row, takes far less even on a busy machine.
  const RATE = 0.5;
  const BURST = 5;
  let stack: RunningStack;
  let key: string;
  let idToken: string;
  const call = (route: string, headers: Record<string, string> = {}, method = 'GET') =>
    api(route, { apiUrl: stack.outputs.ApiUrl, method, headers });

  beforeAll(async () => {
    stack = await spawnStack(
      {},
      {
        args: overrides(
          `ApiKeyRequired=true UsagePlanRateLimit=${RATE} UsagePlanBurstLimit=${BURST}`,
          'UsagePlanQuotaLimit=1000',
        ),
      },
    );
    key = String(stack.outputs.ApiKeyValue);
    idToken = await idTokenFrom(stack);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("outputs the key's id and its local value, in outputs.json too", () => {
    expect(stack.outputs.ApiKeyId).toMatch(/^[0-9a-z]{10}$/);
    expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(stack.output()).toMatch(new RegExp(`ApiKeyValue +${key}\\n`));
    expect(JSON.parse(readFileSync(path.join(stack.dataDir, 'outputs.json'), 'utf8'))).toEqual(
      stack.outputs,
    );
  });

  it('refuses a request without a key, or with a wrong one: 403 Forbidden, as JSON with CORS', async () => {
    const oneOff = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'wrong' },
      { 'x-api-key': oneOff },
    ];
    for (const headers of attempts) {
      const answer = await call('/public', headers);
      expectGatewayAnswer(answer, stack, 403, 'Forbidden');
      expect(answer.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    }
    const signIn = await api('/auth/signin', {
      apiUrl: stack.outputs.ApiUrl,
      body: { email: 'a@example.com', password: 'x' },
    });
    expectGatewayAnswer(signIn, stack, 403, 'Forbidden');
  });

  it('never asks a CORS preflight for the key', async () => {
    for (const route of ['/public', '/me', '/auth/signin']) {
      const answer = await api(route, {
        apiUrl: stack.outputs.ApiUrl,
        method: 'OPTIONS',
        headers: { Origin: stack.outputs.WebUrl, 'Access-Control-Request-Method': 'POST' },
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 204 });
      expect(answer.headers.get('access-control-allow-origin')).toBe(stack.outputs.WebUrl);
    }
  });

  it('checks the authorizer before the key: no token is 401, a token without the key 403', async () => {
    expectGatewayAnswer(await call('/me'), stack, 401, 'Unauthorized');
    expectGatewayAnswer(
      await call('/me', { 'x-api-key': 'wrong', Authorization: `Bearer ${idToken}` }),
      stack,
      403,
      'Forbidden',
    );
  });

  it('admits a burst, throttles the rest with 429 as JSON with CORS, and admits again after 1/rate', async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST + 5 }, () => call('/public', { 'x-api-key': key })),
    );
    const admitted = answers.filter((answer) => answer.status === 200);
    // The bucket starts full; a token more can come in while the volley arrives.
    expect(admitted.length).toBeGreaterThanOrEqual(BURST);
    expect(admitted.length).toBeLessThanOrEqual(BURST + 1);
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expectGatewayAnswer(answer, stack, 429, 'TooManyRequests');
      expect(answer.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    }
    await drain(() => call('/public', { 'x-api-key': key }));
    await sleep(1000 / RATE + 50);
    expect((await call('/public', { 'x-api-key': key })).status).toBe(200);
    expect((await call('/public', { 'x-api-key': key })).status).toBe(429);
  });

  it("throttles the key on every route (the bucket is the key's), and lets it in after 1/rate", async () => {
    await drain(() => call('/public', { 'x-api-key': key }));
    const throttled = await call('/me', { 'x-api-key': key, Authorization: `Bearer ${idToken}` });
    expectGatewayAnswer(throttled, stack, 429, 'TooManyRequests');
    await sleep(1000 / RATE + 50);
    const me = await call('/me', { 'x-api-key': key, Authorization: `Bearer ${idToken}` });
    expect(me.status).toBe(200);
  });
});

describe('ApiKeyRequired=true: the printed commands, npm run demo, the quota, a restart', () => {
  const QUOTA = 20;
  let stack: RunningStack;
  const keyed = () => ({ 'x-api-key': String(stack.outputs.ApiKeyValue) });
  const publicRoute = () => api('/public', { apiUrl: stack.outputs.ApiUrl, headers: keyed() });

  beforeAll(async () => {
    stack = await spawnStack(
      {},
      {
        args: overrides(
          'ApiKeyRequired=true',
          `UsagePlanQuotaLimit=${QUOTA}`,
          'UsagePlanQuotaPeriod=DAY',
          'UsagePlanRateLimit=100',
          'UsagePlanBurstLimit=100',
        ),
      },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('prints a sign-up / sign-in / curl sequence that sends the key and works as printed', async () => {
    const script = tryItScript(stack.output()).filter((line) => !line.startsWith('aws '));
    expect(script[0]).toContain(`API_KEY='${stack.outputs.ApiKeyValue}'`);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script.join('\n')]);
    const answers = stdout.trim().split('\n');
    expect(JSON.parse(answers[0] ?? '')).toMatchObject({ confirmed: false });
    expect(JSON.parse(answers[1] ?? '')).toEqual({ confirmed: true });
    expect(JSON.parse(answers[2] ?? '')).toMatchObject({ emailVerified: true });
  });

  it('runs `npm run demo` against it, with its key', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'demo'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOCAL_DATA_DIR: stack.dataDir },
    });
    expect(stdout).toContain('Demo passed.');
    expect(stdout).not.toContain('starting one');
  }, 60_000);

  it('refuses the key once its quota is used up: 429, "Limit Exceeded" as JSON with CORS', async () => {
    // What the key has used: every request the stack logged as run by a function (a refused
    // one names none). A request the stack logs last marks the end of the log.
    const sentinel = `/_local/mailbox/${Date.now()}@example.com`;
    await api(sentinel, { apiUrl: stack.outputs.ApiUrl });
    await stack.waitForOutput(new RegExp(`GET ${sentinel} 200`));
    const used = [...stack.output().matchAll(/^\S+ [A-Z]+ (\/\S*) \d{3} \d+ ms \w+Function$/gm)]
      .length;
    expect(used).toBeGreaterThan(4);
    expect(used).toBeLessThan(QUOTA);
    for (let count = used; count < QUOTA; count += 1)
      expect((await publicRoute()).status).toBe(200);
    const refused = await publicRoute();
    expectGatewayAnswer(refused, stack, 429, 'TooManyRequests');
    expect(refused.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
    expect(refused.body.message).toMatch(/quota/);
    // A request without the key is still a 403: the quota is the key's.
    expectGatewayAnswer(
      await api('/public', { apiUrl: stack.outputs.ApiUrl }),
      stack,
      403,
      'Forbidden',
    );
  });

  it('keeps the same key across a restart of the same data directory', async () => {
    const { ApiKeyId, ApiKeyValue } = stack.outputs;
    expect(await stack.stop()).toBe(0);
    stack = await spawnStack(
      { LOCAL_DATA_DIR: stack.dataDir },
      { args: overrides('ApiKeyRequired=true') },
    );
    expect(stack.outputs).toMatchObject({ ApiKeyId, ApiKeyValue });
    expect((await publicRoute()).status).toBe(200);
  }, 60_000);
});

describe('npm start -- --parameter-overrides with values CloudFormation would refuse', () => {
  it.each([
    [
      ['--parameter-overrides', 'ApiKeyRequired=yes'],
      1,
      'ApiKeyRequired=yes is not one of true, false',
    ],
    [
      ['--parameter-overrides', 'UsagePlanRateLimit=fast'],
      1,
      'UsagePlanRateLimit=fast is not a number',
    ],
    [['--parameter-overrides', 'NoSuchParameter=1'], 1, 'Unknown parameter NoSuchParameter'],
    [['--parameter-overrides', 'AuthStackName=x'], 1, 'AuthStackName cannot be overridden locally'],
    [['--parameter-overrides', 'ApiKeyRequired'], 2, 'is not a valid format'],
    [['--api-key'], 2, 'Unknown argument "--api-key"'],
  ])('%j: exits %i saying why, and leaves nothing running', async (args, code, message) => {
    const dataDir = newDataDir();
    const child = startCommand({ LOCAL_DATA_DIR: dataDir }, { args });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(code);
    expect(output).toContain(message);
    expect(output).not.toMatch(/\bat \S+ \(/);
    expect(processesOf(dataDir)).toEqual([]);
  });
});
