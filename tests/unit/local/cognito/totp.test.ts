import { MfaSetups, UsedTotpCodes } from '../../../../local/cognito/totp';

describe('UsedTotpCodes (correction 18)', () => {
  const t0 = 1_800_000_000_000;

  it("refuses a user's code once it was accepted, for as long as any step could still accept it", () => {
    const used = new UsedTotpCodes();
    expect(used.isUsed('user-a', '123456', t0)).toBe(false);
    used.use('user-a', '123456', t0);
    expect(used.isUsed('user-a', '123456', t0 + UsedTotpCodes.REMEMBER_MS - 1)).toBe(true);
    expect(used.isUsed('user-a', '123456', t0 + UsedTotpCodes.REMEMBER_MS)).toBe(false);
    // Another user's, or another code: not used.
    expect(used.isUsed('user-b', '123456', t0)).toBe(false);
    expect(used.isUsed('user-a', '654321', t0)).toBe(false);
  });
});

describe('MfaSetups (correction 17)', () => {
  it('gives each step a new session and spends the one it came with', () => {
    const setups = new MfaSetups();
    const setup = {
      signIn: { username: 'ada@example.com', password: 'pw' },
      userId: 'sub-1',
      verified: false,
    };
    const first = setups.next(setup);
    const second = setups.next({ ...setup, secret: 'SECRET' }, first);
    expect(second).not.toBe(first);
    expect(setups.of(first)).toBeUndefined();
    expect(setups.of(second)).toMatchObject({ userId: 'sub-1', secret: 'SECRET' });
    setups.end(second);
    expect(setups.of(second)).toBeUndefined();
  });
});
