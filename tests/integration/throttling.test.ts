import type { ApiAnswer } from '../../client/api';
import { api, drain } from './api-client';
import { type RunningStack, spawnStack } from './harness';

/**
 * The stage's throttles of template.yaml (MethodSettings), enforced by the real local stack
 * started with small limits: the default on every method, each with a bucket of its own, and
 * the auth routes' own limit. No API key: these apply to every client together.
 */
describe("the stage's throttles (npm start -- --parameter-overrides ThrottlingRateLimit=…)", () => {
  const STAGE = { rate: 1, burst: 3 };
  const AUTH = { rate: 1, burst: 2 };
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await spawnStack(
      {},
      {
        args: [
          '--parameter-overrides',
          `ThrottlingRateLimit=${STAGE.rate} ThrottlingBurstLimit=${STAGE.burst}`,
          `AuthThrottlingRateLimit=${AUTH.rate} AuthThrottlingBurstLimit=${AUTH.burst}`,
        ],
      },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const volley = (
    count: number,
    route: string,
    options: { body?: unknown; method?: string } = {},
  ) =>
    Promise.all(
      Array.from({ length: count }, () =>
        api(route, {
          apiUrl: stack.outputs.ApiUrl,
          headers: { Origin: stack.outputs.WebUrl },
          ...options,
        }),
      ),
    );

  /** Throttled answers are API Gateway's 429, in the API's error shape with CORS. */
  function throttled(answers: ApiAnswer[]): ApiAnswer[] {
    const refused = answers.filter((answer) => answer.status === 429);
    for (const answer of refused) {
      expect(answer.body).toEqual({
        error: 'TooManyRequests',
        message: expect.any(String),
      });
      expect(answer.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
      expect(answer.headers.get('access-control-allow-origin')).toBe(stack.outputs.WebUrl);
    }
    return refused;
  }

  it("admits a method's burst, and throttles the rest with 429", async () => {
    const answers = await volley(STAGE.burst + 4, '/public');
    const admitted = answers.filter((answer) => answer.status === 200).length;
    // The bucket starts full; a token more can come in while the volley arrives.
    expect(admitted).toBeGreaterThanOrEqual(STAGE.burst);
    expect(admitted).toBeLessThanOrEqual(STAGE.burst + 1);
    expect(throttled(answers)).toHaveLength(answers.length - admitted);
  });

  it('gives every other method a bucket of its own (the default applies per method)', async () => {
    // GET /public has no token left; its preflight and another route still have theirs.
    await drain(async () => (await volley(1, '/public'))[0] as ApiAnswer);
    expect((await volley(1, '/public', { method: 'OPTIONS' }))[0]?.status).toBe(204);
    const refresh = (await volley(1, '/auth/refresh', { body: {} }))[0];
    expect(refresh?.body.error).not.toBe('TooManyRequests');
    expect([400, 401]).toContain(refresh?.status);
  });

  it('admits the method again after 1/rate', async () => {
    await drain(async () => (await volley(1, '/public'))[0] as ApiAnswer);
    await new Promise((resolve) => setTimeout(resolve, 1000 / STAGE.rate + 50));
    expect((await volley(1, '/public'))[0]?.status).toBe(200);
    expect((await volley(1, '/public'))[0]?.status).toBe(429);
  });

  it('throttles the sign-in route at its own, smaller burst', async () => {
    const body = { email: 'nobody@example.com', password: 'not-the-password' };
    const answers = await volley(AUTH.burst + 3, '/auth/signin', { body });
    const refused = throttled(answers);
    const answered = answers.filter((answer) => answer.status !== 429);
    // The function itself answered the admitted ones: wrong credentials.
    for (const answer of answered) expect(answer.body.error).toBe('NotAuthorized');
    expect(answered.length).toBeGreaterThanOrEqual(AUTH.burst);
    expect(answered.length).toBeLessThanOrEqual(AUTH.burst + 1);
    expect(refused.length).toBe(answers.length - answered.length);
  });
});
