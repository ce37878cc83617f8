import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * The two data files of npm run cost, checked against their schemas when read so that a
 * typo in a price or a share is an error that names the field, not a wrong bill.
 */

export const PRICES_FILE = path.join(PROJECT_ROOT, 'cost', 'prices.json');
export const REQUEST_MIX_FILE = path.join(PROJECT_ROOT, 'cost', 'request-mix.json');

const Amount = v.pipe(v.number(), v.finite(), v.minValue(0));
const Tiers = v.pipe(
  v.array(v.object({ upTo: v.nullable(v.pipe(Amount, v.minValue(1))), price: Amount })),
  v.nonEmpty(),
  v.check(
    (tiers) =>
      tiers.at(-1)?.upTo === null &&
      tiers.every((tier, index) => {
        const previous = index === 0 ? 0 : (tiers[index - 1]?.upTo ?? Number.POSITIVE_INFINITY);
        return index === tiers.length - 1 || (tier.upTo !== null && tier.upTo > previous);
      }),
    'bands must rise and the last must have no end (upTo: null)',
  ),
);
const Free = v.object({ quantity: Amount, kind: v.picklist(['always', '12-month']) });
const Source = v.object({
  url: v.pipe(v.string(), v.url()),
  read: v.pipe(v.string(), v.isoDate()),
  via: v.optional(v.string()),
  note: v.optional(v.string()),
});
const Sources = v.pipe(v.array(Source), v.nonEmpty());
const Plan = v.object({ name: v.string(), free: Free, tiers: Tiers });
const S3RequestClass = v.picklist(['tier1', 'tier2', 'free']);

const PricesSchema = v.object({
  region: v.string(),
  currency: v.literal('USD'),
  read: v.pipe(v.string(), v.isoDate()),
  cognito: v.object({
    plans: v.object({ lite: Plan, essentials: Plan, plus: Plan }),
    sources: Sources,
    provisionedCapacity: v.object({
      perRpsMonth: Amount,
      perRpsPartialMonth: Amount,
      sources: Sources,
    }),
    quotas: v.object({
      categories: v.record(
        v.string(),
        v.object({
          defaultRps: v.pipe(Amount, v.minValue(1)),
          adjustable: v.boolean(),
          operations: v.record(v.string(), v.string()),
          description: v.string(),
        }),
      ),
      sources: Sources,
    }),
  }),
  apiGateway: v.object({
    tiers: Tiers,
    free: Free,
    sources: Sources,
    usagePlansAndApiKeys: v.object({ perMonth: Amount, sources: Sources }),
  }),
  lambda: v.object({
    requests: v.object({ tiers: Tiers, free: Free }),
    durationArm64: v.object({ tiers: Tiers, free: Free }),
    sources: Sources,
  }),
  s3: v.object({
    storage: v.object({ tiers: Tiers }),
    requests: v.object({ tier1: Amount, tier2: Amount, free: v.literal(0) }),
    operations: v.record(v.string(), S3RequestClass),
    sources: Sources,
  }),
  dynamodb: v.object({
    readRequestUnit: Amount,
    writeRequestUnit: Amount,
    operations: v.record(v.string(), v.picklist(['read', 'write'])),
    sources: Sources,
  }),
  cloudWatchLogs: v.object({
    lambdaIngestion: v.object({ tiers: Tiers, free: Free }),
    storage: v.object({ tiers: Tiers }),
    sources: Sources,
  }),
  notIncluded: v.array(v.string()),
});

const RequestMixSchema = v.object({
  routes: v.pipe(
    v.array(
      v.strictObject({
        route: v.pipe(v.string(), v.regex(/^(GET|PUT|POST|DELETE|PATCH) \/\S*$|^OPTIONS \*$/)),
        share: v.pipe(Amount, v.maxValue(1)),
        cognito: v.array(v.string()),
        s3: v.array(v.string()),
        dynamodb: v.array(v.string()),
      }),
    ),
    v.nonEmpty(),
    v.check(
      (routes) => Math.abs(routes.reduce((sum, route) => sum + route.share, 0) - 1) < 1e-9,
      'the shares must add up to 1',
    ),
    v.check(
      (routes) => new Set(routes.map((route) => route.route)).size === routes.length,
      'each route must appear once',
    ),
  ),
  defaults: v.object({
    warmInvocationMs: Amount,
    coldStartMs: Amount,
    logBytesPerInvocation: Amount,
    initLogBytes: Amount,
  }),
});

export type Prices = v.InferOutput<typeof PricesSchema>;
export type RequestMix = v.InferOutput<typeof RequestMixSchema>;

function readChecked<T extends v.GenericSchema>(file: string, schema: T): v.InferOutput<T> {
  const name = path.relative(PROJECT_ROOT, file) || file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  const result = v.safeParse(schema, parsed);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue ? v.getDotPath(issue) : undefined;
    throw new Error(`${name}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return result.output;
}

export const readPrices = (file = PRICES_FILE): Prices => readChecked(file, PricesSchema);
export const readRequestMix = (file = REQUEST_MIX_FILE): RequestMix =>
  readChecked(file, RequestMixSchema);
