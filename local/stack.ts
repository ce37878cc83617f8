import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, buildFunctions } from '../scripts/build';
import { cognitoLocal, seedCognitoLocal } from './cognito/emulator';
import { LocalCognito } from './cognito/server';
import { FaultProxy } from './fault-proxy';
import { DependencyFaults } from './faults';
import { LocalCognitoAuthorizer } from './gateway/authorizer';
import { LocalLambda } from './gateway/lambda-runtime';
import { LocalGateway, type RequestRecord } from './gateway/server';
import { writeJsonFile } from './json-file';
import { Mailbox, type MailboxMessage } from './mailbox';
import { assertPortFree, freePort } from './ports';
import { API_STACK_NAME, type LocalFunction, type LocalPlan, planLocalStack } from './provision';
import { S3RVER_CREDENTIALS, s3rver } from './s3/emulator';
import { PROJECT_ROOT } from './template';
import { DemoWebServer } from './web-server';

export interface LocalStackOptions {
  /** Where users, objects, the mailbox and logs live (default .local/). */
  dataDir: string;
  apiPort: number;
  cognitoPort: number;
  s3Port: number;
  /** The demo page's port; its origin (http://localhost:<port>) is the first allowed origin. */
  webPort: number;
  /** Bundle the functions first (npm start does); else use the bundles already in buildDir. */
  build: boolean;
  buildDir?: string;
  /** Browser origins allowed by CORS besides the demo page's (the template's AllowedOrigins). */
  allowedOrigins?: string[];
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
  CognitoEndpoint: string;
  S3Endpoint: string;
  WebUrl: string;
  Region: string;
}

