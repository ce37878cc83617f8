import { createHash } from 'node:crypto';
import type { LocalPlan } from '../plan';
import { Quota } from './quota';
import { type Clock, TokenBucket } from './token-bucket';

/** What one API key may still do under its usage plan: its own bucket and quota. */
export interface KeyAllowance {
  bucket?: TokenBucket;
  quota?: Quota;
}

/**
 * The API keys of the stage's usage plans, looked up by the value a request sends. A key counts
 * only if it is enabled and attached to a usage plan of this stage, as on API Gateway. Values
 * are kept as SHA-256 digests, so that looking one up takes no longer for a near miss.
 */
export class UsagePlans {
  private readonly byDigest = new Map<string, KeyAllowance>();

  constructor(
    plan: Pick<LocalPlan, 'apiKeys' | 'usagePlans'>,
    keyValues: Record<string, string>,
    clock: Clock,
  ) {
    for (const usagePlan of plan.usagePlans) {
      for (const logicalId of usagePlan.keyLogicalIds) {
        const key = plan.apiKeys.find((candidate) => candidate.logicalId === logicalId);
        const value = keyValues[logicalId];
        if (!key?.enabled || value === undefined) continue;
        const digest = digestOf(value);
        // API Gateway allows a key in one usage plan per stage: the first one found holds it.
        if (this.byDigest.has(digest)) continue;
        this.byDigest.set(digest, {
          ...(usagePlan.throttle ? { bucket: new TokenBucket(usagePlan.throttle, clock) } : {}),
          ...(usagePlan.quota ? { quota: new Quota(usagePlan.quota, clock) } : {}),
        });
      }
    }
  }

  /** The allowance of the key whose value was sent, or undefined for a missing or unknown one. */
  allowanceOf(value: string | undefined): KeyAllowance | undefined {
    return value === undefined ? undefined : this.byDigest.get(digestOf(value));
  }
}

function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
