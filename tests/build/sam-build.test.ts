import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { yamlParse } from 'yaml-cfn';
import {
  BUILD_DIR,
  type BuildProperties,
  type BuiltFunction,
  buildFunctions,
  builtTemplate,
  bundle,
  esbuildArguments,
  handlerModule,
} from '../../sam/build';
import {
  API_TEMPLATE,
  loadTemplate,
  PROJECT_ROOT,
  samFunctions,
  type Template,
} from '../../sam/template';

/**
 * sam/build.ts against what the SAM toolchain does, read in its source (the comment at the top
 * of sam/build.ts names the files). The expected command lines below are what
 * aws-lambda-builders' EsbuildCommandBuilder renders, worked out by hand from esbuild.py.
 */

const OUT = '/out/Fn';
const SIGN_UP = 'src/handlers/auth/sign-up.ts';
const render = (properties: BuildProperties) => esbuildArguments(properties, PROJECT_ROOT, OUT);

describe('the esbuild command line, as aws-lambda-builders renders it', () => {
  it("renders template.yaml's BuildProperties in its order, after the entry and the fixed flags", () => {
    const signUp = samFunctions(loadTemplate(API_TEMPLATE)).find(
      (fn) => fn.logicalId === 'SignUpFunction',
    );
    expect(render(signUp?.buildProperties ?? {})).toEqual([
      SIGN_UP,
      '--bundle',
      '--platform=node',
      `--outdir=${OUT}`,
      '--format=esm',
      '--splitting',
      '--target=es2022',
      '--minify',
      '--main-fields=module,main',
      '--out-extension:.js=.mjs',
      '--alias:@aws-sdk/credential-provider-node=./src/sdk-stand-ins/credential-provider-node.ts',
      '--alias:@smithy/core/event-streams=./src/sdk-stand-ins/event-streams.ts',
      '--alias:@aws-sdk/client-s3=./node_modules/.literal-keys/@aws-sdk/client-s3',
      '--external:bowser',
    ]);
  });

  it('adds the defaults of a missing Target, Format and Minify', () => {
    expect(render({ EntryPoints: [SIGN_UP] })).toEqual([
      SIGN_UP,
      '--bundle',
      '--platform=node',
      `--outdir=${OUT}`,
      '--target=es2020',
      '--format=cjs',
      '--minify',
    ]);
  });

  it('drops a boolean false entirely, even for an option that takes a value', () => {
    expect(
      render({ EntryPoints: [SIGN_UP], Minify: false, Sourcemap: false, SourcesContent: false }),
    ).toEqual([
      SIGN_UP,
      '--bundle',
      '--platform=node',
      `--outdir=${OUT}`,
      '--target=es2020',
      '--format=cjs',
    ]);
  });

  it('renders a string as --key=value, so a quoted "false" reaches esbuild', () => {
    expect(
      render({
        EntryPoints: [SIGN_UP],
        Target: 'node22',
        Format: 'esm',
        Minify: true,
        SourcesContent: 'false',
      }),
    ).toEqual([
      SIGN_UP,
      '--bundle',
      '--platform=node',
      `--outdir=${OUT}`,
      '--target=node22',
      '--format=esm',
      '--minify',
      '--sources-content=false',
    ]);
  });

  it('renders lists item by item, and any other key by the same rules', () => {
    expect(
      render({
        EntryPoints: [SIGN_UP],
        Target: 'es2022',
        Format: 'esm',
        Minify: true,
        External: ['@aws-sdk/*', 'pg-native'],
        Loader: ['.node=file'],
        KeepNames: true,
        LegalComments: 'none',
      }).slice(4),
    ).toEqual([
      '--target=es2022',
      '--format=esm',
      '--minify',
      '--external:@aws-sdk/*',
      '--external:pg-native',
      '--loader:.node=file',
      '--keep-names',
      '--legal-comments=none',
    ]);
  });

  it('finds an entry point without an extension, .ts first, and never renders EntryPoints itself', () => {
    expect(render({ EntryPoints: ['src/handlers/auth/sign-up'] })[0]).toBe(SIGN_UP);
    expect(render({ EntryPoints: [SIGN_UP] }).join(' ')).not.toContain('entry-points');
  });

  it('refuses what the builder refuses: no entry point, a missing file, a number', () => {
    expect(() => render({})).toThrow('EntryPoints');
    expect(() => render({ EntryPoints: ['src/nowhere.ts'] })).toThrow('does not exist');
    expect(() => render({ EntryPoints: [SIGN_UP], LogLimit: 10 })).toThrow(
      'BuildProperties.LogLimit',
    );
  });
});

