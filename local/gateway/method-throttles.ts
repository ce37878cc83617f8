import type { MethodThrottleSetting, ThrottleLimits } from '../plan';
import { type Clock, TokenBucket } from './token-bucket';

/**
 * The stage's throttles (MethodSettings): one token bucket per method, shared by every client.
 * API Gateway applies a stage's limits "at the API method level": the `/*` `*` entry is each
 * method's default, not one bucket for the whole stage, and an entry for a resource and method
 * overrides it for that method. A limit no entry sets is left to the account, which the local
 * gateway does not emulate: such a method has no bucket.
 */
export class MethodThrottles {
  private readonly buckets = new Map<string, TokenBucket | undefined>();

  constructor(
    private readonly settings: MethodThrottleSetting[],
    private readonly clock: Clock,
  ) {}

  /** The bucket of a route (`GET`, `/me/logs/{id}`), made the first time it is asked for. */
  bucketFor(method: string, resourcePath: string): TokenBucket | undefined {
    const key = `${method} ${resourcePath}`;
    if (!this.buckets.has(key)) {
      const limits = methodLimits(this.settings, method, resourcePath);
      this.buckets.set(key, limits ? new TokenBucket(limits, this.clock) : undefined);
    }
    return this.buckets.get(key);
  }
}

/** Each limit from the most specific entry that sets it: path and method, path, method, `*`. */
export function methodLimits(
  settings: MethodThrottleSetting[],
  method: string,
  resourcePath: string,
): ThrottleLimits | undefined {
  const specificity = (setting: MethodThrottleSetting) => {
    const path = setting.resourcePath === resourcePath ? 2 : setting.resourcePath === '*' ? 0 : -1;
    const verb = setting.httpMethod === method ? 1 : setting.httpMethod === '*' ? 0 : -1;
    return path < 0 || verb < 0 ? -1 : path + verb;
  };
  const applicable = settings
    .filter((setting) => specificity(setting) >= 0)
    .sort((a, b) => specificity(b) - specificity(a));
  const rateLimit = applicable.find((setting) => setting.rateLimit !== undefined)?.rateLimit;
  const burstLimit = applicable.find((setting) => setting.burstLimit !== undefined)?.burstLimit;
  return rateLimit === undefined || burstLimit === undefined
    ? undefined
    : { rateLimit, burstLimit };
}
