import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { S3UserExports } from '../../../../src/storage/s3/s3-user-exports';
import { SUB } from '../../fixtures';

const s3Mock = mockClient(S3Client);
const userExports = new S3UserExports(new S3Client({ region: 'us-east-1' }), 'bucket');

beforeEach(() => s3Mock.reset());

it("writes an export under the user's exports/ and signs a GET of it for the given time", async () => {
  s3Mock.on(PutObjectCommand).resolves({});
  const link = await userExports.saveExport(SUB, '{"all":true}', 900);
  const key = String(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Key);
  expect(key).toMatch(new RegExp(`^users/${SUB}/exports/`));
  const url = new URL(link.url);
  expect(decodeURIComponent(url.pathname)).toBe(`/${key}`);
  expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(890_000);
});
