import { type RequestMix, readPrices } from '../../scripts/cost/data';
import {
  charge,
  type Deployment,
  type Estimate,
  estimate,
  type Load,
  type Measurements,
} from '../../scripts/cost/model';

/**
 * A month worked out by hand with the prices of cost/prices.json (us-east-1), so that a wrong
 * band, a free tier applied twice or a unit slip shows up as a different number.
 */

const prices = readPrices();

const mix: RequestMix = {
  routes: [
    { route: 'POST /auth/signin', share: 0.25, cognito: ['InitiateAuth'], s3: [], dynamodb: [] },
    { route: 'POST /me/logs', share: 0.5, cognito: [], s3: ['PutObject'], dynamodb: ['GetItem'] },
    {
      route: 'DELETE /me/logs/{id}',
      share: 0.25,
      cognito: [],
      s3: ['HeadObject', 'DeleteObject'],
      dynamodb: ['GetItem', 'PutItem'],
    },
  ],
  defaults: {
    warmInvocationMs: 100,
    coldStartMs: 400,
    logBytesPerInvocation: 600,
    initLogBytes: 0,
  },
};

const deployment: Deployment = {
  functions: [
    { logicalId: 'SignIn', memoryMb: 512, routes: ['POST /auth/signin'] },
    { logicalId: 'CreateLog', memoryMb: 1024, routes: ['POST /me/logs'] },
    { logicalId: 'DeleteLog', memoryMb: 256, routes: ['DELETE /me/logs/{id}'] },
  ],
  logRetentionDays: 30,
  throttle: { stageRps: 100, authRouteRps: 10, authRoutes: ['POST /auth/signin'] },
};

const measured: Measurements = {
  source: 'test',
  byFunction: {
    SignIn: { warmMs: 19.2, coldMs: 99.1, logBytesPerInvocation: 500, initLogBytes: 1000 },
    CreateLog: { warmMs: 5, coldMs: 100, logBytesPerInvocation: 300, initLogBytes: 0 },
    DeleteLog: { warmMs: 7.5, coldMs: 150, logBytesPerInvocation: 400, initLogBytes: 0 },
  },
};

const load: Load = {
  mau: 150_000,
  requests: 2_000_000,
  plan: 'lite',
  storedUsers: 150_000,
  dataPerUserMiB: 2,
  freeTier: 'always',
  apiKey: true,
  coldStartShare: 0.01,
  activeHours: 8,
  peakToAverage: 3,
};

const cost = (result: Estimate, service: string, item: string) => {
  const line = result.lines.find(
    (entry) => entry.service === service && entry.item.startsWith(item),
  );
  if (!line) throw new Error(`no line ${service} ${item}`);
  return line.cost;
};

