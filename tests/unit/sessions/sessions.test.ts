import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../src/errors';
import { changeSessionRecord, readSessionRecord } from '../../../src/sessions/session-store';
import {
  assertSessionActive,
  endAllSessions,
  endSession,
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

  it('answers once the second after the cut has begun: a sign-in after the answer goes on', async () => {
    const sub = user();
    const before = { originJti: 'before', authTime: now() };
    await endAllSessions(sub);
    const answeredAtMs = Date.now();
    const { notBefore } = await readSessionRecord(sub);
    expect(answeredAtMs).toBeGreaterThanOrEqual(notBefore * 1000);
    // auth_time has whole seconds: the earlier sign-in's second is the cut's, or before it.
    expect(await refusal(assertSessionActive(sub, before))).toEqual([401, 'Unauthorized']);
    const after = { originJti: 'after', authTime: Math.floor(answeredAtMs / 1000) };
    await expect(assertSessionActive(sub, after)).resolves.toBeUndefined();
  });

  it('waits at most 2 s for a cut that a writer whose clock runs ahead put further off', async () => {
    const sub = user();
    await changeSessionRecord(sub, (record) => ({ ...record, notBefore: now() + 3600 }));
    const sleep = jest.fn(async (_ms: number) => undefined);
    await jest.isolateModulesAsync(async () => {
      jest.doMock('node:timers/promises', () => ({ setTimeout: sleep }));
      const isolated = await import('../../../src/sessions/sessions');
      await isolated.endAllSessions(sub);
    });
    expect(sleep).toHaveBeenCalledWith(2000);
    expect((await readSessionRecord(sub)).notBefore).toBe(now() + 3600);
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
