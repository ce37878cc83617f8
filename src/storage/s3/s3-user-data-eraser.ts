import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Deadline } from '../../deadline';
import { serviceUnavailable } from '../../errors';
import { logger } from '../../logger';
import type { UserDataEraser } from '../user-store';
import { attempt, userPrefix } from './s3-user-store';

/**
 * Deleting everything under a user's prefix (DELETE /me), apart from S3UserStore so that the
 * functions that only read and write carry none of its calls. `keepsVersions`: the bucket is
 * versioned (template.yaml), so every version and delete marker goes too; the local stack's
 * s3rver keeps none (and has no ListObjectVersions: it answers 405), so there the current
 * objects are listed instead.
 */
export class S3UserDataEraser implements UserDataEraser {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly keepsVersions: boolean,
  ) {}

  async deleteEverything(sub: string, deadline: Deadline): Promise<void> {
    const prefix = userPrefix(sub);
    // Each round lists what is left (up to 1,000 keys or versions) and deletes it, so a run cut
    // short by a failure or the deadline leaves only undeleted keys for the next run.
    for (;;) {
      deadline.assertTimeForACall();
      const batch = this.keepsVersions
        ? await this.versionsUnder(prefix)
        : await this.objectsUnder(prefix);
      if (batch.length === 0) return;
      deadline.assertTimeForACall();
      const output = await attempt('deleteEverything', () =>
        this.s3.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch, Quiet: true },
          }),
        ),
      );
      // Quiet: only the keys S3 could not delete are listed.
      if (output.Errors?.length) {
        logger.error('s3 kept some keys of a deletion', {
          operation: 'deleteEverything',
          kept: output.Errors.length,
          s3Error: output.Errors[0]?.Code,
        });
        throw serviceUnavailable('storage');
      }
    }
  }

  /** Every version and delete marker under `prefix`, up to 1,000. */
  private async versionsUnder(prefix: string): Promise<ObjectIdentifier[]> {
    const output = await attempt('deleteEverything', () =>
      this.s3.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix })),
    );
    return [...(output.Versions ?? []), ...(output.DeleteMarkers ?? [])].map(
      ({ Key, VersionId }) => ({ Key, VersionId }),
    );
  }

  /** Every object under `prefix`, up to 1,000 (a bucket without versions). */
  private async objectsUnder(prefix: string): Promise<ObjectIdentifier[]> {
    const output = await attempt('deleteEverything', () =>
      this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix })),
    );
    return (output.Contents ?? []).map(({ Key }) => ({ Key }));
  }
}
