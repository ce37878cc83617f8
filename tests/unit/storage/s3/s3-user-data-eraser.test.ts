import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Deadline, LONGEST_CALL_MS } from '../../../../src/deadline';
import { S3UserDataEraser } from '../../../../src/storage/s3/s3-user-data-eraser';
import { SUB } from '../../fixtures';

const s3Mock = mockClient(S3Client);
const s3Error = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

beforeEach(() => s3Mock.reset());

describe('S3UserDataEraser', () => {
  const eraser = new S3UserDataEraser(new S3Client({ region: 'us-east-1' }), 'bucket', true);
  const inTime = Deadline.of({ getRemainingTimeInMillis: () => 60_000 });
  const page = (count: number, from = 0) =>
    Array.from({ length: count }, (_, n) => ({
      Key: `users/${SUB}/logs/${String(from + n).padStart(25, '0')}`,
      VersionId: `v${from + n}`,
    }));

  it("deletes every version and delete marker under the user's prefix, a page at a time, until none is left", async () => {
    const first = page(999);
    const marker = { Key: `users/${SUB}/profile.json`, VersionId: 'marker' };
    const second = page(2, 999);
    s3Mock
      .on(ListObjectVersionsCommand)
      .resolvesOnce({ Versions: first, DeleteMarkers: [marker], IsTruncated: true })
      .resolvesOnce({ Versions: second })
      .resolves({});
    s3Mock.on(DeleteObjectsCommand).resolves({});
    await eraser.deleteEverything(SUB, inTime);
    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectVersionsCommand, 3);
    for (const call of s3Mock.commandCalls(ListObjectVersionsCommand)) {
      expect(call.args[0].input).toEqual({ Bucket: 'bucket', Prefix: `users/${SUB}/` });
    }
    const deleted = s3Mock
      .commandCalls(DeleteObjectsCommand)
      .map((call) => call.args[0].input.Delete?.Objects);
    expect(deleted).toEqual([[...first, marker], second]);
  });

  it('without versions (the local stack), deletes the current objects', async () => {
    const unversioned = new S3UserDataEraser(
      new S3Client({ region: 'us-east-1' }),
      'bucket',
      false,
    );
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: `users/${SUB}/profile.json` }] })
      .resolves({});
    s3Mock.on(DeleteObjectsCommand).resolves({});
    await unversioned.deleteEverything(SUB, inTime);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: `users/${SUB}/`,
    });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Delete: { Objects: [{ Key: `users/${SUB}/profile.json` }], Quiet: true },
    });
    expect(s3Mock).not.toHaveReceivedCommand(ListObjectVersionsCommand);
  });

  it('answers 503 when S3 keeps some keys or fails, and 503 before a call that would not fit', async () => {
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: page(2) });
    s3Mock
      .on(DeleteObjectsCommand)
      .resolves({ Errors: [{ Key: page(1)[0]?.Key, Code: 'InternalError' }] });
    await expect(eraser.deleteEverything(SUB, inTime)).rejects.toMatchObject({
      statusCode: 503,
    });
    s3Mock.on(ListObjectVersionsCommand).rejects(s3Error('InternalError', 500));
    await expect(eraser.deleteEverything(SUB, inTime)).rejects.toMatchObject({
      statusCode: 503,
    });
    s3Mock.reset();
    const late = Deadline.of({ getRemainingTimeInMillis: () => LONGEST_CALL_MS - 1 });
    await expect(eraser.deleteEverything(SUB, late)).rejects.toMatchObject({
      statusCode: 503,
      message: expect.stringMatching(/Send the same request again/),
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });
});
