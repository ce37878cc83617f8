import type { Prices, RequestMix } from './data';

/**
 * The arithmetic of npm run cost, with no I/O: a month's bill for the deployed stacks from
 * the load, the prices (cost/prices.json), the request mix (cost/request-mix.json), what the
 * templates deploy and what the bench measured. Every line says how it was computed.
 */

export type PlanId = 'lite' | 'essentials' | 'plus';
export const PLANS: readonly PlanId[] = ['lite', 'essentials', 'plus'];

export type FreeTierKind = 'always' | '12-month';
/** Which free tiers to apply: only those that never expire, also the 12-month ones, or none. */
export type FreeTierChoice = 'always' | 'all' | 'none';

export interface Tier {
  /** Cumulative billable quantity where the band ends; null: no end. */
  upTo: number | null;
  price: number;
}

export interface FreeTier {
  quantity: number;
  kind: FreeTierKind;
}

export interface Charge {
  quantity: number;
  /** The part of the quantity the free tier covered. */
  free: number;
  freeKind?: FreeTierKind;
  cost: number;
  /** Quantity billed in each band, in order. */
  bands: { quantity: number; price: number }[];
}

/** Hours in the month AWS prices by (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const GIB = 2 ** 30;

export function freeTierApplies(kind: FreeTierKind, choice: FreeTierChoice): boolean {
  return choice === 'all' || (choice === 'always' && kind === 'always');
}

/** Bills `quantity` through volume bands after taking the free tier off, as AWS does. */
export function charge(
  quantity: number,
  tiers: readonly Tier[],
  free: FreeTier | undefined,
  choice: FreeTierChoice,
): Charge {
  const covered =
    free && freeTierApplies(free.kind, choice) ? Math.min(quantity, free.quantity) : 0;
  let remaining = quantity - covered;
  let start = 0;
  const bands: Charge['bands'] = [];
  for (const tier of tiers) {
    if (remaining <= 0) break;
    const width = tier.upTo === null ? remaining : Math.min(remaining, tier.upTo - start);
    if (width > 0) bands.push({ quantity: width, price: tier.price });
    remaining -= Math.max(width, 0);
    start = tier.upTo ?? start;
  }
  if (remaining > 0) throw new Error('price bands end before the quantity does');
  return {
    quantity,
    free: covered,
    ...(covered > 0 && free ? { freeKind: free.kind } : {}),
    cost: bands.reduce((sum, band) => sum + band.quantity * band.price, 0),
    bands,
  };
}

export interface Load {
  mau: number;
  /** API requests a month. */
  requests: number;
  plan: PlanId;
  /** Users whose data is stored (active or not). */
  storedUsers: number;
  dataPerUserMiB: number;
  freeTier: FreeTierChoice;
  apiKey: boolean;
  /** Fraction of invocations that start a new execution environment. */
  coldStartShare: number;
  /** Hours a day over which the day's traffic falls. */
  activeHours: number;
  /** Peak request rate ÷ the average over those hours. */
  peakToAverage: number;
}

/** What template.yaml deploys, as far as the bill is concerned. */
export interface Deployment {
  functions: { logicalId: string; memoryMb: number; routes: string[] }[];
  logRetentionDays: number;
  /**
   * The stage's default rate limit, which API Gateway applies to each method on its own, and the
   * limit of the auth routes that have one of their own.
   */
  throttle: { stageRps: number; authRouteRps: number; authRoutes: string[] };
}

/** Per-function figures: measured by npm run bench, or the mix file's defaults. */
export interface FunctionFigures {
  warmMs: number;
  coldMs: number;
  logBytesPerInvocation: number;
  initLogBytes: number;
}

export interface Measurements {
  /** Where the figures come from, for the report. */
  source: string;
  byFunction: Record<string, FunctionFigures>;
}

export interface Line {
  service: string;
  item: string;
  detail: string;
  cost: number;
  /** What the free tier took off, if anything. */
  free?: string;
}

export interface QuotaUse {
  category: string;
  monthlyCalls: number;
  peakRps: number;
  defaultRps: number;
  /** Peak ÷ default quota. */
  utilization: number;
  adjustable: boolean;
  /** RPS to buy above the default quota at this load, and what a month of it costs. */
  extraRps: number;
  extraCostPerMonth: number;
}

export interface ThrottleUse {
  limit: string;
  peakRps: number;
  limitRps: number;
  utilization: number;
}

