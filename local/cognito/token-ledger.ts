import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { writeFileAtomically } from '../json-file';

/**
 * What revocation needs to remember about the tokens the local Cognito issued (corrections 8
 * and 14), kept across restarts: each sign-in (a session, known by the SHA-256 of its refresh
 * token: whose it is, until when, its `origin_jti`, whether it was revoked) and the access
 * tokens issued from it (by `jti`, until when).
 *
 * Persisted as a journal, one JSON line per event, appended as it happens, so that issuing a
 * token costs one small append rather than a rewrite of everything; the file is compacted
 * (expired entries dropped, rewritten atomically) when it is opened and every
 * `COMPACT_AFTER_LINES` appends. A line cut short by a crash can only be the last one, and is
 * ignored.
 */

const SessionLine = v.strictObject({
  session: v.string(),
  sub: v.string(),
  exp: v.number(),
  originJti: v.string(),
  // Journals written before correction 16 have none.
  authTime: v.optional(v.number()),
});
const AccessTokenLine = v.strictObject({
  accessToken: v.string(),
  session: v.string(),
  exp: v.number(),
});
const RevokedLine = v.strictObject({ revoked: v.string() });
const LedgerLine = v.union([SessionLine, AccessTokenLine, RevokedLine]);
type LedgerLine = v.InferOutput<typeof LedgerLine>;

export const COMPACT_AFTER_LINES = 10_000;

interface Session {
  sub: string;
  /** The refresh token's expiry, in epoch seconds. */
  exp: number;
  originJti: string;
  /** The sign-in's `auth_time` (correction 16), when known. */
  authTime?: number;
  revoked: boolean;
  /** Access-token jti → expiry (epoch seconds). */
  accessTokens: Map<string, number>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const keyOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('hex');

export class TokenLedger {
  private readonly sessions = new Map<string, Session>();
  private readonly sessionOfAccessToken = new Map<string, string>();
  private appendedLines = 0;

  constructor(
    private readonly file: string,
    private readonly clock: () => number = nowSeconds,
  ) {
    for (const line of readJournal(file)) this.apply(line);
    this.compact();
  }

  /**
   * Records an access token issued from `refreshToken` and answers its session: the
   * `origin_jti` and `auth_time` of every token minted from one sign-in's refresh token. A
   * refresh token seen for the first time is a new sign-in, with a new `origin_jti`, signed in
   * at `accessToken.authTime`.
   */
  issued(
    refreshToken: string,
    owner: { sub: string; exp: number },
    accessToken: { jti: string; exp: number; authTime?: number },
  ): { originJti: string; authTime?: number } {
    const session = keyOf(refreshToken);
    let known = this.sessions.get(session);
    if (!known) {
      const line = {
        session,
        sub: owner.sub,
        exp: owner.exp,
        originJti: randomUUID(),
        ...(accessToken.authTime !== undefined ? { authTime: accessToken.authTime } : {}),
      };
      known = this.open(line);
      this.append(line);
    }
    this.record({ accessToken: accessToken.jti, session, exp: accessToken.exp });
    return {
      originJti: known.originJti,
      ...(known.authTime !== undefined ? { authTime: known.authTime } : {}),
    };
  }

  knows(refreshToken: string): boolean {
    return this.sessions.has(keyOf(refreshToken));
  }

  isRevoked(refreshToken: string): boolean {
    return this.sessions.get(keyOf(refreshToken))?.revoked === true;
  }

  isAccessTokenRevoked(jti: string): boolean {
    const session = this.sessionOfAccessToken.get(jti);
    return session !== undefined && this.sessions.get(session)?.revoked === true;
  }

  /** Revokes a refresh token and, with it, every access token issued from it. */
  revoke(refreshToken: string): void {
    this.revokeSession(keyOf(refreshToken));
  }

  /** GlobalSignOut: every session of the user. */
  revokeEverySessionOf(sub: string): void {
    for (const [key, session] of this.sessions) if (session.sub === sub) this.revokeSession(key);
  }

  private revokeSession(key: string): void {
    const session = this.sessions.get(key);
    if (!session || session.revoked) return;
    this.record({ revoked: key });
  }

  private record(line: LedgerLine): void {
    this.apply(line);
    this.append(line);
  }

  private apply(line: LedgerLine): void {
    if ('revoked' in line) {
      const session = this.sessions.get(line.revoked);
      if (session) session.revoked = true;
    } else if ('accessToken' in line) {
      const session = this.sessions.get(line.session);
      if (!session) return;
      session.accessTokens.set(line.accessToken, line.exp);
      this.sessionOfAccessToken.set(line.accessToken, line.session);
    } else {
      this.open(line);
    }
  }

  private open(line: v.InferOutput<typeof SessionLine>): Session {
    const session: Session = {
      sub: line.sub,
      exp: line.exp,
      originJti: line.originJti,
      ...(line.authTime !== undefined ? { authTime: line.authTime } : {}),
      revoked: false,
      accessTokens: new Map(),
    };
    this.sessions.set(line.session, session);
    return session;
  }

  /** Appends to the journal what is already applied in memory (compaction writes memory). */
  private append(line: LedgerLine): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    this.appendedLines += 1;
    if (this.appendedLines >= COMPACT_AFTER_LINES) this.compact();
  }

  /** Drops what has expired (an expired token is refused anyway) and rewrites the journal. */
  private compact(): void {
    const now = this.clock();
    const lines: LedgerLine[] = [];
    for (const [key, session] of this.sessions) {
      for (const [jti, exp] of session.accessTokens) {
        if (exp >= now) continue;
        session.accessTokens.delete(jti);
        this.sessionOfAccessToken.delete(jti);
      }
      if (session.exp < now && session.accessTokens.size === 0) {
        this.sessions.delete(key);
        continue;
      }
      lines.push({
        session: key,
        sub: session.sub,
        exp: session.exp,
        originJti: session.originJti,
        ...(session.authTime !== undefined ? { authTime: session.authTime } : {}),
      });
      for (const [jti, exp] of session.accessTokens)
        lines.push({ accessToken: jti, session: key, exp });
      if (session.revoked) lines.push({ revoked: key });
    }
    writeFileAtomically(this.file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    this.appendedLines = 0;
  }
}

function readJournal(file: string): LedgerLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rows = text.split('\n');
  const lines: LedgerLine[] = [];
  for (const [index, row] of rows.entries()) {
    if (row === '') continue;
    const parsed = v.safeParse(LedgerLine, parseJson(row));
    if (parsed.success) lines.push(parsed.output);
    // Only an append cut short by a crash can leave a broken line, and only at the end.
    else if (index !== rows.length - 1 || text.endsWith('\n'))
      throw new Error(
        `Cannot read ${file}: line ${index + 1} is not a ledger entry. Delete it to start afresh.`,
      );
  }
  return lines;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
