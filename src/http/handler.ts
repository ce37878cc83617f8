import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { config } from '../config';
import { ApiError, internalError } from '../errors';
import { logger } from '../logger';
import { corsHeaders } from './cors';
import { header } from './request';
import { errorResponse, type HttpResponse } from './response';

export type LambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route: a correlation id on every log line, one summary line per request (route,
 * status, duration, error code; never the body), every thrown error turned into the shared
 * JSON error shape, and CORS headers for allowed origins.
 */
export function httpHandler(
  route: (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResponse>,
): LambdaHandler {
  return async (event, context) => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.addContext(context);
    logger.setCorrelationId(requestId);

    let response: HttpResponse;
    let failure: ApiError | undefined;
    try {
      response = await route(event, context);
    } catch (error) {
      failure = error instanceof ApiError ? error : unexpected(error);
      response = errorResponse(failure, failure.statusCode >= 500 ? requestId : undefined);
    }

    Object.assign(response.headers, corsHeaders(header(event, 'origin'), config.allowedOrigins));
    const summary = {
      method: event.httpMethod,
      route: event.resource,
      status: response.statusCode,
      durationMs: Math.round(performance.now() - started),
      ...(failure ? { error: failure.code } : {}),
    };
    if (response.statusCode >= 500) logger.error('request failed', summary);
    else logger.info('request', summary);
    return response;
  };
}

function unexpected(error: unknown): ApiError {
  // The stack goes to the log for us; the caller gets only the request id.
  logger.error('unhandled error', error instanceof Error ? error : String(error));
  return internalError();
}
