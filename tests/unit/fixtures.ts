import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/**
 * Values that must never reach a log line. Every unit test uses these, and
 * setup/log-hygiene.ts checks each test file's log output for them.
 */
export const SUB = '7d5c2b1a-0f9e-4d8c-8b7a-6c5d4e3f2a1b';
export const OTHER_SUB = '11111111-2222-4333-8444-555555555555';
export const EMAIL = 'grace@example.com';
export const PASSWORD = 'Secret-Password-Alpha-17';
export const NEW_PASSWORD = 'Secret-Password-Bravo-42';
export const CODE = '402817';
export const CLIENT_ID = 'testclient0000000000000001';
/** An authenticator (TOTP) secret, base32: as secret as a password. */
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const TOTP_CODE = '815243';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped token (signed with a test key: these tests never verify signatures). */
export function fakeJwt(payload: Record<string, unknown>): string {
  const unsigned = `${base64url({ alg: 'RS256', kid: 'test' })}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', 'test').update(unsigned).digest('base64url')}`;
}

/** The caller's session: signed in a minute before the test file started. */
export const ORIGIN_JTI = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
export const AUTH_TIME = Math.floor(Date.now() / 1000) - 60;

export const ID_TOKEN = fakeJwt({
  sub: SUB,
  token_use: 'id',
  aud: CLIENT_ID,
  email: EMAIL,
  origin_jti: ORIGIN_JTI,
  auth_time: AUTH_TIME,
});
export const ACCESS_TOKEN = fakeJwt({
  sub: SUB,
  token_use: 'access',
  client_id: CLIENT_ID,
  username: SUB,
});
export const OTHER_ACCESS_TOKEN = fakeJwt({
  sub: OTHER_SUB,
  token_use: 'access',
  client_id: CLIENT_ID,
});
export const REFRESH_TOKEN = `${base64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.c2VjcmV0LWtleQ.aXYtdmFsdWU.cmVmcmVzaC1zZWNyZXQtcGF5bG9hZA.dGFnLXZhbHVl`;

export const SECRETS = [
  PASSWORD,
  NEW_PASSWORD,
  CODE,
  ID_TOKEN,
  ACCESS_TOKEN,
  OTHER_ACCESS_TOKEN,
  REFRESH_TOKEN,
  TOTP_SECRET,
  TOTP_CODE,
];

export const TOKENS = {
  IdToken: ID_TOKEN,
  AccessToken: ACCESS_TOKEN,
  RefreshToken: REFRESH_TOKEN,
  ExpiresIn: 900,
  TokenType: 'Bearer',
};

/**
 * What a re-authentication (the password asked again) gets from Cognito: a sign-in of its own,
 * a session other than the caller's.
 */
export const REAUTH_ORIGIN_JTI = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const REAUTH_TOKENS = {
  ...TOKENS,
  IdToken: fakeJwt({
    sub: SUB,
    token_use: 'id',
    aud: CLIENT_ID,
    email: EMAIL,
    origin_jti: REAUTH_ORIGIN_JTI,
    auth_time: Math.floor(Date.now() / 1000),
  }),
};

export interface EventOptions {
  method?: string;
  resource?: string;
  body?: unknown;
  /** A string is sent as is (malformed bodies); anything else is JSON-encoded. */
  rawBody?: string | null;
  headers?: Record<string, string>;
  claims?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  isBase64Encoded?: boolean;
}

export const CALLER_CLAIMS = {
  sub: SUB,
  email: EMAIL,
  email_verified: 'true',
  token_use: 'id',
  aud: CLIENT_ID,
  name: 'Grace Hopper',
  origin_jti: ORIGIN_JTI,
  auth_time: String(AUTH_TIME),
};

/** A REST API (v1) proxy event as API Gateway sends it. */
export function apiEvent(options: EventOptions = {}): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const body =
    options.rawBody !== undefined
      ? options.rawBody
      : options.body !== undefined
        ? JSON.stringify(options.body)
        : null;
  return {
    resource: options.resource ?? '/',
    path: options.resource ?? '/',
    httpMethod: options.method ?? (body === null ? 'GET' : 'POST'),
    headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key, [value]]),
    ),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      requestId: 'test-request-id',
      stage: 'test',
      ...(options.claims ? { authorizer: { claims: options.claims } } : {}),
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** A Lambda context with the global timeout (10 s) still ahead. */
export const context = {
  awsRequestId: 'test-aws-request-id',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

export interface ParsedResponse {
  statusCode: number;
  headers: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  body: Record<string, unknown>;
}

/** Invokes a handler and parses its JSON body. */
export async function invoke(
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>,
  event: APIGatewayProxyEvent,
  lambdaContext: Context = context,
): Promise<ParsedResponse> {
  const response = (await handler(event, lambdaContext)) as {
    statusCode: number;
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    body: string;
  };
  return {
    statusCode: response.statusCode,
    headers: response.headers ?? {},
    ...(response.multiValueHeaders ? { multiValueHeaders: response.multiValueHeaders } : {}),
    body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {},
  };
}

/** The JSON log lines written so far by this test file (captured by setup/log-hygiene.ts). */
export function logLines(): Record<string, unknown>[] {
  const output = (globalThis as { capturedOutput?: string[] }).capturedOutput ?? [];
  return output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{"level"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Runs `run` with DYNAMODB_ENDPOINT on a loopback port nobody listens on (connections are
 * refused at once) and the modules loaded afresh, so that the session code it imports inside
 * reads that endpoint.
 */
export async function withUnreachableDynamoDb<T>(run: () => Promise<T>): Promise<T> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const saved = process.env.DYNAMODB_ENDPOINT;
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${port}`;
  try {
    let result: T | undefined;
    await jest.isolateModulesAsync(async () => {
      result = await run();
    });
    return result as T;
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved;
  }
}
