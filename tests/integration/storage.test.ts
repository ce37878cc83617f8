import { api, newUser, type SignedInUser } from './api-client';

/** Per-user profile and logs through the local gateway, the functions and s3rver. */
describe('per-user storage', () => {
  let alice: SignedInUser;
  let bob: SignedInUser;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
  });

  const as = (user: SignedInUser) => ({
    get: (route: string) => api(route, { token: user.idToken }),
    send: (method: string, route: string, body?: unknown) =>
      api(route, { method, token: user.idToken, ...(body !== undefined ? { body } : {}) }),
    raw: (method: string, route: string, rawBody: string) =>
      api(route, {
        method,
        token: user.idToken,
        rawBody,
        headers: { 'Content-Type': 'application/json' },
      }),
  });

  async function createLogs(user: SignedInUser, count: number, label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 25) {
      const batch = Array.from({ length: Math.min(25, count - start) }, (_, i) =>
        as(user).send('POST', '/me/logs', { content: { label, n: start + i } }),
      );
      for (const answer of await Promise.all(batch)) {
        expect(answer.status).toBe(201);
        ids.push(String(answer.body.id));
      }
    }
    return ids;
  }

  async function listAll(user: SignedInUser, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const page = await as(user).get(`/me/logs?${query}`);
      expect(page.status).toBe(200);
      const items = page.body.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(limit);
      seen.push(...items.map((item) => item.id));
      cursor = page.body.nextCursor as string | undefined;
    } while (cursor);
    return seen;
  }

  it('keeps a profile per user: {} at first, then exactly what was stored', async () => {
    expect((await as(alice).get('/me/profile')).body).toEqual({});
    const profile = { theme: 'dark', prompt: '$ ', aliases: { ll: 'ls -la' } };
    expect(await as(alice).send('PUT', '/me/profile', profile)).toMatchObject({
      status: 200,
      body: profile,
    });
    expect((await as(alice).get('/me/profile')).body).toEqual(profile);
    expect((await as(bob).get('/me/profile')).body).toEqual({});
    await as(alice).send('PUT', '/me/profile', { theme: 'light' });
    expect((await as(alice).get('/me/profile')).body).toEqual({ theme: 'light' });
  });

  it('keeps a profile whole when it is written many times at once (the last write wins whole)', async () => {
    const carol = await newUser('carol');
    // Different lengths: writes in place would leave the tail of a longer one behind.
    const profiles = Array.from({ length: 20 }, (_, n) => ({ n, note: 'x'.repeat(700 * n) }));
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(
        profiles.map((profile) => as(carol).send('PUT', '/me/profile', profile)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(profiles.map(() => 200));
      const stored = await as(carol).get('/me/profile');
      expect(stored.status).toBe(200);
      expect(profiles).toContainEqual(stored.body);
    }
  });

  it('stores and returns profile keys __proto__, constructor and prototype at every level', async () => {
    const user = await newUser('proto');
    const text =
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"prototype":"p",' +
      '"nested":{"__proto__":[1],"constructor":null}}';
    const put = await as(user).raw('PUT', '/me/profile', text);
    expect({ status: put.status, text: put.text }).toEqual({ status: 200, text });
    expect((await as(user).get('/me/profile')).text).toBe(text);
    const log = await as(user).raw('POST', '/me/logs', `{"content":${text}}`);
    expect(log.status).toBe(201);
    const entry = await as(user).get(`/me/logs/${String(log.body.id)}`);
    expect(JSON.stringify(entry.body.content)).toBe(text);
  });

  it('pages through 250 entries newest first at several limits, with no duplicate and no gap', async () => {
    const user = await newUser('pager');
    const created = await createLogs(user, 250, 'paging');
    const newestFirst = [...created].sort();
    expect(new Set(created).size).toBe(250);
    for (const limit of [1, 7, 20, 100]) {
      const listed = limit === 1 ? (await listAll(user, 1)).slice(0) : await listAll(user, limit);
      expect(listed).toEqual(newestFirst);
    }
    const [first] = (await as(user).get('/me/logs')).body.items as {
      id: string;
      createdAt: string;
      size: number;
    }[];
    expect(first).toEqual({
      id: newestFirst[0],
      createdAt: expect.any(String),
      size: expect.any(Number),
    });
  }, 120_000);

  it('gives 50 concurrent writes 50 distinct, readable entries', async () => {
    const user = await newUser('concurrent');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        as(user).send('POST', '/me/logs', { content: `entry ${n}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    const ids = answers.map((answer) => String(answer.body.id));
    expect(new Set(ids).size).toBe(50);
    expect((await listAll(user, 100)).sort()).toEqual([...ids].sort());
    const contents = await Promise.all(ids.map((id) => as(user).get(`/me/logs/${id}`)));
    expect(contents.map((answer) => answer.body.content).sort()).toEqual(
      Array.from({ length: 50 }, (_, n) => `entry ${n}`).sort(),
    );
  }, 60_000);

  it("never shows one user's entries to another", async () => {
    const [aliceLog] = await createLogs(alice, 1, 'private');
    expect((await as(alice).get(`/me/logs/${aliceLog}`)).body.content).toEqual({
      label: 'private',
      n: 0,
    });
    expect(await as(bob).get(`/me/logs/${aliceLog}`)).toMatchObject({
      status: 404,
      body: { error: 'NotFound' },
    });
    expect(await as(bob).send('DELETE', `/me/logs/${aliceLog}`)).toMatchObject({ status: 404 });
    expect((await as(bob).get('/me/logs')).body).toEqual({ items: [] });
    // Alice's cursor means nothing to Bob.
    await createLogs(alice, 3, 'more');
    const page = await as(alice).get('/me/logs?limit=1');
    const stolen = await as(bob).get(
      `/me/logs?cursor=${encodeURIComponent(String(page.body.nextCursor))}`,
    );
    expect(stolen).toMatchObject({ status: 400, body: { error: 'InvalidCursor' } });
    expect((await as(alice).get(`/me/logs/${aliceLog}`)).status).toBe(200);
  });

  it('accepts bodies exactly at the limits and answers one byte over with 413', async () => {
    const log = (size: number) => JSON.stringify({ content: 'x'.repeat(size - 14) });
    expect(Buffer.byteLength(log(256 * 1024))).toBe(256 * 1024);
    expect((await as(alice).raw('POST', '/me/logs', log(256 * 1024))).status).toBe(201);
    expect(await as(alice).raw('POST', '/me/logs', log(256 * 1024 + 1))).toMatchObject({
      status: 413,
      body: { error: 'PayloadTooLarge' },
    });
    const profile = (size: number) => JSON.stringify({ pad: 'x'.repeat(size - 10) });
    expect((await as(alice).raw('PUT', '/me/profile', profile(16 * 1024))).status).toBe(200);
    expect((await as(alice).raw('PUT', '/me/profile', profile(16 * 1024 + 1))).status).toBe(413);
    expect(Object.keys((await as(alice).get('/me/profile')).body)).toEqual(['pad']);
  });

  it('deletes entries for good', async () => {
    const user = await newUser('deleter');
    const [keep, drop] = await createLogs(user, 2, 'delete');
    expect((await as(user).send('DELETE', `/me/logs/${drop}`)).status).toBe(204);
    expect((await as(user).get(`/me/logs/${drop}`)).status).toBe(404);
    expect((await as(user).send('DELETE', `/me/logs/${drop}`)).status).toBe(404);
    expect(await listAll(user, 10)).toEqual([keep]);
  });

  it.each([
    ['/me/logs/%2e%2e%2fprofile.json'],
    ['/me/logs/..%2F..%2Fother-user'],
    ['/me/logs/8236287999999a1b2c3d4e5f6%00'],
    ['/me/logs/not-an-id'],
    [`/me/logs/${'9'.repeat(2000)}`],
    ['/me/logs?cursor=garbage'],
    ['/me/logs?cursor='],
    ['/me/logs?limit=0'],
    ['/me/logs?limit=101'],
    ['/me/logs?limit=ten'],
  ])('answers %s with a 4xx JSON error, never a 5xx', async (route) => {
    const answer = await as(alice).get(route);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toEqual(
      expect.objectContaining({ error: expect.any(String), message: expect.any(String) }),
    );
  });

  it('requires a token on every storage route', async () => {
    for (const [method, route] of [
      ['GET', '/me/profile'],
      ['PUT', '/me/profile'],
      ['GET', '/me/logs'],
      ['POST', '/me/logs'],
    ]) {
      expect((await api(route ?? '', { method: method ?? 'GET' })).status).toBe(401);
    }
  });
});
