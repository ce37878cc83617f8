import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ApiError } from '../../../../src/errors';
import { decodeCursor } from '../../../../src/storage/cursor';
import { createdAtOf, newLogId } from '../../../../src/storage/log-ids';
import { S3UserStore } from '../../../../src/storage/s3/s3-user-store';
import { SUB } from '../../fixtures';

const s3Mock = mockClient(S3Client);
const store = new S3UserStore(
  new S3Client({ region: 'us-east-1' }),
  'bucket',
  'cursor-key-0123456789',
);
const body = (text: string) => ({ transformToString: async () => text }) as never;
const s3Error = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

beforeEach(() => s3Mock.reset());

describe('S3UserStore', () => {
  it("reads and writes the profile under the user's prefix", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{"theme":"dark"}') });
    expect(await store.getProfile(SUB)).toEqual({ theme: 'dark' });
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'bucket',
      Key: `users/${SUB}/profile.json`,
    });
    await store.putProfile(SUB, { theme: 'light' });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `users/${SUB}/profile.json`,
      Body: '{"theme":"light"}',
      ContentType: 'application/json',
    });
  });

  it.each([
    ['NoSuchKey', 404],
    ['AccessDenied', 403],
  ])('treats %s on a missing profile as none', async (name, status) => {
    s3Mock.on(GetObjectCommand).rejects(s3Error(name, status));
    expect(await store.getProfile(SUB)).toEqual({});
  });

  it('stores a log entry as one object and reports its size', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    const summary = await store.createLog(SUB, { command: 'ls', ok: true });
    expect(summary).toEqual({
      id: expect.stringMatching(/^\d{13}[0-9a-f]{12}$/),
      createdAt: createdAtOf(summary.id),
      size: 26,
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `users/${SUB}/logs/${summary.id}`,
    });
  });

  it('lists newest first a page at a time, with a cursor for the next page', async () => {
    const ids = [newLogId(3000), newLogId(2000)];
    s3Mock.on(ListObjectsV2Command).resolves({
      IsTruncated: true,
      Contents: [
        ...ids.map((id) => ({ Key: `users/${SUB}/logs/${id}`, Size: 10 })),
        { Key: `users/${SUB}/logs/stray-object`, Size: 1 },
      ],
    });
    const page = await store.listLogs(SUB, { limit: 2 });
    expect(page.items).toEqual(ids.map((id) => ({ id, createdAt: createdAtOf(id), size: 10 })));
    expect(decodeCursor('cursor-key-0123456789', SUB, String(page.nextCursor))).toBe(ids[1]);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: `users/${SUB}/logs/`,
      MaxKeys: 2,
    });

    s3Mock.on(ListObjectsV2Command).resolves({ IsTruncated: false, Contents: [] });
    const next = await store.listLogs(SUB, { limit: 2, cursor: String(page.nextCursor) });
    expect(next).toEqual({ items: [] });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      StartAfter: `users/${SUB}/logs/${ids[1]}`,
    });
  });

  it('gets and deletes entries; a missing one is undefined or false', async () => {
    const id = newLogId();
    s3Mock.on(GetObjectCommand).resolves({ Body: body('"echo hi"') });
    expect(await store.getLog(SUB, id)).toEqual({
      id,
      createdAt: createdAtOf(id),
      content: 'echo hi',
    });
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    expect(await store.getLog(SUB, id)).toBeUndefined();

    s3Mock.on(HeadObjectCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
    expect(await store.deleteLog(SUB, id)).toBe(true);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Key: `users/${SUB}/logs/${id}`,
    });
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    expect(await store.deleteLog(SUB, id)).toBe(false);
  });

  it('deletes the key of a write that timed out, so it is never listed later', async () => {
    s3Mock
      .on(PutObjectCommand)
      .rejects(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    s3Mock.on(DeleteObjectCommand).resolves({});
    await expect(store.createLog(SUB, 'x')).rejects.toMatchObject({ statusCode: 503 });
    const [put] = s3Mock.commandCalls(PutObjectCommand);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: put?.args[0].input.Key });
  });

  it('does not delete anything after a definite rejection', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('NoSuchBucket', 404));
    await expect(store.createLog(SUB, 'x')).rejects.toMatchObject({ statusCode: 500 });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it.each([
    [
      'unreachable',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      503,
    ],
    ['timing out', Object.assign(new Error('timeout'), { name: 'TimeoutError' }), 503],
    ['failing', s3Error('InternalError', 500), 503],
    ['throttling', s3Error('SlowDown', 503), 503],
    ['misconfigured', s3Error('NoSuchBucket', 404), 500],
  ])('answers %s S3 with %i', async (_why, error, statusCode) => {
    s3Mock.on(PutObjectCommand).rejects(error);
    s3Mock.on(ListObjectsV2Command).rejects(error);
    for (const call of [() => store.createLog(SUB, 'x'), () => store.listLogs(SUB, { limit: 1 })]) {
      const failure = await call().catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).statusCode).toBe(statusCode);
    }
  });

  it('reads every log entry of an export across listing pages, skipping one deleted meanwhile', async () => {
    const ids = Array.from({ length: 5 }, (_, n) => newLogId(Date.now() - n * 1000));
    s3Mock
      .on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({
        Contents: ids.slice(0, 3).map((id) => ({ Key: `users/${SUB}/logs/${id}` })),
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      })
      .on(ListObjectsV2Command, { ContinuationToken: 'page-2' })
      .resolves({
        Contents: [
          ...ids.slice(3).map((id) => ({ Key: `users/${SUB}/logs/${id}` })),
          { Key: `users/${SUB}/logs/not-a-log-id` },
        ],
      });
    for (const [n, id] of ids.entries()) {
      const answer = s3Mock.on(GetObjectCommand, { Key: `users/${SUB}/logs/${id}` });
      if (n === 2) answer.rejects(s3Error('NoSuchKey', 404));
      else answer.resolves({ Body: body(JSON.stringify({ n })) });
    }
    const entries = await store.allLogs(SUB);
    expect(entries.map((entry) => entry.content)).toEqual([{ n: 0 }, { n: 1 }, { n: 3 }, { n: 4 }]);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'bucket',
      Prefix: `users/${SUB}/logs/`,
    });
  });
});
