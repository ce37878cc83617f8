import * as v from 'valibot';
import { isLogId } from '../storage/log-ids';

/** Field schemas shared by the auth routes. Messages never include the value sent. */

export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254),
  v.email('must be an email address'),
);

/** Cognito accepts passwords of at most 256 characters; the policy itself is Cognito's to check. */
export const Password = v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(256));

export const Code = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{6}$/, 'must be the 6-digit code from the email'),
);

export const DisplayName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256),
  v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
);

/** A Cognito token (JWT or, for refresh tokens, JWE). Shape only; Cognito verifies it. */
export const Token = v.pipe(
  v.string(),
  v.minLength(1, 'is required'),
  v.maxLength(8192),
  v.regex(/^[\w-]+(\.[\w-]*)+$/, 'is not a token'),
);

export const ChallengeSession = v.pipe(v.string(), v.minLength(20), v.maxLength(4096));

/** Auth bodies are small; anything bigger is not a legitimate request. */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

/** PUT /me/profile: a JSON object of at most 16 KiB, stored whole. */
export const PROFILE_MAX_BYTES = 16 * 1024;
/** POST /me/logs: `{content}` of at most 256 KiB in all. */
export const LOG_BODY_MAX_BYTES = 256 * 1024;

export const LogId = v.pipe(v.string(), v.check(isLogId, 'is not a log id'));
