import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, BUILT_TEMPLATE, buildFunctions, handlerModule } from '../sam/build';
import { PROJECT_ROOT } from '../sam/template';
import { apiKeyValues } from './api-key-values';
import type { NodeChild } from './child-process';
import { cognitoLocal, seedCognitoLocal } from './cognito/emulator';
import { LocalCognito } from './cognito/server';
import { createTable, dynalite } from './dynamodb/emulator';
import { FaultProxy } from './fault-proxy';
import { DependencyFaults } from './faults';
import { functionEnvironment } from './function-environment';
import { LocalCognitoAuthorizer } from './gateway/authorizer';
import { LocalLambda } from './gateway/lambda-runtime';
import { RequestLimits } from './gateway/request-limits';
import { LocalGateway, type RequestRecord } from './gateway/server';
import { Mailbox, type MailboxMessage } from './mailbox';
import { checkApiParameters, checkAuthParameters, type LocalPlan, planLocalStack } from './plan';
import { assertPortFree, freePort } from './ports';
import { s3rver } from './s3/emulator';
import { DemoWebServer } from './web-server';

export interface LocalStackOptions {
  /** Where users, objects, the mailbox and logs live (default .local/). */
  dataDir: string;
  apiPort: number;
  cognitoPort: number;
  s3Port: number;
  dynamoDbPort: number;
  /** The demo page's port; its origin (http://localhost:<port>) is the first allowed origin. */
  webPort: number;
  /** Bundle the functions first (npm start does); else use the bundles already in buildDir. */
  build: boolean;
  buildDir?: string;
  /** Browser origins allowed by CORS besides the demo page's (the template's AllowedOrigins). */
  allowedOrigins?: string[];
  /** template.yaml's parameters, as `sam deploy --parameter-overrides` gives them. */
  parameterOverrides?: Record<string, string>;
  /** auth-stack.yaml's parameters, the same way (for example MfaConfiguration). */
  authParameterOverrides?: Record<string, string>;
  onProgress?: (step: string) => void;
  onRequest?: (record: RequestRecord) => void;
  onMail?: (email: string, message: MailboxMessage) => void;
  onWarning?: (message: string) => void;
}

/** The same keys as the deployed stacks' Outputs, plus where the local S3 listens. */
export interface LocalOutputs {
  ApiUrl: string;
  UserPoolId: string;
  UserPoolClientId: string;
  UserDataBucketName?: string;
  SessionsTableName: string;
  CognitoEndpoint: string;
  S3Endpoint: string;
  DynamoDbEndpoint: string;
  WebUrl: string;
  Region: string;
  /** With ApiKeyRequired=true: the key's id (the deployed output), and its local value. */
  ApiKeyId?: string;
  ApiKeyValue?: string;
}

/** Parameters the local stack sets itself: an override would be ignored, so it is refused. */
const LOCALLY_SET_PARAMETERS: Record<string, string> = {
  AuthStackName: 'the local stack provides the auth stack itself',
  AllowedOrigins:
    "the demo page's origin comes first; add your own with LOCAL_ALLOWED_ORIGINS (comma-separated)",
};

export interface LocalStack {
  outputs: LocalOutputs;
  plan: LocalPlan;
  mailbox: Mailbox;
  dataDir: string;
  stop(): Promise<void>;
}

/** Where `npm start` writes its outputs, last of all: the file's appearance means ready. */
export const outputsFile = (dataDir: string) => path.join(dataDir, 'outputs.json');

export function defaultDataDir(): string {
  return path.join(PROJECT_ROOT, '.local');
}

/** Stops what has started, last first; each step adds how to undo itself. */
class Teardown {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch(() => undefined);
    this.steps.length = 0;
  }
}

