import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../sam/template';

/** describeWithTool, run by jest itself on a test whose tool is missing. */
function runFixture(env: NodeJS.ProcessEnv) {
  const config = {
    rootDir: PROJECT_ROOT,
    testMatch: ['<rootDir>/tests/required-tools/missing-tool.fixture.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  };
  const { CI: _ci, ...rest } = process.env;
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--verbose'],
    { cwd: PROJECT_ROOT, env: { ...rest, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('a test that needs a tool the machine lacks', () => {
  it('is skipped, saying what is missing and how to install it', () => {
    const { status, output } = runFixture({});
    expect(status).toBe(0);
    expect(output).toContain('the frobnicator not found (apt-get install frobnicator)');
    expect(output).toMatch(/1 skipped/);
  }, 60_000);

  it('fails instead when CI is set', () => {
    const { status, output } = runFixture({ CI: 'true' });
    expect(status).toBe(1);
    expect(output).toContain('CI is set, so this fails rather than skips');
  }, 60_000);
});
