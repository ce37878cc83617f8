import { gatewayResponse } from '../../../../local/gateway/gateway-responses';
import type { GatewayResponseSpec } from '../../../../local/plan';

const request = { requestId: 'request-1', headers: { origin: 'https://app.example.com' } };

const RESPONSES: Record<string, GatewayResponseSpec> = {
  UNAUTHORIZED: {
    statusCode: 401,
    headers: { 'Access-Control-Allow-Origin': "'https://app.example.com'" },
    template: '{"error":"Unauthorized","message":"A valid ID token is required."}',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 404,
    headers: {},
    template: '{"error":"NotFound","message":$context.error.messageString}',
  },
  DEFAULT_4XX: { headers: {}, template: '{"error":"BadRequest","message":"Rejected."}' },
  DEFAULT_5XX: {
    headers: { 'X-Origin': 'method.request.header.Origin', 'X-Missing': 'method.request.header.X' },
    template: '{"error":"InternalError","requestId":"$context.requestId"}',
  },
};

describe('gatewayResponse', () => {
  it("answers with the type's own entry: its status, body and static headers", () => {
    expect(gatewayResponse(RESPONSES, 'UNAUTHORIZED', request)).toEqual({
      statusCode: 401,
      headers: {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'UnauthorizedException',
        'Access-Control-Allow-Origin': 'https://app.example.com',
      },
      body: '{"error":"Unauthorized","message":"A valid ID token is required."}',
    });
  });

  it("puts API Gateway's own message into $context.error.messageString, quoted", () => {
    expect(gatewayResponse(RESPONSES, 'MISSING_AUTHENTICATION_TOKEN', request)).toMatchObject({
      statusCode: 404,
      body: '{"error":"NotFound","message":"Missing Authentication Token"}',
    });
  });

  it("falls back to DEFAULT_4XX with the type's default status", () => {
    expect(gatewayResponse(RESPONSES, 'THROTTLED', request)).toMatchObject({
      statusCode: 429,
      headers: { 'x-amzn-ErrorType': 'TooManyRequestsException' },
      body: '{"error":"BadRequest","message":"Rejected."}',
    });
  });

  it('falls back to DEFAULT_5XX for 5xx types, with the request id and headers from the request', () => {
    expect(gatewayResponse(RESPONSES, 'INTEGRATION_TIMEOUT', request)).toEqual({
      statusCode: 504,
      headers: {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'InternalServerErrorException',
        'X-Origin': 'https://app.example.com',
      },
      body: '{"error":"InternalError","requestId":"request-1"}',
    });
  });

  it("answers API Gateway's built-in {message} when the template declares nothing", () => {
    expect(gatewayResponse({}, 'REQUEST_TOO_LARGE', request)).toEqual({
      statusCode: 413,
      headers: {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'RequestTooLargeException',
      },
      body: '{"message":"Request Too Long"}',
    });
    expect(gatewayResponse({}, 'BAD_GATEWAY', request)).toMatchObject({
      statusCode: 502,
      body: '{"message":"Internal server error"}',
    });
  });

  it("answers a refused API key and a used-up quota with API Gateway's defaults", () => {
    expect(gatewayResponse({}, 'INVALID_API_KEY', request)).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' },
      body: '{"message":"Forbidden"}',
    });
    expect(gatewayResponse({}, 'QUOTA_EXCEEDED', request)).toEqual({
      statusCode: 429,
      headers: {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'LimitExceededException',
      },
      body: '{"message":"Limit Exceeded"}',
    });
  });
});
