import type { Deadline } from '../deadline';

/**
 * Per-user private data: one profile (a JSON object) and a list of log entries per user, keyed
 * by the user's `sub` from the verified token. The S3 implementation is in ./s3/.
 */

export interface LogSummary {
  id: string;
  createdAt: string;
  /** Bytes stored for the entry's content (its JSON encoding). */
  size: number;
}

export interface LogEntry {
  id: string;
  createdAt: string;
  content: unknown;
}

export interface LogPage {
  items: LogSummary[];
  nextCursor?: string;
}

export interface UserStore {
  /** The stored profile, or `{}` when there is none. */
  getProfile(sub: string): Promise<Record<string, unknown>>;
  /** Replaces the profile whole. */
  putProfile(sub: string, profile: Record<string, unknown>): Promise<void>;
  createLog(sub: string, content: unknown): Promise<LogSummary>;
  /** Newest first; `cursor` is a `nextCursor` from a previous page of the same user. */
  listLogs(sub: string, options: { limit: number; cursor?: string }): Promise<LogPage>;
  getLog(sub: string, id: string): Promise<LogEntry | undefined>;
  /** False when there was no such entry. */
  deleteLog(sub: string, id: string): Promise<boolean>;
  /** Every log entry, newest first (for an export of the user's data). */
  allLogs(sub: string): Promise<LogEntry[]>;
}

export interface ExportLink {
  url: string;
  /** When the link stops working (ISO 8601). */
  expiresAt: string;
}

export interface UserExports {
  /** Stores an export under the user's prefix: a link that reads it for `seconds`. */
  saveExport(sub: string, document: string, seconds: number): Promise<ExportLink>;
}

export interface UserDataEraser {
  /**
   * Deletes everything under the user's prefix (profile, log entries, exports): every object
   * and, where the bucket keeps them, every noncurrent version and delete marker. Throws 503
   * when `deadline` leaves no time for another call; running it again carries on.
   */
  deleteEverything(sub: string, deadline: Deadline): Promise<void>;
}
