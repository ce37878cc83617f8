import type { Context } from 'aws-lambda';
import { ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS } from './aws-clients';
import { ApiError } from './errors';

/** The longest one SDK call can take: its attempts, and a second for backoff and connecting. */
export const LONGEST_CALL_MS = MAX_ATTEMPTS * ATTEMPT_TIMEOUT_MS + 1_000;

/**
 * The function's own deadline, for work of many SDK calls in a row (an account's deletion).
 * When Lambda's timeout cuts a function off, API Gateway answers a bare 502 or 504 and the
 * caller cannot tell what happened; instead, a call starts only while the longest call still
 * fits, and otherwise the request ends with a 503 that says to send it again.
 */
export class Deadline {
  private constructor(private readonly endsAtMs: number) {}

  static of(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
    return new Deadline(Date.now() + context.getRemainingTimeInMillis());
  }

  /** Throws 503 unless one more SDK call fits before the timeout. */
  assertTimeForACall(): void {
    if (Date.now() + LONGEST_CALL_MS > this.endsAtMs) {
      throw new ApiError(
        'ServiceUnavailable',
        'The request could not finish in time. Send the same request again to finish it.',
      );
    }
  }
}
