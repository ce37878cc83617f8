/**
 * What the Cognito and S3 clients share: their deadlines, and how a failed call is told apart
 * (no answer at all, or the service's own failure status). Deadlines fit inside the function's
 * 10 s timeout: at most 2 attempts of ≤ 3 s each (1 s to connect), so a slow or unreachable
 * dependency ends in a clear 503 from the handler, never in a Lambda timeout.
 */
export const MAX_ATTEMPTS = 2;
export const ATTEMPT_TIMEOUT_MS = 3_000;

export const CLIENT_OPTIONS = {
  maxAttempts: MAX_ATTEMPTS,
  // Without throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when
  // requestTimeout passes and keeps waiting (measured: a silent dependency held the call
  // past the function's timeout). With it, a hung request fails and is retried once.
  requestHandler: {
    connectionTimeout: 1_000,
    requestTimeout: ATTEMPT_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
} as const;

interface SdkError extends Error {
  code?: string;
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** True when a call never got an answer from the service (refused, reset, timed out). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as SdkError;
  return (
    e.name === 'TimeoutError' ||
    e.name === 'RequestTimeout' ||
    e.name === 'AbortError' ||
    (e.code !== undefined && NETWORK_ERROR_CODES.has(e.code))
  );
}

/** The HTTP status an AWS service answered with, if it answered. */
export function serviceStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
}
