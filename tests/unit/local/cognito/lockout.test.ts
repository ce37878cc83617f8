import {
  FAILURES_BEFORE_LOCKOUT,
  Lockout,
  lockoutSeconds,
  MAX_LOCKOUT_SECONDS,
} from '../../../../local/cognito/lockout';

describe('lockoutSeconds', () => {
  it('does not lock out before the fifth wrong password in a row', () => {
    expect([1, 2, 3, 4].map(lockoutSeconds)).toEqual([0, 0, 0, 0]);
    expect(FAILURES_BEFORE_LOCKOUT).toBe(5);
  });

  it('locks out for 1 s at the fifth, doubling with each further failure', () => {
    expect([5, 6, 7, 8, 9, 10].map(lockoutSeconds)).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('never locks out for more than 15 minutes', () => {
    expect(MAX_LOCKOUT_SECONDS).toBe(900);
    expect(lockoutSeconds(14)).toBe(512);
    expect(lockoutSeconds(15)).toBe(900);
    expect(lockoutSeconds(1_000)).toBe(900);
  });
});

describe('Lockout', () => {
  const t0 = 1_800_000_000_000;

  it('locks a user out after five failures, for as long as lockoutSeconds says', () => {
    const lockout = new Lockout();
    for (let i = 0; i < 4; i++) lockout.recordFailure('ada@example.com', t0);
    expect(lockout.isLockedOut('ada@example.com', t0)).toBe(false);
    lockout.recordFailure('ada@example.com', t0);
    expect(lockout.isLockedOut('ada@example.com', t0 + 999)).toBe(true);
    expect(lockout.isLockedOut('ada@example.com', t0 + 1_000)).toBe(false);
    lockout.recordFailure('ada@example.com', t0 + 1_000);
    expect(lockout.isLockedOut('ada@example.com', t0 + 2_999)).toBe(true);
    expect(lockout.isLockedOut('ada@example.com', t0 + 3_000)).toBe(false);
  });

  it('counts each user apart', () => {
    const lockout = new Lockout();
    for (let i = 0; i < 5; i++) lockout.recordFailure('ada@example.com', t0);
    expect(lockout.isLockedOut('ada@example.com', t0)).toBe(true);
    expect(lockout.isLockedOut('grace@example.com', t0)).toBe(false);
  });

  it('starts counting again after a successful sign-in', () => {
    const lockout = new Lockout();
    for (let i = 0; i < 4; i++) lockout.recordFailure('ada@example.com', t0);
    lockout.recordSuccess('ada@example.com');
    for (let i = 0; i < 4; i++) lockout.recordFailure('ada@example.com', t0);
    expect(lockout.isLockedOut('ada@example.com', t0)).toBe(false);
  });
});
