import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../../concurrency';
import { ApiError } from '../../errors';
import { logger } from '../../logger';
import { decodeCursor, encodeCursor } from '../cursor';
import { createdAtOf, isLogId, newLogId } from '../log-ids';
import type { LogEntry, LogPage, LogSummary, UserStore } from '../user-store';
import { isAbsent, mapS3Error } from './s3-errors';

/**
 * The user store on S3. Every key is built here, under `users/<sub>/`: the profile at
 * `users/<sub>/profile.json`, each log entry at `users/<sub>/logs/<id>`. `sub` comes from the
 * verified token and ids are checked by the handlers, so no request can name a key outside
 * the caller's prefix. Each write is one PutObject: an object is stored whole or not at all.
 */
export class S3UserStore implements UserStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly cursorKey: string,
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

export async function attempt<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapS3Error(error, operation);
  }
}

/** Log entries an export reads at once. */
const READS_AT_ONCE = 16;

/** Every key of the user's starts with this; nothing else does (the sub is a UUID). */
export const userPrefix = (sub: string) => `users/${sub}/`;
const profileKey = (sub: string) => `${userPrefix(sub)}profile.json`;
const logPrefix = (sub: string) => `${userPrefix(sub)}logs/`;
const logKey = (sub: string, id: string) => `${logPrefix(sub)}${id}`;
