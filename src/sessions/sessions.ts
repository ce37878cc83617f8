import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../config';
import { ApiError } from '../errors';
import { securityEvent } from '../security-events';
import {
  sessionEnded as ended,
  endingAll,
  horizonSeconds,
  markingDeleted,
  revokingOrigin,
  type Session,
  type SessionRecord,
} from './session-record';
import { changeSessionRecord, readSessionRecord } from './session-store';

/**
 * Ending sessions, and asking whether one has ended. These are the names other parts of the
 * API (and the account self-service routes) use: `endAllSessions`, `endSession`,
 * `markUserDeleted`, `assertSessionActive`.
 */

export type { Session } from './session-record';

export function sessionEnded(): ApiError {
  return new ApiError(
    'Unauthorized',
    'This session has ended (signed out, password changed, or account disabled). Sign in again.',
  );
}

/** The answer to a token of an account that is deleted, or whose deletion did not finish. */
export function accountDeleted(): ApiError {
  return new ApiError(
    'Unauthorized',
    'This session has ended: the account has been deleted, or its deletion has not finished (DELETE /me with the password finishes it).',
  );
}

/** Throws 401 when the session has ended, 503 when that cannot be known (never lets it pass). */
export async function assertSessionActive(sub: string, session: Session): Promise<void> {
  const record = await readSessionRecord(sub);
  if (ended(record, session)) refuse(sub, record);
}

/**
 * assertSessionActive for DELETE /me: a session of an account marked deleted passes, unless it
 * had ended before, so that the same request can finish a deletion that failed part-way.
 * Answers whether the account is marked deleted.
 */
export async function assertSessionActiveOrDeleting(
  sub: string,
  session: Session,
): Promise<boolean> {
  const record = await readSessionRecord(sub);
  if (ended({ ...record, deleted: false }, session)) refuse(sub, record);
  return record.deleted;
}

function refuse(sub: string, record: SessionRecord): never {
  securityEvent('ended-session-refused', 'failure', { sub });
  throw record.deleted ? accountDeleted() : sessionEnded();
}

/** Whether the session has ended (for a refresh, which must not mint tokens for one). */
export async function hasSessionEnded(sub: string, session: Session): Promise<boolean> {
  return ended(await readSessionRecord(sub), session);
}

/**
 * Ends every session of the user signed in until now, but `keepOriginJti` (the caller's), and
 * returns once the second of the record's `notBefore` has begun (at most 1 s later): every
 * sign-in that starts after the answer, through this API or straight to Cognito, then has an
 * `auth_time` of `notBefore` or later and goes on, while every earlier one is ended.
 */
export async function endAllSessions(sub: string, keepOriginJti?: string): Promise<void> {
  const { notBefore } = await changeSessionRecord(sub, (record) =>
    endingAll(record, clock(), keepOriginJti),
  );
  // A notBefore further ahead than this was written by a writer whose clock runs ahead.
  const waitMs = Math.min(notBefore * 1000 - Date.now(), LONGEST_CUT_WAIT_MS);
  if (waitMs > 0) await sleep(waitMs);
}

const LONGEST_CUT_WAIT_MS = 2_000;

/** Ends one session: every token minted from that sign-in. */
export async function endSession(sub: string, originJti: string): Promise<void> {
  await changeSessionRecord(sub, (record) => revokingOrigin(record, originJti, clock()));
}

/** The account is gone: every session of it is refused, now and later. */
export async function markUserDeleted(sub: string): Promise<void> {
  await changeSessionRecord(sub, (record) => markingDeleted(record, clock()));
}

function clock() {
  return {
    nowMs: Date.now(),
    horizonSeconds: horizonSeconds(config.refreshTokenMaxAgeSeconds),
  };
}
