import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What the event is built from: the parts of Node's request that API Gateway passes on. */
export type GatewayRequest = Pick<
  IncomingMessage,
  'rawHeaders' | 'headers' | 'method' | 'httpVersion'
> & { socket: { remoteAddress?: string | undefined } };

export interface EventInput {
  request: GatewayRequest;
  url: URL;
  body: Buffer;
  resource: string;
  pathParameters: Record<string, string> | null;
  claims?: Record<string, string>;
  stage: string;
  requestId: string;
  accountId: string;
}

/**
 * The REST API (v1) Lambda proxy event API Gateway sends: headers with the client's casing
 * (last value) and all values, query parameters likewise, path parameters, and a
 * requestContext with the authorizer's claims, request id and stage.
 */
export function proxyEvent(input: EventInput): APIGatewayProxyEvent {
  const { request, url } = input;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const casing = new Map<string, string>();
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const raw = request.rawHeaders[index] ?? '';
    const value = request.rawHeaders[index + 1] ?? '';
    const name = casing.get(raw.toLowerCase()) ?? raw;
    casing.set(raw.toLowerCase(), name);
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiValueQuery[name] = [...(multiValueQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const now = new Date();
  const host = headers[casing.get('host') ?? 'Host'] ?? 'localhost';
  return {
    resource: input.resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: input.pathParameters,
    stageVariables: null,
    body: textBody(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: input.accountId,
      apiId: 'local',
      ...(input.claims ? { authorizer: { claims: input.claims } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: input.requestId,
      httpMethod: request.method ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: request.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${input.stage}${url.pathname}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: input.requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: input.resource,
      stage: input.stage,
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * The body the way a REST API without binaryMediaTypes (this template declares none) hands it
 * to a Lambda proxy integration: a UTF-8 string, not base64-encoded. That is the first row of
 * the request table in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
 * (binaryMediaTypes and contentHandling undefined: "UTF8-encoded string"). A string cannot hold
 * bytes that are not UTF-8; the page does not say more, and the decoding every UTF-8 decoder
 * does by default, Node's here as Java's, puts U+FFFD in their place. The function therefore
 * never sees the bytes themselves, here as on AWS, and refuses U+FFFD (src/http/request.ts).
 */
export function textBody(body: Buffer): string | null {
  return body.length > 0 ? body.toString('utf8') : null;
}

interface PathPattern {
  regex: RegExp;
  names: string[];
}

/**
 * Compiled template paths. Every request is matched against every route, so compiling each
 * pattern once keeps that off the per-request path (profiled under load: about a tenth of the
 * gateway's own time went to building these expressions).
 */
const patterns = new Map<string, PathPattern>();

function compile(template: string): PathPattern {
  const names: string[] = [];
  const pattern = template
    .replace(/[.*?^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}+]+)(\+?)\}/g, (_match, name: string, greedy: string) => {
      names.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
  return { regex: new RegExp(`^${pattern}/?$`), names };
}

/** Matches a request path against a template path like /me/logs/{id} or /files/{proxy+}. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  let compiled = patterns.get(template);
  if (!compiled) {
    compiled = compile(template);
    patterns.set(template, compiled);
  }
  const match = compiled.regex.exec(path);
  if (!match) return undefined;
  return Object.fromEntries(
    compiled.names.map((name, index) => [name, decode(match[index + 1] ?? '')]),
  );
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
