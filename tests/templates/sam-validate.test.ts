import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_TEMPLATE, AUTH_TEMPLATE, PROJECT_ROOT } from '../../sam/template';
import { describeWithTool, PYTHON_SAM_TOOLS } from '../required-tools';

/**
 * `sam validate --lint` (cfn-lint through its Python API, as the SAM CLI calls it) and plain
 * `sam validate` (the SAM translator) on both templates, by sam/validate.py. The SAM CLI fails
 * on any finding, warnings included: so does this.
 */

interface Report {
  template: string;
  findings: { source: string; rule: string; message: string }[];
}

function validate(...templates: string[]): { status: number | null; reports: Report[] } {
  const run = spawnSync('python3', [path.join(PROJECT_ROOT, 'sam', 'validate.py'), ...templates], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`sam/validate.py failed:\n${run.stderr}`);
  const reports = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Report);
  return { status: run.status, reports };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'sam-validate-'));
const planted = (name: string, text: string) => {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
};

const w6001 = planted(
  'w6001.yaml',
  `${readFileSync(API_TEMPLATE, 'utf8')}  ReExported:\n    Value:\n      Fn::ImportValue: !Sub \${AuthStackName}-UserPoolId\n`,
);
/** template.yaml with `from` replaced, which must be there (else the plant would be a no-op). */
const replaced = (from: string, to: string) => {
  const text = readFileSync(API_TEMPLATE, 'utf8');
  if (!text.includes(from))
    throw new Error(`template.yaml no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
};
const undefinedAuthorizer = planted(
  'authorizer.yaml',
  replaced(
    'Path: /me\n            Method: get\n',
    'Path: /me\n            Method: get\n            Auth:\n              Authorizer: Missing\n',
  ),
);

// template.yaml as deployed with ApiKeyRequired=true (sam validate takes no parameter values:
// the default is what it lints).
const withApiKeys = planted(
  'api-keys.yaml',
  replaced(
    'ApiKeyRequired:\n    Type: String\n    Default: "false"',
    'ApiKeyRequired:\n    Type: String\n    Default: "true"',
  ),
);

describeWithTool(PYTHON_SAM_TOOLS, 'sam validate --lint and sam validate', () => {
  // One run for all the templates: loading cfn-lint takes most of the time.
  let run: ReturnType<typeof validate>;
  const findings = (template: string) =>
    run.reports.find((report) => report.template === template)?.findings;
  beforeAll(() => {
    run = validate(AUTH_TEMPLATE, API_TEMPLATE, withApiKeys, w6001, undefinedAuthorizer);
  }, 120_000);

  it('find nothing in auth-stack.yaml and template.yaml', () => {
    expect(findings(AUTH_TEMPLATE)).toEqual([]);
    expect(findings(API_TEMPLATE)).toEqual([]);
  });

  it('find nothing in template.yaml with ApiKeyRequired=true', () => {
    expect(findings(withApiKeys)).toEqual([]);
  });

  it('fail on a warning: an output that re-exports an import (W6001)', () => {
    expect(findings(w6001)?.map((finding) => finding.rule)).toEqual(['W6001']);
    expect(run.status).toBe(1);
  });

  it('fail on what only the SAM translator rejects: an authorizer the API does not define', () => {
    expect(findings(undefinedAuthorizer)).toContainEqual(
      expect.objectContaining({
        source: 'sam-translator',
        message: expect.stringContaining('Authorizer [Missing]'),
      }),
    );
  });

  it('exit 0 only without findings', () => {
    expect(validate(AUTH_TEMPLATE).status).toBe(0);
  }, 120_000);
});
