import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { yamlDump } from 'yaml-cfn';
import {
  API_TEMPLATE,
  loadTemplate,
  PROJECT_ROOT,
  type SamFunction,
  samFunctions,
  type Template,
} from './template';

/**
 * `sam build` for functions with `BuildMethod: esbuild`, reproduced so that the local stack,
 * the tests and the bench run what deploys. The sources, read in aws/aws-sam-cli 1.164 and the
 * aws/aws-lambda-builders 1.65.0 it pins:
 *
 * - samcli/lib/samlib/resource_metadata_normalizer.py (normalize_build_properties): each
 *   BuildProperties key goes from PascalCase to snake_case;
 * - aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py (EsbuildCommandBuilder): the
 *   entry points, then `--bundle --platform=node --outdir=…` and the defaults for a missing
 *   target, format and minify, then every other property in template order: `true` as a flag,
 *   `false` as nothing at all, a string as `--key=value`, a list as one `--key:item` each;
 * - esbuild.py (SubprocessEsbuild) runs `esbuild` found in the scratch copy's node_modules/.bin
 *   or on PATH: here, the lockfile's esbuild from node_modules;
 * - samcli/lib/build/app_builder.py (update_template) and samcli/lib/build/bundler.py: the
 *   built template points each function's CodeUri at its folder, adds `SamResourceId` to its
 *   Metadata, and adds `NODE_OPTIONS: --enable-source-maps` to every function whose Sourcemap
 *   is set and whose environment does not enable source maps already.
 *
 * One difference stays: sam build bundles a scratch copy of the code root with production
 * dependencies only, so the source maps name other paths; the code is the same.
 */

export const BUILD_DIR = path.join(PROJECT_ROOT, '.build');
export const BUILT_TEMPLATE = 'template.yaml';

const ESBUILD = require.resolve('esbuild/bin/esbuild');
const run = promisify(execFile);

export type BuildProperties = Record<string, unknown>;

/** Set by aws-lambda-builders itself, or not esbuild options at all: never rendered. */
const NOT_RENDERED = new Set(['bundle', 'platform', 'outdir', 'use_npm_ci', 'entry_points']);

/** `MainFields` → `main_fields` (SAM CLI), the form aws-lambda-builders looks keys up by. */
const snakeCase = (property: string) => property.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();

/**
 * The esbuild arguments aws-lambda-builders renders from a function's BuildProperties, in its
 * order. `codeDir` is where esbuild runs (the code root); entry points without an extension
 * get the first of .ts and .js that exists, as the builder does.
 */
export function esbuildArguments(
  properties: BuildProperties,
  codeDir: string,
  outdir: string,
): string[] {
  const entryPoints = properties.EntryPoints;
  if (!Array.isArray(entryPoints) || entryPoints.length === 0) {
    throw new Error('BuildProperties.EntryPoints must be a non-empty list');
  }
  const args = entryPoints.map((entry) => explicitFileType(String(entry), codeDir));
  const keys = new Set(Object.keys(properties).map(snakeCase));
  args.push('--bundle', '--platform=node', `--outdir=${outdir}`);
  if (!keys.has('target')) args.push('--target=es2020');
  if (!keys.has('format')) args.push('--format=cjs');
  if (!keys.has('minify')) args.push('--minify');
  for (const [key, value] of Object.entries(properties)) {
    const name = snakeCase(key);
    if (NOT_RENDERED.has(name)) continue;
    const flag = `--${name.replaceAll('_', '-')}`;
    if (typeof value === 'boolean') {
      if (value) args.push(flag);
    } else if (typeof value === 'string') {
      args.push(`${flag}=${value}`);
    } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      args.push(...value.map((item) => `${flag}:${item}`));
    } else {
      // The builder fails on any other type ("Failed to determine the type of the configuration").
      throw new Error(`BuildProperties.${key}: only a boolean, a string or a list of strings`);
    }
  }
  return args;
}

function explicitFileType(entry: string, codeDir: string): string {
  const full = path.join(codeDir, entry);
  if (path.extname(entry)) {
    if (existsSync(full)) return entry;
  } else {
    const extension = ['.ts', '.js'].find((candidate) => existsSync(full + candidate));
    if (extension) return entry + extension;
  }
  throw new Error(`entry point ${full} does not exist`);
}

