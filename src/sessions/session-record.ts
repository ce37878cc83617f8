/**
 * The per-user record that ends sessions, and its rules, without any I/O. API Gateway's Cognito
 * authorizer checks an ID token's signature and expiry only, so a token stays valid after its
 * session ended; every protected route asks this record as well (see protected-handler.ts).
 *
 * A session is one sign-in: every ID and access token minted from its refresh token carries
 * the sign-in's `origin_jti` and `auth_time` (Cognito keeps both through refreshes). So:
 * - `notBefore` (epoch seconds) ends every session that signed in earlier (`auth_time` before
 *   it): sign-out everywhere, a password change or reset, an admin's disable;
 * - `keepOrigins` exempts sessions from `notBefore`: the caller's own session after a password
 *   change;
 * - `revokedOrigins` ends single sessions (sign-out), each until no token of it can be alive;
 * - `deleted` ends everything, for good.
 */
export interface SessionRecord {
  notBefore: number;
  keepOrigins: string[];
  /** origin_jti → epoch seconds after which no token of that session can be alive. */
  revokedOrigins: Record<string, number>;
  deleted: boolean;
  /** Epoch seconds after which the record governs no live token (the table's TTL). */
  expiresAt: number;
}

/** One session, as its tokens describe it. */
export interface Session {
  originJti: string;
  /** Epoch seconds of the sign-in (the tokens' `auth_time`). */
  authTime: number;
}

export const EMPTY_RECORD: SessionRecord = {
  notBefore: 0,
  keepOrigins: [],
  revokedOrigins: {},
  deleted: false,
  expiresAt: 0,
};

/**
 * The longest any ID or access token can live: the client's validity settings allow at most
 * 1 day (template.yaml's IdTokenValidityMinutes and AccessTokenValidityMinutes; a test checks).
 */
export const LONGEST_TOKEN_SECONDS = 86_400;

/**
 * How long a write must be remembered, from now: a session whose refresh token Cognito did not
 * revoke (a password change leaves other sessions' refresh tokens valid at Cognito) can mint
 * tokens until its refresh token expires, and each of those lives up to a day more.
 */
export function horizonSeconds(refreshTokenSeconds: number): number {
  return refreshTokenSeconds + LONGEST_TOKEN_SECONDS;
}

export function sessionEnded(record: SessionRecord, session: Session): boolean {
  if (record.deleted) return true;
  if (record.revokedOrigins[session.originJti] !== undefined) return true;
  return session.authTime < record.notBefore && !record.keepOrigins.includes(session.originJti);
}

interface Clock {
  nowMs: number;
  horizonSeconds: number;
}

/**
 * Ends every session signed in until now; `keep` (the caller's own) goes on. `auth_time` has
 * whole seconds, so a cut at 12.3 s must end a sign-in at 12 s: `notBefore` is 13 s, and the
 * cut is answered only once second 13 has begun (sessions.ts), so that every sign-in after the
 * answer, through this API or straight to Cognito, has an `auth_time` of 13 s or later.
 */
export function endingAll(record: SessionRecord, clock: Clock, keep?: string): SessionRecord {
  const notBefore = Math.floor(clock.nowMs / 1000) + 1;
  return written(
    {
      ...record,
      notBefore: Math.max(record.notBefore, notBefore),
      keepOrigins: keep ? [keep] : [],
    },
    clock,
  );
}

/** Ends one session. */
export function revokingOrigin(
  record: SessionRecord,
  originJti: string,
  clock: Clock,
): SessionRecord {
  const until = Math.floor(clock.nowMs / 1000) + clock.horizonSeconds;
  return written(
    { ...record, revokedOrigins: { ...record.revokedOrigins, [originJti]: until } },
    clock,
  );
}

export function markingDeleted(record: SessionRecord, clock: Clock): SessionRecord {
  return written({ ...record, deleted: true, keepOrigins: [] }, clock);
}

/** Drops revocations no token can outlive any more, and extends the record's life. */
function written(record: SessionRecord, clock: Clock): SessionRecord {
  const now = Math.floor(clock.nowMs / 1000);
  return {
    ...record,
    revokedOrigins: Object.fromEntries(
      Object.entries(record.revokedOrigins).filter(([, until]) => until > now),
    ),
    expiresAt: Math.max(record.expiresAt, now + clock.horizonSeconds),
  };
}
