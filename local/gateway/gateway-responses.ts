import type { GatewayResponseSpec } from '../plan';

/** API Gateway's own answers, by type, with their default status codes. */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'REQUEST_TOO_LARGE'
  | 'INVALID_API_KEY'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED'
  | 'BAD_GATEWAY'
  | 'INTEGRATION_TIMEOUT';

const DEFAULT_STATUS: Record<GatewayResponseType, number> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_SIGNATURE: 403,
  REQUEST_TOO_LARGE: 413,
  INVALID_API_KEY: 403,
  QUOTA_EXCEEDED: 429,
  THROTTLED: 429,
  BAD_GATEWAY: 502,
  INTEGRATION_TIMEOUT: 504,
};

const DEFAULT_MESSAGE: Record<GatewayResponseType, string> = {
  UNAUTHORIZED: 'Unauthorized',
  ACCESS_DENIED: 'User is not authorized to access this resource',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  // AWS's message goes on to repeat the whole Authorization header: never echoed here.
  INVALID_SIGNATURE: "Authorization header requires 'Credential' parameter.",
  REQUEST_TOO_LARGE: 'Request Too Long',
  INVALID_API_KEY: 'Forbidden',
  QUOTA_EXCEEDED: 'Limit Exceeded',
  THROTTLED: 'Too Many Requests',
  BAD_GATEWAY: 'Internal server error',
  INTEGRATION_TIMEOUT: 'Endpoint request timed out',
};

export interface GatewayAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The template's GatewayResponses applied as API Gateway applies them: the type's own entry,
 * else DEFAULT_4XX or DEFAULT_5XX, else API Gateway's built-in `{"message": ...}`. Header
 * values are static ('…') or taken from the request (method.request.header.X).
 */
export function gatewayResponse(
  responses: Record<string, GatewayResponseSpec>,
  type: GatewayResponseType,
  request: { requestId: string; headers: Record<string, string | undefined> },
): GatewayAnswer {
  const fallbackStatus = DEFAULT_STATUS[type];
  const spec = responses[type] ?? responses[fallbackStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const statusCode = (responses[type]?.statusCode ?? fallbackStatus) as number;
  const message = DEFAULT_MESSAGE[type];
  const template = spec?.template ?? '{"message":$context.error.messageString}';
  const body = template
    .replaceAll('$context.requestId', request.requestId)
    .replaceAll('$context.error.messageString', JSON.stringify(message))
    .replaceAll('$context.error.message', message);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': errorType(type),
  };
  for (const [name, source] of Object.entries(spec?.headers ?? {})) {
    const value = headerValue(source, request.headers);
    if (value !== undefined) headers[name] = value;
  }
  return { statusCode, headers, body };
}

function headerValue(
  source: string,
  requestHeaders: Record<string, string | undefined>,
): string | undefined {
  const literal = /^'(.*)'$/.exec(source);
  if (literal) return literal[1];
  const fromRequest = /^method\.request\.header\.(.+)$/i.exec(source);
  if (fromRequest?.[1]) return requestHeaders[fromRequest[1].toLowerCase()];
  return undefined;
}

function errorType(type: GatewayResponseType): string {
  return {
    UNAUTHORIZED: 'UnauthorizedException',
    ACCESS_DENIED: 'AccessDeniedException',
    MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
    INVALID_SIGNATURE: 'IncompleteSignatureException',
    REQUEST_TOO_LARGE: 'RequestTooLargeException',
    INVALID_API_KEY: 'ForbiddenException',
    QUOTA_EXCEEDED: 'LimitExceededException',
    THROTTLED: 'TooManyRequestsException',
    BAD_GATEWAY: 'InternalServerErrorException',
    INTEGRATION_TIMEOUT: 'InternalServerErrorException',
  }[type];
}