export interface Estimate {
  lines: Line[];
  total: number;
  cognitoByPlan: Record<PlanId, number>;
  quotas: QuotaUse[];
  throttles: ThrottleUse[];
  /** Requests routed to each function in the month. */
  invocations: Record<string, number>;
  logGiB: number;
}

function functionOf(route: string, deployment: Deployment) {
  const fn = deployment.functions.find((candidate) =>
    route === 'OPTIONS *'
      ? candidate.routes.some((own) => own.startsWith('OPTIONS '))
      : candidate.routes.includes(route),
  );
  if (!fn) throw new Error(`template.yaml has no function for ${route}`);
  return fn;
}

/** Average rate over the active hours of a day, times the peak-to-average ratio. */
export function peakRps(monthly: number, load: Pick<Load, 'activeHours' | 'peakToAverage'>) {
  return (monthly / (DAYS_PER_MONTH * load.activeHours * 3600)) * load.peakToAverage;
}

export function estimate(
  load: Load,
  prices: Prices,
  mix: RequestMix,
  deployment: Deployment,
  measured: Measurements,
): Estimate {
  const lines: Line[] = [];
  const freeNote = (charged: Charge, unit: string, free: FreeTier) => {
    if (charged.free > 0) {
      return `${formatCount(charged.free)} ${unit} free (${free.kind === 'always' ? 'always free' : '12-month'})`;
    }
    if (free.quantity > 0 && !freeTierApplies(free.kind, load.freeTier)) {
      return `its ${free.kind === 'always' ? 'always-free' : '12-month'} free tier of ${formatCount(free.quantity)} ${unit} not applied (--free-tier)`;
    }
    return undefined;
  };
  const add = (line: Line) => lines.push(line.free === undefined ? omitFree(line) : line);

  const cognitoByPlan = Object.fromEntries(
    PLANS.map((id) => {
      const plan = prices.cognito.plans[id];
      return [id, charge(load.mau, plan.tiers, plan.free, load.freeTier).cost];
    }),
  ) as Record<PlanId, number>;
  const plan = prices.cognito.plans[load.plan];
  const cognito = charge(load.mau, plan.tiers, plan.free, load.freeTier);
  add({
    service: 'Cognito',
    item: `${plan.name} plan, MAU`,
    detail: bandsDetail(cognito, 'MAU'),
    cost: cognito.cost,
    free: freeNote(cognito, 'MAU', plan.free),
  });

  const api = charge(load.requests, prices.apiGateway.tiers, prices.apiGateway.free, load.freeTier);
  add({
    service: 'API Gateway',
    item: 'REST API requests',
    detail: bandsDetail(api, 'req', 1e6, '/M'),
    cost: api.cost,
    free: freeNote(api, 'requests', prices.apiGateway.free),
  });
  if (load.apiKey) {
    add({
      service: 'API Gateway',
      item: 'API keys and usage plan',
      detail: 'no charge of their own (the requests above are all that is billed)',
      cost: prices.apiGateway.usagePlansAndApiKeys.perMonth,
    });
  }

  const invocations: Record<string, number> = {};
  const perRoute = mix.routes.map((entry) => {
    const count = load.requests * entry.share;
    const fn = functionOf(entry.route, deployment);
    invocations[fn.logicalId] = (invocations[fn.logicalId] ?? 0) + count;
    return { ...entry, count };
  });

  const lambdaRequests = charge(
    load.requests,
    prices.lambda.requests.tiers,
    prices.lambda.requests.free,
    load.freeTier,
  );
  add({
    service: 'Lambda',
    item: 'requests (arm64)',
    detail: bandsDetail(lambdaRequests, 'req', 1e6, '/M'),
    cost: lambdaRequests.cost,
    free: freeNote(lambdaRequests, 'requests', prices.lambda.requests.free),
  });

  let gbSeconds = 0;
  let logBytes = 0;
  for (const fn of deployment.functions) {
    const count = invocations[fn.logicalId] ?? 0;
    const figures = measured.byFunction[fn.logicalId];
    if (count === 0) continue;
    if (!figures) throw new Error(`no duration or log figures for ${fn.logicalId}`);
    // Lambda bills each invocation rounded up to the millisecond, a cold one with its init.
    const billedMs =
      (1 - load.coldStartShare) * Math.ceil(figures.warmMs) +
      load.coldStartShare * Math.ceil(figures.coldMs);
    gbSeconds += count * (billedMs / 1000) * (fn.memoryMb / 1024);
    logBytes +=
      count * (figures.logBytesPerInvocation + load.coldStartShare * figures.initLogBytes);
  }
  const duration = charge(
    gbSeconds,
    prices.lambda.durationArm64.tiers,
    prices.lambda.durationArm64.free,
    load.freeTier,
  );
  add({
    service: 'Lambda',
    item: 'duration (arm64)',
    detail: `${bandsDetail(duration, 'GB-s')}; memory from template.yaml, ${percent(load.coldStartShare)} cold starts`,
    cost: duration.cost,
    free: freeNote(duration, 'GB-s', prices.lambda.durationArm64.free),
  });

  const s3Calls = { tier1: 0, tier2: 0, free: 0 };
  for (const route of perRoute) {
    for (const operation of route.s3) {
      const tier = prices.s3.operations[operation];
      if (!tier) throw new Error(`cost/prices.json has no S3 request class for ${operation}`);
      s3Calls[tier] += route.count;
    }
  }
  const s3RequestCost =
    s3Calls.tier1 * prices.s3.requests.tier1 + s3Calls.tier2 * prices.s3.requests.tier2;
  add({
    service: 'S3',
    item: 'requests',
    detail: `${formatCount(s3Calls.tier1)} PUT/LIST × ${money(prices.s3.requests.tier1 * 1000, 4)}/1k + ${formatCount(s3Calls.tier2)} GET/HEAD × ${money(prices.s3.requests.tier2 * 1000, 4)}/1k; ${formatCount(s3Calls.free)} DELETE free`,
    cost: s3RequestCost,
  });
  const units = { read: 0, write: 0 };
  for (const route of perRoute) {
    for (const operation of route.dynamodb) {
      const unit = prices.dynamodb.operations[operation];
      if (!unit) throw new Error(`cost/prices.json has no DynamoDB request unit for ${operation}`);
      units[unit] += route.count;
    }
  }
  add({
    service: 'DynamoDB',
    item: 'session record (on-demand)',
    detail: `${formatCount(units.read)} strongly consistent reads × ${money(prices.dynamodb.readRequestUnit * 1e6, 3)}/M + ${formatCount(units.write)} writes × ${money(prices.dynamodb.writeRequestUnit * 1e6, 3)}/M`,
    cost:
      units.read * prices.dynamodb.readRequestUnit + units.write * prices.dynamodb.writeRequestUnit,
  });
  const storedGiB = (load.storedUsers * load.dataPerUserMiB) / 1024;
  const storage = charge(storedGiB, prices.s3.storage.tiers, undefined, load.freeTier);
  add({
    service: 'S3',
    item: 'storage (Standard)',
    detail: `${formatCount(load.storedUsers)} users × ${load.dataPerUserMiB} MiB = ${bandsDetail(storage, 'GB-mo')}`,
    cost: storage.cost,
  });

  const logGiB = logBytes / GIB;
  const ingestion = charge(
    logGiB,
    prices.cloudWatchLogs.lambdaIngestion.tiers,
    prices.cloudWatchLogs.lambdaIngestion.free,
    load.freeTier,
  );
  add({
    service: 'CloudWatch Logs',
    item: 'ingestion (Lambda logs)',
    detail: `${formatBytes(logBytes / Math.max(load.requests, 1))}/request → ${bandsDetail(ingestion, 'GB')}`,
    cost: ingestion.cost,
    free: freeNote(ingestion, 'GB', prices.cloudWatchLogs.lambdaIngestion.free),
  });
  // At a steady load a log group holds `retention` days of ingestion (stored uncompressed
  // here: CloudWatch compresses archives, so this is an upper bound).
  const storedLogGiB = (logGiB * deployment.logRetentionDays) / DAYS_PER_MONTH;
  const logStorage = charge(
    storedLogGiB,
    prices.cloudWatchLogs.storage.tiers,
    undefined,
    load.freeTier,
  );
  add({
    service: 'CloudWatch Logs',
    item: 'storage',
    detail: `${deployment.logRetentionDays} days retained (template.yaml) = ${bandsDetail(logStorage, 'GB-mo')}, uncompressed upper bound`,
    cost: logStorage.cost,
  });

  const total = lines.reduce((sum, line) => sum + line.cost, 0);
  return {
    lines,
    total,
    cognitoByPlan,
    quotas: quotaUse(load, prices, perRoute),
    throttles: throttleUse(load, deployment, perRoute),
    invocations,
    logGiB,
  };
}

