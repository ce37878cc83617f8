import { mkdirSync } from 'node:fs';
import { answers, NodeChild } from '../child-process';

/**
 * s3rver as the local S3, with the two fixes it needs on Node 20 and later: the legacy OpenSSL
 * provider (else paginated ListObjectsV2 answers 500), and SDK clients that send checksums only
 * when required (src/storage/s3/s3-client.ts does so whenever S3_ENDPOINT is set); and with
 * S3's atomic writes (atomic-put.cjs), which s3rver does not have. It accepts
 * only its own credentials (S3RVER/S3RVER). Objects persist under `dir`; the template's buckets
 * are created at start.
 */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function s3rver(
  dir: string,
  port: number,
  buckets: string[],
  logFile: string,
  onCrash: (message: string) => void,
): NodeChild {
  mkdirSync(dir, { recursive: true });
  return new NodeChild({
    name: 's3rver',
    args: [
      '--openssl-legacy-provider',
      // Atomic writes, as S3's (atomic-put.cjs).
      '--require',
      require.resolve('./atomic-put.cjs'),
      require.resolve('s3rver/bin/s3rver.js'),
      '--directory',
      dir,
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--no-vhost-buckets',
      ...buckets.flatMap((bucket) => ['--configure-bucket', bucket]),
    ],
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' },
    logFile,
    // s3rver logs each request's URL; a presigned one (an export's download link) carries its
    // signature, which makes the link usable by whoever reads it.
    redact: (line) => line.replace(/(X-Amz-Signature=)[0-9a-f]+/gi, '$1[redacted]'),
    ready: () => answers(`http://127.0.0.1:${port}/`),
    onCrash,
  });
}
