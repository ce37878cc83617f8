import autocannon from 'autocannon';
import { api, newUser, type SignedInUser } from './api-client';
import { type RunningStack, spawnStack, UNTHROTTLED } from './harness';

/**
 * A bounded load (800 requests, 8 connections) on loopback with a mixed workload across many users (sign-ins, /me, log
 * writes and reads): no 5xx at all, and afterwards every write that was acknowledged with a
 * 201 is readable, exactly as many per user as were acknowledged.
 */
describe('load', () => {
  let stack: RunningStack;
  let users: SignedInUser[];
  beforeAll(async () => {
    // On AWS the sign-in route's default of 10 a second would throttle this load.
    stack = await spawnStack({}, { args: UNTHROTTLED });
    users = [];
    for (let i = 0; i < 8; i++) users.push(await newUser(`load${i}`, stack.outputs.ApiUrl));
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves a mixed workload with zero 5xx, and every acknowledged write is readable', async () => {
    const acknowledged = new Map<string, number>(users.map((user) => [user.sub, 0]));
    const statuses = new Map<number, number>();
    let picked = 0;
    const pick = () => users[picked++ % users.length] as SignedInUser;
    type Context = { user?: SignedInUser };
    const tally = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

    const result = await autocannon({
      url: stack.outputs.ApiUrl,
      connections: 8,
      // A fixed number of requests, not a duration: every response is seen, so the count of
      // acknowledged writes is exact (a run cut by time leaves writes stored but unanswered).
      amount: 800,
      requests: [
        {
          method: 'POST',
          path: '/auth/signin',
          setupRequest: (request, context: Context) => {
            context.user = pick();
            return {
              ...request,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: context.user.email, password: context.user.password }),
            };
          },
          onResponse: (status) => tally(status),
        },
        {
          method: 'GET',
          path: '/me',
          setupRequest: (request, context: Context) => ({
            ...request,
            headers: { authorization: `Bearer ${context.user?.idToken}` },
          }),
          onResponse: (status) => tally(status),
        },
        {
          method: 'POST',
          path: '/me/logs',
          setupRequest: (request, context: Context) => ({
            ...request,
            headers: {
              authorization: `Bearer ${context.user?.idToken}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ content: { at: Date.now(), command: 'make test' } }),
          }),
          onResponse: (status, _body, context: Context) => {
            tally(status);
            if (status === 201 && context.user)
              acknowledged.set(context.user.sub, (acknowledged.get(context.user.sub) ?? 0) + 1);
          },
        },
        {
          method: 'GET',
          path: '/me/logs?limit=5',
          setupRequest: (request, context: Context) => ({
            ...request,
            headers: { authorization: `Bearer ${context.user?.idToken}` },
          }),
          onResponse: (status) => tally(status),
        },
      ],
    });

    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result['5xx']).toBe(0);
    expect([...statuses.keys()].filter((status) => status >= 300).sort()).toEqual([]);
    const writes = [...acknowledged.values()].reduce((sum, count) => sum + count, 0);
    expect(writes).toBeGreaterThan(20);

    for (const user of users) {
      let listed = 0;
      let cursor: string | undefined;
      do {
        const page = await api(
          `/me/logs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          {
            apiUrl: stack.outputs.ApiUrl,
            token: user.idToken,
          },
        );
        expect(page.status).toBe(200);
        listed += (page.body.items as unknown[]).length;
        cursor = page.body.nextCursor as string | undefined;
      } while (cursor);
      expect({ user: user.email, listed }).toEqual({
        user: user.email,
        listed: acknowledged.get(user.sub),
      });
    }
  }, 60_000);
});
