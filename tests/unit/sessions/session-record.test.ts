import {
  EMPTY_RECORD,
  endingAll,
  horizonSeconds,
  markingDeleted,
  revokingOrigin,
  sessionEnded,
} from '../../../src/sessions/session-record';

const T = 1_800_000_000; // a whole second, in epoch seconds
const at = (seconds: number, ms = 0) => ({
  nowMs: seconds * 1000 + ms,
  horizonSeconds: horizonSeconds(30 * 86_400),
});
const session = (originJti: string, authTime: number) => ({ originJti, authTime });

describe('the session record', () => {
  it('ends no session until something is written', () => {
    expect(sessionEnded(EMPTY_RECORD, session('a', T))).toBe(false);
  });

  it('ends every session signed in up to the cut, including earlier in the same second', () => {
    const record = endingAll(EMPTY_RECORD, at(T, 300));
    expect(record.notBefore).toBe(T + 1);
    expect(sessionEnded(record, session('early', T - 3600))).toBe(true);
    expect(sessionEnded(record, session('same-second', T))).toBe(true);
    expect(sessionEnded(record, session('next-second', T + 1))).toBe(false);
  });

  it("keeps the caller's own session on a password change, and ends the others", () => {
    const record = endingAll(EMPTY_RECORD, at(T), 'mine');
    expect(sessionEnded(record, session('mine', T - 10))).toBe(false);
    expect(sessionEnded(record, session('theirs', T - 10))).toBe(true);
  });

  it('forgets earlier exemptions at the next cut', () => {
    const changed = endingAll(EMPTY_RECORD, at(T), 'mine');
    const signedOutEverywhere = endingAll(changed, at(T + 5));
    expect(sessionEnded(signedOutEverywhere, session('mine', T - 10))).toBe(true);
  });

  it('ends one session by its origin, and no other', () => {
    const record = revokingOrigin(EMPTY_RECORD, 'gone', at(T));
    expect(sessionEnded(record, session('gone', T - 5))).toBe(true);
    expect(sessionEnded(record, session('other', T - 5))).toBe(false);
  });

  it('drops a revocation once no token of its session can be alive, and no sooner', () => {
    const clock = at(T);
    const record = revokingOrigin(EMPTY_RECORD, 'gone', clock);
    const until = T + clock.horizonSeconds;
    expect(record.revokedOrigins.gone).toBe(until);
    expect(revokingOrigin(record, 'next', at(until - 1)).revokedOrigins).toHaveProperty('gone');
    expect(revokingOrigin(record, 'next', at(until)).revokedOrigins).not.toHaveProperty('gone');
  });

  it('outlives every token it governs: refresh tokens Cognito did not revoke, and a day more', () => {
    expect(horizonSeconds(30 * 86_400)).toBe(31 * 86_400);
    const record = endingAll(EMPTY_RECORD, at(T));
    expect(record.expiresAt).toBe(T + 31 * 86_400);
    // A later write never shortens it.
    expect(revokingOrigin(record, 'x', { nowMs: T * 1000, horizonSeconds: 60 }).expiresAt).toBe(
      record.expiresAt,
    );
  });

  it('ends everything for a deleted account, sign-ins after it included', () => {
    const record = markingDeleted(endingAll(EMPTY_RECORD, at(T), 'mine'), at(T + 1));
    expect(sessionEnded(record, session('mine', T))).toBe(true);
    expect(sessionEnded(record, session('later', T + 100))).toBe(true);
  });

  it('never moves a cut back (a writer with a slower clock)', () => {
    const record = endingAll(EMPTY_RECORD, at(T + 10));
    expect(endingAll(record, at(T)).notBefore).toBe(T + 11);
  });
});