describe('a worked month: 150,000 MAU, 2,000,000 requests, Lite, always-free tiers only', () => {
  const result = estimate(load, prices, mix, deployment, measured);

  test('Cognito Lite crosses its first band after the free tier', () => {
    // 150,000 MAU − 10,000 free = 140,000 billable:
    // 90,000 × $0.0055 = $495.00 (the first band ends at 90,000 billable, i.e. 100,000 MAU)
    // + 50,000 × $0.0046 = $230.00 → $725.00
    expect(cost(result, 'Cognito', 'Lite')).toBeCloseTo(725, 9);
    // Essentials: 140,000 × $0.015 = $2,100.00; Plus has no free tier: 150,000 × $0.02 = $3,000.00
    expect(result.cognitoByPlan).toEqual({
      lite: expect.closeTo(725, 9),
      essentials: expect.closeTo(2100, 9),
      plus: expect.closeTo(3000, 9),
    });
  });

  test('API Gateway: its free tier is a 12-month one, so it is not applied', () => {
    // 2,000,000 × $3.50 per million = $7.00; the API key and usage plan add $0.00
    expect(cost(result, 'API Gateway', 'REST')).toBeCloseTo(7, 9);
    expect(cost(result, 'API Gateway', 'API keys')).toBe(0);
  });

  test('Lambda requests and duration against the always-free tier', () => {
    // (2,000,000 − 1,000,000 free) × $0.20 per million = $0.20
    expect(cost(result, 'Lambda', 'requests')).toBeCloseTo(0.2, 9);
    // Billed ms = 99% warm + 1% cold, each rounded up to the millisecond:
    // SignIn    500,000 × (0.99 × 20 + 0.01 × 100) ms = 500,000 × 20.8 ms × 0.5 GB  = 5,200 GB-s
    // CreateLog 1,000,000 × (0.99 × 5 + 0.01 × 100) ms = 1,000,000 × 5.95 ms × 1 GB = 5,950 GB-s
    // DeleteLog 500,000 × (0.99 × 8 + 0.01 × 150) ms = 500,000 × 9.42 ms × 0.25 GB = 1,177.5 GB-s
    // 12,327.5 GB-s, all inside the 400,000 GB-s free tier: $0.00
    expect(cost(result, 'Lambda', 'duration')).toBe(0);
    const line = result.lines.find((entry) => entry.item.startsWith('duration'));
    expect(line?.detail).toContain('12,328 GB-s');
  });

  test('S3 requests by class, storage in GiB', () => {
    // 1,000,000 PutObject × $0.000005 = $5.00; 500,000 HeadObject × $0.0000004 = $0.20;
    // 500,000 DeleteObject free → $5.20
    expect(cost(result, 'S3', 'requests')).toBeCloseTo(5.2, 9);
    // 150,000 users × 2 MiB = 300,000 MiB = 292.96875 GB × $0.023 = $6.73828125
    expect(cost(result, 'S3', 'storage')).toBeCloseTo(6.73828125, 9);
  });

  test('DynamoDB: the session record in read and write request units', () => {
    // 1,000,000 + 500,000 GetItem × $0.125 per million = $0.1875;
    // 500,000 PutItem × $0.625 per million = $0.3125 → $0.50
    expect(cost(result, 'DynamoDB', 'session record')).toBeCloseTo(0.5, 9);
  });

  test('CloudWatch Logs: ingestion inside the free 5 GB, storage for 30 days', () => {
    // 500,000 × (500 + 1% × 1,000) + 1,000,000 × 300 + 500,000 × 400 = 755,000,000 B
    // = 0.703141093 GB < 5 GB free → $0.00
    expect(result.logGiB).toBeCloseTo(755_000_000 / 2 ** 30, 12);
    expect(cost(result, 'CloudWatch Logs', 'ingestion')).toBe(0);
    // 30 of 30.4167 days held: 0.703141093 × 720 / 730 = 0.693508 GB × $0.03 = $0.0208053
    expect(cost(result, 'CloudWatch Logs', 'storage')).toBeCloseTo(
      (755_000_000 / 2 ** 30) * (720 / 730) * 0.03,
      12,
    );
  });

  test('the total is the sum of the lines', () => {
    // 725 + 7 + 0 + 0.20 + 0 + 5.20 + 0.50 + 6.73828125 + 0 + 0.0208053 = $744.6590865
    expect(result.total).toBeCloseTo(744.6590865, 6);
  });

  test('UserAuthentication binds first, far below its quota', () => {
    // 500,000 InitiateAuth a month over 30.4167 days × 8 h = 876,000 s: 0.570776 rps;
    // × 3 peak-to-average = 1.712329 rps of 120
    const [first] = result.quotas;
    expect(first?.category).toBe('UserAuthentication');
    expect(first?.peakRps).toBeCloseTo(1.712329, 6);
    expect(first?.utilization).toBeCloseTo(1.712329 / 120, 6);
    expect(first?.extraCostPerMonth).toBe(0);
    // The stage's default applies per method: the busiest one without its own limit is
    // POST /me/logs, 1,000,000 / 876,000 × 3 = 3.424658 rps of 100
    const stage = result.throttles.find((use) => use.limit.includes('(ThrottlingRateLimit'));
    expect(stage?.limit).toBe('POST /me/logs (ThrottlingRateLimit, per method)');
    expect(stage?.peakRps).toBeCloseTo(3.424658, 6);
  });
});

