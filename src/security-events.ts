import { createHash } from 'node:crypto';
import { ApiError } from './errors';
import { logger } from './logger';

/**
 * Authentication events, one structured log line each (OWASP ASVS 16.3.1–16.3.3): what
 * happened, whether it succeeded, and to whom. Never a password, code or token; an email is
 * logged only as a hash, so that an operator can look up an address they already know
 * (`printf %s "$email" | sha256sum`, first 16 characters) without the logs holding everyone's.
 */
export type SecurityEventName =
  | 'sign-up'
  | 'sign-in'
  | 'new-password-challenge'
  | 'token-refresh'
  | 'sign-out'
  | 'sign-out-all'
  | 'password-change'
  | 'password-reset'
  | 'mfa-enrol'
  | 'mfa-verify'
  | 'mfa-disable'
  | 'mfa-challenge'
  | 'email-change-request'
  | 'email-change-verify'
  | 'data-export'
  | 'account-delete'
  // A token of an ended session presented at a protected route.
  | 'ended-session-refused';

export interface SecuritySubject {
  /** The user's `sub`, when the caller is known. */
  sub?: string;
  /** The address a request named, when no `sub` is known (a failed sign-in, a reset). */
  email?: string;
}

export function securityEvent(
  event: SecurityEventName,
  outcome: 'success' | 'failure',
  subject: SecuritySubject,
  reason?: string,
): void {
  logger.info('security event', {
    securityEvent: event,
    outcome,
    ...(subject.sub ? { sub: subject.sub } : {}),
    ...(subject.email ? { emailHash: emailHash(subject.email) } : {}),
    ...(reason ? { reason } : {}),
  });
}

export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16);
}

/**
 * Runs `action` and records its outcome as one security event: success, or failure with the
 * error code as the reason (never the message, which may describe the input). The error is
 * thrown on unchanged.
 */
export async function recordedAs<T>(
  event: SecurityEventName,
  subject: SecuritySubject | ((result: T) => SecuritySubject),
  action: () => Promise<T>,
  failureSubject: SecuritySubject = typeof subject === 'function' ? {} : subject,
): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    securityEvent(
      event,
      'failure',
      failureSubject,
      error instanceof ApiError ? error.code : 'Error',
    );
    throw error;
  }
  securityEvent(event, 'success', typeof subject === 'function' ? subject(result) : subject);
  return result;
}
