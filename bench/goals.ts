import type { BenchResults, BundleResult } from './results';
import { round } from './stats';
import type { ThrottleFigures } from './throttle';

/**
 * The goals `npm run bench` checks, each a ratio of one run (or a count) against a limit, and
 * how often each held over several runs. Wall-clock ratios move from run to run on a shared
 * machine, so one run says little: `npm run bench -- --runs 5` prints the summary below.
 */

export type GoalId =
  | 'signinColdVsFloor'
  | 'storageColdVsFloor'
  | 'cognitoBundleVsMinimal'
  | 'storageBundleVsMinimal'
  | 'signinColdVsFloorBefore'
  | 'bundleVsMinimalBefore'
  | 'gatewayOverhead'
  | 'loadErrors'
  | 'throttleRates'
  | 'exportWithinTimeout';

export interface Goal {
  id: GoalId;
  goal: string;
  /** What was measured, in words (the figures behind `value`). */
  measured: string;
  /** The measured figure the limit applies to: met when value ≤ limit. */
  value: number;
  limit: number;
  met: boolean;
}

export interface GoalInputs {
  bundles: BundleResult[];
  /** The row of the sign-in function. */
  signIn: string;
  gateway: { overheadP50Ms: number; overheadP99Ms: number };
  load: { requests: number; failed: number };
  /** Each local throttle's figures, and how long each was counted. */
  throttles: { figures: ThrottleFigures[]; seconds: number };
}

const functionsOf = (bundles: BundleResult[], client?: 'cognito' | 's3') =>
  bundles.filter(
    (row) => row.group === 'function' && (client ? row.client === client : row.client),
  );

/** The row with the largest figure, and the figure. */
function largest(rows: BundleResult[], figure: (row: BundleResult) => number | undefined) {
  let top: { row: BundleResult; value: number } | undefined;
  for (const row of rows) {
    const value = figure(row);
    if (value !== undefined && (top === undefined || value > top.value)) top = { row, value };
  }
  if (!top) throw new Error('no function to measure the goal on');
  return top;
}

export function evaluateGoals({ bundles, signIn, gateway, load, throttles }: GoalInputs): Goal[] {
  const row = (name: string) => {
    const found = bundles.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`No row ${name}`);
    return found;
  };
  const signInRow = row(signIn);
  const floor = row('floor');
  const signInCold = {
    value: signInRow.coldVsFloor,
    measured: `${signInRow.coldVsFloor}× (p50 ${signInRow.cold.p50} ms vs ${floor.cold.p50} ms; p90 ${signInRow.cold.p90} vs ${floor.cold.p90} ms)`,
  };
  const storageCold = largest(functionsOf(bundles, 's3'), (r) => r.coldVsFloor);
  const cognitoBundle = largest(functionsOf(bundles, 'cognito'), (r) => r.ratioToMinimal);
  const storageBundle = largest(functionsOf(bundles, 's3'), (r) => r.ratioToMinimal);
  const anyBundle = largest(functionsOf(bundles), (r) => r.ratioToMinimal);
  const ofRow = ({ row: r, value }: { row: BundleResult; value: number }, detail: string) => ({
    value: round(value, 3),
    measured: `largest ${round(value, 3)}× (${r.name}, ${detail})`,
  });
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

  const goals: [GoalId, string, number, { value: number; measured: string }][] = [
    ['signinColdVsFloor', 'sign-in cold p50 ≤ 1.25× the bare-fetch floor', 1.25, signInCold],
    [
      'storageColdVsFloor',
      'every storage function cold p50 ≤ 1.4× the floor',
      1.4,
      ofRow(storageCold, `p50 ${storageCold.row.cold.p50} ms`),
    ],
    [
      'cognitoBundleVsMinimal',
      "every Cognito function's bundle ≤ 0.75× the minimal Cognito handler",
      0.75,
      ofRow(cognitoBundle, kib(cognitoBundle.row.bytes)),
    ],
    [
      'storageBundleVsMinimal',
      "every storage function's bundle ≤ 0.8× the minimal S3 handler",
      0.8,
      ofRow(storageBundle, kib(storageBundle.row.bytes)),
    ],
    ['signinColdVsFloorBefore', 'sign-in cold p50 ≤ 1.5× the floor (before)', 1.5, signInCold],
    [
      'bundleVsMinimalBefore',
      "every function's bundle ≤ 1.15× the minimal SDK handler of its client (before)",
      1.15,
      ofRow(anyBundle, kib(anyBundle.row.bytes)),
    ],
    [
      'gatewayOverhead',
      'local gateway overhead p50 ≤ 2 ms',
      2,
      {
        value: gateway.overheadP50Ms,
        measured: `${gateway.overheadP50Ms} ms (p99 ${gateway.overheadP99Ms} ms)`,
      },
    ],
    [
      'loadErrors',
      'zero errors under load',
      0,
      { value: load.failed, measured: `${load.failed} non-2xx or failed of ${load.requests}` },
    ],
    [
      'throttleRates',
      `every local throttle admits its configured rate ±10% over ${throttles.seconds} s`,
      0.1,
      {
        // The figure is the worst throttle's distance from its rate: 0.1 is 10% off.
        value: round(
          Math.max(...throttles.figures.map((figures) => Math.abs(figures.ratio - 1))),
          3,
        ),
        measured: throttles.figures.map((figures) => `${figures.ratio}×`).join(', '),
      },
    ],
  ];
  return goals.map(([id, goal, limit, { value, measured }]) => ({
    id,
    goal,
    measured,
    value,
    limit,
    met: value <= limit,
  }));
}

