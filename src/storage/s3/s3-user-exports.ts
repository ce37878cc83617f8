import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportLink, UserExports } from '../user-store';
import { attempt, userPrefix } from './s3-user-store';

/**
 * Exports of a user's data under their own prefix, and the links that download them: apart
 * from S3UserStore so that the functions that only read and write carry no presigner.
 */
export class S3UserExports implements UserExports {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async saveExport(sub: string, document: string, seconds: number): Promise<ExportLink> {
    const exportedAt = new Date();
    const key = `${exportPrefix(sub)}${exportedAt.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`;
    await attempt('saveExport', () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: document,
          ContentType: 'application/json',
          ContentDisposition: `attachment; filename="${EXPORT_FILE_NAME}"`,
        }),
      ),
    );
    // Signed with the function's own credentials: S3 honours the link for `seconds`, or until
    // those credentials expire if that is sooner (README, "Export my data").
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      { expiresIn: seconds, signingDate: exportedAt },
    );
    return { url, expiresAt: new Date(exportedAt.getTime() + seconds * 1000).toISOString() };
  }
}

const EXPORT_FILE_NAME = 'my-data.json';
const exportPrefix = (sub: string) => `${userPrefix(sub)}exports/`;
