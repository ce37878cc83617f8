import { createdAtOf, isLogId, newLogId } from '../../../src/storage/log-ids';

describe('log ids', () => {
  it('sort newest first and carry their creation time', () => {
    const older = newLogId(Date.parse('2026-01-01T00:00:00.000Z'));
    const newer = newLogId(Date.parse('2026-06-01T12:34:56.789Z'));
    expect([older, newer].sort()).toEqual([newer, older]);
    expect(createdAtOf(newer)).toBe('2026-06-01T12:34:56.789Z');
    expect(isLogId(older)).toBe(true);
  });

  it('differ for writes in the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => newLogId(now)));
    expect(ids.size).toBe(1000);
  });

  it.each([
    '',
    '../profile.json',
    '8236287999999a1b2c3d4e5f',
    '8236287999999a1b2c3d4e5f6/x',
    '8236287999999A1B2C3D4E5F6',
    'x'.repeat(25),
    '8236287999999a1b2c3d4e5f\u0000',
  ])('rejects %j', (id) => {
    expect(isLogId(id)).toBe(false);
  });
});
