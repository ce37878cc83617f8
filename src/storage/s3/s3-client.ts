import { S3Client } from '@aws-sdk/client-s3';
import { CLIENT_OPTIONS } from '../../aws-clients';
import { config } from '../../config';

/** The one S3 client per container (deadlines: see ../../aws-clients.ts). */
export const s3 = new S3Client({
  region: config.region,
  // Locally: s3rver, addressed by path (bucket.localhost does not resolve).
  ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
  ...CLIENT_OPTIONS,
});
