import { randomBytes } from 'node:crypto';

/**
 * Log ids sort newest first: 13 digits of (MAX - creation time in ms), then 12 random hex
 * digits. S3 lists keys in ascending order, so a listing is newest first with no extra work,
 * and concurrent writes in the same millisecond still get distinct ids. The strict format is
 * also what keeps a request from naming any key outside the caller's prefix.
 */
const MAX_MS = 9_999_999_999_999;
export const LOG_ID = /^\d{13}[0-9a-f]{12}$/;

export function newLogId(now = Date.now()): string {
  return `${String(MAX_MS - now).padStart(13, '0')}${randomBytes(6).toString('hex')}`;
}

export function isLogId(id: string): boolean {
  return LOG_ID.test(id);
}

export function createdAtOf(id: string): string {
  return new Date(MAX_MS - Number(id.slice(0, 13))).toISOString();
}
