/** One field-level problem in a rejected request body or query. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * An answer that is not a success, in the shape every route shares:
 * `{"error": code, "message": for a human, "details"?: [...]}`. Throw it anywhere below a
 * handler; `httpHandler` turns it into the response.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