/**
 * An `Alias` to a copy of an installed package in node_modules (node_modules/.literal-keys/,
 * written by npm's postinstall: scripts/sdk-literal-keys.mjs) needs that copy, of the version
 * installed. After `npm install --ignore-scripts`, or an update that skipped the script, this
 * says what to run instead of esbuild failing to resolve it or bundling an older client.
 */
function assertAliasedCopiesCurrent(properties: BuildProperties, codeDir: string): void {
  const aliases = Array.isArray(properties.Alias) ? properties.Alias.map(String) : [];
  for (const alias of aliases) {
    const [name, target] = alias.split('=');
    if (!name || !target?.startsWith('./node_modules/')) continue;
    const copied = packageVersion(path.join(codeDir, target));
    const installed = packageVersion(path.join(codeDir, 'node_modules', name));
    if (copied === undefined || copied !== installed) {
      throw new Error(
        `Alias ${alias}: ${copied === undefined ? 'the copy is missing' : `the copy is ${name} ${copied}, the installed one ${installed}`}. npm install writes it (package.json postinstall); after an install with --ignore-scripts, run npm run postinstall.`,
      );
    }
  }
}

/** The version in a package folder's package.json; undefined when there is none. */
function packageVersion(dir: string): string | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

/** Runs the lockfile's esbuild as aws-lambda-builders runs esbuild: in the code root. */
async function runEsbuild(args: string[], codeDir: string): Promise<void> {
  try {
    await run(ESBUILD, args, { cwd: codeDir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`esbuild failed in ${codeDir}:\n${stderr.trim()}`);
  }
}

/**
 * The file and export Lambda's Node.js runtime loads for a handler: the module name before the
 * first dot, tried as-is and then with .js, .mjs and .cjs in the code directory
 * (aws/aws-lambda-nodejs-runtime-interface-client, src/function/module-loader.ts).
 */
export function handlerModule(
  codeDir: string,
  handler: string,
): { file: string; exportName: string } {
  const separator = handler.indexOf('.');
  const moduleName = handler.slice(0, separator);
  const exportName = handler.slice(separator + 1);
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    const file = path.join(codeDir, moduleName + extension);
    if (statSync(file, { throwIfNoEntry: false })?.isFile()) return { file, exportName };
  }
  throw new Error(`Handler ${handler}: no ${moduleName}(.js|.mjs|.cjs) in ${codeDir}`);
}

/**
 * The NODE_OPTIONS sam build writes on a function: when its Sourcemap is set and its environment
 * (Globals included) does not enable source maps already, the function's own NODE_OPTIONS (not
 * Globals') with `--enable-source-maps` appended, joined by a space even to nothing, as
 * bundler.py does. Undefined: sam build writes nothing.
 */
export function builtNodeOptions(
  properties: BuildProperties,
  environment: Record<string, unknown>,
  own: Record<string, unknown>,
): string | undefined {
  const current = environment.NODE_OPTIONS;
  const enabled =
    typeof current === 'string' && current.split(/\s+/).includes('--enable-source-maps');
  if (!properties.Sourcemap || enabled) return undefined;
  return `${typeof own.NODE_OPTIONS === 'string' ? own.NODE_OPTIONS : ''} --enable-source-maps`;
}

/** The template `sam build` writes beside the bundles (see the sources above). */
export function builtTemplate(template: Template, functions: SamFunction[]): Template {
  const built = structuredClone(template);
  for (const fn of functions) {
    const resource = built.Resources[fn.logicalId];
    if (!resource) throw new Error(`${fn.logicalId} is not in the template`);
    const properties = resource.Properties ?? {};
    resource.Properties = properties;
    properties.CodeUri = fn.logicalId;
    resource.Metadata = { ...resource.Metadata, SamResourceId: fn.logicalId };
    const environment = (properties.Environment ?? {}) as { Variables?: Record<string, unknown> };
    const nodeOptions = builtNodeOptions(
      fn.buildProperties,
      fn.environment,
      environment.Variables ?? {},
    );
    if (nodeOptions !== undefined) {
      properties.Environment = {
        ...environment,
        Variables: { ...environment.Variables, NODE_OPTIONS: nodeOptions },
      };
    }
  }
  return built;
}

