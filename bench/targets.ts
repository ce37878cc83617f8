import path from 'node:path';
import { functionEnvironment } from '../local/function-environment';
import type { LocalFunction } from '../local/plan';
import type { LocalStack } from '../local/stack';
import { type BuildProperties, type BuiltFunction, builtNodeOptions } from '../sam/build';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../sam/template';
import {
  type Bundle,
  buildSynthetic,
  describeFunction,
  linkNodeModules,
  type SdkClient,
} from './bundles';
import type { BundleResult } from './results';

/**
 * What the bench runs: every function of the template as sam build deploys it, the baselines,
 * and variants of a function under settings the template could choose (VARIANTS below).
 * Each is a bundle, the events it handles
 * (the scenario: a handler file name, events/<scenario>.json) and the environment it runs in.
 */
export interface Target {
  name: string;
  group: BundleResult['group'];
  description: string;
  bundle: Bundle;
  scenario: string;
  env: Record<string, string>;
}

export interface Targets {
  all: Target[];
  signIn: Target;
  getMe: Target;
  /** The protected example route, which checks the session, and the public one, which cannot. */
  getProtected: Target;
  getPublic: Target;
  /** The minimal SDK handler of each client, the reference for bundle sizes. */
  minimal: Record<SdkClient, Bundle>;
}

export const handlerFile = (fn: { handler: string }) =>
  fn.handler.slice(0, fn.handler.lastIndexOf('.'));

/**
 * The environment the local stack gives a function (from the built template: what deploys,
 * NODE_OPTIONS included), pointed at the stack's emulators directly.
 */
function functionEnv(fn: LocalFunction, stack: LocalStack, bundle: string) {
  const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:');
  return {
    ...NODE_VERSION_WARNING_OFF,
    ...functionEnvironment(fn, {
      region: stack.plan.region,
      bundle,
      endpoints: {
        cognito: loopback(stack.outputs.CognitoEndpoint),
        s3: loopback(stack.outputs.S3Endpoint),
        dynamoDb: loopback(stack.outputs.DynamoDbEndpoint),
      },
      userPoolId: stack.plan.userPool.id,
    }),
  };
}

/**
 * On node below 22, the SDK's first client prints a warning that newer SDK versions will need
 * node 22 (process.emitWarning: a stack trace and a write to stderr, 5–9 ms of a cold start
 * measured here). Lambda runs nodejs22.x, where the SDK never prints it, and the floor has no
 * SDK to print it: on an older node the bench turns it off, so that no row pays for it.
 */
const NODE_VERSION_WARNING_OFF: Record<string, string> =
  Number(process.versions.node.split('.')[0]) < 22
    ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
    : {};

/** What every function's BuildProperties said before the template dropped it. */
const CREATE_REQUIRE_BANNER =
  "js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Builds the baselines and variants beside the functions (already built by sam/build.ts
 * into the stack's build folder) and gives every target its environment.
 */
