import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../../sam/template';

/**
 * Each correction the local Cognito makes has one number, the same in the README's table
 * ("How the local Cognito differs from AWS"), in the code that makes it ("Correction N") and in
 * the name of its integration test ("correction N: …"), so that one search finds all three.
 */
const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const numbers = (text: string, pattern: RegExp) =>
  [...new Set([...text.matchAll(pattern)].map((match) => Number(match[1])))].sort((a, b) => a - b);

const inReadme = numbers(read('README.md'), /^\| correction (\d+) +\|/gm);
const inCode = numbers(
  readdirSync(path.join(PROJECT_ROOT, 'local/cognito'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => read(path.join('local/cognito', file)))
    .join('\n'),
  /\bcorrection (\d+)\b/gi,
);
const inTests = numbers(
  read('tests/integration/fidelity.test.ts'),
  /\bit\(\s*['"`]correction (\d+): /g,
);

describe('the numbers of the local Cognito corrections', () => {
  it('run from 1 without a gap in the README', () => {
    expect(inReadme.length).toBeGreaterThan(0);
    expect(inReadme).toEqual(inReadme.map((_, index) => index + 1));
  });

  it('are the same in the README, the code and the integration tests', () => {
    expect(inCode).toEqual(inReadme);
    expect(inTests).toEqual(inReadme);
  });
});