/**
 * Starts the whole API on this machine: cognito-local behind the local Cognito's corrections,
 * s3rver, and the local gateway running the functions from their bundles, all planned from
 * the built template (`npm run build`). `stop()` shuts everything down.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const progress = options.onProgress ?? (() => undefined);
  const warn = (message: string) => options.onWarning?.(message);
  const { dataDir } = options;
  for (const name of Object.keys(options.parameterOverrides ?? {})) {
    const reason = LOCALLY_SET_PARAMETERS[name];
    if (reason) throw new Error(`${name} cannot be overridden locally: ${reason}`);
  }
  checkApiParameters(options.parameterOverrides ?? {});
  checkAuthParameters(options.authParameterOverrides ?? {});
  mkdirSync(dataDir, { recursive: true });
  await assertPortsFree(options);
  const buildDir = options.buildDir ?? BUILD_DIR;
  if (options.build) {
    progress('Bundling the functions as sam build does (settings from template.yaml)');
    await buildFunctions(buildDir);
  } else if (!existsSync(path.join(buildDir, BUILT_TEMPLATE))) {
    throw new Error(
      `No build in ${buildDir}: run npm run build, or start without LOCAL_SKIP_BUILD`,
    );
  }

  const teardown = new Teardown();
  const stop = () => teardown.run();
  try {
    progress('Reading auth-stack.yaml and the built template.yaml');
    // The demo page's origin is known before the functions start: it is in their allowlist.
    const webPort = options.webPort === 0 ? await freePort() : options.webPort;
    const webUrl = `http://localhost:${webPort}`;
    const allowedOrigins = [...new Set([webUrl, ...(options.allowedOrigins ?? [])])];
    const plan = planLocalStack({
      apiTemplateFile: path.join(buildDir, BUILT_TEMPLATE),
      apiParameters: { ...options.parameterOverrides, AllowedOrigins: allowedOrigins.join(',') },
      authParameters: options.authParameterOverrides ?? {},
    });
    const keyValues = apiKeyValues(path.join(dataDir, 'api-keys.json'), plan.apiKeys);
    const mailbox = new Mailbox(path.join(dataDir, 'mailbox.json'));
    if (options.onMail) mailbox.on('delivered', options.onMail);

    progress(
      'Starting the local Cognito (cognito-local) with the pool and client from the templates',
    );
    const cognito = await startCognito(plan, mailbox, options, teardown, warn);
    progress('Starting the local S3 (s3rver)');
    const s3 = await startS3(plan, options, teardown, warn);

    progress('Starting the local DynamoDB (dynalite) with the sessions table from auth-stack.yaml');
    const dynamoDb = await startDynamoDb(plan, options, teardown, warn);

    progress('Starting the API gateway');
    const apiPort = await startGateway(
      plan,
      { cognito, s3, dynamoDb, mailbox, limits: new RequestLimits(plan, keyValues) },
      options,
      teardown,
    );

    progress('Serving the demo page');
    const web = new DemoWebServer(
      `http://localhost:${apiPort}`,
      apiKeyOutputs(plan, keyValues).ApiKeyValue,
    );
    await web.listen(webPort);
    teardown.add(() => web.close());

    const [bucket] = plan.buckets;
    const outputs: LocalOutputs = {
      ApiUrl: `http://localhost:${apiPort}`,
      UserPoolId: plan.userPool.id,
      UserPoolClientId: plan.client.ClientId,
      ...(bucket ? { UserDataBucketName: bucket.name } : {}),
      SessionsTableName: plan.sessionsTable.name,
      CognitoEndpoint: cognito.endpoint,
      S3Endpoint: `http://localhost:${s3.port}`,
      DynamoDbEndpoint: `http://localhost:${dynamoDb.port}`,
      WebUrl: webUrl,
      Region: plan.region,
      ...apiKeyOutputs(plan, keyValues),
    };
    return { outputs, plan, mailbox, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The ApiKeyId output, and beside it the value that the deployed stack never outputs. */
function apiKeyOutputs(
  plan: LocalPlan,
  keyValues: Record<string, string>,
): Pick<LocalOutputs, 'ApiKeyId' | 'ApiKeyValue'> {
  const key = plan.apiKeys.find((candidate) => candidate.id === plan.apiKeyIdOutput);
  const value = key && keyValues[key.logicalId];
  return key && value ? { ApiKeyId: key.id, ApiKeyValue: value } : {};
}

async function assertPortsFree(options: LocalStackOptions): Promise<void> {
  await assertPortFree(options.apiPort, 'the API', 'API_PORT');
  await assertPortFree(options.cognitoPort, 'the local Cognito', 'COGNITO_PORT');
  await assertPortFree(options.s3Port, 'the local S3', 'S3_PORT');
  await assertPortFree(options.dynamoDbPort, 'the local DynamoDB', 'DYNAMODB_PORT');
  await assertPortFree(options.webPort, 'the demo page', 'WEB_PORT');
}

interface StartedCognito {
  /** Where clients reach the local Cognito (COGNITO_PORT). */
  port: number;
  /** The local Cognito's URL, as the CognitoEndpoint output gives it. */
  endpoint: string;
  /** cognito-local itself, behind the corrections: its JWKS are the signing keys. */
  upstreamPort: number;
  emulator: NodeChild;
  /** What the functions call: the local Cognito through a proxy the fault tests can slow. */
  proxy: FaultProxy;
  proxyPort: number;
}

