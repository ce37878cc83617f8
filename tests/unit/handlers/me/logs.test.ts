import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { handler as createLog } from '../../../../src/handlers/me/create-log';
import { handler as deleteLog } from '../../../../src/handlers/me/delete-log';
import { handler as getLog } from '../../../../src/handlers/me/get-log';
import { handler as listLogs } from '../../../../src/handlers/me/list-logs';
import { LOG_BODY_MAX_BYTES } from '../../../../src/http/storage-requests';
import { encodeCursor } from '../../../../src/storage/cursor';
import { newLogId } from '../../../../src/storage/log-ids';
import { apiEvent, CALLER_CLAIMS, invoke, OTHER_SUB, SUB } from '../../fixtures';
import { objectBody, s3Error, s3Mock } from '../s3-mock';

const claims = CALLER_CLAIMS;
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('POST /me/logs', () => {
  const create = (options: Parameters<typeof apiEvent>[0]) =>
    invoke(createLog, apiEvent({ resource: '/me/logs', claims, ...options }));

  it.each([
    ['a string', 'git status'],
    ['a JSON object', { command: 'ls', exitCode: 0 }],
    ['a number', 42],
    ['an array', ['a', 'b']],
  ])('stores %s and answers 201 {id, createdAt, size}', async (_what, content) => {
    s3Mock.on(PutObjectCommand).resolves({});
    const response = await create({ body: { content } });
    expect(response).toMatchObject({
      statusCode: 201,
      body: { id: expect.any(String), createdAt: expect.any(String) },
    });
    expect(response.body.size).toBe(Buffer.byteLength(JSON.stringify(content)));
  });

  it('stores content with the keys __proto__, constructor and prototype as sent', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const content = '{"__proto__":{"admin":true},"constructor":1,"prototype":[{"__proto__":2}]}';
    const response = await create({ rawBody: `{"content":${content}}`, headers: JSON_TYPE });
    expect(response.statusCode).toBe(201);
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body).toBe(content);
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  it.each([
    ['null', 'null'],
    ['missing', undefined],
  ])('refuses content that is %s, writing nothing', async (_what, content) => {
    const rawBody = content === undefined ? '{}' : `{"content":${content}}`;
    expect(await create({ rawBody, headers: JSON_TYPE })).toMatchObject({
      statusCode: 400,
      body: { error: 'ValidationError', details: [{ path: 'content' }] },
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('accepts exactly 256 KiB and refuses one byte more with 413, writing nothing', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const exact = JSON.stringify({ content: 'x'.repeat(LOG_BODY_MAX_BYTES - 14) });
    expect(Buffer.byteLength(exact)).toBe(LOG_BODY_MAX_BYTES);
    expect((await create({ rawBody: exact, headers: JSON_TYPE })).statusCode).toBe(201);
    const over = JSON.stringify({ content: 'x'.repeat(LOG_BODY_MAX_BYTES - 13) });
    expect((await create({ rawBody: over, headers: JSON_TYPE })).statusCode).toBe(413);
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it.each([
    ['no content', {}],
    ['null content', { content: null }],
    ['an extra field', { content: 'x', owner: OTHER_SUB }],
  ])('refuses %s with 400', async (_what, body) => {
    expect((await create({ body })).statusCode).toBe(400);
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 when S3 cannot be reached', async () => {
    s3Mock
      .on(PutObjectCommand)
      .rejects(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    expect(await create({ body: { content: 'x' } })).toMatchObject({
      statusCode: 503,
      body: { error: 'ServiceUnavailable' },
    });
  });
});

describe('GET /me/logs', () => {
  const list = (query?: Record<string, string>) =>
    invoke(listLogs, apiEvent({ resource: '/me/logs', claims, ...(query ? { query } : {}) }));

  it('lists 20 newest first by default', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ IsTruncated: false, Contents: [] });
    expect(await list()).toMatchObject({ statusCode: 200, body: { items: [] } });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: `users/${SUB}/logs/`,
      MaxKeys: 20,
    });
  });

  it.each(['1', '100'])('accepts limit=%s', async (limit) => {
    s3Mock.on(ListObjectsV2Command).resolves({ IsTruncated: false, Contents: [] });
    expect((await list({ limit })).statusCode).toBe(200);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { MaxKeys: Number(limit) });
  });

  it.each(['0', '101', '-1', '1.5', 'abc', '', '9999999999'])(
    'refuses limit=%j with 400',
    async (limit) => {
      expect((await list({ limit })).statusCode).toBe(400);
      expect(s3Mock).not.toHaveReceivedAnyCommand();
    },
  );

  it("refuses a tampered cursor or another user's with 400", async () => {
    const id = newLogId();
    expect(await list({ cursor: 'not-a-cursor' })).toMatchObject({
      statusCode: 400,
      body: { error: 'InvalidCursor' },
    });
    expect(
      (await list({ cursor: encodeCursor('test-cursor-key-0123456789', OTHER_SUB, id) }))
        .statusCode,
    ).toBe(400);
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    s3Mock.on(ListObjectsV2Command).resolves({ IsTruncated: false, Contents: [] });
    expect(
      (await list({ cursor: encodeCursor('test-cursor-key-0123456789', SUB, id) })).statusCode,
    ).toBe(200);
  });
});

describe('GET and DELETE /me/logs/{id}', () => {
  const id = newLogId();
  const get = (logId: string) =>
    invoke(getLog, apiEvent({ resource: '/me/logs/{id}', claims, pathParameters: { id: logId } }));
  const remove = (logId: string) =>
    invoke(
      deleteLog,
      apiEvent({
        method: 'DELETE',
        resource: '/me/logs/{id}',
        claims,
        pathParameters: { id: logId },
      }),
    );

  it("returns the caller's entry, from the caller's prefix only", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: objectBody('{"command":"ls"}') });
    expect(await get(id)).toMatchObject({
      statusCode: 200,
      body: { id, content: { command: 'ls' } },
    });
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Key: `users/${SUB}/logs/${id}` });
  });

  it("answers 404 for an id that is not there (another user's looks the same)", async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    expect(await get(id)).toMatchObject({ statusCode: 404, body: { error: 'NotFound' } });
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    expect(await remove(id)).toMatchObject({ statusCode: 404, body: { error: 'NotFound' } });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('deletes with 204', async () => {
    s3Mock.on(HeadObjectCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
    expect((await remove(id)).statusCode).toBe(204);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Key: `users/${SUB}/logs/${id}`,
    });
  });

  it.each([
    '..',
    '../profile.json',
    `${id}/../../x`,
    'x',
    `${id}\u0000`,
    '%2e%2e',
    'a'.repeat(2000),
  ])('refuses the malformed id %j with 400 before touching S3', async (badId) => {
    expect((await get(badId)).statusCode).toBe(400);
    expect((await remove(badId)).statusCode).toBe(400);
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });
});
