import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadTemplate, samFunctions } from '../sam/template';

/**
 * npx tsx scripts/compare-sam-build.ts <sam build's folder> <npm run build's folder>
 *
 * Holds `npm run build` (sam/build.ts) to what `sam build` really produced, where the SAM CLI
 * runs (the CI workflow's sam job): the same files for every function, the same code byte for
 * byte, source maps with the same mappings, names and sources (by their path inside
 * node_modules or the project: sam build bundles a scratch copy elsewhere), and the same
 * Handler, BuildProperties and environment (NODE_OPTIONS included) in the built templates.
 * Exits 1 and lists every difference.
 */

type SourceMap = {
  sources: string[];
  sourcesContent?: unknown[];
  mappings: string;
  names: string[];
};

/** "node_modules/x/y.js" or "src/a.ts", wherever the build ran. */
const projectPath = (source: string) => {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) return source.slice(modules);
  const src = source.lastIndexOf('src/');
  return src >= 0 ? source.slice(src) : source;
};

export function compareBuilds(samDir: string, ourDir: string): string[] {
  const problems: string[] = [];
  const sam = samFunctions(loadTemplate(path.join(samDir, 'template.yaml')));
  const ours = samFunctions(loadTemplate(path.join(ourDir, 'template.yaml')));
  for (const fn of ours) {
    const theirs = sam.find((candidate) => candidate.logicalId === fn.logicalId);
    if (!theirs) {
      problems.push(`${fn.logicalId}: not in sam build's template`);
      continue;
    }
    for (const key of ['handler', 'buildProperties', 'environment'] as const) {
      if (!isDeepStrictEqual(fn[key], theirs[key]))
        problems.push(
          `${fn.logicalId}.${key}: sam build ${JSON.stringify(theirs[key])}, npm run build ${JSON.stringify(fn[key])}`,
        );
    }
    const samFiles = path.join(samDir, theirs.codeUri);
    const ourFiles = path.join(ourDir, fn.codeUri);
    const names = readdirSync(ourFiles).sort();
    if (!isDeepStrictEqual(names, readdirSync(samFiles).sort()))
      problems.push(`${fn.logicalId}: files ${readdirSync(samFiles)} vs ${names}`);
    const both = names.filter((name) => existsSync(path.join(samFiles, name)));
    for (const name of both.filter((file) => !file.endsWith('.map'))) {
      if (!readFileSync(path.join(samFiles, name)).equals(readFileSync(path.join(ourFiles, name))))
        problems.push(`${fn.logicalId}/${name}: the code differs`);
    }
    for (const name of both.filter((file) => file.endsWith('.map'))) {
      const read = (dir: string) =>
        JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as SourceMap;
      const [theirMap, ourMap] = [read(samFiles), read(ourFiles)];
      if (theirMap.mappings !== ourMap.mappings || !isDeepStrictEqual(theirMap.names, ourMap.names))
        problems.push(`${fn.logicalId}/${name}: the mappings differ`);
      if (!isDeepStrictEqual(theirMap.sources.map(projectPath), ourMap.sources.map(projectPath)))
        problems.push(`${fn.logicalId}/${name}: the sources differ`);
      if (!isDeepStrictEqual(theirMap.sourcesContent, ourMap.sourcesContent))
        problems.push(`${fn.logicalId}/${name}: the sources' content differs`);
    }
  }
  for (const fn of sam.filter(
    (candidate) => !ours.some((our) => our.logicalId === candidate.logicalId),
  ))
    problems.push(`${fn.logicalId}: built by sam build only`);
  return problems;
}

if (require.main === module) {
  const [samDir, ourDir] = process.argv.slice(2);
  if (!samDir || !ourDir) {
    console.error('usage: compare-sam-build.ts <sam build folder> <npm run build folder>');
    process.exit(2);
  }
  const problems = compareBuilds(samDir, ourDir);
  for (const problem of problems) console.error(`✗ ${problem}`);
  console.log(
    problems.length === 0
      ? '✓ npm run build built what sam build built'
      : `${problems.length} differences`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