export interface LocalStack {
  outputs: LocalOutputs;
  plan: LocalPlan;
  mailbox: Mailbox;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The environment a function gets locally: the template's variables resolved, the emulators'
 * endpoints, s3rver's credentials and the checksum setting it needs (see s3/emulator.ts), and
 * what Lambda itself sets in an execution environment.
 */
export function functionEnvironment(
  fn: LocalFunction,
  local: { region: string; bundle: string; cognitoEndpoint: string; s3Endpoint: string },
): Record<string, string> {
  return {
    ...fn.resolvedEnvironment,
    AWS_REGION: local.region,
    AWS_DEFAULT_REGION: local.region,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    COGNITO_ENDPOINT: local.cognitoEndpoint,
    S3_ENDPOINT: local.s3Endpoint,
    AWS_LAMBDA_FUNCTION_NAME: `${API_STACK_NAME}-${fn.logicalId}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: path.dirname(local.bundle),
    _HANDLER: fn.handler,
    TZ: 'UTC',
  };
}

export function defaultDataDir(): string {
  return path.join(PROJECT_ROOT, '.local');
}

/**
 * Starts the whole API on this machine: cognito-local behind its fidelity layer, s3rver, and
 * the local gateway running the template's functions from their bundles, all provisioned from
 * the templates. Writes <dataDir>/outputs.json. `stop()` shuts everything down.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const progress = options.onProgress ?? (() => undefined);
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const logDir = path.join(dataDir, 'logs');

  await assertPortFree(options.apiPort, 'the API', 'API_PORT');
  await assertPortFree(options.cognitoPort, 'the local Cognito', 'COGNITO_PORT');
  await assertPortFree(options.s3Port, 'the local S3', 'S3_PORT');
  await assertPortFree(options.webPort, 'the demo page', 'WEB_PORT');

  const buildDir = options.buildDir ?? BUILD_DIR;
  if (options.build) {
    progress('Bundling the functions with esbuild (settings from template.yaml)');
    await buildFunctions(buildDir);
  }

  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
  };

  try {
    progress('Reading auth-stack.yaml and template.yaml');
    // The demo page's origin is known before the functions start: it is in their allowlist.
    const webPort = options.webPort === 0 ? await freePort() : options.webPort;
    const webUrl = `http://localhost:${webPort}`;
    const allowedOrigins = [...new Set([webUrl, ...(options.allowedOrigins ?? [])])];
    const plan = planLocalStack({ apiParameters: { AllowedOrigins: allowedOrigins.join(',') } });
    const bundles = new Map(
      plan.functions.map((fn) => {
        const [file = '', exportName = 'handler'] = fn.handler.split('.');
        const bundle = path.join(buildDir, fn.logicalId, `${file}.mjs`);
        if (!existsSync(bundle))
          throw new Error(`No bundle for ${fn.logicalId} at ${bundle}: run npm run build`);
        return [fn.logicalId, { path: bundle, exportName }];
      }),
    );

    const mailbox = new Mailbox(path.join(dataDir, 'mailbox.json'));
    if (options.onMail) mailbox.on('delivered', options.onMail);

    progress(
      'Starting the local Cognito (cognito-local) with the pool and client from the templates',
    );
    const cognitoDir = path.join(dataDir, 'cognito');
    seedCognitoLocal(cognitoDir, plan);
    const upstreamPort = await freePort();
    const warn = (message: string) => options.onWarning?.(message);
    const cognito = cognitoLocal(
      cognitoDir,
      upstreamPort,
      path.join(logDir, 'cognito-local.log'),
      warn,
    );
    await cognito.start();
    cleanup.push(() => cognito.stop());
    const localCognito = new LocalCognito({
      upstream: `http://127.0.0.1:${upstreamPort}`,
      plan,
      mailbox,
      ledgerFile: path.join(cognitoDir, 'token-ledger.jsonl'),
    });
    const cognitoPort = await localCognito.listen(options.cognitoPort);
    cleanup.push(() => localCognito.close());
    // The functions reach Cognito and S3 through proxies that the fault tests can slow down.
    const cognitoProxy = new FaultProxy(cognitoPort);
    const cognitoProxyPort = await cognitoProxy.listen();
    cleanup.push(() => cognitoProxy.close());

    progress('Starting the local S3 (s3rver)');
    const s3Port = options.s3Port === 0 ? await freePort() : options.s3Port;
    const s3 = s3rver(
      path.join(dataDir, 's3'),
      s3Port,
      plan.buckets.map((bucket) => bucket.name),
      path.join(logDir, 's3rver.log'),
      warn,
    );
    await s3.start();
    cleanup.push(() => s3.stop());
    const s3Proxy = new FaultProxy(s3Port);
    const s3ProxyPort = await s3Proxy.listen();
    cleanup.push(() => s3Proxy.close());
    const faults = new DependencyFaults(
      { emulator: cognito, proxy: cognitoProxy },
      { emulator: s3, proxy: s3Proxy },
    );

    progress('Starting the API gateway');
    const authorizer = new LocalCognitoAuthorizer(plan.userPool.id, plan.client.ClientId);
    await authorizer.loadEmulatorKeys(
      `http://127.0.0.1:${upstreamPort}/${plan.userPool.id}/.well-known/jwks.json`,
    );
    const lambdas = new Map(
      plan.functions.map((fn) => {
        const bundle = bundles.get(fn.logicalId);
        if (!bundle) throw new Error(`No bundle for ${fn.logicalId}`);
        const env = functionEnvironment(fn, {
          region: plan.region,
          bundle: bundle.path,
          cognitoEndpoint: `http://127.0.0.1:${cognitoProxyPort}`,
          s3Endpoint: `http://127.0.0.1:${s3ProxyPort}`,
        });
        return [fn.logicalId, new LocalLambda(fn, bundle, env, path.join(logDir, 'functions'))];
      }),
    );
    cleanup.push(async () => {
      await Promise.all([...lambdas.values()].map((lambda) => lambda.close()));
    });
    const gateway = new LocalGateway({
      plan,
      lambdas,
      authorizer,
      mailbox,
      faults,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    const apiPort = await gateway.listen(options.apiPort);
    cleanup.push(() => gateway.close());

    progress('Serving the demo page');
    const web = new DemoWebServer(`http://localhost:${apiPort}`);
    await web.listen(webPort);
    cleanup.push(() => web.close());

    const [bucket] = plan.buckets;
    const outputs: LocalOutputs = {
      ApiUrl: `http://localhost:${apiPort}`,
      UserPoolId: plan.userPool.id,
      UserPoolClientId: plan.client.ClientId,
      ...(bucket ? { UserDataBucketName: bucket.name } : {}),
      CognitoEndpoint: localCognito.endpoint,
      S3Endpoint: `http://localhost:${s3Port}`,
      WebUrl: webUrl,
      Region: plan.region,
    };
    writeJsonFile(path.join(dataDir, 'outputs.json'), outputs);
    return { outputs, plan, mailbox, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
