import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ApiError } from '../errors';

export type HttpResponse = APIGatewayProxyResult & {
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
};

// Tokens and private data: never cached by browsers or proxies, never sniffed as anything but
// what Content-Type says, and only ever over HTTPS (a year of HSTS, OWASP ASVS 3.4.1; browsers
// ignore it over plain http, as the local stack is).
export const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

export function json(
  statusCode: number,
  body: unknown,
  extra: { headers?: Record<string, string>; cookies?: string[] } = {},
): HttpResponse {
  return {
    statusCode,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      ...extra.headers,
    },
    ...(extra.cookies?.length ? { multiValueHeaders: { 'Set-Cookie': extra.cookies } } : {}),
    body: JSON.stringify(body),
  };
}

export function noContent(extra: { cookies?: string[] } = {}): HttpResponse {
  return {
    statusCode: 204,
    headers: { ...BASE_HEADERS },
    ...(extra.cookies?.length ? { multiValueHeaders: { 'Set-Cookie': extra.cookies } } : {}),
    body: '',
  };
}

export function errorResponse(error: ApiError, requestId?: string): HttpResponse {
  return json(error.statusCode, {
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    ...(requestId ? { requestId } : {}),
  });
}
