/**
 * The API's error vocabulary: every code a function answers with, and its HTTP status. The
 * error enum of openapi.yaml is tested against this table (tests/templates/openapi-errors.test.ts),
 * so a code cannot be added, renamed or moved to another status in one place only. It sits
 * below `http/`, `auth/` and `storage/` so that each of them can throw without depending on
 * another.
 */
export const ERROR_STATUS = {
  ValidationError: 400,
  MalformedJson: 400,
  InvalidPassword: 400,
  IncorrectPassword: 400,
  CodeMismatch: 400,
  ExpiredCode: 400,
  InvalidRequest: 400,
  InvalidCursor: 400,
  SignUpRejected: 400,
  Unauthorized: 401,
  NotAuthorized: 401,
  InvalidMfaCode: 401,
  Forbidden: 403,
  OriginNotAllowed: 403,
  UserNotConfirmed: 403,
  PasswordResetRequired: 403,
  MfaRequired: 403,
  MfaUnavailable: 403,
  NotFound: 404,
  UsernameExists: 409,
  AlreadyConfirmed: 409,
  EmailInUse: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  CodeDeliveryFailed: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field-level problem in a rejected request body, query or path. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * An answer that is not a success, in the shape every route shares:
 * `{"error": code, "message": for a human, "details"?: [...]}`. Throw it anywhere below a
 * handler; `httpHandler` turns it into the response. The status comes from the code.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

/** Anything unexpected: the caller learns nothing but the request id the response adds. */
export function internalError(): ApiError {
  return new ApiError(
    'InternalError',
    'Something went wrong on our side. Quote the requestId if you report it.',
  );
}

/** A dependency that did not answer, or answered with its own failure: retrying may help. */
export function serviceUnavailable(dependency: 'identity' | 'storage' | 'session'): ApiError {
  return new ApiError(
    'ServiceUnavailable',
    `The ${dependency} service is unavailable. Try again shortly.`,
  );
}
