import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ContractTarget,
  generateCollection,
  type PostmanCollection,
  type PostmanItem,
  runCollection,
} from '../../portman/contract-suite';
import { type LocalTarget, startLocalTarget } from '../../portman/local-target';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * The contract tooling against a real local stack (its own bundles, free ports, a throw-away
 * user): the get-token script, the collection's own Cognito sign-in as Postman runs it, and,
 * above all, the whole suite failing when the API breaks its contract.
 */

// Each case starts node processes (tsx) or runs newman: slower than a unit test, on a busy machine.
jest.setTimeout(30_000);

const scratch = mkdtempSync(path.join(tmpdir(), 'contract-test-'));
let local: LocalTarget;
let target: ContractTarget;
let collection: PostmanCollection;

beforeAll(async () => {
  [local, collection] = await Promise.all([
    startLocalTarget(() => undefined),
    generateCollection(path.join(scratch, 'collection.json')),
  ]);
  target = local.target;
}, 120_000);

afterAll(async () => {
  await local?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of portman/ with tsx, as npm runs it, with exactly `env` (plus PATH). */
function runScript(script: string, env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), script], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const signInEnv = (overrides: Partial<ContractTarget> = {}) => {
  const settings = { ...target, ...overrides };
  return {
    CONTRACT_COGNITO_ENDPOINT: settings.cognitoEndpoint,
    CONTRACT_USER_POOL_CLIENT_ID: settings.userPoolClientId,
    CONTRACT_USERNAME: settings.username,
    CONTRACT_PASSWORD: settings.password,
  };
};

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

describe('portman/get-token.ts', () => {
  it('prints the ID token of the user, and nothing else', async () => {
    const { code, stdout, stderr } = await runScript('portman/get-token.ts', signInEnv());
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(claimsOf(stdout.trim())).toMatchObject({
      token_use: 'id',
      email: target.username,
      aud: target.userPoolClientId,
    });
  });

  it("fails with Cognito's reason on a wrong password, and never prints the password", async () => {
    const wrong = 'Wrong-pass-phrase-0000';
    const { code, stdout, stderr } = await runScript(
      'portman/get-token.ts',
      signInEnv({ password: wrong }),
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Cognito refused the sign-in of ${target.username}`);
    expect(stderr).toContain('NotAuthorizedException: Incorrect username or password.');
    expect(stderr).not.toContain(wrong);
  });

  it('names the settings that are missing', async () => {
    const { CONTRACT_PASSWORD: _password, ...partial } = signInEnv();
    const { code, stderr } = await runScript('portman/get-token.ts', partial);
    expect(code).toBe(1);
    expect(stderr).toContain('Set CONTRACT_PASSWORD');
  });

  it('says when Cognito cannot be reached', async () => {
    const { code, stderr } = await runScript(
      'portman/get-token.ts',
      signInEnv({ cognitoEndpoint: 'http://127.0.0.1:9/' }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('Cognito is not reachable at http://127.0.0.1:9/');
  });
});

const onlyRequest = (name: string): PostmanCollection => {
  const flatten = (items: PostmanItem[]): PostmanItem[] =>
    items.flatMap((item) => (item.item ? flatten(item.item) : [item]));
  const item = flatten(collection.item).find((candidate) => candidate.name === name);
  if (!item) throw new Error(`no request "${name}"`);
  return { ...collection, item: [item] };
};

describe("the collection's own sign-in (its pre-request script, as Postman runs it)", () => {
  it('fetches an ID token from Cognito and calls a protected route with it', async () => {
    const run = await runCollection(onlyRequest('The caller'), target, { report: false });
    expect(run.failures).toEqual([]);
    expect(run.assertions).toBeGreaterThan(5);
  });

  it("fails the run with Cognito's reason when the sign-in is refused", async () => {
    const wrong = 'Wrong-pass-phrase-1111';
    const run = await runCollection(
      onlyRequest('The caller'),
      { ...target, password: wrong },
      { report: false },
    );
    expect(run.failures[0]).toMatchObject({
      assertion: 'Cognito sign-in (InitiateAuth, USER_PASSWORD_AUTH) gives an ID token',
      message: expect.stringContaining('NotAuthorizedException: Incorrect username or password.'),
    });
    expect(JSON.stringify(run.failures)).not.toContain(wrong);
  });
});

describe('the API key of the collection (its apiKey variable, as Postman runs it)', () => {
  let server: Server;
  let serverUrl: string;
  /** The x-api-key header of each request the API got (undefined: none). */
  const received: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const key = request.headers['x-api-key'];
      received.push(Array.isArray(key) ? key.join(',') : key);
      request.resume();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"message":"Hello"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the key in x-api-key when one is set, on public and protected routes', async () => {
    received.length = 0;
    const apiKey = 'a-test-api-key-of-forty-characters-00001';
    for (const name of ['A public route', 'The caller']) {
      await runCollection(
        onlyRequest(name),
        { ...target, apiUrl: serverUrl, apiKey },
        {
          report: false,
        },
      );
    }
    expect(received).toEqual([apiKey, apiKey]);
  });

  it('sends no x-api-key at all when none is set (the default)', async () => {
    received.length = 0;
    await runCollection(
      onlyRequest('A public route'),
      { ...target, apiUrl: serverUrl },
      {
        report: false,
      },
    );
    expect(received).toEqual([undefined]);
  });
});

/**
 * A deliberately wrong API: a proxy in front of the local stack that passes everything through
 * but breaks three routes, one way each. Pointed at it as at a deployed stage, the whole
 * suite (`npm run test:contract`) must exit non-zero, and fail exactly where the contract is
 * broken: the other requests go through the same proxy and must still pass.
 */
describe('npm run test:contract against an API that breaks its contract', () => {
  let proxy: Server;
  let proxyUrl: string;
  /** "METHOD /path status" of every answer the proxy passed on. */
  const answered: string[] = [];
  /** The x-api-key header of every request (the suite runs with CONTRACT_API_KEY). */
  const apiKeys = new Set<string | undefined>();
  const API_KEY = 'contract-run-api-key-of-forty-chars-0001';

  const HOP_BY_HOP = new Set([
    'host',
    'connection',
    'content-length',
    'transfer-encoding',
    'content-encoding',
    'keep-alive',
    'set-cookie',
  ]);
  const forwardable = (headers: IncomingHttpHeaders): [string, string][] =>
    Object.entries(headers).flatMap(([name, value]) =>
      HOP_BY_HOP.has(name) || value === undefined
        ? []
        : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
    );

  beforeAll(async () => {
    proxy = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const route = `${request.method} ${new URL(request.url ?? '/', 'http://proxy').pathname}`;
      apiKeys.add(request.headers['x-api-key'] as string | undefined);

      // 1. A route that lost its authorizer: it answers callers without a token.
      if (route === 'GET /protected' && !request.headers.authorization) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(
          JSON.stringify({
            message: 'You are signed in.',
            sub: '6f1c2b0e-0000-4000-8000-000000000000',
          }),
        );
        return;
      }
      const upstream = await fetch(`${target.apiUrl}${request.url}`, {
        method: request.method ?? 'GET',
        headers: forwardable(request.headers),
        ...(body.length > 0 ? { body } : {}),
        redirect: 'manual',
      });
      let status = upstream.status;
      let text = await upstream.text();
      // 2. A wrong status: 201 where the contract says 200.
      if (route === 'GET /public') status = 201;
      // 3. A wrong body shape: a required field of /me is gone.
      if (route === 'GET /me' && status === 200) {
        const { emailVerified: _dropped, ...rest } = JSON.parse(text) as Record<string, unknown>;
        text = JSON.stringify(rest);
      }
      answered.push(`${route} ${status}`);
      const headers = forwardable(Object.fromEntries(upstream.headers.entries()));
      const cookies = upstream.headers.getSetCookie();
      response.writeHead(status, [
        ...headers,
        ...cookies.map((cookie) => ['Set-Cookie', cookie] as [string, string]),
      ]);
      response.end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it('fails, and fails exactly on the three broken routes', async () => {
    const { code, stdout, stderr } = await runScript('portman/run-contract-tests.ts', {
      ...signInEnv(),
      CONTRACT_API_URL: proxyUrl,
      CONTRACT_API_KEY: API_KEY,
      CONTRACT_COLLECTION_FILE: path.join(scratch, 'wrong-api-collection.json'),
    });
    const failures = [...stderr.matchAll(/^ {2}FAIL (.+?) › (.+?): /gm)].map(
      ([, request, assertion]) => `${request} › ${assertion}`,
    );
    expect({ code, summary: stderr.match(/✗ Contract tests failed.*/)?.[0] }).toEqual({
      code: 1,
      summary: expect.stringContaining('✗ Contract tests failed'),
    });
    expect(failures).toEqual(
      expect.arrayContaining([
        'A public route › [GET]::/public - Response status code is 200',
        'The caller › [GET]::/me - Schema is valid',
        "The caller › [GET]::/me - Content check if 'emailVerified' exists",
        'A protected route[without a token] › [GET]::/protected - Response status code is 401',
        'A protected route[without a token] › [GET]::/protected - Schema is valid',
      ]),
    );
    const failingRequests = [...new Set(failures.map((failure) => failure.split(' › ')[0]))];
    expect(failingRequests.sort()).toEqual(
      ['A protected route[without a token]', 'A public route', 'The caller'].sort(),
    );
    // Everything else went through the same proxy and passed.
    expect(stdout).toMatch(/Running \d+ requests with newman/);
    // As against any deployed stage, nothing that makes Cognito send an email ran.
    expect(stdout).toContain(
      'Leaving out POST /auth/signup, POST /me/email: Cognito would send an email',
    );
    expect(answered).not.toContain('POST /auth/signup 201');
    expect(answered).not.toContain('POST /me/email 202');
    expect(answered).toContain('POST /auth/signup 409');
    // Every request carried the key of CONTRACT_API_KEY, and the importable file does not hold it.
    expect([...apiKeys]).toEqual([API_KEY]);
    expect(readFileSync(path.join(scratch, 'wrong-api-collection.json'), 'utf8')).not.toContain(
      API_KEY,
    );
  }, 180_000);
});
