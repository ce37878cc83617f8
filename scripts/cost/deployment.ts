import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  API_TEMPLATE,
  AUTH_TEMPLATE,
  loadTemplate,
  PROJECT_ROOT,
  samFunctions,
  type Template,
} from '../../sam/template';
import type { RequestMix } from './data';
import type { Deployment, FunctionFigures, Measurements, PlanId } from './model';

/**
 * What the bill depends on that the repository already states elsewhere: the functions, their
 * memory and routes, log retention and throttles as the templates deploy them (parameter
 * defaults), and the durations and log bytes npm run bench measured.
 */

export const BENCH_RESULTS_FILE = path.join(PROJECT_ROOT, 'bench', 'results.json');

function parameterDefault(template: Template, name: string, file: string): unknown {
  const value = template.Parameters?.[name]?.Default;
  if (value === undefined) throw new Error(`${file}: parameter ${name} has no default`);
  return value;
}

function positiveNumber(value: unknown, what: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${what} is not a number: ${value}`);
  return number;
}

export function readDeployment(): Deployment {
  const template = loadTemplate(API_TEMPLATE);
  const architectures = template.Globals?.Function?.Architectures;
  // The Lambda prices in cost/prices.json are arm64's.
  if (!Array.isArray(architectures) || architectures.join() !== 'arm64') {
    throw new Error('template.yaml: expected Globals.Function.Architectures [arm64]');
  }
  const functions = samFunctions(template).map((fn) => ({
    logicalId: fn.logicalId,
    memoryMb: positiveNumber(fn.memoryMb, `${fn.logicalId} MemorySize`),
    routes: fn.routes.map((route) => `${route.method} ${route.path}`),
  }));

  const [, api] =
    Object.entries(template.Resources).find(
      ([, resource]) => resource.Type === 'AWS::Serverless::Api',
    ) ?? [];
  const settings = (api?.Properties?.MethodSettings ?? []) as {
    ResourcePath: string;
    HttpMethod: string;
    ThrottlingRateLimit?: { Ref?: string };
  }[];
  const limit = (name: string) =>
    positiveNumber(parameterDefault(template, name, 'template.yaml'), `template.yaml ${name}`);
  // A MethodSettings path is '/' then the resource path with its '/' escaped as '~1'.
  const authRoutes = settings
    .filter((setting) => setting.ThrottlingRateLimit?.Ref === 'AuthThrottlingRateLimit')
    .map(
      (setting) => `${setting.HttpMethod} ${setting.ResourcePath.slice(1).replaceAll('~1', '/')}`,
    );
  if (authRoutes.length === 0) {
    throw new Error('template.yaml: no MethodSettings use AuthThrottlingRateLimit');
  }
  return {
    functions,
    logRetentionDays: limit('LogRetentionDays'),
    throttle: {
      stageRps: limit('ThrottlingRateLimit'),
      authRouteRps: limit('AuthThrottlingRateLimit'),
      authRoutes,
    },
  };
}

/** The feature plan auth-stack.yaml deploys unless told otherwise. */
export function defaultPlan(): PlanId {
  const plan = String(
    parameterDefault(loadTemplate(AUTH_TEMPLATE), 'FeaturePlan', 'auth-stack.yaml'),
  );
  const id = plan.toLowerCase();
  if (id !== 'lite' && id !== 'essentials' && id !== 'plus') {
    throw new Error(`auth-stack.yaml: unknown FeaturePlan ${plan}`);
  }
  return id;
}

interface BenchRow {
  name?: unknown;
  group?: unknown;
  cold?: { p50?: unknown };
  warm?: { p50?: unknown };
}

interface BenchFile {
  generatedAt?: unknown;
  bundles?: BenchRow[];
  logBytes?: Record<string, { perWarmInvocation?: unknown; init?: unknown }>;
}

const measuredNumber = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * Each function's warm and cold duration (medians) and log bytes from bench/results.json,
 * each figure the bench lacks taken from the mix file's defaults. A missing or unreadable
 * results file is not an error: the defaults stand in and the report says so.
 */
export function readMeasurements(
  deployment: Deployment,
  mix: RequestMix,
  file = BENCH_RESULTS_FILE,
): Measurements {
  let bench: BenchFile | undefined;
  let problem = 'no bench results';
  if (existsSync(file)) {
    try {
      bench = JSON.parse(readFileSync(file, 'utf8')) as BenchFile;
    } catch {
      problem = `${path.relative(PROJECT_ROOT, file)} does not parse`;
    }
  }
  const { defaults } = mix;
  let measuredCount = 0;
  let defaultedCount = 0;
  const byFunction: Record<string, FunctionFigures> = {};
  for (const fn of deployment.functions) {
    const row = bench?.bundles?.find(
      (entry) => entry.name === fn.logicalId && entry.group === 'function',
    );
    const logs = bench?.logBytes?.[fn.logicalId];
    const figures = {
      warmMs: measuredNumber(row?.warm?.p50),
      coldMs: measuredNumber(row?.cold?.p50),
      logBytesPerInvocation: measuredNumber(logs?.perWarmInvocation),
      initLogBytes: measuredNumber(logs?.init),
    };
    const measured = Object.values(figures).filter((value) => value !== undefined).length;
    measuredCount += measured;
    defaultedCount += 4 - measured;
    byFunction[fn.logicalId] = {
      warmMs: figures.warmMs ?? defaults.warmInvocationMs,
      coldMs: figures.coldMs ?? defaults.coldStartMs,
      logBytesPerInvocation: figures.logBytesPerInvocation ?? defaults.logBytesPerInvocation,
      initLogBytes: figures.initLogBytes ?? defaults.initLogBytes,
    };
  }
  const when = typeof bench?.generatedAt === 'string' ? ` of ${bench.generatedAt}` : '';
  const source =
    measuredCount === 0
      ? `${problem}: defaults of cost/request-mix.json (run npm run bench to measure)`
      : defaultedCount === 0
        ? `bench/results.json${when}`
        : `bench/results.json${when}, ${defaultedCount} figures from the defaults of cost/request-mix.json`;
  return { source, byFunction };
}
