import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LocalLambda } from '../local/gateway/lambda-runtime';
import type { LocalFunction } from '../local/plan';
import type { Scenario } from './scenarios';
import type { Target } from './targets';

/**
 * How many bytes of log each function writes per invocation: what CloudWatch Logs ingests
 * and npm run cost prices. Each function runs in one execution environment of the local
 * stack's Lambda runtime (the context Lambda gives: request id, ARN, memory), handles one cold
 * and `warm` warm events, and its log file is split by the request id Powertools writes on
 * every line. Powertools lines without one were written outside any invocation (at import).
 * Lines that are not Powertools' JSON are left out: here that is only the AWS SDK's warning
 * about running on Node.js 20, which the template's nodejs22.x never prints.
 */
export interface LogBytes {
  /** Mean bytes (lines and their newlines) logged during one warm invocation. */
  perWarmInvocation: number;
  /** Bytes logged outside any invocation: once per cold start. */
  init: number;
  /** Warm invocations measured. */
  invocations: number;
}

/** Worker stdout reaches the log file after the handler's answer: give it time to land. */
const FLUSH_MS = 250;

export async function measureLogBytes(options: {
  targets: Target[];
  functions: LocalFunction[];
  scenarios: Map<string, Scenario>;
  warm: number;
  logDir: string;
}): Promise<Record<string, LogBytes>> {
  if (options.warm < 1) throw new Error('measureLogBytes needs at least one warm invocation');
  const figures: Record<string, LogBytes> = {};
  for (const target of options.targets) {
    const fn = options.functions.find((candidate) => candidate.logicalId === target.name);
    const scenario = options.scenarios.get(target.scenario);
    if (!fn || !scenario) throw new Error(`No function or scenario for ${target.name}`);
    const events = await scenario.events(1 + options.warm);
    const requestIds = events.map(() => randomUUID());
    const lambda = new LocalLambda(
      fn,
      { path: target.bundle.file, exportName: target.bundle.exportName },
      target.env,
      options.logDir,
    );
    try {
      for (const [index, event] of events.entries()) {
        const invocation = await lambda.invoke(event, requestIds[index] as string);
        const status =
          invocation.outcome === 'result'
            ? Number((invocation.result as { statusCode?: unknown }).statusCode)
            : undefined;
        if (status === undefined || (scenario.expect !== undefined && status !== scenario.expect)) {
          throw new Error(`${target.name} answered ${status ?? invocation.outcome} while logging`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
    } finally {
      await lambda.close();
    }
    figures[target.name] = splitLogByInvocation(
      readFileSync(path.join(options.logDir, `${fn.logicalId}.log`), 'utf8'),
      requestIds,
      target.name,
    );
  }
  return figures;
}

/** Attributes each Powertools line of a function's log to the invocation whose id it carries. */
export function splitLogByInvocation(log: string, requestIds: string[], name: string): LogBytes {
  const byInvocation = new Map(requestIds.map((id) => [id, 0]));
  let init = 0;
  for (const line of log.split('\n')) {
    if (line === '') continue;
    const entry = powertoolsEntry(line);
    if (!entry) continue;
    const bytes = Buffer.byteLength(line) + 1;
    const id = entry.function_request_id;
    if (typeof id === 'string' && byInvocation.has(id)) {
      byInvocation.set(id, (byInvocation.get(id) ?? 0) + bytes);
    } else {
      init += bytes;
    }
  }
  // Every handler logs one summary line per request: an invocation with none lost its logs.
  if ([...byInvocation.values()].some((bytes) => bytes === 0)) {
    throw new Error(`${name}: an invocation has no log line; the log was not fully written`);
  }
  const warm = requestIds.slice(1).map((id) => byInvocation.get(id) ?? 0);
  return {
    perWarmInvocation: Math.round(warm.reduce((sum, bytes) => sum + bytes, 0) / warm.length),
    init,
    invocations: warm.length,
  };
}

function powertoolsEntry(line: string): { function_request_id?: unknown } | undefined {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; function_request_id?: unknown };
    return typeof parsed === 'object' && parsed !== null && typeof parsed.level === 'string'
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}