/** One file esbuild wrote for a function: its entry module, or a chunk of code splitting. */
export interface BuiltFile {
  file: string;
  bytes: number;
  /**
   * True when node loads it with the entry module (the entry itself, and the chunks it imports
   * statically, directly or not); false for chunks loaded only when the code first reaches an
   * `import()` of them.
   */
  atInit: boolean;
}

export interface BuiltFunction {
  logicalId: string;
  /** The module Lambda loads for the function's Handler. */
  bundle: string;
  exportName: string;
  /** The entry module's bytes. */
  bytes: number;
  /** Every code file of the function's folder, the entry module first. */
  files: BuiltFile[];
  /** What went into the bundle (esbuild's metafile): the bench attributes bytes with it. */
  metafile: Metafile;
}

/**
 * The code files of one build, source maps aside (esbuild's metafile, whose paths are relative
 * to `codeDir`, where esbuild ran), the entry module (`entryFile`) first: with `Splitting`, a
 * function is its entry module and chunks, some imported with it and some only by an
 * `import()`. Chunks nothing imports are listed too (never atInit), so that a test can refuse
 * them.
 */
export function builtFiles(metafile: Metafile, codeDir: string, entryFile: string): BuiltFile[] {
  const outputs = Object.entries(metafile.outputs);
  // Not just any output with an entryPoint: esbuild gives one to every import() target too.
  const entry = outputs.find(([name]) => path.resolve(codeDir, name) === entryFile);
  if (!entry) throw new Error(`esbuild wrote no ${entryFile}`);
  const atInit = new Set<string>();
  const pending = [entry[0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (atInit.has(next)) continue;
    atInit.add(next);
    for (const imported of metafile.outputs[next]?.imports ?? []) {
      if (!imported.external && imported.kind === 'import-statement') pending.push(imported.path);
    }
  }
  const chunks = outputs.filter(([name]) => name !== entry[0] && !name.endsWith('.map'));
  return [entry, ...chunks].map(([name, output]) => ({
    file: path.resolve(codeDir, name),
    bytes: output.bytes,
    atInit: atInit.has(name),
  }));
}

/**
 * `npm run build`: every function of template.yaml built as `sam build` builds it, into
 * `<outRoot>/<LogicalId>/`, and `<outRoot>/template.yaml`. Never into .aws-sam/, which
 * `sam deploy` reads.
 */
export async function buildFunctions(outRoot = BUILD_DIR): Promise<BuiltFunction[]> {
  const template = loadTemplate(API_TEMPLATE);
  const functions = samFunctions(template);
  await rm(outRoot, { recursive: true, force: true });
  const built = await Promise.all(
    functions.map(async (fn) => {
      const outdir = path.join(outRoot, fn.logicalId);
      const codeDir = path.resolve(PROJECT_ROOT, fn.codeUri);
      const metafile = await bundle(fn.buildProperties, codeDir, outdir);
      const { file, exportName } = handlerModule(outdir, fn.handler);
      return {
        logicalId: fn.logicalId,
        bundle: file,
        exportName,
        bytes: statSync(file).size,
        files: builtFiles(metafile, codeDir, file),
        metafile,
      };
    }),
  );
  await writeFile(path.join(outRoot, BUILT_TEMPLATE), yamlDump(builtTemplate(template, functions)));
  return built;
}

/**
 * One function's bundle into `outdir`, built as aws-lambda-builders builds it, and what went
 * into it (esbuild's metafile, written beside and read back: it changes nothing in the output).
 */
export async function bundle(
  properties: BuildProperties,
  codeDir: string,
  outdir: string,
): Promise<Metafile> {
  assertAliasedCopiesCurrent(properties, codeDir);
  await mkdir(outdir, { recursive: true });
  const metafileFile = `${outdir}.meta.json`;
  await runEsbuild(
    [...esbuildArguments(properties, codeDir, outdir), `--metafile=${metafileFile}`],
    codeDir,
  );
  const metafile = JSON.parse(await readFile(metafileFile, 'utf8')) as Metafile;
  await rm(metafileFile);
  return metafile;
}
