import type { LocalPlan } from '../plan';
import type { GatewayResponseType } from './gateway-responses';
import { MethodThrottles } from './method-throttles';
import type { Clock } from './token-bucket';
import { UsagePlans } from './usage-plans';

export type LimitRefusal = Extract<
  GatewayResponseType,
  'INVALID_API_KEY' | 'QUOTA_EXCEEDED' | 'THROTTLED'
>;

/**
 * What API Gateway checks between a route's authorizer and its integration: the API key where
 * the route requires one, the key's quota, then the throttles in the order AWS documents
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html):
 * the key's usage plan, then the method's stage limits. A request is admitted only if every
 * bucket that applies to it has a token, and then takes one from each; a refused request takes
 * none and does not count against the quota.
 */
export class RequestLimits {
  private readonly methods: MethodThrottles;
  private readonly usagePlans: UsagePlans;

  constructor(
    plan: Pick<LocalPlan, 'methodThrottles' | 'apiKeys' | 'usagePlans'>,
    keyValues: Record<string, string>,
    clock: Clock = Date.now,
  ) {
    this.methods = new MethodThrottles(plan.methodThrottles, clock);
    this.usagePlans = new UsagePlans(plan, keyValues, clock);
  }

  /** Undefined when the request may go on; else the gateway response that refuses it. */
  check(
    route: { method: string; path: string; apiKeyRequired: boolean },
    apiKey: string | undefined,
  ): LimitRefusal | undefined {
    const allowance = route.apiKeyRequired ? this.usagePlans.allowanceOf(apiKey) : undefined;
    if (route.apiKeyRequired && !allowance) return 'INVALID_API_KEY';
    if (allowance?.quota?.exhausted()) return 'QUOTA_EXCEEDED';
    const buckets = [allowance?.bucket, this.methods.bucketFor(route.method, route.path)].filter(
      (bucket) => bucket !== undefined,
    );
    if (!buckets.every((bucket) => bucket.hasToken())) return 'THROTTLED';
    for (const bucket of buckets) bucket.take();
    allowance?.quota?.count();
    return undefined;
  }
}
