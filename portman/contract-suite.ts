import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { PROJECT_ROOT } from '../sam/template';
import { type ApiOperation, OPENAPI_FILE } from './openapi-operations';

/**
 * The contract suite: Portman turns openapi.yaml and portman-config.json into a Postman
 * collection, a structural check makes sure Portman generated what the config asks for (it skips
 * things silently, e.g. a misspelt operationId or a schema it cannot compile), and newman runs
 * the collection. Secrets never reach Portman: it writes whatever it is given into the
 * collection in clear, so the password goes to newman only, in memory, at run time.
 */

export const PORTMAN_DIR = path.join(PROJECT_ROOT, 'portman');
/** The importable collection `npm run test:contract` writes (git-ignored). */
export const DEFAULT_COLLECTION_FILE = path.join(PORTMAN_DIR, 'postman-collection.json');
export const VARIATIONS_FOLDER = 'Variation Tests';

/** What the collection needs to run against one deployment of the API. */
export interface ContractTarget {
  apiUrl: string;
  cognitoEndpoint: string;
  userPoolClientId: string;
  username: string;
  password: string;
  /** The value of an API key, for a stack deployed with ApiKeyRequired=true. */
  apiKey?: string;
}

interface PostmanAuth {
  type: string;
  bearer?: { key: string; value: unknown }[];
}

interface PostmanEvent {
  listen: string;
  script?: { exec?: string[] | string };
}

export interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: {
    method: string;
    url: { path?: string[] } | string;
    auth?: PostmanAuth;
  };
  event?: PostmanEvent[];
}

export interface PostmanCollection {
  info: { name: string };
  item: PostmanItem[];
  auth?: PostmanAuth;
  event?: PostmanEvent[];
  variable?: { key: string; value: unknown }[];
}

export interface FailedAssertion {
  request: string;
  assertion: string;
  message: string;
}

export interface SuiteRun {
  /** Requests of the collection that ran (sign-ins of the pre-request script not counted). */
  items: number;
  assertions: number;
  failures: FailedAssertion[];
}

/**
 * Runs Portman with portman/portman-cli.json, writing the collection to `outputFile`. Portman
 * works relative to its working directory (the config's `file:` scripts, its ./tmp/ scratch
 * files), so it runs in a scratch directory that links openapi.yaml and portman/: two runs at
 * once never share files. Its environment has no PORTMAN_* variable (Portman would copy those
 * into the collection) and none of the runner's CONTRACT_* settings.
 */