export async function buildTargets(
  stack: LocalStack,
  built: BuiltFunction[],
  workDir: string,
): Promise<Targets> {
  const functions = stack.plan.functions;
  const byFile = (file: string) => {
    const fn = functions.find((candidate) => handlerFile(candidate) === file);
    if (!fn) throw new Error(`template.yaml has no function with handler file ${file}`);
    return fn;
  };
  const signInFn = byFile('sign-in');
  const createLogFn = byFile('create-log');
  const exportFn = byFile('export-data');
  const signUpFn = byFile('sign-up');
  // Built from template.yaml's functions (their code root), run in the planned environment.
  const source = (fn: LocalFunction) => {
    const found = samFunctions(loadTemplate(API_TEMPLATE)).find(
      (candidate) => candidate.logicalId === fn.logicalId,
    );
    if (!found) throw new Error(`template.yaml has no ${fn.logicalId}`);
    return found;
  };

  // The baselines bundle the SDK whole, as it is published, in one file: without the
  // template's Alias to the stand-ins of src/sdk-stand-ins/ and without its Splitting (which
  // would move the SDK's own import()s, its credential chain among them, into chunks loaded
  // later), and with the createRequire banner the template had then (the SDK's credential
  // chain calls require()), so that they stay what they were before these and the functions'
  // ratios to them show what those save.
  const baselineDir = path.join(workDir, 'baselines');
  const baseline = (name: string, like: LocalFunction, entry: string, overrides = {}) =>
    buildSynthetic(
      {
        name,
        like: source(like),
        entryPoint: path.join('bench', 'baselines', entry),
        overrides: {
          Alias: undefined,
          Splitting: undefined,
          External: undefined,
          Banner: [CREATE_REQUIRE_BANNER],
          ...overrides,
        },
      },
      baselineDir,
    );
  const [floor, minimalCognito, minimalS3, minimalBoth, defaultMainFields, sdkExternal] =
    await Promise.all([
      baseline('floor', signInFn, 'floor-sign-in.ts'),
      baseline('minimal-cognito', signInFn, 'minimal-cognito.ts'),
      baseline('minimal-s3', createLogFn, 'minimal-s3.ts'),
      baseline('minimal-cognito-s3', exportFn, 'minimal-cognito-s3.ts'),
      baseline('default-main-fields', signInFn, 'minimal-cognito.ts', { MainFields: undefined }),
      baseline('sdk-external', signInFn, 'minimal-cognito.ts', { External: ['@aws-sdk/*'] }),
    ]);
  linkNodeModules(baselineDir);

  // What the template chooses from, each in the environment sam build gives it (it adds
  // NODE_OPTIONS=--enable-source-maps whenever Sourcemap is set): sign-in under each
  // source-map setting, sign-in and create-log with the SDK whole (without the Alias to the
  // stand-ins; with Splitting, the SDK's own import()s are chunks loaded on demand), and
  // sign-up without Splitting (the common-password list in the bundle, as before it), and
  // create-log with the S3 client as published instead of its copy with literal keys (which
  // lets esbuild leave out the schemas of the operations it never calls:
  // scripts/sdk-literal-keys.mjs).
  const VARIANTS: [string, string, LocalFunction, BuildProperties][] = [
    [
      'sign-in, Sourcemap: false',
      'no source map, NODE_OPTIONS untouched',
      signInFn,
      { Sourcemap: false, SourcesContent: undefined },
    ],
    [
      'sign-in, Sourcemap: true',
      'a map with every source inside; sam build adds --enable-source-maps',
      signInFn,
      { Sourcemap: true, SourcesContent: undefined },
    ],
    [
      'sign-in, Sourcemap: true, SourcesContent: "false"',
      'a map without the sources; sam build adds --enable-source-maps',
      signInFn,
      { Sourcemap: true, SourcesContent: 'false' },
    ],
    [
      'sign-in, SDK whole',
      'without the Alias to the SDK stand-ins: the credential chain and event streams bundled',
      signInFn,
      { Alias: undefined },
    ],
    [
      'create-log, SDK whole',
      'without any Alias: the credential chain, event streams and every S3 schema bundled',
      createLogFn,
      { Alias: undefined },
    ],
    [
      'sign-up, no Splitting',
      'one file: the common-password list bundled and loaded with the function',
      signUpFn,
      { Splitting: undefined, External: undefined },
    ],
    [
      'create-log, S3 schemas whole',
      'the S3 client as published: the schemas of every S3 operation bundled',
      createLogFn,
      {
        Alias: (createLogFn.buildProperties.Alias as string[]).filter(
          (alias) => !alias.startsWith('@aws-sdk/client-s3='),
        ),
      },
    ],
  ];
  const variantDir = path.join(workDir, 'variants');
  const variants = await Promise.all(
    VARIANTS.map(async ([name, description, fn, overrides]) => {
      const bundle = await buildSynthetic(
        { name: name.replace(/\W+/g, '-'), like: source(fn), overrides },
        variantDir,
      );
      const { NODE_OPTIONS: _asBuilt, ...env } = functionEnv(fn, stack, bundle.file);
      const nodeOptions = builtNodeOptions({ ...fn.buildProperties, ...overrides }, {}, {});
      const target: Target = {
        name,
        group: 'variant',
        description,
        bundle: { ...bundle, name },
        scenario: handlerFile(fn),
        env: nodeOptions === undefined ? env : { ...env, NODE_OPTIONS: nodeOptions },
      };
      return target;
    }),
  );

  const functionTargets: Target[] = built.map((fn) => {
    const planned = functions.find((candidate) => candidate.logicalId === fn.logicalId);
    if (!planned) throw new Error(`No function ${fn.logicalId} in the local plan`);
    return {
      name: fn.logicalId,
      group: 'function',
      description: planned.handler,
      bundle: describeFunction(fn, path.resolve(PROJECT_ROOT, source(planned).codeUri)),
      scenario: handlerFile(planned),
      env: functionEnv(planned, stack, fn.bundle),
    };
  });
  const find = (scenario: string) => {
    const target = functionTargets.find((candidate) => candidate.scenario === scenario);
    if (!target) throw new Error(`No function handles events/${scenario}.json`);
    return target;
  };
  const signIn = find('sign-in');
  const other = (
    name: string,
    group: 'baseline' | 'variant',
    description: string,
    bundle: Bundle,
    like: LocalFunction,
  ): Target => ({
    name,
    group,
    description,
    bundle,
    scenario: handlerFile(like),
    env: functionEnv(like, stack, bundle.file),
  });

  return {
    // Table order: the functions, the baselines, the variants.
    all: [
      ...functionTargets,
      other('floor', 'baseline', 'the sign-in call with bare fetch, no SDK', floor, signInFn),
      other(
        'minimal-cognito',
        'baseline',
        'one Cognito client and one command (InitiateAuth), our esbuild settings',
        minimalCognito,
        signInFn,
      ),
      other(
        'minimal-s3',
        'baseline',
        'one S3 client and one command (PutObject), our esbuild settings',
        minimalS3,
        createLogFn,
      ),
      other(
        'minimal-cognito-s3',
        'baseline',
        'one Cognito and one S3 client, one command each (AdminGetUser, PutObject), our esbuild settings',
        minimalBoth,
        exportFn,
      ),
      other(
        'default-main-fields',
        'baseline',
        "minimal-cognito with esbuild's default main fields (the SDK's CommonJS build)",
        defaultMainFields,
        signInFn,
      ),
      other(
        'sdk-external',
        'baseline',
        'minimal-cognito with External: @aws-sdk/* (the SDK loaded from node_modules)',
        sdkExternal,
        signInFn,
      ),
      ...variants,
    ],
    signIn,
    getMe: find('get-me'),
    getProtected: find('get-protected'),
    getPublic: find('get-public'),
    minimal: { cognito: minimalCognito, s3: minimalS3, 'cognito+s3': minimalBoth },
  };
}