async function startCognito(
  plan: LocalPlan,
  mailbox: Mailbox,
  options: LocalStackOptions,
  teardown: Teardown,
  warn: (message: string) => void,
): Promise<StartedCognito> {
  const cognitoDir = path.join(options.dataDir, 'cognito');
  seedCognitoLocal(cognitoDir, plan);
  const upstreamPort = await freePort();
  const emulator = cognitoLocal(
    cognitoDir,
    upstreamPort,
    path.join(options.dataDir, 'logs', 'cognito-local.log'),
    warn,
  );
  await emulator.start();
  teardown.add(() => emulator.stop());
  const localCognito = new LocalCognito({
    upstream: `http://127.0.0.1:${upstreamPort}`,
    plan,
    mailbox,
    ledgerFile: path.join(cognitoDir, 'token-ledger.jsonl'),
  });
  const port = await localCognito.listen(options.cognitoPort);
  teardown.add(() => localCognito.close());
  const proxy = new FaultProxy(port);
  const proxyPort = await proxy.listen();
  teardown.add(() => proxy.close());
  return { port, endpoint: localCognito.endpoint, upstreamPort, emulator, proxy, proxyPort };
}

/** An emulator, and the proxy the functions reach it through (the fault tests slow it). */
interface StartedEmulator {
  port: number;
  emulator: NodeChild;
  proxy: FaultProxy;
  proxyPort: number;
}
type StartedS3 = StartedEmulator;

async function startS3(
  plan: LocalPlan,
  options: LocalStackOptions,
  teardown: Teardown,
  warn: (message: string) => void,
): Promise<StartedS3> {
  const port = options.s3Port === 0 ? await freePort() : options.s3Port;
  const emulator = s3rver(
    path.join(options.dataDir, 's3'),
    port,
    plan.buckets.map((bucket) => bucket.name),
    path.join(options.dataDir, 'logs', 's3rver.log'),
    warn,
  );
  await emulator.start();
  teardown.add(() => emulator.stop());
  const proxy = new FaultProxy(port);
  const proxyPort = await proxy.listen();
  teardown.add(() => proxy.close());
  return { port, emulator, proxy, proxyPort };
}

async function startDynamoDb(
  plan: LocalPlan,
  options: LocalStackOptions,
  teardown: Teardown,
  warn: (message: string) => void,
): Promise<StartedEmulator> {
  const port = options.dynamoDbPort === 0 ? await freePort() : options.dynamoDbPort;
  const emulator = dynalite(
    path.join(options.dataDir, 'dynamodb'),
    port,
    path.join(options.dataDir, 'logs', 'dynalite.log'),
    warn,
  );
  await emulator.start();
  teardown.add(() => emulator.stop());
  await createTable(`http://127.0.0.1:${port}`, plan.sessionsTable);
  const proxy = new FaultProxy(port);
  const proxyPort = await proxy.listen();
  teardown.add(() => proxy.close());
  return { port, emulator, proxy, proxyPort };
}

/** The local API gateway with one LocalLambda per function, each on its built bundle. */
async function startGateway(
  plan: LocalPlan,
  started: {
    cognito: StartedCognito;
    s3: StartedS3;
    dynamoDb: StartedEmulator;
    mailbox: Mailbox;
    limits: RequestLimits;
  },
  options: LocalStackOptions,
  teardown: Teardown,
): Promise<number> {
  const { cognito, s3, dynamoDb, mailbox, limits } = started;
  const authorizer = new LocalCognitoAuthorizer(plan.userPool.id, plan.client.ClientId);
  await authorizer.loadEmulatorKeys(
    `http://127.0.0.1:${cognito.upstreamPort}/${plan.userPool.id}/.well-known/jwks.json`,
  );
  const endpoints = {
    cognito: `http://127.0.0.1:${cognito.proxyPort}`,
    s3: `http://127.0.0.1:${s3.proxyPort}`,
    dynamoDb: `http://127.0.0.1:${dynamoDb.proxyPort}`,
  };
  const lambdas = new Map(
    plan.functions.map((fn) => {
      const bundle = handlerModule(fn.codeDir, fn.handler);
      const env = functionEnvironment(fn, {
        region: plan.region,
        bundle: bundle.file,
        endpoints,
        userPoolId: plan.userPool.id,
      });
      const logDir = path.join(options.dataDir, 'logs', 'functions');
      return [
        fn.logicalId,
        new LocalLambda(fn, { path: bundle.file, exportName: bundle.exportName }, env, logDir),
      ];
    }),
  );
  teardown.add(async () => {
    await Promise.all([...lambdas.values()].map((lambda) => lambda.close()));
  });
  const gateway = new LocalGateway({
    plan,
    lambdas,
    authorizer,
    limits,
    mailbox,
    faults: new DependencyFaults({
      cognito: { emulator: cognito.emulator, proxy: cognito.proxy },
      s3: { emulator: s3.emulator, proxy: s3.proxy },
      dynamodb: { emulator: dynamoDb.emulator, proxy: dynamoDb.proxy },
    }),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  const port = await gateway.listen(options.apiPort);
  teardown.add(() => gateway.close());
  return port;
}
