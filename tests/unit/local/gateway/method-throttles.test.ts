import { MethodThrottles, methodLimits } from '../../../../local/gateway/method-throttles';
import type { MethodThrottleSetting } from '../../../../local/plan';

const SETTINGS: MethodThrottleSetting[] = [
  { resourcePath: '*', httpMethod: '*', rateLimit: 100, burstLimit: 200 },
  { resourcePath: '/auth/signin', httpMethod: 'POST', rateLimit: 10, burstLimit: 20 },
  { resourcePath: '/me/logs', httpMethod: '*', burstLimit: 5 },
];

describe('methodLimits', () => {
  it("gives a method without an entry of its own the stage's default", () => {
    expect(methodLimits(SETTINGS, 'GET', '/me')).toEqual({ rateLimit: 100, burstLimit: 200 });
  });

  it("gives a method its own entry's limits", () => {
    expect(methodLimits(SETTINGS, 'POST', '/auth/signin')).toEqual({
      rateLimit: 10,
      burstLimit: 20,
    });
    expect(methodLimits(SETTINGS, 'OPTIONS', '/auth/signin')).toEqual({
      rateLimit: 100,
      burstLimit: 200,
    });
  });

  it('takes each limit from the most specific entry that sets it', () => {
    expect(methodLimits(SETTINGS, 'POST', '/me/logs')).toEqual({ rateLimit: 100, burstLimit: 5 });
  });

  it('gives no limits where no entry sets both (the account would throttle, locally nothing)', () => {
    expect(methodLimits([], 'GET', '/me')).toBeUndefined();
    expect(
      methodLimits([{ resourcePath: '*', httpMethod: '*', rateLimit: 5 }], 'GET', '/me'),
    ).toBeUndefined();
  });
});

describe('MethodThrottles', () => {
  it('gives every method a bucket of its own, the same one each time', () => {
    const throttles = new MethodThrottles(SETTINGS, () => 0);
    const me = throttles.bucketFor('GET', '/me');
    expect(throttles.bucketFor('GET', '/me')).toBe(me);
    expect(throttles.bucketFor('GET', '/public')).not.toBe(me);
    expect(throttles.bucketFor('GET', '/public')?.limits).toEqual(me?.limits);
    expect(new MethodThrottles([], () => 0).bucketFor('GET', '/me')).toBeUndefined();
  });
});
