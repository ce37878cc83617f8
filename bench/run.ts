import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { methodLimits } from '../local/gateway/method-throttles';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../local/stack';
import { buildFunctions } from '../sam/build';
import { PROJECT_ROOT } from '../sam/template';
import { killChildren } from './children';
import { measureColdStarts, type Samples } from './cold-starts';
import { measureExport } from './export';
import { type GatewayFigures, measureGateway } from './gateway';
import { evaluateGoals, formatRunsSummary, summarizeRuns } from './goals';
import { measureLogBytes } from './log-bytes';
import { formatReport } from './report';
import type { BenchResults, BundleResult } from './results';
import { Fixtures, type Scenario } from './scenarios';
import { percentile, round, summarize } from './stats';
import { buildTargets, type Target, type Targets } from './targets';
import {
  type GatewayArrival,
  measureThrottle,
  type ThrottleCase,
  type ThrottleFigures,
} from './throttle';

/**
 * `npm run bench`: builds the functions with the template's settings and the baselines,
 * starts the local stack on free ports (temporary data and build folders), measures bundle
 * sizes, cold starts, warm invocations and the local gateway, prints the tables and the
 * goals, and writes bench/results.json and a copy in bench/runs/. Timings are noisy on a
 * shared machine; the goals are ratios against baselines measured in the same rounds of the
 * same run, and `--runs <n>` makes n whole runs and prints how often each goal held.
 *
 * BENCH_RUNS (default 15) sets the cold starts per row (rounds) of each run.
 */

/** How many runs README's goal table counts. */
const REPORTED_RUNS = 5;

const USAGE = `Usage: npm run bench [-- --runs <n>] [--max-load <load>]
       npm run bench -- --summarize [--runs <n>] [<results.json>...]

  --runs <n>           n whole runs, one after the other, then how often each goal held
  --max-load <load>    before each run, wait (up to an hour) until the 1-minute load
                       average is below <load>
  --summarize          print that summary (Markdown, as README shows it) for results files
                       already written: the files named, or else the newest n in bench/runs/
                       (${REPORTED_RUNS} unless --runs says otherwise)`;

const ROUNDS = Number(process.env.BENCH_RUNS ?? 15);
/** Warm invocations after the cold one, in each fresh process. */
const WARM_PER_RUN = 7;
const GATEWAY_WARMUP = 200;
const GATEWAY_REQUESTS = 1000;
const LOAD_SECONDS = 8;
const LOAD_CONNECTIONS = 10;
/** An export of 1,000 log entries must complete within the function's timeout. */
const EXPORT_ENTRIES = 1000;
const EXPORT_RUNS = 5;
/** How long each throttle is measured once its burst is spent. */
const THROTTLE_SECONDS = 10;
/**
 * The stack the figures above are measured on runs without template.yaml's throttles: at
 * loopback speed they would answer most of the load with 429 (100 a second per method). The
 * throttles are measured on a stack of their own, with the defaults.
 */
const UNTHROTTLED: Record<string, string> = {
  ThrottlingRateLimit: '1000000',
  ThrottlingBurstLimit: '1000000',
  AuthThrottlingRateLimit: '1000000',
  AuthThrottlingBurstLimit: '1000000',
};
const RESULTS_FILE = path.join(PROJECT_ROOT, 'bench', 'results.json');
/** Every run's results, one file each, named by when the run ended (its generatedAt). */
const RUNS_DIR = path.join(PROJECT_ROOT, 'bench', 'runs');
/** Every step has its own timeout; this bounds each run whatever happens. */
const DEADLINE_MS = 20 * 60_000;
const LOAD_WAIT_MS = 60 * 60_000;

let stack: LocalStack | undefined;
let throttleStack: LocalStack | undefined;
let workDir: string | undefined;
let interrupted = false;
/** When the gateway last answered a request (performance.now()). */
let lastAnswerAt = 0;

