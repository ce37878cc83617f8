import path from 'node:path';
import { cognitoSignIn } from '../client/cognito';
import { PROJECT_ROOT } from '../sam/template';
import {
  type ContractTarget,
  checkCollection,
  DEFAULT_COLLECTION_FILE,
  generateCollection,
  requestCount,
  runCollection,
  SENDS_MAIL,
  withoutRequests,
} from './contract-suite';
import { type LocalTarget, startLocalTarget } from './local-target';
import { loadOpenApi, openApiOperations } from './openapi-operations';
import { SIGN_IN_ENV, signInSettingsFromEnv } from './sign-in-settings';

/**
 * `npm run test:contract`: the Portman contract suite of openapi.yaml, run with newman.
 *
 * Without settings it tests the local stack: it bundles the functions, starts the stack on free
 * ports with temporary directories, creates a throw-away user, runs the suite, then deletes the
 * user and stops the stack (also when something fails or on Ctrl-C).
 *
 * With CONTRACT_API_URL it tests that deployed stage instead, signing in as an existing user:
 * CONTRACT_API_URL (the ApiUrl output), CONTRACT_COGNITO_ENDPOINT (CognitoEndpoint),
 * CONTRACT_USER_POOL_CLIENT_ID (UserPoolClientId), CONTRACT_USERNAME and CONTRACT_PASSWORD,
 * and CONTRACT_API_KEY (the key's value) for a stage deployed with ApiKeyRequired=true.
 * Creating and deleting that user is the caller's job (the deploy workflow does it). Requests
 * that make Cognito send an email are left out unless CONTRACT_SEND_MAIL=1 (contract-suite.ts,
 * SENDS_MAIL).
 *
 * CONTRACT_COLLECTION_FILE changes where the importable collection is written
 * (portman/postman-collection.json). Exits 0 only when every assertion of every request passed.
 */

const progress = (step: string) => console.log(`› ${step}`);

function stageTarget(env: NodeJS.ProcessEnv): ContractTarget {
  const settings = signInSettingsFromEnv(env);
  return {
    apiUrl: String(env.CONTRACT_API_URL).replace(/\/+$/, ''),
    ...settings,
    ...(env.CONTRACT_API_KEY ? { apiKey: env.CONTRACT_API_KEY } : {}),
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  const collectionFile = path.resolve(
    process.env.CONTRACT_COLLECTION_FILE ?? DEFAULT_COLLECTION_FILE,
  );
  let local: LocalTarget | undefined;
  let stopping = false;
  const stopLocal = async () => {
    await local?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: cleaning up`);
      stopLocal().finally(() => process.exit(130));
    });
  }

  // Portman needs no running API: generate while the stack starts.
  progress(
    `Generating the collection with Portman (${path.relative(PROJECT_ROOT, collectionFile)})`,
  );
  const generating = generateCollection(collectionFile);
  generating.catch(() => undefined);
  try {
    let target: ContractTarget;
    if (process.env.CONTRACT_API_URL) {
      target = stageTarget(process.env);
      progress(`Testing the deployed stage ${target.apiUrl} as ${target.username}`);
    } else {
      for (const name of [...Object.values(SIGN_IN_ENV), 'CONTRACT_API_KEY']) {
        if (process.env[name]) console.warn(`⚠ ${name} is ignored without CONTRACT_API_URL`);
      }
      local = await startLocalTarget(progress);
      target = local.target;
    }
    const collection = await generating;
    const problems = checkCollection(collection, openApiOperations(loadOpenApi()));
    if (JSON.stringify(collection).includes(target.password)) {
      problems.push('the collection contains the test password');
    }
    if (target.apiKey && JSON.stringify(collection).includes(target.apiKey)) {
      problems.push('the collection contains the API key');
    }
    if (problems.length > 0) {
      console.error(`✗ The generated collection is not what portman-config.json asks for:`);
      for (const problem of problems) console.error(`  - ${problem}`);
      return 1;
    }

    // A sign-in that fails would make every protected request a 401: say why once, up front.
    await cognitoSignIn(target);
    let runnable = collection;
    if (!local && process.env.CONTRACT_SEND_MAIL !== '1') {
      progress(
        `Leaving out ${SENDS_MAIL.join(', ')}: Cognito would send an email (CONTRACT_SEND_MAIL=1 runs it)`,
      );
      runnable = withoutRequests(collection, SENDS_MAIL);
    }
    const expected = requestCount(runnable);
    progress(`Running ${expected} requests with newman against ${target.apiUrl}`);
    const run = await runCollection(runnable, target);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (run.failures.length > 0) {
      console.error(
        `✗ Contract tests failed: ${run.failures.length} of ${run.assertions} assertions (${seconds} s)`,
      );
      for (const failure of run.failures) {
        console.error(`  FAIL ${failure.request} › ${failure.assertion}: ${failure.message}`);
      }
      return 1;
    }
    if (run.items !== expected) {
      console.error(`✗ newman ran ${run.items} of the collection's ${expected} requests`);
      return 1;
    }
    console.log(
      `✓ Contract tests passed: ${run.assertions} assertions over ${run.items} requests (${seconds} s)`,
    );
    return 0;
  } catch (error) {
    console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await generating.catch(() => undefined);
    if (!stopping) await stopLocal();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
