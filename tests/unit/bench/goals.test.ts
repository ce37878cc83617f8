import { evaluateGoals, formatRunsSummary, summarizeRuns } from '../../../bench/goals';
import type { BenchResults, BundleResult } from '../../../bench/results';

/** The goals of `npm run bench`, and how often they held over several runs. */

const summary = (p50: number, p90 = p50) => ({ n: 15, p50, p90, p99: p90, min: p50, max: p90 });

function row(
  name: string,
  fields: { group?: BundleResult['group']; client?: 'cognito' | 's3'; cold: number; kib?: number },
  floorCold: number,
  minimalKib?: number,
): BundleResult {
  const bytes = (fields.kib ?? 1) * 1024;
  return {
    name,
    group: fields.group ?? 'function',
    description: name,
    ...(fields.client ? { client: fields.client } : {}),
    bytes,
    gzipBytes: bytes / 3,
    onDemandBytes: 0,
    mapBytes: 0,
    ...(minimalKib
      ? { ratioToMinimal: Math.round((bytes / (minimalKib * 1024)) * 1000) / 1000 }
      : {}),
    composition: {},
    cold: summary(fields.cold, fields.cold * 1.3),
    coldVsFloor: Math.round((fields.cold / floorCold) * 100) / 100,
    coldCpu: summary(fields.cold),
    init: summary(fields.cold / 2),
    firstInvocation: summary(fields.cold / 2),
    warm: summary(2),
    boot: summary(30),
    statuses: { '200': 8 },
    samples: { cold: [], init: [], coldCpu: [] },
  };
}

/** One run: sign-in and a second Cognito function, two storage functions, the baselines. */
function bundles(signInCold: number, storageCold: [number, number], floorCold = 80) {
  const cognito = 320;
  const s3 = 420;
  return [
    row('SignInFunction', { client: 'cognito', cold: signInCold, kib: 208 }, floorCold, cognito),
    row('ChangePasswordFunction', { client: 'cognito', cold: 90, kib: 240 }, floorCold, cognito),
    row('GetLogFunction', { client: 's3', cold: storageCold[0], kib: 311 }, floorCold, s3),
    row('CreateLogFunction', { client: 's3', cold: storageCold[1], kib: 317 }, floorCold, s3),
    row('GetMeFunction', { cold: 15, kib: 31 }, floorCold),
    row('floor', { group: 'baseline', cold: floorCold }, floorCold),
    row(
      'minimal-cognito',
      { group: 'baseline', client: 'cognito', cold: 96, kib: cognito },
      floorCold,
      cognito,
    ),
    row('minimal-s3', { group: 'baseline', client: 's3', cold: 119, kib: s3 }, floorCold, s3),
  ];
}

const throttle = (name: string, ratio: number) => ({
  name,
  configuredRate: 50,
  offeredRate: 100,
  seconds: 10,
  admitted: Math.round(ratio * 500),
  throttled: 500,
  ratio,
});

const goalsOf = (
  signInCold: number,
  storageCold: [number, number],
  failed = 0,
  throttleRatios = [1.002, 0.98],
) =>
  evaluateGoals({
    bundles: bundles(signInCold, storageCold),
    signIn: 'SignInFunction',
    gateway: { overheadP50Ms: 1.1, overheadP99Ms: 4 },
    load: { requests: 20_000, failed },
    throttles: {
      figures: throttleRatios.map((ratio, index) => throttle(`throttle ${index}`, ratio)),
      seconds: 10,
    },
  });