/** Waits until the gateway has answered nothing for a while (at most 30 s). */
async function gatewayQuiet(quietMs = 1_500): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() - lastAnswerAt < quietMs && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function cleanUp(): Promise<void> {
  killChildren();
  const running = [stack, throttleStack];
  stack = undefined;
  throttleStack = undefined;
  for (const each of running) await each?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

function onSignal(signal: NodeJS.Signals): void {
  interrupted = true;
  console.error(`\n${signal}: stopping the local stack and the bench's processes`);
  cleanUp().finally(() => process.exit(130));
}

/**
 * Asks for a higher scheduling priority, which the stack's emulators and every measured
 * process inherit, so that other work on a shared machine disturbs the timings less. Only
 * root may raise it; otherwise the bench runs at the priority it has and records it.
 */
function raisePriority(): number {
  try {
    os.setPriority(0, -10);
  } catch {
    // Not permitted: measure at the priority we have.
  }
  return os.getPriority(0);
}

/** Waits until the 1-minute load average is below `maxLoad`, for an hour at most. */
async function quietMachine(maxLoad: number): Promise<void> {
  const deadline = performance.now() + LOAD_WAIT_MS;
  let [load = 0] = os.loadavg();
  if (load < maxLoad) return;
  console.log(`› Waiting for the load average to fall below ${maxLoad} (now ${round(load)})`);
  while (load >= maxLoad && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    [load = 0] = os.loadavg();
  }
  if (load >= maxLoad) console.log(`  still ${round(load)} after an hour: measuring anyway`);
}

/** One whole run: what `npm run bench` measures, written to bench/results.json and runs/. */
async function measure(): Promise<BenchResults> {
  const started = performance.now();
  const priority = raisePriority();
  const loadAverage = os.loadavg().map((value) => round(value));
  workDir = mkdtempSync(path.join(os.tmpdir(), 'cognito-password-auth-bench-'));
  const buildDir = path.join(workDir, 'build');
  const runDir = path.join(workDir, 'runs');
  mkdirSync(runDir, { recursive: true });

  console.log('› Building the functions (template settings), the baselines and the variants');
  const built = await buildFunctions(buildDir);
  const stackOptions = (name: string): LocalStackOptions => ({
    dataDir: path.join(workDir as string, name),
    apiPort: 0,
    cognitoPort: 0,
    s3Port: 0,
    dynamoDbPort: 0,
    webPort: 0,
    build: false,
    buildDir,
  });
  stack = await startLocalStack({
    ...stackOptions('data'),
    parameterOverrides: UNTHROTTLED,
    onRequest: () => {
      lastAnswerAt = performance.now();
    },
  });
  const targets = await buildTargets(stack, built, workDir);

  console.log('› Local stack up; signing up the bench user');
  const fixtures = new Fixtures(stack);
  await fixtures.setUp();
  const scenarios = new Map<string, Scenario>();
  for (const target of targets.all) {
    if (!scenarios.has(target.scenario))
      scenarios.set(target.scenario, fixtures.scenario(target.scenario));
  }

  console.log(
    `› Cold starts: ${ROUNDS} rounds of ${targets.all.length} fresh processes, ${WARM_PER_RUN} warm invocations after each cold one`,
  );
  const samples = await measureColdStarts({
    targets: targets.all,
    scenarios,
    runs: ROUNDS,
    warmPerRun: WARM_PER_RUN,
    runDir,
    onRound: (index, seconds) => console.log(`  round ${index}/${ROUNDS}: ${seconds.toFixed(1)} s`),
  });

  console.log(
    '› Local gateway: GET /me through it and directly, the session check, then load, then token checks',
  );
  const { outputs } = stack;
  const gateway = await measureGateway({
    apiUrl: outputs.ApiUrl.replace('//localhost:', '//127.0.0.1:'),
    idToken: fixtures.session.idToken,
    authorizer: fixtures.authorizer,
    jwksUrl: `${outputs.CognitoEndpoint}/${outputs.UserPoolId}/.well-known/jwks.json`,
    getMe: {
      bundle: targets.getMe.bundle.file,
      exportName: targets.getMe.bundle.exportName,
      env: targets.getMe.env,
    },
    getMeEvents: (count) => (scenarios.get('get-me') as Scenario).events(count),
    getProtected: {
      bundle: targets.getProtected.bundle.file,
      exportName: targets.getProtected.bundle.exportName,
      env: targets.getProtected.env,
    },
    getProtectedEvents: (count) => (scenarios.get('get-protected') as Scenario).events(count),
    getPublic: {
      bundle: targets.getPublic.bundle.file,
      exportName: targets.getPublic.bundle.exportName,
      env: targets.getPublic.env,
    },
    getPublicEvents: (count) => (scenarios.get('get-public') as Scenario).events(count),
    runDir,
    warmup: GATEWAY_WARMUP,
    requests: GATEWAY_REQUESTS,
    loadSeconds: LOAD_SECONDS,
    loadConnections: LOAD_CONNECTIONS,
    settle: () => gatewayQuiet(),
  });

  console.log(`› Export: POST /me/export of ${EXPORT_ENTRIES} log entries, ${EXPORT_RUNS} times`);
  const exportFigures = await measureExport({
    apiUrl: outputs.ApiUrl.replace('//localhost:', '//127.0.0.1:'),
    fixtures,
    entries: EXPORT_ENTRIES,
    runs: EXPORT_RUNS,
  });
  const exportTimeoutMs =
    (stack.plan.functions.find((fn) => fn.logicalId === 'ExportDataFunction')?.timeoutSeconds ??
      Number.NaN) * 1000;

  console.log('› Log bytes per invocation of each function (for npm run cost)');
  const logBytes = await measureLogBytes({
    targets: targets.all.filter((target) => target.group === 'function'),
    functions: stack.plan.functions,
    scenarios,
    warm: WARM_PER_RUN,
    logDir: path.join(workDir, 'log-bytes'),
  });

  await stack.stop();
  stack = undefined;
  console.log(
    `› Throttles: a stack with ApiKeyRequired=true and the default limits; each route offered twice its rate, counted for ${THROTTLE_SECONDS} s once its burst is spent`,
  );
  const arrivals: GatewayArrival[] = [];
  throttleStack = await startLocalStack({
    ...stackOptions('throttles'),
    parameterOverrides: { ApiKeyRequired: 'true' },
    onRequest: (record) =>
      arrivals.push({
        atMs: performance.now() - record.durationMs,
        method: record.method,
        path: record.path,
        // The gateway's own 429 (no function ran).
        throttled: record.status === 429 && record.function === undefined,
      }),
  });
  const throttles: ThrottleFigures[] = [];
  for (const throttle of throttleCases(throttleStack)) {
    throttles.push(await measureThrottle(throttle, THROTTLE_SECONDS, arrivals));
    const last = throttles.at(-1) as ThrottleFigures;
    console.log(`  ${last.name}: ${last.admitted} admitted, ${last.ratio}× the configured rate`);
  }

  const compiled = compileResults(targets, samples, gateway, throttles, {
    loadAverage,
    loadAverageAtEnd: os.loadavg().map((value) => round(value)),
    priority,
  });
  const results = {
    ...compiled,
    goals: [
      ...compiled.goals,
      {
        id: 'exportWithinTimeout' as const,
        goal: `an export of ${EXPORT_ENTRIES} log entries within the function's timeout (${exportTimeoutMs / 1000} s)`,
        measured: `slowest of ${EXPORT_RUNS}: ${exportFigures.ms.max} ms (${round(exportFigures.ms.max / exportTimeoutMs, 3)}× the timeout; median ${exportFigures.ms.p50} ms, ${round(exportFigures.documentBytes / 1024)} KiB)`,
        value: round(exportFigures.ms.max / exportTimeoutMs, 3),
        limit: 1,
        met: exportFigures.ms.max < exportTimeoutMs,
      },
    ],
    export: { ...exportFigures, timeoutMs: exportTimeoutMs },
    logBytes,
  };
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const copy = path.join(RUNS_DIR, `${results.generatedAt.replaceAll(':', '-')}.json`);
  mkdirSync(RUNS_DIR, { recursive: true });
  writeFileSync(RESULTS_FILE, text);
  writeFileSync(copy, text);
  console.log(`\n${formatReport(results)}`);
  console.log(
    `\nWrote ${path.relative(process.cwd(), RESULTS_FILE)} and ${path.relative(process.cwd(), copy)} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return results;
}

/**
 * One route per kind of throttle, each where that throttle binds (the tightest bucket on it):
 * the key's usage plan, a method under the stage's default, and an auth route's own limit.
 */
function throttleCases(keyed: LocalStack): ThrottleCase[] {
  const { plan, outputs } = keyed;
  const apiUrl = outputs.ApiUrl.replace('//localhost:', '//127.0.0.1:');
  const key = { 'x-api-key': String(outputs.ApiKeyValue) };
  const rateOf = (method: string, route: string) => {
    const limits = methodLimits(plan.methodThrottles, method, route);
    if (!limits) throw new Error(`template.yaml does not throttle ${method} ${route}`);
    return limits.rateLimit;
  };
  const keyRate = plan.usagePlans[0]?.throttle?.rateLimit;
  if (keyRate === undefined) throw new Error('template.yaml has no usage plan throttle');
  if (keyRate >= rateOf('GET', '/public') || rateOf('POST', '/auth/forgot-password') >= keyRate) {
    throw new Error("the key's rate must lie between the auth routes' and the stage's default");
  }
  return [
    {
      name: 'usage plan (per key): GET /public',
      url: `${apiUrl}/public`,
      method: 'GET',
      headers: key,
      configuredRate: keyRate,
    },
    {
      name: 'stage default (per method): OPTIONS /public',
      url: `${apiUrl}/public`,
      method: 'OPTIONS',
      headers: { Origin: outputs.WebUrl, 'Access-Control-Request-Method': 'GET' },
      configuredRate: rateOf('OPTIONS', '/public'),
    },
    {
      name: 'auth route (per method): POST /auth/forgot-password',
      url: `${apiUrl}/auth/forgot-password`,
      method: 'POST',
      headers: { ...key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'nobody+bench@example.com' }),
      configuredRate: rateOf('POST', '/auth/forgot-password'),
    },
  ];
}

function bundleResult(
  target: Target,
  record: Samples,
  targets: Targets,
  floor: Samples,
): BundleResult {
  // A bundle that leaves the SDK external is not comparable by size: the SDK ships apart.
  const { bundle } = target;
  const reference =
    bundle.client && !bundle.clientExternal ? targets.minimal[bundle.client] : undefined;
  const raw = (values: number[]) => values.map((value) => round(value));
  return {
    name: target.name,
    group: target.group,
    description: target.description,
    ...(bundle.client ? { client: bundle.client } : {}),
    bytes: bundle.bytes,
    gzipBytes: bundle.gzipBytes,
    onDemandBytes: bundle.onDemandBytes,
    mapBytes: bundle.mapBytes,
    ...(reference ? { ratioToMinimal: round(bundle.bytes / reference.bytes, 3) } : {}),
    composition: bundle.composition,
    cold: summarize(record.cold),
    coldVsFloor: round(percentile(record.cold, 50) / percentile(floor.cold, 50), 2),
    coldCpu: summarize(record.coldCpu),
    init: summarize(record.init),
    firstInvocation: summarize(record.first),
    warm: summarize(record.warm),
    boot: summarize(record.boot),
    statuses: record.statuses,
    samples: { cold: raw(record.cold), init: raw(record.init), coldCpu: raw(record.coldCpu) },
  };
}

function compileResults(
  targets: Targets,
  samples: Map<Target, Samples>,
  gatewayFigures: GatewayFigures,
  throttles: ThrottleFigures[],
  machine: { loadAverage: number[]; loadAverageAtEnd: number[]; priority: number },
): BenchResults {
  const sampleOf = (name: string) => {
    const target = targets.all.find((candidate) => candidate.name === name);
    const record = target && samples.get(target);
    if (!record) throw new Error(`No samples for ${name}`);
    return record;
  };
  const bundles = targets.all.map((target) =>
    bundleResult(target, samples.get(target) as Samples, targets, sampleOf('floor')),
  );
  const row = (name: string) => {
    const found = bundles.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`No row ${name}`);
    return found;
  };
  const largest = bundles
    .filter((candidate) => candidate.group === 'function' && candidate.ratioToMinimal)
    .sort((a, b) => (b.ratioToMinimal ?? 0) - (a.ratioToMinimal ?? 0))[0];
  const signIn = targets.signIn.name;
  const ratios: BenchResults['ratios'] = {
    signinColdVsFloor: row(signIn).coldVsFloor,
    maxBundleVsMinimal: round(largest?.ratioToMinimal ?? Number.NaN, 3),
    signinColdVsMinimal: round(row(signIn).cold.p50 / row('minimal-cognito').cold.p50, 2),
    minimalColdVsFloor: row('minimal-cognito').coldVsFloor,
    defaultMainFieldsColdVsFloor: row('default-main-fields').coldVsFloor,
    sdkExternalColdVsFloor: row('sdk-external').coldVsFloor,
  };
  const { load } = gatewayFigures;
  const errors = load.reduce((sum, f) => sum + f.non2xx + f.errors + f.timeouts, 0);
  const requests = load.reduce((sum, f) => sum + f.requests, 0);
  const gateway: BenchResults['gateway'] = {
    overheadP50Ms: round(gatewayFigures.viaGateway.p50 - gatewayFigures.direct.p50),
    overheadP99Ms: round(gatewayFigures.viaGateway.p99 - gatewayFigures.direct.p99),
    rps: round(load[0]?.rps ?? Number.NaN, 0),
    errors,
    ...gatewayFigures,
  };
  const goals = evaluateGoals({
    bundles,
    signIn,
    gateway,
    load: { requests, failed: errors },
    throttles: { figures: throttles, seconds: THROTTLE_SECONDS },
  });
  const cpus = os.cpus();
  return {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      totalMemoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      ...machine,
    },
    settings: {
      runs: ROUNDS,
      warmPerRun: WARM_PER_RUN,
      gatewayRequests: GATEWAY_REQUESTS,
      loadSeconds: LOAD_SECONDS,
      loadConnections: LOAD_CONNECTIONS,
      throttleSeconds: THROTTLE_SECONDS,
    },
    signIn,
    ratios,
    gateway,
    throttles,
    goals,
    bundles,
  };
}

/** The newest `count` results in bench/runs/ (their names sort as the times they ended). */
function newestRuns(count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(USAGE);
  const names = existsSync(RUNS_DIR)
    ? readdirSync(RUNS_DIR)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];
  if (names.length < count) {
    throw new Error(`--summarize wants ${count} runs and bench/runs/ holds ${names.length}`);
  }
  return names.slice(-count).map((name) => path.join(RUNS_DIR, name));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      runs: { type: 'string' },
      'max-load': { type: 'string' },
      summarize: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.summarize) {
    const files =
      positionals.length > 0 ? positionals : newestRuns(Number(values.runs ?? REPORTED_RUNS));
    // The files on stderr: stdout is the Markdown alone, to paste into README.
    console.error(
      `Summarizing ${files.map((file) => path.relative(process.cwd(), file)).join(', ')}\n`,
    );
    const results = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchResults);
    console.log(formatRunsSummary(summarizeRuns(results)));
    return;
  }
  const runs = Number(values.runs ?? 1);
  const maxLoad = values['max-load'] === undefined ? undefined : Number(values['max-load']);
  if (!Number.isInteger(runs) || runs < 1 || positionals.length > 0) throw new Error(USAGE);
  if (maxLoad !== undefined && !(maxLoad > 0)) throw new Error('--max-load must be above 0');
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
    throw new Error('BENCH_RUNS must be a whole number');
  }
  const all: BenchResults[] = [];
  for (let run = 1; run <= runs; run += 1) {
    if (runs > 1) console.log(`\n━━ Run ${run} of ${runs}`);
    if (maxLoad !== undefined) await quietMachine(maxLoad);
    const deadline = setTimeout(() => {
      console.error(`✗ bench run did not finish in ${DEADLINE_MS / 60_000} minutes; stopping`);
      cleanUp().finally(() => process.exit(1));
    }, DEADLINE_MS);
    try {
      all.push(await measure());
    } finally {
      clearTimeout(deadline);
      await cleanUp();
    }
  }
  if (runs > 1) {
    console.log(`\nGoals over the ${runs} runs:\n\n${formatRunsSummary(summarizeRuns(all))}`);
  }
}

process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
main()
  .catch((error: unknown) => {
    // After Ctrl-C, whatever was running fails because its stack is gone: not news.
    if (interrupted) return;
    console.error(`✗ bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
