import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../src/errors';
import { readSessionRecord } from '../../../src/sessions/session-store';
import {
  assertSessionActive,
  endAllSessions,
  endSession,
  keepNewSession,
  markUserDeleted,
} from '../../../src/sessions/sessions';
import { logLines, withUnreachableDynamoDb } from '../fixtures';

const now = () => Math.floor(Date.now() / 1000);
const user = () => randomUUID();
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof ApiError ? [error.statusCode, error.code] : error),
  );

describe('sessions, in a DynamoDB table (dynalite)', () => {
  it('lets every session through until something ends one', async () => {
    await expect(
      assertSessionActive(user(), { originJti: 'a', authTime: now() }),
    ).resolves.toBeUndefined();
  });

  it('refuses every session of the user after endAllSessions, with 401, and logs it', async () => {
    const sub = user();
    const before = { originJti: 'before', authTime: now() };
    await endAllSessions(sub);
    expect(await refusal(assertSessionActive(sub, before))).toEqual([401, 'Unauthorized']);
    expect(logLines().at(-1)).toMatchObject({
      securityEvent: 'ended-session-refused',
      outcome: 'failure',
      sub,
    });
    // Another user is untouched.
    await expect(assertSessionActive(user(), before)).resolves.toBeUndefined();
  });

  it('keeps the session named on endAllSessions (a password change)', async () => {
    const sub = user();
    await endAllSessions(sub, 'mine');
    await expect(
      assertSessionActive(sub, { originJti: 'mine', authTime: now() - 5 }),
    ).resolves.toBeUndefined();
    expect(
      await refusal(assertSessionActive(sub, { originJti: 'theirs', authTime: now() - 5 })),
    ).toEqual([401, 'Unauthorized']);
  });

  it('keeps a new sign-in within the second of a cut, once admitted', async () => {
    const sub = user();
    await endAllSessions(sub);
    const startedAtMs = Date.now() + 1;
    await new Promise((resolve) => setTimeout(resolve, 2));
    const fresh = { originJti: 'fresh', authTime: (await readSessionRecord(sub)).notBefore - 1 };
    expect(await refusal(assertSessionActive(sub, fresh))).toEqual([401, 'Unauthorized']);
    await keepNewSession(sub, fresh, startedAtMs);
    await expect(assertSessionActive(sub, fresh)).resolves.toBeUndefined();
  });

  it('ends one session with endSession, and a deleted user for good', async () => {
    const sub = user();
    await endSession(sub, 'gone');
    expect(await refusal(assertSessionActive(sub, { originJti: 'gone', authTime: now() }))).toEqual(
      [401, 'Unauthorized'],
    );
    await expect(
      assertSessionActive(sub, { originJti: 'other', authTime: now() }),
    ).resolves.toBeUndefined();
    await markUserDeleted(sub);
    expect(
      await refusal(assertSessionActive(sub, { originJti: 'other', authTime: now() + 60 })),
    ).toEqual([401, 'Unauthorized']);
  });

  it('loses no write when writers race (conditional puts, retried)', async () => {
    const sub = user();
    const origins = Array.from({ length: 8 }, (_, index) => `origin-${index}`);
    await Promise.all(origins.map((origin) => endSession(sub, origin)));
    expect(Object.keys((await readSessionRecord(sub)).revokedOrigins).sort()).toEqual(origins);
  });
});

describe('sessions when DynamoDB cannot be reached', () => {
  it('fails closed: 503, never a session let through', async () => {
    const outcome = await withUnreachableDynamoDb(async () => {
      const isolated = await import('../../../src/sessions/sessions');
      const errors = await import('../../../src/errors');
      return isolated.assertSessionActive(user(), { originJti: 'a', authTime: now() }).then(
        () => 'let through',
        (error: unknown) => error instanceof errors.ApiError && error.statusCode,
      );
    });
    expect(outcome).toBe(503);
  });
});