export async function generateCollection(outputFile: string): Promise<PostmanCollection> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'portman-'));
  try {
    await symlink(OPENAPI_FILE, path.join(scratch, 'openapi.yaml'));
    await symlink(PORTMAN_DIR, path.join(scratch, 'portman'), 'dir');
    await rm(outputFile, { force: true });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('PORTMAN_') && !name.startsWith('CONTRACT_'),
      ),
    );
    const bin = require.resolve('@apideck/portman/bin/portman');
    const args = [bin, '--cliOptionsFile', 'portman/portman-cli.json', '--output', outputFile];
    const { code, output } = await runNode(args, { cwd: scratch, env: { ...env, NO_COLOR: '1' } });
    // Portman can report a broken config and still exit 0; only a fresh file counts.
    if (code !== 0 || !existsSync(outputFile)) {
      throw new Error(`Portman did not generate the collection (exit ${code}):\n${output}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return JSON.parse(await readFile(outputFile, 'utf8')) as PostmanCollection;
}

function runNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const flatten = (items: PostmanItem[]): PostmanItem[] =>
  items.flatMap((item) => (item.item ? flatten(item.item) : [item]));

const scriptOf = (events: PostmanEvent[] | undefined, listen: string): string =>
  (events ?? [])
    .filter((event) => event.listen === listen)
    .flatMap((event) => event.script?.exec ?? [])
    .join('\n');

/** `GET /me/logs/{id}` for a request whose URL path is ["me", "logs", ":id"]. */
export function routeOf(item: PostmanItem): string {
  const url = item.request?.url;
  const segments = typeof url === 'string' || !url ? [] : (url.path ?? []);
  const routePath = segments
    .map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment))
    .join('/');
  return `${item.request?.method ?? '?'} /${routePath}`;
}

/**
 * What the generated collection must hold, whatever Portman did with the config: one request
 * per operation with a status test and a body test (schema or empty body) that is not
 * disabled, the ID token on exactly the protected routes and nowhere else (no collection-level
 * auth that public routes would inherit), the three token variations answering 401 on every
 * protected route, a status test on every variation, and the collection's own sign-in.
 * Returns the problems found (none is success).
 */
export function checkCollection(
  collection: PostmanCollection,
  operations: ApiOperation[],
): string[] {
  const problems: string[] = [];
  const mainItems = flatten(collection.item.filter((folder) => folder.name !== VARIATIONS_FOLDER));
  const variations = flatten(collection.item.filter((folder) => folder.name === VARIATIONS_FOLDER));

  if (collection.auth && collection.auth.type !== 'noauth') {
    problems.push(`the collection has ${collection.auth.type} auth, which public routes inherit`);
  }
  const signIn = scriptOf(collection.event, 'prerequest');
  if (!signIn.includes('InitiateAuth') || !signIn.includes('USER_PASSWORD_AUTH')) {
    problems.push('the collection has no pre-request script that signs in to Cognito');
  }
  if (!signIn.includes("headers.upsert({ key: 'x-api-key'")) {
    problems.push('the collection has no pre-request script that sends the API key');
  }
  const apiKey = collection.variable?.find((variable) => variable.key === 'apiKey');
  if (apiKey?.value !== '') {
    problems.push('the collection has no apiKey variable, empty by default');
  }

  const expected = new Set(operations.map((op) => `${op.method} ${op.path}`));
  for (const item of mainItems) {
    if (!expected.has(routeOf(item)))
      problems.push(`"${item.name}" (${routeOf(item)}) is not in openapi.yaml`);
  }
  for (const operation of operations) {
    const route = `${operation.method} ${operation.path}`;
    const found = mainItems.filter((item) => routeOf(item) === route);
    if (found.length !== 1) {
      problems.push(`${route}: ${found.length} requests instead of 1`);
      continue;
    }
    const [item] = found as [PostmanItem];
    problems.push(...testProblems(item));
    const auth = item.request?.auth;
    if (operation.schemes.length > 0) {
      const token = auth?.bearer?.find((entry) => entry.key === 'token')?.value;
      if (auth?.type !== 'bearer' || token !== '{{idToken}}') {
        problems.push(`${route}: is protected but does not send {{idToken}} as a bearer token`);
      }
      for (const name of [
        'without a token',
        'with a garbage token',
        'with the access token instead of the ID token',
      ]) {
        const variation = variations.find((v) => v.name === `${item.name}[${name}]`);
        if (!variation) problems.push(`${route}: no variation "${name}"`);
        else if (!scriptOf(variation.event, 'test').includes('Response status code is 401')) {
          problems.push(`${route}: the variation "${name}" does not expect 401`);
        }
      }
    } else if (auth && auth.type !== 'noauth') {
      problems.push(`${route}: is public but sends ${auth.type} auth`);
    }
    // The routes that end sessions check, right after, that the ended session is refused.
    if (
      SESSION_ENDERS.includes(route) &&
      !scriptOf(item.event, 'test').includes('session has ended')
    ) {
      problems.push(`${route}: does not check that the ended session is refused`);
    }
  }
  for (const variation of variations) problems.push(...testProblems(variation));
  return problems;
}

const SESSION_ENDERS = ['POST /auth/signout', 'POST /auth/signout-all'];

function testProblems(item: PostmanItem): string[] {
  const tests = scriptOf(item.event, 'test');
  const problems: string[] = [];
  // Portman's own status test, or one of ours where Cognito may give one of several answers.
  if (!tests.includes('Response status code is ') && !tests.includes('Response status is one of '))
    problems.push(`"${item.name}": no status test`);
  if (!tests.includes('Schema is valid') && !tests.includes('Response has empty Body')) {
    problems.push(`"${item.name}": no schema (or empty body) test`);
  }
  if (tests.includes('is not being validated')) {
    problems.push(`"${item.name}": Portman disabled the schema validation`);
  }
  return problems;
}

/**
 * Runs the collection with newman against `target`. The settings go in as environment
 * variables, which take precedence over the collection's defaults, and exist only in memory.
 */
export function runCollection(
  collection: PostmanCollection,
  target: ContractTarget,
  options: { report?: boolean } = {},
): Promise<SuiteRun> {
  const envVar = Object.entries({
    baseUrl: target.apiUrl,
    cognitoEndpoint: target.cognitoEndpoint,
    userPoolClientId: target.userPoolClientId,
    username: target.username,
    password: target.password,
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  }).map(([key, value]) => ({ key, value }));
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar,
        reporters: options.report === false ? [] : ['cli'],
        reporter: { cli: { noSuccessAssertions: true } },
        timeoutRequest: 20_000,
        timeout: 300_000,
        ignoreRedirects: true,
        color: process.stdout.isTTY ? 'on' : 'off',
      },
      (error, summary: NewmanRunSummary) => {
        if (error) return reject(error);
        if (summary.run.error) return reject(summary.run.error);
        const { stats, failures } = summary.run;
        resolve({
          items: stats.items.total,
          assertions: stats.assertions.total,
          failures: failures.map((failure) => ({
            request: failure.source?.name ?? '(collection)',
            assertion: failure.error.test ?? failure.at,
            message: failure.error.message,
          })),
        });
      },
    );
  });
}

/**
 * Requests that make Cognito send an email. Cognito's built-in email sends only a few dozen a day
 * per account (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html, "email
 * messages sent daily per AWS account"), and a bounce from a made-up address counts against the
 * sender: against a deployed stage they run only when asked (CONTRACT_SEND_MAIL=1). The other
 * requests that could send one (resend-code, forgot-password) name an address no account has:
 * Cognito only simulates the delivery.
 */
export const SENDS_MAIL = ['POST /auth/signup', 'POST /me/email'];

/** The collection without the main requests of `routes` (their variations stay: they send nothing). */
export function withoutRequests(
  collection: PostmanCollection,
  routes: string[],
): PostmanCollection {
  const keep = (items: PostmanItem[], inVariations: boolean): PostmanItem[] =>
    items
      .filter((item) => item.item || inVariations || !routes.includes(routeOf(item)))
      .map((item) =>
        item.item
          ? { ...item, item: keep(item.item, inVariations || item.name === VARIATIONS_FOLDER) }
          : item,
      );
  return { ...collection, item: keep(collection.item, false) };
}

/** Every request of the collection, main ones first, as newman runs them. */
export function requestCount(collection: PostmanCollection): number {
  return flatten(collection.item).length;
}
