import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../sam/build';
import { API_TEMPLATE, loadTemplate, samFunctions } from '../../sam/template';
import { compareBuilds } from '../../scripts/compare-sam-build';

/**
 * The check the CI workflow's sam job runs after a real `sam build`. Here it compares two
 * builds of npm run build, one of them changed the ways a sam build could differ.
 */

const scratch = mkdtempSync(path.join(tmpdir(), 'compare-build-'));
const ours = path.join(scratch, 'ours');
const copy = (name: string) => {
  const dir = path.join(scratch, name);
  cpSync(ours, dir, { recursive: true });
  return dir;
};
const edit = (file: string, change: (text: string) => string) =>
  writeFileSync(file, change(readFileSync(file, 'utf8')));

// The template builds no source maps; sam build's would name the scratch copy's paths.
const MAP = path.join('SignInFunction', 'sign-in.mjs.map');
beforeAll(async () => {
  await buildFunctions(ours);
  writeFileSync(
    path.join(ours, MAP),
    JSON.stringify({
      version: 3,
      sources: ['../../node_modules/@aws-sdk/core/index.js', '../../src/handlers/auth/sign-in.ts'],
      mappings: 'AAAA',
      names: [],
    }),
  );
}, 60_000);

describe('scripts/compare-sam-build.ts', () => {
  it('finds nothing between two builds of the same sources', () => {
    expect(compareBuilds(copy('same'), ours)).toEqual([]);
  });

  it('ignores where the build ran (sam build bundles a scratch copy)', () => {
    const elsewhere = copy('elsewhere');
    edit(path.join(elsewhere, MAP), (text) =>
      text.replaceAll('"../../', '"../../../tmp/tmpab12cd/'),
    );
    expect(compareBuilds(elsewhere, ours)).toEqual([]);
  });

  it('reports changed code, a changed environment and a changed source map', () => {
    const other = copy('other');
    edit(path.join(other, 'SignInFunction', 'sign-in.mjs'), (text) => `${text} `);
    edit(path.join(other, 'template.yaml'), (text) =>
      text.replace(
        'POWERTOOLS_SERVICE_NAME: cognito-password-auth',
        'POWERTOOLS_SERVICE_NAME: other',
      ),
    );
    edit(path.join(other, MAP), (text) => text.replace('AAAA', 'AACA'));
    const problems = compareBuilds(other, ours);
    expect(problems).toContain('SignInFunction/sign-in.mjs: the code differs');
    // The service name is a global variable: every function's environment differs.
    expect(problems.filter((problem) => problem.includes('.environment: sam build')).length).toBe(
      samFunctions(loadTemplate(API_TEMPLATE)).length,
    );
    expect(problems).toContain('SignInFunction/sign-in.mjs.map: the mappings differ');
  });
});
