import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPACT_AFTER_LINES, TokenLedger } from '../../../../local/cognito/token-ledger';

const NOW = 1_800_000_000;
const DAY = 86_400;
const ada = { sub: 'sub-ada', exp: NOW + 30 * DAY };
const grace = { sub: 'sub-grace', exp: NOW + 30 * DAY };
const access = (jti: string, exp = NOW + 900, authTime = NOW) => ({ jti, exp, authTime });

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(tmpdir(), 'ledger-')), 'token-ledger.jsonl');
});
const open = (now = NOW) => new TokenLedger(file, () => now);
const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('TokenLedger', () => {
  it('gives each sign-in its own origin_jti and keeps it for every token refreshed from it', () => {
    const ledger = open();
    const first = ledger.issued('refresh-1', ada, access('a1')).originJti;
    expect(ledger.issued('refresh-1', ada, access('a2')).originJti).toBe(first);
    const second = ledger.issued('refresh-2', ada, access('a3')).originJti;
    expect(second).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("correction 16: keeps the sign-in's auth_time for every token refreshed from it, across restarts", () => {
    const ledger = open();
    expect(ledger.issued('refresh-1', ada, access('a1', NOW + 900, NOW)).authTime).toBe(NOW);
    expect(ledger.issued('refresh-1', ada, access('a2', NOW + 1900, NOW + 1000)).authTime).toBe(
      NOW,
    );
    expect(open().issued('refresh-1', ada, access('a3', NOW + 2900, NOW + 2000)).authTime).toBe(
      NOW,
    );
  });

  it('reads journals written before auth_time was kept', () => {
    writeFileSync(
      file,
      `${JSON.stringify({ session: 'old', sub: 'sub-ada', exp: NOW + DAY, originJti: 'o-1' })}\n`,
    );
    expect(() => open()).not.toThrow();
  });

  it('revokes a refresh token with the access tokens issued from it, and nothing else', () => {
    const ledger = open();
    ledger.issued('refresh-1', ada, access('a1'));
    ledger.issued('refresh-1', ada, access('a2'));
    ledger.issued('refresh-2', ada, access('a3'));
    ledger.revoke('refresh-1');
    expect(ledger.isRevoked('refresh-1')).toBe(true);
    expect(ledger.isAccessTokenRevoked('a1')).toBe(true);
    expect(ledger.isAccessTokenRevoked('a2')).toBe(true);
    expect(ledger.isRevoked('refresh-2')).toBe(false);
    expect(ledger.isAccessTokenRevoked('a3')).toBe(false);
    expect(ledger.isAccessTokenRevoked('never-issued')).toBe(false);
  });

  it("revokes every session of a user on global sign-out, and no one else's", () => {
    const ledger = open();
    ledger.issued('refresh-1', ada, access('a1'));
    ledger.issued('refresh-2', ada, access('a2'));
    ledger.issued('refresh-3', grace, access('g1'));
    ledger.revokeEverySessionOf('sub-ada');
    expect(['refresh-1', 'refresh-2', 'refresh-3'].map((token) => ledger.isRevoked(token))).toEqual(
      [true, true, false],
    );
    expect(ledger.isAccessTokenRevoked('g1')).toBe(false);
  });

  it('knows only refresh tokens it saw issued, and keeps none of them in clear', () => {
    const ledger = open();
    ledger.issued('refresh-secret-value', ada, access('a1'));
    expect(ledger.knows('refresh-secret-value')).toBe(true);
    expect(ledger.knows('refresh-other')).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-secret-value');
  });

  it('remembers sessions, origin_jti and revocations across a restart', () => {
    const before = open();
    const origin = before.issued('refresh-1', ada, access('a1'));
    before.issued('refresh-2', grace, access('g1'));
    before.revoke('refresh-2');
    const after = open();
    expect(after.issued('refresh-1', ada, access('a2'))).toEqual(origin);
    expect(after.isRevoked('refresh-2')).toBe(true);
    expect(after.isAccessTokenRevoked('g1')).toBe(true);
    expect(after.isAccessTokenRevoked('a1')).toBe(false);
  });

  it('appends one line per event instead of rewriting the file', () => {
    const ledger = open();
    ledger.issued('refresh-1', ada, access('a1'));
    const written = readFileSync(file, 'utf8');
    ledger.issued('refresh-1', ada, access('a2'));
    ledger.revoke('refresh-1');
    const now = readFileSync(file, 'utf8');
    expect(now.startsWith(written)).toBe(true);
    expect(now.slice(written.length).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('drops what has expired when it opens the file', () => {
    const ledger = open();
    ledger.issued('refresh-1', { ...ada, exp: NOW + DAY }, access('a1', NOW + 900));
    ledger.issued('refresh-2', grace, access('g1', NOW + 900));
    ledger.revoke('refresh-2');
    const later = open(NOW + 2 * DAY);
    expect(later.knows('refresh-1')).toBe(false);
    // The revoked session lives on until its refresh token expires; its expired access token
    // is forgotten (an expired token is refused anyway).
    expect(later.isRevoked('refresh-2')).toBe(true);
    expect(later.isAccessTokenRevoked('g1')).toBe(false);
    expect(lines()).toHaveLength(2);
  });

  it('compacts the file, dropping what has expired, after COMPACT_AFTER_LINES appends', () => {
    let now = NOW;
    const ledger = new TokenLedger(file, () => now);
    for (let i = 0; i < COMPACT_AFTER_LINES - 2; i++)
      ledger.issued('refresh-1', ada, access(`a${i}`, NOW + 900));
    expect(lines()).toHaveLength(COMPACT_AFTER_LINES - 1);
    now = NOW + 1_000; // every access token so far has expired
    ledger.revoke('refresh-1'); // the COMPACT_AFTER_LINES-th line
    expect(lines()).toHaveLength(2); // the session and its revocation
    ledger.issued('refresh-2', grace, access('g1'));
    expect(lines()).toHaveLength(4);
    expect(new TokenLedger(file, () => now).isRevoked('refresh-1')).toBe(true);
  });

  it('ignores a last line cut short by a crash', () => {
    const before = open();
    const origin = before.issued('refresh-1', ada, access('a1'));
    appendFileSync(file, '{"revoked":"abc');
    const after = open();
    expect(after.issued('refresh-1', ada, access('a2'))).toEqual(origin);
    expect(lines().every((line) => JSON.parse(line))).toBe(true);
  });

  it('refuses a file with a broken line anywhere but at the end', () => {
    writeFileSync(file, 'not a ledger line\n{"revoked":"abc"}\n');
    expect(() => open()).toThrow(/line 1 is not a ledger entry\. Delete it to start afresh/);
  });
});