export interface RunsSummary {
  runs: {
    generatedAt: string;
    loadAverage: number[];
    loadAverageAtEnd: number[];
    priority: number;
    coldStartsPerRow: number;
    signIn: { p50: number; p90: number };
    floor: { p50: number; p90: number };
  }[];
  goals: { id: GoalId; goal: string; limit: number; held: number; values: number[] }[];
}

/** How often each goal held over several runs, with each run's figure (in run order). */
export function summarizeRuns(results: BenchResults[]): RunsSummary {
  if (results.length === 0) throw new Error('no bench results to summarize');
  const goals = new Map<GoalId, RunsSummary['goals'][number]>();
  for (const result of results) {
    for (const goal of result.goals) {
      const entry = goals.get(goal.id) ?? {
        id: goal.id,
        goal: goal.goal,
        limit: goal.limit,
        held: 0,
        values: [],
      };
      entry.held += goal.met ? 1 : 0;
      entry.values.push(goal.value);
      goals.set(goal.id, entry);
    }
  }
  const incomplete = [...goals.values()].filter((goal) => goal.values.length !== results.length);
  if (incomplete.length > 0) {
    throw new Error(`goals missing from some runs: ${incomplete.map((g) => g.id).join(', ')}`);
  }
  const cold = (result: BenchResults, name: string) => {
    const found = result.bundles.find((row) => row.name === name);
    if (!found) throw new Error(`${result.generatedAt}: no row ${name}`);
    return { p50: found.cold.p50, p90: found.cold.p90 };
  };
  return {
    runs: results.map((result) => ({
      generatedAt: result.generatedAt,
      loadAverage: result.machine.loadAverage,
      loadAverageAtEnd: result.machine.loadAverageAtEnd,
      priority: result.machine.priority,
      coldStartsPerRow: result.settings.runs,
      signIn: cold(result, result.signIn),
      floor: cold(result, 'floor'),
    })),
    goals: [...goals.values()],
  };
}

/** The summary as Markdown tables, as README shows them. */
export function formatRunsSummary(summary: RunsSummary): string {
  const n = summary.runs.length;
  const figure = (value: number) => String(value);
  const goalRows = summary.goals.map((goal) => {
    const sorted = [...goal.values].sort((a, b) => a - b);
    const spread = `${figure(sorted[0] ?? Number.NaN)}–${figure(sorted.at(-1) ?? Number.NaN)}`;
    return `| ${goal.goal} | ${goal.held} of ${n} | ${goal.values.map(figure).join(', ')} | ${spread} |`;
  });
  const runRows = summary.runs.map(
    (run, index) =>
      `| ${index + 1} | ${run.generatedAt.slice(0, 16).replace('T', ' ')} | ${run.loadAverage.join(', ')} | ${run.loadAverageAtEnd[0]} | ${run.priority} | ${run.coldStartsPerRow} | ${run.signIn.p50} / ${run.signIn.p90} | ${run.floor.p50} / ${run.floor.p90} |`,
  );
  return [
    '| goal | holds in | each run | spread |',
    '| --- | ---: | --- | --- |',
    ...goalRows,
    '',
    '| run | ended (UTC) | load average at start (1, 5, 15 min) | at the end (1 min) | nice | cold starts per row | sign-in cold p50 / p90 ms | floor cold p50 / p90 ms |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...runRows,
  ].join('\n');
}