function run(generatedAt: string, goals: ReturnType<typeof goalsOf>): BenchResults {
  return {
    generatedAt,
    machine: {
      cpus: 2,
      cpuModel: 'test',
      totalMemoryGiB: 8,
      node: 'v22',
      platform: 'linux',
      arch: 'x64',
      loadAverage: [0.5, 0.8, 1.2],
      loadAverageAtEnd: [1.6, 1.1, 1.3],
      priority: -10,
    },
    settings: {
      runs: 15,
      warmPerRun: 7,
      gatewayRequests: 1000,
      loadSeconds: 8,
      loadConnections: 10,
      throttleSeconds: 10,
    },
    signIn: 'SignInFunction',
    ratios: {
      signinColdVsFloor: 0,
      maxBundleVsMinimal: 0,
      signinColdVsMinimal: 0,
      minimalColdVsFloor: 0,
      defaultMainFieldsColdVsFloor: 0,
      sdkExternalColdVsFloor: 0,
    },
    gateway: {} as BenchResults['gateway'],
    throttles: [],
    goals,
    bundles: bundles(100, [100, 100]),
  };
}

describe('the goals of one run', () => {
  it('measure each on the right rows, the largest function deciding', () => {
    const goals = goalsOf(100, [104, 112], 3);
    expect(Object.fromEntries(goals.map((goal) => [goal.id, [goal.value, goal.met]]))).toEqual({
      signinColdVsFloor: [1.25, true],
      storageColdVsFloor: [1.4, true],
      cognitoBundleVsMinimal: [0.75, true],
      storageBundleVsMinimal: [0.755, true],
      signinColdVsFloorBefore: [1.25, true],
      bundleVsMinimalBefore: [0.755, true],
      gatewayOverhead: [1.1, true],
      loadErrors: [3, false],
      throttleRates: [0.02, true],
    });
    expect(goals.find((goal) => goal.id === 'storageColdVsFloor')?.measured).toBe(
      'largest 1.4× (CreateLogFunction, p50 112 ms)',
    );
    expect(goals.find((goal) => goal.id === 'signinColdVsFloor')?.measured).toBe(
      '1.25× (p50 100 ms vs 80 ms; p90 130 vs 104 ms)',
    );
  });

  it('fail just past their limit', () => {
    const goals = goalsOf(101, [113, 90], 0, [1, 0.899]);
    expect(goals.filter((goal) => !goal.met).map((goal) => goal.id)).toEqual([
      'signinColdVsFloor',
      'storageColdVsFloor',
      'throttleRates',
    ]);
    expect(goals.find((goal) => goal.id === 'throttleRates')?.measured).toBe('1×, 0.899×');
  });
});

describe('goals over several runs', () => {
  const runs = [
    run('2026-11-29T22:00:00.000Z', goalsOf(98, [100, 110])),
    run('2026-11-29T22:05:00.000Z', goalsOf(104, [100, 118])),
    run('2026-11-29T22:10:00.000Z', goalsOf(96, [100, 108])),
  ];

  it('count the runs each held in, with every run’s figure in order', () => {
    const goals = summarizeRuns(runs).goals;
    expect(goals.find((goal) => goal.id === 'signinColdVsFloor')).toMatchObject({
      held: 2,
      values: [1.23, 1.3, 1.2],
    });
    expect(goals.find((goal) => goal.id === 'storageColdVsFloor')).toMatchObject({
      held: 2,
      values: [1.38, 1.48, 1.35],
    });
    expect(goals.find((goal) => goal.id === 'signinColdVsFloorBefore')?.held).toBe(3);
  });

  it('print as README shows them', () => {
    const lines = formatRunsSummary(summarizeRuns(runs)).split('\n');
    expect(lines).toContain(
      '| sign-in cold p50 ≤ 1.25× the bare-fetch floor | 2 of 3 | 1.23, 1.3, 1.2 | 1.2–1.3 |',
    );
    expect(lines).toContain(
      '| 2 | 2026-11-29 22:05 | 0.5, 0.8, 1.2 | 1.6 | -10 | 15 | 100 / 130 | 80 / 104 |',
    );
  });

  it('refuse runs that did not measure the same goals', () => {
    const older = run('2026-11-28T10:00:00.000Z', goalsOf(98, [100, 110]).slice(1));
    expect(() => summarizeRuns([...runs, older])).toThrow(
      /goals missing from some runs: signinColdVsFloor/,
    );
  });
});
