import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mapWithConcurrency } from '../../concurrency';
import type { Deadline } from '../../deadline';
import { ApiError, serviceUnavailable } from '../../errors';
import { logger } from '../../logger';
import { decodeCursor, encodeCursor } from '../cursor';
import { createdAtOf, isLogId, newLogId } from '../log-ids';
import type { ExportLink, LogEntry, LogPage, LogSummary, UserStore } from '../user-store';
import { isAbsent, mapS3Error } from './s3-errors';

/**
 * The user store on S3. Every key is built here, under `users/<sub>/`: the profile at
 * `users/<sub>/profile.json`, each log entry at `users/<sub>/logs/<id>`. `sub` comes from the
 * verified token and ids are checked by the handlers, so no request can name a key outside
 * the caller's prefix. Each write is one PutObject: an object is stored whole or not at all.
 * `keepsVersions`: the bucket is versioned (template.yaml), so deleting a user's data means
 * deleting every version; the local stack's s3rver keeps none (and has no ListObjectVersions).
 */
export class S3UserStore implements UserStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly cursorKey: string,
    private readonly options: { keepsVersions: boolean } = { keepsVersions: true },
  ) {}

  async getProfile(sub: string): Promise<Record<string, unknown>> {
    const text = await this.read(profileKey(sub), 'getProfile');
    return text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
  }

  async putProfile(sub: string, profile: Record<string, unknown>): Promise<void> {
    await this.write(profileKey(sub), JSON.stringify(profile), 'putProfile');
  }

  async createLog(sub: string, content: unknown): Promise<LogSummary> {
    const id = newLogId();
    const key = logKey(sub, id);
    const body = JSON.stringify(content);
    try {
      await this.write(key, body, 'createLog');
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 503) await this.forget(key);
      throw error;
    }
    return { id, createdAt: createdAtOf(id), size: Buffer.byteLength(body) };
  }

  /**
   * A write that timed out or got no answer may still land in S3 later. The caller is told it
   * failed, so it must never show up: delete the key (briefly; the function's deadline holds).
   */
  private async forget(key: string): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: AbortSignal.timeout(1_500),
      });
    } catch {
      logger.error('could not delete the key of a failed write; it may appear later', { key });
    }
  }

  async listLogs(sub: string, options: { limit: number; cursor?: string }): Promise<LogPage> {
    const prefix = logPrefix(sub);
    const after = options.cursor ? decodeCursor(this.cursorKey, sub, options.cursor) : undefined;
    const output = await attempt('listLogs', () =>
      this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: options.limit,
          ...(after ? { StartAfter: `${prefix}${after}` } : {}),
        }),
      ),
    );
    const items = (output.Contents ?? [])
      .map((object) => ({ id: (object.Key ?? '').slice(prefix.length), size: object.Size ?? 0 }))
      .filter(({ id }) => isLogId(id))
      .map(({ id, size }) => ({ id, createdAt: createdAtOf(id), size }));
    const last = items.at(-1);
    return {
      items,
      ...(output.IsTruncated && last
        ? { nextCursor: encodeCursor(this.cursorKey, sub, last.id) }
        : {}),
    };
  }

  async getLog(sub: string, id: string): Promise<LogEntry | undefined> {
    const text = await this.read(logKey(sub, id), 'getLog');
    return text === undefined
      ? undefined
      : { id, createdAt: createdAtOf(id), content: JSON.parse(text) };
  }

  async deleteLog(sub: string, id: string): Promise<boolean> {
    const key = logKey(sub, id);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isAbsent(error)) return false;
      throw mapS3Error(error, 'deleteLog');
    }
    await attempt('deleteLog', () =>
      this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    return true;
  }

  async allLogs(sub: string): Promise<LogEntry[]> {
    const prefix = logPrefix(sub);
    const ids: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await attempt('allLogs', () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const id = (object.Key ?? '').slice(prefix.length);
        if (isLogId(id)) ids.push(id);
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    // One GetObject per entry, a bounded number at a time: 1,000 entries in a few seconds
    // without opening 1,000 sockets at once (bench: "export").
    const entries = await mapWithConcurrency(ids, READS_AT_ONCE, (id) => this.getLog(sub, id));
    // An entry deleted meanwhile is simply not in the export.
    return entries.filter((entry): entry is LogEntry => entry !== undefined);
  }

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

  async deleteEverything(sub: string, deadline: Deadline): Promise<void> {
    const prefix = userPrefix(sub);
    // Each round lists what is left (up to 1,000 keys or versions) and deletes it, so a run cut
    // short by a failure or the deadline leaves only undeleted keys for the next run.
    for (;;) {
      deadline.assertTimeForACall();
      const batch = this.options.keepsVersions
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

  private async read(key: string, operation: string): Promise<string | undefined> {
    try {
      const output = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await (output.Body?.transformToString('utf-8') ?? '');
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw mapS3Error(error, operation);
    }
  }

  private async write(key: string, body: string, operation: string): Promise<void> {
    await attempt(operation, () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
        }),
      ),
    );
  }
}

async function attempt<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapS3Error(error, operation);
  }
}

/** Log entries an export reads at once. */
const READS_AT_ONCE = 16;
const EXPORT_FILE_NAME = 'my-data.json';

/** Every key of the user's starts with this; nothing else does. */
const userPrefix = (sub: string) => `users/${sub}/`;
const profileKey = (sub: string) => `users/${sub}/profile.json`;
const exportPrefix = (sub: string) => `users/${sub}/exports/`;
const logPrefix = (sub: string) => `users/${sub}/logs/`;
const logKey = (sub: string, id: string) => `${logPrefix(sub)}${id}`;
