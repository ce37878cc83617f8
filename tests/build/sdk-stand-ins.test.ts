import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NormalizedSchema } from '@smithy/core/schema';
import {
  type BuiltFunction,
  buildFunctions,
  builtFiles,
  bundle,
  handlerModule,
} from '../../sam/build';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../sam/template';

/**
 * Every function's bundle carries the stand-ins of src/sdk-stand-ins/ in place of two SDK
 * modules (template.yaml, BuildProperties Alias). These tests read what esbuild put in each
 * bundle (its metafile) and hold that no function holds code it cannot run, and that the
 * stand-ins are never needed: tests/build/bundles.test.ts runs the bundles themselves.
 */

const run = promisify(execFile);
const outRoot = mkdtempSync(path.join(tmpdir(), 'sdk-stand-ins-'));
const functions = samFunctions(loadTemplate(API_TEMPLATE));

/** Code a function cannot run on Lambda, by where esbuild read it from. */
const CANNOT_RUN: [string, RegExp][] = [
  [
    'the credential chain beyond the environment',
    /node_modules\/(@aws-sdk\/credential-provider-(?!env\/)[^/]+|@smithy\/credential-provider-imds|@aws-sdk\/nested-clients|@aws-sdk\/token-providers)\//,
  ],
  ['event streams', /node_modules\/@smithy\/core\/dist-es\/submodules\/event-streams\//],
];
const STAND_INS = [
  'src/sdk-stand-ins/credential-provider-node.ts',
  'src/sdk-stand-ins/event-streams.ts',
];

let built: BuiltFunction[] = [];

beforeAll(async () => {
  built = await buildFunctions(outRoot);
}, 60_000);

const builtFunction = (logicalId: string) => {
  const fn = built.find((candidate) => candidate.logicalId === logicalId);
  if (!fn) throw new Error(`${logicalId} was not built`);
  return fn;
};
/** What went into a function's files: its entry module and every chunk beside it. */
const inputsOf = (logicalId: string) =>
  Object.values(builtFunction(logicalId).metafile.outputs).flatMap((output) =>
    Object.keys(output.inputs),
  );
/** The SDK commands a bundle holds: the operations its function can call. */
const commandsOf = (logicalId: string) =>
  inputsOf(logicalId).flatMap((input) => {
    // The S3 client's copy with literal keys (scripts/sdk-literal-keys.mjs) counts as the client.
    const match =
      /node_modules\/(?:\.literal-keys\/)?(@aws-sdk\/client-[^/]+)\/dist-es\/commands\/(\w+)\.js$/.exec(
        input,
      );
    return match ? [{ client: String(match[1]), command: String(match[2]) }] : [];
  });

/** True when an operation's input or output is a stream of events. */
function streamsEvents(client: string, command: string): boolean {
  const Command = (require(client) as Record<string, new (input: object) => { schema: unknown }>)[
    command
  ];
  if (!Command) throw new Error(`${client} exports no ${command}`);
  const [, , , , input, output] = new Command({}).schema as unknown[];
  return [input, output].some(
    (schema) => NormalizedSchema.of(schema as never).getEventStreamMember() !== '',
  );
}

const ids = functions.map((fn) => fn.logicalId);

describe('what each bundle holds', () => {
  it.each(ids)(
    '%s: nothing from the credential chain beyond the environment, or event streams',
    (logicalId) => {
      const inputs = inputsOf(logicalId);
      expect(
        CANNOT_RUN.flatMap(([what, pattern]) =>
          inputs.filter((input) => pattern.test(input)).map((input) => `${what}: ${input}`),
        ),
      ).toEqual([]);
    },
  );

  it('has the stand-ins wherever it has an SDK client', () => {
    const withClient = ids.filter((id) => commandsOf(id).length > 0);
    expect(withClient.length).toBeGreaterThan(0);
    for (const id of withClient) expect(inputsOf(id)).toEqual(expect.arrayContaining(STAND_INS));
  });

  it.each(ids)(
    '%s: imports nothing at run time but node itself and its own chunks',
    (logicalId) => {
      const { metafile } = builtFunction(logicalId);
      expect(
        Object.values(metafile.outputs)
          .flatMap((output) => output.imports)
          .filter(
            (imported) =>
              !builtinModules.includes(imported.path.replace(/^node:/, '')) &&
              !(imported.path in metafile.outputs),
          )
          .map((imported) => `${imported.kind} ${imported.path}`),
      ).toEqual([]);
    },
  );

  // The template defines no `require` (no createRequire Banner): in an ES module, code that
  // calls require() would fail at run time with "Dynamic require of ... is not supported".
  it.each(ids)('%s: calls no require(), which an ES module does not have', (logicalId) => {
    const { metafile } = builtFunction(logicalId);
    expect(
      Object.values(metafile.outputs)
        .flatMap((output) => output.imports)
        .filter((imported) => imported.kind === 'require-call')
        .map((imported) => imported.path),
    ).toEqual([]);
  });

  // Code splitting writes a file for every import() target, even in code it leaves out (the
  // SDK's browser user-agent parser, unless External). The one such file allowed is a stand-in's
  // own: the functions without an SDK client sign their session calls with the SDK's signer,
  // whose imports reach the SDK's protocol code and its import() of event streams; esbuild
  // leaves that code out but still writes the stand-in (half a KiB, never loaded).
  /** The files of a build that nothing imports and that hold more than a stand-in. */
  const strayFiles = (metafile: BuiltFunction['metafile'], entry: string) => {
    const imported = new Set(
      Object.values(metafile.outputs).flatMap((output) => output.imports.map(({ path }) => path)),
    );
    return Object.entries(metafile.outputs)
      .filter(([name]) => path.resolve(PROJECT_ROOT, name) !== entry && !imported.has(name))
      .filter(([, output]) =>
        Object.keys(output.inputs).some((input) => !STAND_INS.includes(input)),
      )
      .map(([name, output]) => `${path.basename(name)}: ${Object.keys(output.inputs).join(', ')}`);
  };

  it.each(ids)('%s: has no file that nothing imports, but a stand-in', (logicalId) => {
    const { metafile, bundle: entry } = builtFunction(logicalId);
    expect(strayFiles(metafile, entry)).toEqual([]);
  });

  it('knows a file that nothing imports when it sees one (without External: bowser)', async () => {
    const like = functions.find((fn) => fn.logicalId === 'GetProfileFunction');
    if (!like) throw new Error('GetProfileFunction is not in the template');
    const outdir = path.join(outRoot, 'without-external');
    const { External: _bowser, ...properties } = like.buildProperties;
    const metafile = await bundle(properties, PROJECT_ROOT, outdir);
    expect(strayFiles(metafile, handlerModule(outdir, like.handler).file)).toEqual([
      expect.stringMatching(/bowser/),
    ]);
  }, 30_000);

  it.each(ids)('%s: calls no operation that streams events', (logicalId) => {
    expect(
      commandsOf(logicalId)
        .filter(({ client, command }) => streamsEvents(client, command))
        .map(({ command }) => command),
    ).toEqual([]);
  });

  it('knows an operation that streams events when it sees one', () => {
    expect(streamsEvents('@aws-sdk/client-s3', 'SelectObjectContentCommand')).toBe(true);
    expect(streamsEvents('@aws-sdk/client-s3', 'GetObjectCommand')).toBe(false);
  });
});

// The S3 client comes from its copy with literal keys (scripts/sdk-literal-keys.mjs, the
// template's Alias), so that esbuild leaves out the schemas of the operations a function
// cannot call: a schema names its operation's input, `"<Operation>Request"`.
describe("the S3 client's schemas", () => {
  const S3_COMMANDS = path.join(PROJECT_ROOT, 'node_modules/@aws-sdk/client-s3/dist-es/commands');
  const s3Operations = readdirSync(S3_COMMANDS)
    .filter((file) => file.endsWith('Command.js'))
    .map((file) => file.replace(/Command\.js$/, ''));
  /** The operations whose request schema the code of a build holds. */
  const schemasIn = (files: string[]) => {
    const code = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    return s3Operations.filter((operation) => code.includes(`"${operation}Request"`)).sort();
  };
  const codeFiles = (fn: BuiltFunction) => fn.files.map(({ file }) => file);
  const operationsCalled = (logicalId: string) =>
    commandsOf(logicalId)
      .filter(({ client }) => client === '@aws-sdk/client-s3')
      .map(({ command }) => command.replace(/Command$/, ''))
      .sort();

  it('are in the functions that have an S3 client', () => {
    const withS3 = ids.filter((id) => operationsCalled(id).length > 0);
    expect(withS3).toEqual(expect.arrayContaining(['GetProfileFunction', 'CreateLogFunction']));
    expect(schemasIn(codeFiles(builtFunction('GetProfileFunction')))).toContain('GetObject');
  });

  it.each(ids)('%s: only those of the S3 operations it can call', (logicalId) => {
    expect(schemasIn(codeFiles(builtFunction(logicalId)))).toEqual(operationsCalled(logicalId));
  });

  it("are every operation's with the client as published (no Alias to the copy)", async () => {
    const like = functions.find((fn) => fn.logicalId === 'CreateLogFunction');
    if (!like) throw new Error('CreateLogFunction is not in the template');
    const outdir = path.join(outRoot, 'client-s3-as-published');
    const Alias = (like.buildProperties.Alias as string[]).filter(
      (alias) => !alias.startsWith('@aws-sdk/client-s3='),
    );
    const metafile = await bundle({ ...like.buildProperties, Alias }, PROJECT_ROOT, outdir);
    const { file } = handlerModule(outdir, like.handler);
    const held = schemasIn(builtFiles(metafile, PROJECT_ROOT, file).map((built) => built.file));
    expect(held.length).toBeGreaterThan(s3Operations.length / 2);
  }, 30_000);
});

describe('where the functions run', () => {
  // With SnapStart, Lambda hands credentials through its container endpoint instead of the
  // environment, which the credential stand-in does not read (and Node.js has no SnapStart).
  it('is never a SnapStart snapshot', () => {
    const template = loadTemplate(API_TEMPLATE);
    const settings = [
      template.Globals?.Function,
      ...functions.map((fn) => template.Resources[fn.logicalId]?.Properties),
    ];
    expect(settings.filter((properties) => properties && 'SnapStart' in properties)).toEqual([]);
  });
});

describe('an operation that streams events, bundled as the template bundles a function', () => {
  it('fails at once, saying why', async () => {
    const like = functions.find((fn) => fn.logicalId === 'GetLogFunction');
    if (!like) throw new Error('GetLogFunction is not in the template');
    const entry = path.relative(
      PROJECT_ROOT,
      path.join(__dirname, 'fixtures/select-object-content.ts'),
    );
    const outdir = path.join(outRoot, 'select-object-content');
    await bundle({ ...like.buildProperties, EntryPoints: [entry] }, PROJECT_ROOT, outdir);
    const { file, exportName } = handlerModule(outdir, 'select-object-content.handler');

    // S3 answering with an (empty) event stream.
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          'const [file, name] = process.argv.slice(1); process.stdout.write(await (await import(file))[name]());',
          file,
          exportName,
        ],
        {
          env: {
            PATH: String(process.env.PATH),
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            S3_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          },
          timeout: 20_000,
        },
      );
      // The SDK adds where it failed (deserializing the answer) to the stand-in's message.
      expect(stdout).toMatch(
        /^This operation streams events, and event streams are left out of this bundle \(template\.yaml, BuildProperties Alias\)\./,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});
