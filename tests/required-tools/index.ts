import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Tools some tests need that `npm ci` cannot install. On a machine without one, its tests are
 * skipped with a message saying what is missing and how to get it, so that `npm ci && npm
 * test` passes with Node and npm alone; with CI set (GitHub Actions sets it) a missing tool
 * fails the run instead, since .ci/run installs them all.
 */
export interface RequiredTool {
  what: string;
  install: string;
  present: () => boolean;
}

export const PYTHON_SAM_TOOLS: RequiredTool = {
  what: "cfn-lint and the SAM translator (python3 -c 'import cfnlint, samtranslator')",
  install:
    'the AWS SAM CLI bundles cfn-lint and the translator; or pip install cfn-lint aws-sam-translator',
  present: () => spawnSync('python3', ['-c', 'import cfnlint, samtranslator']).status === 0,
};

export const AWS_CLI = '/usr/bin/aws';
export const DEBIAN_AWSCLI: RequiredTool = {
  what: `Debian's AWS CLI (${AWS_CLI})`,
  install: 'sudo apt-get install awscli',
  present: () => existsSync(AWS_CLI),
};

export const CHROMIUM = '/usr/bin/chromium';
export const DEBIAN_CHROMIUM: RequiredTool = {
  what: `Debian's Chromium (${CHROMIUM})`,
  install: 'sudo apt-get install chromium',
  present: () => existsSync(CHROMIUM),
};

/** `describe` when `tool` is present; else skipped with the reason, or failing when CI is set. */
export function describeWithTool(tool: RequiredTool, title: string, tests: () => void): void {
  if (tool.present()) {
    describe(title, tests);
    return;
  }
  const reason = `${tool.what} not found (${tool.install})`;
  if (process.env.CI) {
    describe(title, () => {
      it(`has ${tool.what}`, () => {
        throw new Error(`${reason} (CI is set, so this fails rather than skips)`);
      });
    });
    return;
  }
  console.warn(`Skipping "${title}": ${reason}`);
  describe.skip(`${title} [skipped: ${reason}]`, tests);
}
