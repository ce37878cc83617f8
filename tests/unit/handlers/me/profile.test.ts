import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { handler as getProfile } from '../../../../src/handlers/me/get-profile';
import { handler as putProfile } from '../../../../src/handlers/me/put-profile';
import { PROFILE_MAX_BYTES } from '../../../../src/http/storage-requests';
import { apiEvent, CALLER_CLAIMS, invoke, SUB } from '../../fixtures';
import { objectBody, s3Error, s3Mock } from '../s3-mock';

const get = () => invoke(getProfile, apiEvent({ resource: '/me/profile', claims: CALLER_CLAIMS }));
const put = (options: Parameters<typeof apiEvent>[0]) =>
  invoke(
    putProfile,
    apiEvent({ method: 'PUT', resource: '/me/profile', claims: CALLER_CLAIMS, ...options }),
  );

describe('GET /me/profile', () => {
  it("returns the caller's stored profile", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: objectBody('{"theme":"dark","history":[1,2]}') });
    expect(await get()).toMatchObject({
      statusCode: 200,
      body: { theme: 'dark', history: [1, 2] },
    });
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'test-user-data',
      Key: `users/${SUB}/profile.json`,
    });
  });

  it('returns {} when there is none yet', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    expect(await get()).toMatchObject({ statusCode: 200, body: {} });
  });

  it('answers 503 when S3 is unreachable, and 401 without claims', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    expect(await get()).toMatchObject({ statusCode: 503, body: { error: 'ServiceUnavailable' } });
    expect((await invoke(getProfile, apiEvent({ resource: '/me/profile' }))).statusCode).toBe(401);
  });
});

describe('PUT /me/profile', () => {
  it('stores the object whole and returns it', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const profile = { theme: 'dark', nested: { deep: [true, null, 1.5] } };
    expect(await put({ body: profile })).toMatchObject({ statusCode: 200, body: profile });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `users/${SUB}/profile.json`,
      Body: JSON.stringify(profile),
    });
  });

  it('keeps the keys __proto__, constructor and prototype at every level, touching no prototype', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const rawBody =
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"prototype":1,' +
      '"nested":{"__proto__":{"admin":true}}}';
    const response = await put({ rawBody, headers: { 'Content-Type': 'application/json' } });
    expect(response.statusCode).toBe(200);
    const stored = JSON.parse(
      String(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body),
    ) as object;
    for (const answer of [response.body, stored]) {
      expect(Object.keys(answer)).toEqual(['__proto__', 'constructor', 'prototype', 'nested']);
      expect(Object.getPrototypeOf(answer)).toBe(Object.prototype);
      expect(JSON.stringify(answer)).toBe(rawBody);
    }
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  it('returns such keys as they were stored', async () => {
    const text = '{"__proto__":{"admin":true},"constructor":"c","prototype":[1]}';
    s3Mock.on(GetObjectCommand).resolves({ Body: objectBody(text) });
    const response = await get();
    expect(JSON.stringify(response.body)).toBe(text);
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  it('accepts exactly 16 KiB and refuses one byte more with 413, writing nothing', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const exact = JSON.stringify({ pad: 'x'.repeat(PROFILE_MAX_BYTES - 10) });
    expect(Buffer.byteLength(exact)).toBe(PROFILE_MAX_BYTES);
    expect(
      (await put({ rawBody: exact, headers: { 'Content-Type': 'application/json' } })).statusCode,
    ).toBe(200);
    const over = JSON.stringify({ pad: 'x'.repeat(PROFILE_MAX_BYTES - 9) });
    expect(
      await put({ rawBody: over, headers: { 'Content-Type': 'application/json' } }),
    ).toMatchObject({
      statusCode: 413,
      body: { error: 'PayloadTooLarge' },
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"dark"'],
    ['null', 'null'],
  ])('refuses %s: a profile is an object', async (_what, rawBody) => {
    expect(
      (await put({ rawBody, headers: { 'Content-Type': 'application/json' } })).statusCode,
    ).toBe(400);
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });
});
