import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { yamlDump } from 'yaml-cfn';
import {
  API_TEMPLATE,
  loadTemplate,
  PROJECT_ROOT,
  type SamFunction,
  samFunctions,
} from '../local/template';

/**
 * `npm run build`: bundles every function of template.yaml with esbuild, using the settings in
 * its `Metadata.BuildProperties` exactly as `sam build` passes them (sam's defaults included),
 * into `.aws-sam/build/<LogicalId>/`, and writes `.aws-sam/build/template.yaml` pointing at
 * them, as `sam build` does.
 */

export const BUILD_DIR = path.join(PROJECT_ROOT, '.aws-sam', 'build');

export interface BuiltFunction {
  logicalId: string;
  /** Absolute path of the bundle the function's Handler names. */
  bundle: string;
  exportName: string;
  bytes: number;
  /** What went into the bundle (esbuild's metafile): the bench attributes bytes with it. */
  metafile: Metafile;
}

/** esbuild options equivalent to `sam build`'s for this function (aws-lambda-builders' esbuild.py). */
export function esbuildOptions(fn: SamFunction, outdir: string): BuildOptions {
  const p = fn.buildProperties;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const pairs = (value: unknown) =>
    Object.fromEntries(
      list(value).map((item) => {
        const separator = item.indexOf('=');
        return [item.slice(0, separator), item.slice(separator + 1)];
      }),
    );
  return {
    absWorkingDir: path.resolve(PROJECT_ROOT, fn.codeUri),
    entryPoints: list(p.EntryPoints),
    bundle: true,
    platform: 'node',
    outdir,
    target: String(p.Target ?? 'es2020'),
    format: (p.Format ?? 'cjs') as 'esm' | 'cjs',
    minify: p.Minify === undefined ? true : Boolean(p.Minify),
    sourcemap: Boolean(p.Sourcemap),
    ...(p.SourcesContent !== undefined ? { sourcesContent: Boolean(p.SourcesContent) } : {}),
    ...(p.MainFields ? { mainFields: String(p.MainFields).split(',') } : {}),
    ...(p.External ? { external: list(p.External) } : {}),
    ...(p.OutExtension ? { outExtension: pairs(p.OutExtension) } : {}),
    ...(p.Banner ? { banner: pairs(p.Banner) } : {}),
    ...(p.Loader ? { loader: pairs(p.Loader) as BuildOptions['loader'] } : {}),
    logLevel: 'warning',
  };
}

export async function buildFunctions(outRoot = BUILD_DIR): Promise<BuiltFunction[]> {
  const template = loadTemplate(API_TEMPLATE);
  const functions = samFunctions(template);
  await rm(outRoot, { recursive: true, force: true });
  const built = await Promise.all(
    functions.map(async (fn) => {
      const outdir = path.join(outRoot, fn.logicalId);
      await mkdir(outdir, { recursive: true });
      const options = esbuildOptions(fn, outdir);
      // The metafile is a report on the side; it changes nothing in the output.
      const { metafile } = await build({ ...options, metafile: true });
      const [file, exportName = 'handler'] = splitHandler(fn.handler);
      const extension = options.outExtension?.['.js'] ?? '.js';
      const bundle = path.join(outdir, `${file}${extension}`);
      const { size } = await stat(bundle).catch(() => {
        throw new Error(
          `${fn.logicalId}: Handler ${fn.handler} names ${bundle}, which the build did not produce`,
        );
      });
      return { logicalId: fn.logicalId, bundle, exportName, bytes: size, metafile };
    }),
  );
  for (const fn of functions) {
    const resource = template.Resources[fn.logicalId];
    if (resource?.Properties) resource.Properties.CodeUri = fn.logicalId;
  }
  await writeFile(path.join(outRoot, 'template.yaml'), yamlDump(template));
  return built;
}

function splitHandler(handler: string): [string, string] {
  const separator = handler.lastIndexOf('.');
  return [handler.slice(0, separator), handler.slice(separator + 1)];
}

if (require.main === module) {
  const started = performance.now();
  buildFunctions()
    .then((built) => {
      for (const fn of built) {
        console.log(
          `  ${fn.logicalId.padEnd(32)} ${(fn.bytes / 1024).toFixed(1).padStart(7)} KiB  ${path.relative(PROJECT_ROOT, fn.bundle)}`,
        );
      }
      console.log(
        `Built ${built.length} functions in ${Math.round(performance.now() - started)} ms`,
      );
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