function quotaUse(
  load: Load,
  prices: Prices,
  perRoute: (RequestMix['routes'][number] & { count: number })[],
): QuotaUse[] {
  const categories = Object.entries(prices.cognito.quotas.categories);
  const calls = new Map(categories.map(([name]) => [name, 0]));
  for (const route of perRoute) {
    for (const operation of route.cognito) {
      const found = categories.find(([, category]) => operation in category.operations);
      if (!found) throw new Error(`cost/prices.json puts ${operation} in no quota category`);
      calls.set(found[0], (calls.get(found[0]) ?? 0) + route.count);
    }
  }
  return categories
    .map(([name, category]) => {
      const monthlyCalls = calls.get(name) ?? 0;
      const peak = peakRps(monthlyCalls, load);
      const extraRps = Math.max(0, Math.ceil(peak - category.defaultRps));
      return {
        category: name,
        monthlyCalls,
        peakRps: peak,
        defaultRps: category.defaultRps,
        utilization: peak / category.defaultRps,
        adjustable: category.adjustable,
        extraRps,
        extraCostPerMonth: extraRps * prices.cognito.provisionedCapacity.perRpsMonth,
      };
    })
    .sort((a, b) => b.utilization - a.utilization);
}

function throttleUse(
  load: Load,
  deployment: Deployment,
  perRoute: (RequestMix['routes'][number] & { count: number })[],
): ThrottleUse[] {
  // The stage's default is each method's own limit (a bucket per method, not one for the
  // stage): what binds is the busiest method without a limit of its own. The mix counts the
  // CORS preflights of every path together; each is a method of its own.
  const preflights = deployment.functions
    .flatMap((fn) => fn.routes)
    .filter((route) => route.startsWith('OPTIONS ')).length;
  const [busiest] = perRoute
    .filter((entry) => !deployment.throttle.authRoutes.includes(entry.route))
    .map((entry) => ({
      route: entry.route === 'OPTIONS *' ? 'OPTIONS (each path)' : entry.route,
      peak: peakRps(
        entry.route === 'OPTIONS *' ? entry.count / Math.max(preflights, 1) : entry.count,
        load,
      ),
    }))
    .sort((a, b) => b.peak - a.peak);
  const uses: ThrottleUse[] = busiest
    ? [
        {
          limit: `${busiest.route} (ThrottlingRateLimit, per method)`,
          peakRps: busiest.peak,
          limitRps: deployment.throttle.stageRps,
          utilization: busiest.peak / deployment.throttle.stageRps,
        },
      ]
    : [];
  for (const route of deployment.throttle.authRoutes) {
    const count = perRoute.find((entry) => entry.route === route)?.count ?? 0;
    const peak = peakRps(count, load);
    uses.push({
      limit: `${route} (AuthThrottlingRateLimit)`,
      peakRps: peak,
      limitRps: deployment.throttle.authRouteRps,
      utilization: peak / deployment.throttle.authRouteRps,
    });
  }
  return uses.sort((a, b) => b.utilization - a.utilization);
}

function omitFree(line: Line): Line {
  const { free: _free, ...rest } = line;
  return rest;
}

function bandsDetail(charged: Charge, unit: string, per = 1, perLabel = ''): string {
  if (charged.bands.length === 0) return `${formatCount(charged.quantity)} ${unit}`;
  return charged.bands
    .map(
      (band) =>
        `${formatCount(band.quantity)} ${unit} × ${money(band.price * per, per === 1 ? 5 : 2)}${perLabel}`,
    )
    .join(' + ');
}

export function money(value: number, digits = 2): string {
  const fixed = value.toFixed(digits);
  // Trailing zeros past the cents say nothing: $0.00460 → $0.0046.
  const trimmed = digits > 2 ? fixed.replace(/(\.\d\d\d*?)0+$/, '$1') : fixed;
  const [whole = '0', fraction] = trimmed.split('.');
  return `$${Number(whole).toLocaleString('en-US')}${fraction === undefined ? '' : `.${fraction}`}`;
}

export function formatCount(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toLocaleString('en-US');
}

function formatBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString('en-US')} B`;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
