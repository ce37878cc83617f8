import { httpClientJob } from './children';
import { round } from './stats';

/**
 * How closely the local gateway's throttles admit the rate they are configured with: requests
 * offered at twice the rate, on a schedule, to one throttled route of a stack started with
 * ApiKeyRequired=true and template.yaml's default limits. Counting starts with the first request
 * the gateway throttles (the burst is spent, the bucket empty); from then on, over
 * `countSeconds`, a token bucket admits `rate × seconds` requests, ± one. Requests are counted
 * by when they reached the gateway (its request log): on a busy machine the client's own
 * schedule slips, and what it sent in ten seconds may arrive in eight.
 */

export interface ThrottleCase {
  /** What limits the route, e.g. "usage plan (per key): GET /public". */
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The rate the template configures for the limiting bucket (requests per second). */
  configuredRate: number;
}

/** A request as the gateway logged it: when it arrived, and whether the gateway throttled it. */
export interface GatewayArrival {
  atMs: number;
  method: string;
  path: string;
  throttled: boolean;
}

export interface ThrottleFigures {
  name: string;
  configuredRate: number;
  offeredRate: number;
  seconds: number;
  admitted: number;
  throttled: number;
  /** admitted ÷ (configuredRate × seconds): 1 is exact. */
  ratio: number;
}

export async function measureThrottle(
  throttle: ThrottleCase,
  countSeconds: number,
  arrivals: GatewayArrival[],
): Promise<ThrottleFigures> {
  const offeredRate = throttle.configuredRate * 2;
  arrivals.length = 0;
  const answer = await httpClientJob<{ sent: number; throttled: boolean }>(
    {
      mode: 'paced',
      url: throttle.url,
      method: throttle.method,
      headers: throttle.headers,
      ...(throttle.body === undefined ? {} : { body: throttle.body }),
      ratePerSecond: offeredRate,
      drainSeconds: 30,
      // A little longer than counted: the last counted second must still see requests.
      countSeconds: countSeconds + 2,
    },
    (30 + countSeconds + 30) * 1000,
  );
  if (!answer.throttled) {
    throw new Error(`${throttle.name}: nothing was throttled at twice the configured rate`);
  }
  const { pathname } = new URL(throttle.url);
  const seen = arrivals
    .filter((arrival) => arrival.method === throttle.method && arrival.path === pathname)
    .sort((a, b) => a.atMs - b.atMs);
  const from = seen.find((arrival) => arrival.throttled)?.atMs ?? Number.NaN;
  const counted = seen.filter(
    (arrival) => arrival.atMs >= from && arrival.atMs < from + countSeconds * 1000,
  );
  const admitted = counted.filter((arrival) => !arrival.throttled).length;
  return {
    name: throttle.name,
    configuredRate: throttle.configuredRate,
    offeredRate,
    seconds: countSeconds,
    admitted,
    throttled: counted.length - admitted,
    ratio: round(admitted / (throttle.configuredRate * countSeconds), 3),
  };
}
