import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

/** Every S3 client in the process, mocked; reset before each test. */
export const s3Mock = mockClient(S3Client);

beforeEach(() => {
  s3Mock.reset();
});

/** A GetObject body as the SDK returns it (only what the store reads). */
export const objectBody = (text: string) => ({ transformToString: async () => text }) as never;

export const s3Error = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
