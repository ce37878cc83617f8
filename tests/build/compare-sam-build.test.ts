import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../sam/build';
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

beforeAll(async () => {
  await buildFunctions(ours);
}, 60_000);

describe('scripts/compare-sam-build.ts', () => {
  it('finds nothing between two builds of the same sources', () => {
    expect(compareBuilds(copy('same'), ours)).toEqual([]);
  });

  it('ignores where the build ran (sam build bundles a scratch copy)', () => {
    const elsewhere = copy('elsewhere');
    edit(path.join(elsewhere, 'SignInFunction', 'sign-in.mjs.map'), (text) =>
      text.replaceAll('"../../node_modules/', '"../../../tmp/tmpab12cd/node_modules/'),
    );
    expect(compareBuilds(elsewhere, ours)).toEqual([]);
  });

  it('reports changed code, a changed environment and a missing source map', () => {
    const other = copy('other');
    edit(path.join(other, 'SignInFunction', 'sign-in.mjs'), (text) => `${text} `);
    edit(path.join(other, 'template.yaml'), (text) =>
      text.replace(
        'POWERTOOLS_SERVICE_NAME: cognito-password-auth',
        'POWERTOOLS_SERVICE_NAME: other',
      ),
    );
    edit(
      path.join(other, 'GetMeFunction', 'get-me.mjs.map'),
      () => '{"sources":[],"mappings":"","names":[]}',
    );
    const problems = compareBuilds(other, ours);
    expect(problems).toContain('SignInFunction/sign-in.mjs: the code differs');
    expect(problems.filter((problem) => problem.includes('.environment: sam build')).length).toBe(
      20,
    );
    expect(problems).toContain('GetMeFunction/get-me.mjs.map: the mappings differ');
  });
});