describe('the built template, as SAM CLI writes it', () => {
  const template = loadTemplate(API_TEMPLATE);
  const functions = samFunctions(template);
  const built = builtTemplate(template, functions);

  it('points each function at its folder and names it in Metadata, nothing else changed but NODE_OPTIONS', () => {
    for (const fn of functions) {
      const resource = built.Resources[fn.logicalId];
      const source = template.Resources[fn.logicalId];
      expect(resource?.Properties?.CodeUri).toBe(fn.logicalId);
      expect(resource?.Metadata).toEqual({ ...source?.Metadata, SamResourceId: fn.logicalId });
      const { CodeUri: _b, Environment: _be, ...rest } = resource?.Properties ?? {};
      const { CodeUri: _s, Environment: _se, ...sourceRest } = source?.Properties ?? {};
      expect(rest).toEqual(sourceRest);
    }
    const others = Object.keys(template.Resources).filter(
      (id) => !functions.some((fn) => fn.logicalId === id),
    );
    for (const id of others) expect(built.Resources[id]).toEqual(template.Resources[id]);
    expect(built.Globals).toEqual(template.Globals);
  });

  const withSourcemap = (sourcemap: unknown, nodeOptions?: string): Template => {
    const copy = structuredClone(template);
    for (const fn of functions) {
      const resource = copy.Resources[fn.logicalId];
      const metadata = resource?.Metadata as { BuildProperties: BuildProperties };
      metadata.BuildProperties.Sourcemap = sourcemap;
      if (nodeOptions && resource?.Properties) {
        resource.Properties.Environment = { Variables: { NODE_OPTIONS: nodeOptions } };
      }
    }
    return copy;
  };
  const nodeOptions = (source: Template) =>
    samFunctions(builtTemplate(source, samFunctions(source))).map(
      (fn) => fn.environment.NODE_OPTIONS,
    );

  it('adds NODE_OPTIONS: --enable-source-maps to every function with Sourcemap set', () => {
    expect(new Set(nodeOptions(withSourcemap(true)))).toEqual(new Set([' --enable-source-maps']));
    expect(new Set(nodeOptions(withSourcemap(false)))).toEqual(new Set([undefined]));
  });

  it("replaces Globals' NODE_OPTIONS, as bundler.py appends to the function's own only", () => {
    const source = withSourcemap(true);
    source.Globals = {
      ...source.Globals,
      Function: {
        ...source.Globals?.Function,
        Environment: { Variables: { NODE_OPTIONS: '--max-old-space-size=400' } },
      },
    };
    expect(new Set(nodeOptions(source))).toEqual(new Set([' --enable-source-maps']));
  });

  it('keeps NODE_OPTIONS that already enable source maps, and appends to other options', () => {
    expect(new Set(nodeOptions(withSourcemap(true, '--enable-source-maps')))).toEqual(
      new Set(['--enable-source-maps']),
    );
    expect(new Set(nodeOptions(withSourcemap(true, '--max-old-space-size=400')))).toEqual(
      new Set(['--max-old-space-size=400 --enable-source-maps']),
    );
  });
});

describe('npm run build', () => {
  const outRoot = mkdtempSync(path.join(tmpdir(), 'sam-build-'));
  let built: BuiltFunction[];
  beforeAll(async () => {
    built = await buildFunctions(outRoot);
  }, 60_000);

  it('writes the built template beside the bundles, by default where sam deploy never looks', () => {
    // sam deploy reads .aws-sam/build/template.yaml when it exists: a stale local build there
    // would be uploaded by a later `sam deploy` without `sam build`.
    expect(path.relative(PROJECT_ROOT, BUILD_DIR).split(path.sep)[0]).not.toBe('.aws-sam');
    const template = loadTemplate(API_TEMPLATE);
    expect(yamlParse(readFileSync(path.join(outRoot, 'template.yaml'), 'utf8'))).toEqual(
      builtTemplate(template, samFunctions(template)),
    );
  });

  it("puts each bundle where Lambda's runtime looks for the function's Handler", () => {
    const functions = samFunctions(loadTemplate(API_TEMPLATE));
    expect(built.map((fn) => fn.logicalId).sort()).toEqual(
      functions.map((fn) => fn.logicalId).sort(),
    );
    for (const fn of functions) {
      const module = handlerModule(path.join(outRoot, fn.logicalId), fn.handler);
      expect(built.find((item) => item.logicalId === fn.logicalId)).toMatchObject({
        bundle: module.file,
        exportName: module.exportName,
      });
    }
  });

  it('prefers the module Lambda would load: the file named as is, then .js, .mjs, .cjs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handler-'));
    for (const file of ['app.cjs', 'app.mjs']) writeFileSync(path.join(dir, file), '');
    expect(handlerModule(dir, 'app.handler')).toEqual({
      file: path.join(dir, 'app.mjs'),
      exportName: 'handler',
    });
    expect(() => handlerModule(dir, 'other.handler')).toThrow('no other(.js|.mjs|.cjs)');
  });
});

// node_modules/.literal-keys/ is written by npm's postinstall (scripts/sdk-literal-keys.mjs).
describe('a build whose Alias names a copy of an installed package', () => {
  const project = (copyVersion?: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alias-copy-'));
    const write = (relative: string, version: string) => {
      mkdirSync(path.join(dir, relative), { recursive: true });
      writeFileSync(
        path.join(dir, relative, 'package.json'),
        JSON.stringify({ name: '@aws-sdk/client-s3', version }),
      );
    };
    write('node_modules/@aws-sdk/client-s3', '3.2.0');
    if (copyVersion) write('node_modules/.literal-keys/@aws-sdk/client-s3', copyVersion);
    return dir;
  };
  const properties = {
    EntryPoints: ['handler.js'],
    Alias: ['@aws-sdk/client-s3=./node_modules/.literal-keys/@aws-sdk/client-s3'],
  };
  const build = (dir: string) => bundle(properties, dir, path.join(dir, 'out'));

  it('says what to run when the copy is missing (an install with --ignore-scripts)', async () => {
    await expect(build(project())).rejects.toThrow(
      'Alias @aws-sdk/client-s3=./node_modules/.literal-keys/@aws-sdk/client-s3: the copy is missing. npm install writes it (package.json postinstall); after an install with --ignore-scripts, run npm run postinstall.',
    );
  });

  it('refuses a copy of another version than the one installed', async () => {
    await expect(build(project('3.1.0'))).rejects.toThrow(
      'the copy is @aws-sdk/client-s3 3.1.0, the installed one 3.2.0',
    );
  });

  it('builds with the copy of the installed version', async () => {
    const dir = project('3.2.0');
    writeFileSync(path.join(dir, 'handler.js'), 'export const handler = () => 1;');
    await expect(build(dir)).resolves.toHaveProperty('outputs');
  });
});
