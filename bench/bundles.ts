import { readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import {
  type BuiltFile,
  type BuiltFunction,
  builtFiles,
  bundle,
  handlerModule,
} from '../sam/build';
import { PROJECT_ROOT, type SamFunction } from '../sam/template';

/**
 * Bundles for the bench: what each function deploys (sam/build.ts, as `sam build` builds it),
 * the baselines, and variants of one function with other BuildProperties (what a template
 * change would give). Baselines and variants are built exactly like the functions, from the
 * function's BuildProperties, so the settings have one source.
 */

/** The SDK clients a bundle calls: one of them, or both (the export). */
export type SdkClient = 'cognito' | 's3' | 'cognito+s3';
type SingleClient = Exclude<SdkClient, 'cognito+s3'>;

export interface Bundle {
  /** Row name in the table. */
  name: string;
  /** The module the handler is in. */
  file: string;
  exportName: string;
  /**
   * What node loads at init: the entry module and the chunks it imports statically (with
   * `Splitting`, esbuild's shared code), the figure compared with the minimal handler.
   */
  bytes: number;
  gzipBytes: number;
  /** Chunks loaded only when the code first reaches their `import()` (the common-password list). */
  onDemandBytes: number;
  /** The source maps beside them (0 without): they ship in the deployment package. */
  mapBytes: number;
  /** The SDK client the bundle calls, read from what esbuild put in it. */
  client?: SdkClient;
  /** True when the client is imported from node_modules at run time instead of bundled. */
  clientExternal: boolean;
  /** Bytes in the bundle by origin (SDK, Powertools, valibot, our src, …). */
  composition: Record<string, number>;
}

const CLIENT_PACKAGES: Record<SingleClient, string> = {
  cognito: '@aws-sdk/client-cognito-identity-provider',
  s3: '@aws-sdk/client-s3',
};

/**
 * The package an input file of the metafile is from. A copy of a package in a hidden folder of
 * node_modules (the S3 client's with literal keys, node_modules/.literal-keys/) counts as it.
 */
const packageOf = (input: string) =>
  /node_modules\/(?:\.[^/]+\/)?((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/** Which package group an input file of the metafile belongs to. */
function origin(input: string): string {
  const pkg = packageOf(input);
  if (!pkg) return input.startsWith('src/') ? 'src' : 'other';
  // @aws/lambda-invoke-store is the SDK's as much as Powertools': the minimal handler has it.
  if (['@aws-sdk/', '@smithy/', '@aws-crypto/', '@aws/'].some((scope) => pkg.startsWith(scope)))
    return 'aws-sdk';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'powertools';
  return pkg;
}

/** A bundle's figures, from the files esbuild wrote (`files`, the entry module first). */
export function describeBundle(
  name: string,
  exportName: string,
  files: BuiltFile[],
  metafile: Metafile,
  codeDir: string,
): Bundle {
  const [entry] = files;
  if (!entry) throw new Error(`${name}: no files`);
  const atInit = files.filter((file) => file.atInit);
  const outputs = Object.entries(metafile.outputs).map(([output, meta]) => ({
    meta,
    atInit: atInit.some(({ file }) => file === path.resolve(codeDir, output)),
  }));
  const composition: Record<string, number> = {};
  const clients = new Set<SingleClient>();
  const packages = Object.entries(CLIENT_PACKAGES) as [SingleClient, string][];
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(output.meta.inputs)) {
      if (output.atInit) {
        const group = origin(input);
        composition[group] = (composition[group] ?? 0) + bytesInOutput;
      }
      for (const [candidate, pkg] of packages) {
        if (packageOf(input) === pkg) clients.add(candidate);
      }
    }
  }
  // The SDK left external is imported, not bundled: the import names the client.
  let clientExternal = false;
  const imports = outputs.flatMap((output) => output.meta.imports);
  for (const [candidate, pkg] of packages) {
    if (imports.some((imported) => imported.path === pkg && imported.external)) {
      clients.add(candidate);
      clientExternal = true;
    }
  }
  const client: SdkClient | undefined =
    clients.size === 2 ? 'cognito+s3' : (clients.values().next().value as SingleClient | undefined);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    name,
    file: entry.file,
    exportName,
    bytes: sum(atInit.map((file) => file.bytes)),
    gzipBytes: sum(atInit.map(({ file }) => gzipSync(readFileSync(file), { level: 9 }).length)),
    onDemandBytes: sum(files.filter((file) => !file.atInit).map((file) => file.bytes)),
    mapBytes: sum(
      files.map(({ file }) => statSync(`${file}.map`, { throwIfNoEntry: false })?.size ?? 0),
    ),
    ...(client ? { client } : {}),
    clientExternal,
    composition,
  };
}

export function describeFunction(fn: BuiltFunction, codeDir: string): Bundle {
  return describeBundle(fn.logicalId, fn.exportName, fn.files, fn.metafile, codeDir);
}

export interface SyntheticBuild {
  name: string;
  /** The function whose BuildProperties are the starting point. */
  like: SamFunction;
  /** Another entry point (a baseline); the function's own when absent. */
  entryPoint?: string;
  /** BuildProperties to change; `undefined` removes one (esbuild's default applies). */
  overrides?: Record<string, unknown>;
}

/** Builds a function-like bundle with the template's settings, changed only as asked. */
export async function buildSynthetic(spec: SyntheticBuild, outRoot: string): Promise<Bundle> {
  const properties = Object.fromEntries(
    Object.entries({
      ...spec.like.buildProperties,
      ...(spec.entryPoint ? { EntryPoints: [spec.entryPoint] } : {}),
      ...spec.overrides,
    }).filter(([, value]) => value !== undefined),
  );
  const outdir = path.join(outRoot, spec.name);
  const codeDir = path.resolve(PROJECT_ROOT, spec.like.codeUri);
  const metafile = await bundle(properties, codeDir, outdir);
  const handler = spec.entryPoint
    ? `${path.basename(spec.entryPoint, path.extname(spec.entryPoint))}.handler`
    : spec.like.handler;
  const { file, exportName } = handlerModule(outdir, handler);
  return describeBundle(
    spec.name,
    exportName,
    builtFiles(metafile, codeDir, file),
    metafile,
    codeDir,
  );
}

/**
 * A bundle that leaves the SDK external imports it from node_modules at run time, as on a
 * runtime that provides it: node resolves it from the folders above the bundle, so the
 * temporary build folder gets a link to the project's node_modules.
 */
export function linkNodeModules(outRoot: string): void {
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(outRoot, 'node_modules'), 'dir');
}