describe('the same month with no free tier at all', () => {
  const result = estimate({ ...load, freeTier: 'none' }, prices, mix, deployment, measured);

  test('every free tier is gone', () => {
    // Lite: 90,000 × $0.0055 + 60,000 × $0.0046 = $495 + $276 = $771.00
    expect(cost(result, 'Cognito', 'Lite')).toBeCloseTo(771, 9);
    // 2,000,000 × $0.20 per million = $0.40
    expect(cost(result, 'Lambda', 'requests')).toBeCloseTo(0.4, 9);
    // 12,327.5 GB-s × $0.0000133334 = $0.16436749
    expect(cost(result, 'Lambda', 'duration')).toBeCloseTo(12_327.5 * 0.0000133334, 12);
    // 0.703141093 GB × $0.50 = $0.35157055
    expect(cost(result, 'CloudWatch Logs', 'ingestion')).toBeCloseTo(
      (755_000_000 / 2 ** 30) * 0.5,
      12,
    );
  });
});

describe('with every free tier, the 12-month ones included', () => {
  test('API Gateway takes its million free requests off', () => {
    const result = estimate({ ...load, freeTier: 'all' }, prices, mix, deployment, measured);
    // (2,000,000 − 1,000,000) × $3.50 per million = $3.50
    expect(cost(result, 'API Gateway', 'REST')).toBeCloseTo(3.5, 9);
  });
});

describe('a quota that binds', () => {
  test('buying what the peak needs above the default quota', () => {
    // 100,000,000 requests × 25% = 25,000,000 InitiateAuth: 25,000,000 / 876,000 = 28.538813 rps;
    // × 6 = 171.232877 rps peak: 52 RPS above the 120 default × $20 per RPS-month = $1,040
    const result = estimate(
      { ...load, requests: 100_000_000, peakToAverage: 6 },
      prices,
      mix,
      deployment,
      measured,
    );
    const [first] = result.quotas;
    expect(first?.category).toBe('UserAuthentication');
    expect(first?.extraRps).toBe(52);
    expect(first?.extraCostPerMonth).toBe(1040);
    // The sign-in route alone peaks at 171 rps against the template's 10 rps auth throttle.
    expect(result.throttles[0]?.limit).toBe('POST /auth/signin (AuthThrottlingRateLimit)');
    expect(result.throttles[0]?.utilization).toBeCloseTo(17.1232877, 6);
  });
});

describe('charge', () => {
  const tiers = [
    { upTo: 100, price: 2 },
    { upTo: 300, price: 1 },
    { upTo: null, price: 0.5 },
  ];

  test('fills the bands in order, exactly at a boundary and past the last', () => {
    expect(charge(100, tiers, undefined, 'all')).toMatchObject({
      cost: 200,
      bands: [{ quantity: 100 }],
    });
    // 100 × 2 + 200 × 1 + 100 × 0.5 = 450
    expect(charge(400, tiers, undefined, 'all').cost).toBe(450);
  });

  test('takes the free tier off first, only when its kind is chosen', () => {
    const free = { quantity: 50, kind: '12-month' as const };
    // 150 − 50 free = 100 billable × 2 = 200
    expect(charge(150, tiers, free, 'all')).toMatchObject({ free: 50, cost: 200 });
    // 100 × 2 + 50 × 1 = 250
    expect(charge(150, tiers, free, 'always')).toMatchObject({ free: 0, cost: 250 });
    expect(charge(30, tiers, { quantity: 50, kind: 'always' }, 'always')).toMatchObject({
      free: 30,
      cost: 0,
    });
  });

  test('refuses bands that end before the quantity does', () => {
    expect(() => charge(10, [{ upTo: 5, price: 1 }], undefined, 'none')).toThrow(/bands end/);
  });
});
