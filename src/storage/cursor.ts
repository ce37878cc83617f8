import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { ApiError } from '../errors';
import { isLogId } from './log-ids';

/**
 * The opaque `nextCursor` of GET /me/logs: the last id of the page, authenticated with
 * HMAC-SHA256 over the id and the caller's sub. A changed cursor, or one from another user,
 * is a clear 400 instead of a strange page. (It never widens access either way: every listing
 * is confined to the caller's prefix.)
 */
const Payload = v.object({ after: v.pipe(v.string(), v.check(isLogId)) });
const TAG_BYTES = 16;

const invalid = () =>
  new ApiError(
    'InvalidCursor',
    'The cursor is not valid: pass nextCursor exactly as a previous page returned it.',
  );

function tag(key: string, sub: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`${sub}\n${payload}`).digest().subarray(0, TAG_BYTES);
}

export function encodeCursor(key: string, sub: string, after: string): string {
  const payload = Buffer.from(JSON.stringify({ after })).toString('base64url');
  return `${payload}.${tag(key, sub, payload).toString('base64url')}`;
}

/** The id to list after; throws a 400 ApiError for anything not made by encodeCursor. */
export function decodeCursor(key: string, sub: string, cursor: string): string {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined || cursor.length > 512) throw invalid();
  const given = Buffer.from(signature, 'base64url');
  const expected = tag(key, sub, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  try {
    return v.parse(Payload, JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).after;
  } catch {
    throw invalid();
  }
}
