import { RequestLimits } from '../../../../local/gateway/request-limits';
import type { LocalPlan } from '../../../../local/plan';

const KEY = 'k'.repeat(40);
const OTHER_KEY = 'o'.repeat(40);

function limitsWith(plan: Partial<Pick<LocalPlan, 'methodThrottles' | 'apiKeys' | 'usagePlans'>>) {
  let now = Date.parse('2026-11-29T10:00:00Z');
  const limits = new RequestLimits(
    {
      methodThrottles: plan.methodThrottles ?? [],
      apiKeys: plan.apiKeys ?? [
        { logicalId: 'ApiKey', id: 'abcdef1234', enabled: true },
        { logicalId: 'Disabled', id: 'disabled01', enabled: false },
        { logicalId: 'Unattached', id: 'unattached', enabled: true },
      ],
      usagePlans: plan.usagePlans ?? [
        {
          logicalId: 'UsagePlan',
          throttle: { rateLimit: 1, burstLimit: 2 },
          quota: { limit: 3, period: 'DAY', offset: 0 },
          keyLogicalIds: ['ApiKey', 'Disabled'],
        },
      ],
    },
    { ApiKey: KEY, Disabled: OTHER_KEY, Unattached: 'u'.repeat(40) },
    () => now,
  );
  return { limits, advance: (ms: number) => (now += ms) };
}

const keyed = { method: 'GET', path: '/public', apiKeyRequired: true };
const open = { method: 'GET', path: '/public', apiKeyRequired: false };

describe('RequestLimits', () => {
  it('refuses a keyed route without a key, with an unknown, disabled or unattached key', () => {
    const { limits } = limitsWith({});
    expect(limits.check(keyed, undefined)).toBe('INVALID_API_KEY');
    expect(limits.check(keyed, 'wrong')).toBe('INVALID_API_KEY');
    expect(limits.check(keyed, `${KEY} `)).toBe('INVALID_API_KEY');
    expect(limits.check(keyed, OTHER_KEY)).toBe('INVALID_API_KEY');
    expect(limits.check(keyed, 'u'.repeat(40))).toBe('INVALID_API_KEY');
    expect(limits.check(keyed, KEY)).toBeUndefined();
  });

  it("throttles a key at its usage plan's burst, then admits it again at its rate", () => {
    const { limits, advance } = limitsWith({});
    expect([1, 2, 3].map(() => limits.check(keyed, KEY))).toEqual([
      undefined,
      undefined,
      'THROTTLED',
    ]);
    advance(1000);
    expect(limits.check(keyed, KEY)).toBeUndefined();
  });

  it('refuses a key past its quota, and counts only the requests it admitted', () => {
    const { limits, advance } = limitsWith({});
    limits.check(keyed, KEY);
    limits.check(keyed, KEY);
    expect(limits.check(keyed, KEY)).toBe('THROTTLED');
    advance(1000);
    expect(limits.check(keyed, KEY)).toBeUndefined();
    advance(1000);
    expect(limits.check(keyed, KEY)).toBe('QUOTA_EXCEEDED');
    // The next UTC day starts afresh.
    advance(24 * 3600 * 1000);
    expect(limits.check(keyed, KEY)).toBeUndefined();
  });

  it('ignores a key on a route that needs none: no usage plan applies', () => {
    const { limits } = limitsWith({});
    for (let index = 0; index < 10; index += 1) expect(limits.check(open, KEY)).toBeUndefined();
  });

  it("applies the method's stage limits to every client together", () => {
    const { limits } = limitsWith({
      methodThrottles: [{ resourcePath: '*', httpMethod: '*', rateLimit: 1, burstLimit: 2 }],
    });
    expect([1, 2, 3].map(() => limits.check(open, undefined))).toEqual([
      undefined,
      undefined,
      'THROTTLED',
    ]);
    // Another method has a bucket of its own.
    expect(limits.check({ ...open, path: '/me' }, undefined)).toBeUndefined();
  });

  it('takes a token from no bucket when another one refuses', () => {
    const { limits, advance } = limitsWith({
      methodThrottles: [
        { resourcePath: '/public', httpMethod: 'GET', rateLimit: 1, burstLimit: 1 },
      ],
      usagePlans: [
        {
          logicalId: 'UsagePlan',
          throttle: { rateLimit: 1, burstLimit: 3 },
          keyLogicalIds: ['ApiKey'],
        },
      ],
    });
    expect(limits.check(keyed, KEY)).toBeUndefined();
    // The method's bucket is empty: refused, and the key's bucket keeps its two tokens.
    expect(limits.check(keyed, KEY)).toBe('THROTTLED');
    expect(limits.check(keyed, KEY)).toBe('THROTTLED');
    expect(limits.check({ ...keyed, path: '/me' }, KEY)).toBeUndefined();
    expect(limits.check({ ...keyed, path: '/me' }, KEY)).toBeUndefined();
    expect(limits.check({ ...keyed, path: '/me' }, KEY)).toBe('THROTTLED');
    advance(1000);
    expect(limits.check(keyed, KEY)).toBeUndefined();
  });

  it('admits everything when nothing limits it', () => {
    const { limits } = limitsWith({ apiKeys: [], usagePlans: [] });
    for (let index = 0; index < 1000; index += 1)
      expect(limits.check(open, undefined)).toBeUndefined();
  });
});
