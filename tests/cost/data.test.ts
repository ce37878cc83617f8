import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitLogByInvocation } from '../../bench/log-bytes';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../sam/template';
import { readPrices, readRequestMix } from '../../scripts/cost/data';
import { defaultPlan, readDeployment, readMeasurements } from '../../scripts/cost/deployment';

/**
 * The cost data files against what they describe: the request mix against template.yaml's
 * routes and the SDK calls in src/, the prices against their own schema, and the bench
 * figures as npm run cost reads them.
 */

const prices = readPrices();
const mix = readRequestMix();
const deployment = readDeployment();
const loadedTemplateRoutes = samFunctions(loadTemplate(API_TEMPLATE)).flatMap((fn) =>
  fn.routes.map((route) => ({
    route: `${route.method} ${route.path}`,
    protected: route.authorizer !== 'NONE',
  })),
);

/** The SDK commands a source file sends: `new XCommand(`. */
function commandsIn(...files: string[]): Set<string> {
  const names = files.flatMap((file) =>
    [
      ...readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(
        /new ([A-Za-z0-9]+)Command\(/g,
      ),
    ].map((match) => match[1] as string),
  );
  return new Set(names);
}

describe('cost/request-mix.json', () => {
  test('names every route of template.yaml once, and nothing else', () => {
    const templateRoutes = deployment.functions
      .flatMap((fn) => fn.routes)
      .filter((route) => !route.startsWith('OPTIONS '));
    const mixRoutes = mix.routes
      .map((entry) => entry.route)
      .filter((route) => route !== 'OPTIONS *');
    expect([...mixRoutes].sort()).toEqual([...templateRoutes].sort());
    expect(mix.routes.some((entry) => entry.route === 'OPTIONS *')).toBe(true);
  });

  test('makes exactly the Cognito calls src/auth makes on the way to a success', () => {
    const named = new Set(mix.routes.flatMap((entry) => entry.cognito));
    // pool-password-policy.ts (DescribeUserPool) runs only once a password was refused.
    const modules = [
      'cognito',
      'mfa',
      'email-change',
      'reauthentication',
      'account-record',
      'account-deletion',
    ];
    expect([...named].sort()).toEqual(
      [...commandsIn(...modules.map((name) => `src/auth/${name}.ts`))].sort(),
    );
  });

  test('makes exactly the S3 calls the user store, the exports and the eraser make', () => {
    const named = new Set(mix.routes.flatMap((entry) => entry.s3));
    expect([...named].sort()).toEqual(
      [
        ...commandsIn(
          'src/storage/s3/s3-user-store.ts',
          'src/storage/s3/s3-user-exports.ts',
          'src/storage/s3/s3-user-data-eraser.ts',
        ),
      ].sort(),
    );
  });

  test('reads the session record on every protected route, as src/http/protected-handler.ts does', () => {
    const protectedRoutes = loadedTemplateRoutes.filter((route) => route.protected);
    for (const { route } of protectedRoutes)
      expect({
        route,
        reads: mix.routes.find((entry) => entry.route === route)?.dynamodb[0],
      }).toEqual({
        route,
        reads: 'GetItem',
      });
    const named = new Set(mix.routes.flatMap((entry) => entry.dynamodb));
    expect([...named].sort()).toEqual(['GetItem', 'PutItem']);
    expect(Object.keys(prices.dynamodb.operations).sort()).toEqual(['GetItem', 'PutItem']);
  });

  test('every call it names has a quota category or a request price', () => {
    const categorized = Object.values(prices.cognito.quotas.categories).flatMap((category) =>
      Object.keys(category.operations),
    );
    for (const entry of mix.routes) {
      for (const operation of entry.cognito) expect(categorized).toContain(operation);
      for (const operation of entry.s3)
        expect(Object.keys(prices.s3.operations)).toContain(operation);
    }
  });

  test('a mix whose shares do not add up to 1 is refused, naming the field', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cost-mix-'));
    try {
      const file = path.join(dir, 'mix.json');
      const broken = structuredClone(
        JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cost/request-mix.json'), 'utf8')),
      );
      broken.routes[0].share += 0.1;
      writeFileSync(file, JSON.stringify(broken));
      expect(() => readRequestMix(file)).toThrow(/mix\.json: routes: the shares must add up to 1/);
      broken.routes[0].share = 'a lot';
      writeFileSync(file, JSON.stringify(broken));
      expect(() => readRequestMix(file)).toThrow(/routes\.0\.share/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cost/prices.json', () => {
  test('every price says where it was read and when', () => {
    const sources = [
      ...prices.cognito.sources,
      ...prices.cognito.provisionedCapacity.sources,
      ...prices.cognito.quotas.sources,
      ...prices.apiGateway.sources,
      ...prices.apiGateway.usagePlansAndApiKeys.sources,
      ...prices.lambda.sources,
      ...prices.s3.sources,
      ...prices.cloudWatchLogs.sources,
    ];
    for (const source of sources) {
      expect(source.url).toMatch(/^https:\/\//);
      expect(source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('a band that does not rise is refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cost-prices-'));
    try {
      const file = path.join(dir, 'prices.json');
      const broken = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cost/prices.json'), 'utf8'));
      broken.cognito.plans.lite.tiers[1].upTo = 10;
      writeFileSync(file, JSON.stringify(broken));
      expect(() => readPrices(file)).toThrow(/cognito\.plans\.lite\.tiers: bands must rise/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the templates deploy', () => {
  test('memory, retention, throttles and the plan come from the templates', () => {
    const signIn = deployment.functions.find((fn) => fn.routes.includes('POST /auth/signin'));
    expect(signIn?.memoryMb).toBeGreaterThan(0);
    expect(deployment.logRetentionDays).toBeGreaterThan(0);
    expect(deployment.throttle.authRoutes).toContain('POST /auth/signin');
    expect(deployment.throttle.stageRps).toBeGreaterThan(deployment.throttle.authRouteRps);
    expect(['lite', 'essentials', 'plus']).toContain(defaultPlan());
  });
});

describe('bench figures as npm run cost reads them', () => {
  const [first, second] = deployment.functions;

  test('medians and log bytes from bench/results.json, defaults for what it lacks', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cost-bench-'));
    try {
      const file = path.join(dir, 'results.json');
      writeFileSync(
        file,
        JSON.stringify({
          generatedAt: '2026-11-29T00:00:00.000Z',
          bundles: [
            { name: first?.logicalId, group: 'function', warm: { p50: 12.5 }, cold: { p50: 90 } },
            { name: 'floor', group: 'baseline', warm: { p50: 1 }, cold: { p50: 1 } },
          ],
          logBytes: { [first?.logicalId as string]: { perWarmInvocation: 480, init: 0 } },
        }),
      );
      const measured = readMeasurements(deployment, mix, file);
      expect(measured.byFunction[first?.logicalId as string]).toEqual({
        warmMs: 12.5,
        coldMs: 90,
        logBytesPerInvocation: 480,
        initLogBytes: 0,
      });
      expect(measured.byFunction[second?.logicalId as string]).toEqual({
        warmMs: mix.defaults.warmInvocationMs,
        coldMs: mix.defaults.coldStartMs,
        logBytesPerInvocation: mix.defaults.logBytesPerInvocation,
        initLogBytes: mix.defaults.initLogBytes,
      });
      expect(measured.source).toMatch(
        /^bench\/results\.json of 2026-11-29T00:00:00\.000Z, \d+ figures from the defaults/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no results file: the defaults, and the report says so', () => {
    const measured = readMeasurements(
      deployment,
      mix,
      path.join(os.tmpdir(), 'no-such-results.json'),
    );
    expect(measured.source).toMatch(/^no bench results: defaults of cost\/request-mix\.json/);
  });
});

describe('splitLogByInvocation', () => {
  const line = (fields: object) => JSON.stringify({ level: 'INFO', message: 'request', ...fields });
  const a = line({ function_request_id: 'a' });
  const b1 = line({ function_request_id: 'b', route: '/x' });
  const b2 = line({ function_request_id: 'b', error: 'Y' });
  const atImport = line({ message: 'at import' });

  test('bytes per invocation by request id, import-time lines apart, other output ignored', () => {
    const warning = '(node:1) Warning: NodeVersionSupportWarning: not a Powertools line';
    const log = [atImport, a, warning, b1, b2, ''].join('\n');
    // Cold invocation a is left out of the warm mean; b logged two lines (+1 byte each for \n).
    expect(splitLogByInvocation(log, ['a', 'b'], 'Fn')).toEqual({
      perWarmInvocation: Buffer.byteLength(b1) + 1 + Buffer.byteLength(b2) + 1,
      init: Buffer.byteLength(atImport) + 1,
      invocations: 1,
    });
  });

  test('an invocation without a line means the log is incomplete', () => {
    expect(() => splitLogByInvocation(a, ['a', 'b'], 'Fn')).toThrow(
      /Fn: an invocation has no log line/,
    );
  });
});
