import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * The repository explains itself: no comment, test or document points a reader at something
 * only its authors had (a specification's sections, notes outside the repository).
 */

const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.build',
  '.aws-sam',
  '.local',
  'coverage',
  'tmp',
]);
const TEXT = /\.(ts|mjs|js|json|ya?ml|md|toml|py|html|css)$|^(run|\.gitignore)$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return TEXT.test(entry.name) && !entry.name.endsWith('.map') ? [full] : [];
  });
}

/**
 * A citation of what is not in the repository: the product specification or the team's notes
 * and style guide kept beside it. The names are assembled here so that this file, which must
 * name them, does not read as a citation itself.
 */
const CITED_SPECIFICATION = ['SP', 'EC'].join('');
const SHARED = ['shared', ''].join('/');
const OUTSIDE = new RegExp(
  [`\\b${CITED_SPECIFICATION}\\b`, `${SHARED}notes`, `${SHARED}STYLE`].join('|'),
);

describe('the repository stands on its own', () => {
  it('cites no specification section and no notes kept outside it', () => {
    const citations = files(PROJECT_ROOT)
      .filter((file) => file !== __filename)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => [line, index] as const)
          .filter(([line]) => OUTSIDE.test(line))
          .map(([, index]) => `${path.relative(PROJECT_ROOT, file)}:${index + 1}`),
      );
    expect(citations).toEqual([]);
  });

  it('would catch one', () => {
    expect(OUTSIDE.test(`// Cookie mode (${CITED_SPECIFICATION} §3)`)).toBe(true);
    expect(OUTSIDE.test(` * (see ${SHARED}notes/local-emulators.md)`)).toBe(true);
    expect(OUTSIDE.test('Spectral lints openapi.yaml')).toBe(false);
  });
});
