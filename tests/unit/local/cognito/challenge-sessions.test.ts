import { ChallengeSessions } from '../../../../local/cognito/challenge-sessions';

describe('ChallengeSessions', () => {
  const t0 = 1_800_000_000_000;

  it('accepts only a session it issued', () => {
    const sessions = new ChallengeSessions(3);
    sessions.issued('issued-session', t0);
    expect(sessions.isOpen('issued-session', t0)).toBe(true);
    expect(sessions.isOpen('made-up-session', t0)).toBe(false);
  });

  it("closes a session after the client's AuthSessionValidity (minutes)", () => {
    const sessions = new ChallengeSessions(3);
    sessions.issued('issued-session', t0);
    expect(sessions.isOpen('issued-session', t0 + 3 * 60_000 - 1)).toBe(true);
    expect(sessions.isOpen('issued-session', t0 + 3 * 60_000)).toBe(false);
  });

  it('accepts an answer to a session only once', () => {
    const sessions = new ChallengeSessions(3);
    sessions.issued('issued-session', t0);
    sessions.answered('issued-session');
    expect(sessions.isOpen('issued-session', t0)).toBe(false);
  });

  it('forgets expired sessions when it issues new ones', () => {
    const sessions = new ChallengeSessions(3);
    sessions.issued('old-session', t0);
    sessions.issued('new-session', t0 + 3 * 60_000);
    // Reopening time cannot bring back a session that was dropped.
    expect(sessions.isOpen('old-session', t0)).toBe(false);
    expect(sessions.isOpen('new-session', t0 + 3 * 60_000)).toBe(true);
  });

  it('remembers the sign-in of a session while it is open (correction 24)', () => {
    const sessions = new ChallengeSessions(3);
    const signIn = { username: 'ada@example.com', password: 'pass-phrase-kept' };
    sessions.issued('issued-session', t0, signIn);
    expect(sessions.signInOf('issued-session')).toEqual(signIn);
    sessions.answered('issued-session');
    expect(sessions.signInOf('issued-session')).toBeUndefined();
  });
});
