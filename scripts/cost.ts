import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../sam/template';
import { type ChartPoint, writeChart } from './cost/chart';
import { PRICES_FILE, REQUEST_MIX_FILE, readPrices, readRequestMix } from './cost/data';
import {
  BENCH_RESULTS_FILE,
  defaultPlan,
  readDeployment,
  readMeasurements,
} from './cost/deployment';
import {
  estimate,
  type FreeTierChoice,
  formatCount,
  type Load,
  PLANS,
  type PlanId,
} from './cost/model';
import { formatReport } from './cost/report';

/**
 * npm run cost -- --mau 100000 --requests 10000000 [options]: what a month of the deployed
 * stacks costs at that load, line by line, which Cognito quota binds first, and a chart of
 * the monthly total against MAU for the three feature plans. See README, "Cost".
 */

const USAGE = `Usage: npm run cost -- --mau <n> --requests <n> [options]

  --mau <n>               monthly active users
  --requests <n>          API requests a month
  --plan <plan>           Cognito feature plan: lite, essentials or plus (default: auth-stack.yaml's FeaturePlan)
  --data-per-user <MiB>   data each user stores in S3 (default 1)
  --stored-users <n>      users whose data is stored, active or not (default: --mau)
  --free-tier <which>     always (default: only free tiers that never expire), all (also 12-month ones), none
  --api-key               the API is behind an API key and usage plan
  --cold-starts <pct>     percent of invocations that cold-start (default 1)
  --active-hours <h>      hours a day that carry the day's traffic (default 8)
  --peak-to-average <x>   peak rate over the average of those hours (default 3)
  --results <file>        bench results to read durations and log bytes from (default bench/results.json)
  --mix <file>            request mix (default cost/request-mix.json)
  --prices <file>         prices (default cost/prices.json)
  --chart <file>          where to write the SVG chart (default .local/cost-vs-mau.svg)
  --no-chart              write no chart
  --json                  print the estimate as JSON instead of the report
  --help                  this text`;

const DEFAULT_CHART = path.join(PROJECT_ROOT, '.local', 'cost-vs-mau.svg');
/** The chart's MAU axis: from a small app to well past Lite's last volume band. */
const CHART_MAU = [1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7];

class UsageError extends Error {}

function number(
  raw: string | undefined,
  name: string,
  options: { whole?: boolean; min?: number; max?: number; above?: number; fallback?: number },
): number {
  if (raw === undefined) {
    if (options.fallback !== undefined) return options.fallback;
    throw new UsageError(`--${name} is required`);
  }
  const value = Number(raw);
  const valid =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!options.whole || Number.isInteger(value)) &&
    (options.min === undefined || value >= options.min) &&
    (options.above === undefined || value > options.above) &&
    (options.max === undefined || value <= options.max);
  if (!valid) {
    const max = options.max?.toLocaleString('en-US');
    const bounds =
      options.min !== undefined
        ? `from ${options.min}${max ? ` to ${max}` : ' up'}`
        : `above ${options.above}${max ? `, at most ${max}` : ''}`;
    const range = `${options.whole ? 'a whole number' : 'a number'} ${bounds}`;
    throw new UsageError(`--${name} must be ${range} (got '${raw}')`);
  }
  return value;
}

function choice<T extends string>(
  raw: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === raw.toLowerCase());
  if (!found) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${raw}')`);
  return found;
}

const FREE_TIER_LABELS: Record<FreeTierChoice, string> = {
  always: 'only those that never expire (--free-tier all adds the 12-month ones, none drops all)',
  all: 'all, including the 12-month ones of accounts created before 15 July 2025',
  none: 'none applied',
};

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const mau = number(values.mau, 'mau', { whole: true, min: 0, max: 1e10 });
  const load: Load = {
    mau,
    requests: number(values.requests, 'requests', { whole: true, min: 0, max: 1e13 }),
    plan: choice(values.plan, 'plan', PLANS) ?? defaultPlan(),
    dataPerUserMiB: number(values['data-per-user'], 'data-per-user', {
      min: 0,
      max: 1e6,
      fallback: 1,
    }),
    storedUsers: number(values['stored-users'], 'stored-users', {
      whole: true,
      min: 0,
      max: 1e10,
      fallback: mau,
    }),
    freeTier:
      choice(values['free-tier'], 'free-tier', ['always', 'all', 'none'] as const) ?? 'always',
    apiKey: values['api-key'] ?? false,
    coldStartShare:
      number(values['cold-starts'], 'cold-starts', { min: 0, max: 100, fallback: 1 }) / 100,
    activeHours: number(values['active-hours'], 'active-hours', { above: 0, max: 24, fallback: 8 }),
    peakToAverage: number(values['peak-to-average'], 'peak-to-average', {
      min: 1,
      max: 1000,
      fallback: 3,
    }),
  };

  const prices = readPrices(values.prices ? path.resolve(values.prices) : PRICES_FILE);
  const mix = readRequestMix(values.mix ? path.resolve(values.mix) : REQUEST_MIX_FILE);
  const deployment = readDeployment();
  const measurements = readMeasurements(
    deployment,
    mix,
    values.results ? path.resolve(values.results) : BENCH_RESULTS_FILE,
  );
  const result = estimate(load, prices, mix, deployment, measurements);

  let chartFile: string | undefined;
  if (!values['no-chart']) {
    chartFile = values.chart ? path.resolve(values.chart) : DEFAULT_CHART;
    const perUser = (value: number) =>
      mau === 0 ? () => value : (at: number) => (value / mau) * at;
    const requestsAt = perUser(load.requests);
    const storedAt = perUser(load.storedUsers);
    const axis = [...new Set([...CHART_MAU, mau])].filter((at) => at > 0).sort((a, b) => a - b);
    const points: ChartPoint[] = axis.flatMap((at) =>
      PLANS.map((plan: PlanId) => ({
        mau: at,
        plan: prices.cognito.plans[plan].name,
        total: estimate(
          { ...load, plan, mau: at, requests: requestsAt(at), storedUsers: storedAt(at) },
          prices,
          mix,
          deployment,
          measurements,
        ).total,
      })),
    );
    await writeChart(chartFile, points, {
      mau,
      caption: `${formatCount(load.requests / Math.max(mau, 1))} requests and ${load.dataPerUserMiB} MiB per MAU; free tiers: ${load.freeTier}`,
    });
  }

  if (values.json) {
    console.log(
      JSON.stringify(
        { load, ...result, measurements: measurements.source, chart: chartFile ?? null },
        null,
        2,
      ),
    );
  } else {
    console.log(
      formatReport(load, result, prices, {
        measurements: measurements.source,
        freeTierLabel: FREE_TIER_LABELS[load.freeTier],
      }),
    );
    if (chartFile) console.log(`\nChart: ${path.relative(process.cwd(), chartFile)}`);
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      mau: { type: 'string' },
      requests: { type: 'string' },
      plan: { type: 'string' },
      'data-per-user': { type: 'string' },
      'stored-users': { type: 'string' },
      'free-tier': { type: 'string' },
      'api-key': { type: 'boolean' },
      'cold-starts': { type: 'string' },
      'active-hours': { type: 'string' },
      'peak-to-average': { type: 'string' },
      results: { type: 'string' },
      mix: { type: 'string' },
      prices: { type: 'string' },
      chart: { type: 'string' },
      'no-chart': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`npm run cost: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      // A data file or template that does not read: its message says which and where.
      console.error(`npm run cost: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
