import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * Code that requires a package's private files (its lib/ folder) depends on more than its
 * public API, which a minor release may change: such a package is pinned to one exact version.
 */

const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const versions = { ...pkg.dependencies, ...pkg.devDependencies };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Packages whose lib/ files `text` requires, e.g. "cognito-local". */
function privateImports(text: string): string[] {
  return [...text.matchAll(/require(?:\.resolve)?\('((?:@[^/']+\/)?[^/']+)\/lib\//g)].map((match) =>
    String(match[1]),
  );
}

/** The code tsc checks (tsconfig.json's include), tests aside: what runs, or is deployed. */
const sourceDirs = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'tsconfig.json'), 'utf8')) as {
    include: string[];
  }
).include.filter((dir) => dir !== 'tests');

describe('packages used through their private files', () => {
  const used = [
    ...new Set(
      sourceDirs.flatMap((dir) =>
        sources(path.join(PROJECT_ROOT, dir)).flatMap((file) =>
          privateImports(readFileSync(file, 'utf8')),
        ),
      ),
    ),
  ];

  it('include cognito-local (the local Cognito reads its keys and defaults)', () => {
    expect(used).toContain('cognito-local');
  });

  it.each(used)('%s is pinned to one exact version in package.json', (name) => {
    expect(versions[name]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('are recognised in every form of require', () => {
    expect(
      privateImports(
        "require('a/lib/x.json'); require.resolve('@s/b/lib/y.js'); require('c/bin/z.js')",
      ),
    ).toEqual(['a', '@s/b']);
  });
});
