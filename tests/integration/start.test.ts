import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';
import { DEBIAN_AWSCLI, describeWithTool } from '../required-tools';
import { api, newUser } from './api-client';
import { newDataDir, type RunningStack, spawnStack, startCommand, tryItScript } from './harness';

const run = promisify(execFile);

/** `npm start` as a user meets it: its printout, its files, its ports, Ctrl-C, restarts. */
describe('npm start', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await spawnStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("prints the outputs and writes .local/outputs.json with the deployed stacks' keys", () => {
    const keys = ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'CognitoEndpoint', 'S3Endpoint'];
    expect(Object.keys(stack.outputs)).toEqual(expect.arrayContaining(keys));
    expect(stack.outputs.UserPoolId).toMatch(/^us-east-1_\w+$/);
    // The harness read outputs.json (written last, as the readiness signal): the printout
    // under "Local stack ready" must say the same.
    const lines = stack.output().split('\n');
    const block = lines.slice(lines.findIndex((line) => line.startsWith('Local stack ready')) + 1);
    const printed = block
      .slice(
        0,
        block.findIndex((line) => !/^ {2}\w+ +\S+$/.test(line)),
      )
      .map((line) => line.trim().split(/ +/));
    expect(Object.fromEntries(printed)).toEqual(stack.outputs);
  });

  /** The "Try it" sequence, run as printed; `withAws` false leaves out its AWS CLI line. */
  const tryIt = async (withAws: boolean) => {
    const script = tryItScript(stack.output()).filter(
      (line) => withAws || !line.startsWith('aws '),
    );
    expect(script.length).toBeGreaterThanOrEqual(6);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script.join('\n')], {
      env: { ...process.env, PATH: `/usr/bin:${process.env.PATH}` },
    });
    const answers = stdout.trim().split('\n');
    expect(JSON.parse(answers[0] ?? '')).toMatchObject({ confirmed: false });
    expect(JSON.parse(answers[1] ?? '')).toEqual({ confirmed: true });
    expect(JSON.parse(answers[2] ?? '')).toMatchObject({ emailVerified: true });
    return answers;
  };

  it('prints a sign-up / sign-in / curl sequence that works as printed', async () => {
    expect(await tryIt(false)).toHaveLength(3);
  });

  describeWithTool(DEBIAN_AWSCLI, 'with the AWS CLI', () => {
    it('signs in with the printed aws command too, whose password has a comma', async () => {
      expect((await tryIt(true))[3]).toBe('900');
    });
  });

  it('logs requests and mails codes, without passwords or tokens', async () => {
    const user = await newUser('printout', stack.outputs.ApiUrl);
    await stack.waitForOutput(/POST \/auth\/signin 200/);
    const output = stack.output();
    expect(output).toContain(`code for ${user.email}`);
    expect(output).not.toContain(user.password);
    expect(output).not.toContain(user.idToken);
    expect(output).not.toContain(user.refreshToken);
  });

  it('refuses a busy port with a clear message', async () => {
    const port = new URL(stack.outputs.ApiUrl).port;
    const child = startCommand({ API_PORT: port, LOCAL_DATA_DIR: stack.dataDir });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} (the API) is already in use`);
    expect(output).toContain('API_PORT=<port> npm start');
  });

  it('says how to build when it is told to reuse a build that is not there', async () => {
    const dataDir = newDataDir();
    const child = startCommand({
      LOCAL_DATA_DIR: dataDir,
      LOCAL_BUILD_DIR: path.join(dataDir, 'no-build'),
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(output).toContain('run npm run build, or start without LOCAL_SKIP_BUILD');
  });

  it('keeps users across a restart, and stops cleanly on Ctrl-C', async () => {
    const user = await newUser('restart', stack.outputs.ApiUrl);
    expect(await stack.stop()).toBe(0);
    expect(
      existsSync(
        path.join(stack.dataDir, 'cognito', '.cognito', 'db', `${stack.outputs.UserPoolId}.json`),
      ),
    ).toBe(true);
    stack = await spawnStack({ LOCAL_DATA_DIR: stack.dataDir });
    const signIn = await api('/auth/signin', {
      apiUrl: stack.outputs.ApiUrl,
      body: { email: user.email, password: user.password },
    });
    expect(signIn.status).toBe(200);
    const mailbox = await api(`/_local/mailbox/${encodeURIComponent(user.email)}`, {
      apiUrl: stack.outputs.ApiUrl,
    });
    expect((mailbox.body.messages as unknown[]).length).toBe(1);
  }, 60_000);

  it('runs `npm run demo` against the running stack, step by step', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'demo'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOCAL_DATA_DIR: stack.dataDir },
    });
    expect(stdout).toContain('✓  1. sign up → 201');
    expect(stdout).toContain('refresh with the revoked token is refused → 401');
    expect(stdout).toContain('Demo passed.');
  }, 60_000);
});

describe('npm run demo', () => {
  it('exits non-zero at the first deviation', async () => {
    // An "API" that answers every route with a 500.
    const server = createServer((_request, response) => {
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end('{"error":"InternalError"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dataDir = mkdtempSync(path.join(require('node:os').tmpdir(), 'demo-'));
    writeFileSync(
      path.join(dataDir, 'outputs.json'),
      JSON.stringify({ ApiUrl: `http://127.0.0.1:${port}` }),
    );
    // /public must answer 2xx for the demo to use this API instead of starting its own.
    server.removeAllListeners('request');
    server.on('request', (request, response) => {
      response.writeHead(request.url === '/public' ? 200 : 500, {
        'Content-Type': 'application/json',
      });
      response.end('{}');
    });
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOCAL_DATA_DIR: dataDir },
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    server.close();
    expect(code).toBe(1);
    expect(output).toContain('✗ 1. sign up: expected 201, got 500');
  }, 30_000);
});
