import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as v from 'valibot';
import { type DependencyFaults, FaultChange } from '../faults';
import { closeNow, listenOnLoopback } from '../http-listen';
import type { Mailbox } from '../mailbox';
import { LOCAL_ACCOUNT_ID, type LocalPlan } from '../plan';
import { apiGatewayClaims, type LocalCognitoAuthorizer } from './authorizer';
import { type GatewayAnswer, type GatewayResponseType, gatewayResponse } from './gateway-responses';
import type { LocalLambda } from './lambda-runtime';
import { matchPath, proxyEvent } from './proxy-event';
import type { RequestLimits } from './request-limits';

const FaultRequest = v.pipe(v.string(), v.parseJson(), FaultChange);

/**
 * API Gateway's payload limit for REST APIs (10 MB, https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * Lambda's limit for a synchronous invocation's payload, which here is the whole proxy event,
 * headers and JSON escaping included: 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 * in bytes as its error says: "Request must be smaller than 6291456 bytes for the
 * InvokeFunction operation". API Gateway answers its refusal with 413 "Request Too Long",
 * REQUEST_TOO_LARGE's message (as captured in
 * https://github.com/koki-develop/lgtm-generator/issues/10); the function never runs.
 */
const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  function?: string;
}

export interface GatewayOptions {
  plan: LocalPlan;
  lambdas: Map<string, LocalLambda>;
  authorizer: LocalCognitoAuthorizer;
  /** API keys, usage plans and the stage's throttles (request-limits.ts). */
  limits: RequestLimits;
  mailbox: Mailbox;
  faults: DependencyFaults;
  onRequest?: (record: RequestRecord) => void;
}

/**
 * The local API Gateway: serves exactly the routes of template.yaml, runs the Cognito
 * authorizer on the protected ones, hands each request to its function as a REST (v1) proxy
 * event, and answers its own errors with the template's gateway responses. Local-only extras:
 * GET /_local/mailbox/<email>, and GET/POST /_local/faults (see faults.ts).
 */
export class LocalGateway {
  private server?: Server;

  constructor(private readonly options: GatewayOptions) {}

  async listen(port: number): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error('gateway error', error);
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end('{"message":"Internal server error"}');
        }
      });
    });
    this.server.keepAliveTimeout = 30_000;
    return listenOnLoopback(this.server, port);
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const finish = (answer: GatewayAnswer | LambdaAnswer, fn?: string) => {
      this.write(response, answer, requestId);
      this.options.onRequest?.({
        method,
        path: url.pathname,
        status: answer.statusCode,
        durationMs: performance.now() - started,
        ...(fn ? { function: fn } : {}),
      });
    };
    const own = (type: GatewayResponseType) =>
      gatewayResponse(this.options.plan.gatewayResponses, type, {
        requestId,
        headers: lowerCaseHeaders(request),
      });

    const mailbox = /^\/_local\/mailbox\/([^/]+)$/.exec(url.pathname);
    if (mailbox?.[1] && method === 'GET') {
      const email = decodeURIComponent(mailbox[1]);
      return finish(json(200, { messages: this.options.mailbox.messages(email) }));
    }

    if (url.pathname === '/_local/faults') return finish(await this.faults(request));

    const candidates = this.options.plan.routes
      .map((route) => ({ route, pathParameters: matchPath(route.path, url.pathname) }))
      .filter((candidate) => candidate.pathParameters !== undefined);
    const matched = candidates.find(
      ({ route }) => route.method === method || route.method === 'ANY',
    );
    if (!matched) {
      request.resume();
      return finish(own(unknownRoute(request)));
    }
    const { route, pathParameters } = matched;

    const body = await readBody(request);
    if (body === 'too-large') {
      response.setHeader('Connection', 'close');
      return finish(own('REQUEST_TOO_LARGE'));
    }

    let claims: Record<string, string> | undefined;
    if (route.authorizer !== 'NONE') {
      const verified = this.options.authorizer.authorize(request.headers.authorization);
      if (!verified) return finish(own('UNAUTHORIZED'));
      claims = apiGatewayClaims(verified);
    }

    const refusal = this.options.limits.check(route, headerValue(request.headers['x-api-key']));
    if (refusal) return finish(own(refusal));

    const lambda = this.options.lambdas.get(route.fn.logicalId);
    if (!lambda) throw new Error(`No function ${route.fn.logicalId}`);
    const event = proxyEvent({
      request,
      url,
      body,
      resource: route.path,
      pathParameters:
        pathParameters && Object.keys(pathParameters).length > 0 ? pathParameters : null,
      ...(claims ? { claims } : {}),
      stage: this.options.plan.stageName,
      requestId,
      accountId: LOCAL_ACCOUNT_ID,
    });
    if (Buffer.byteLength(JSON.stringify(event)) >= LAMBDA_MAX_PAYLOAD_BYTES) {
      return finish(own('REQUEST_TOO_LARGE'));
    }
    const invocation = await lambda.invoke(event, requestId);
    if (invocation.outcome === 'timeout') {
      console.error(
        `${route.fn.logicalId} timed out after ${route.fn.timeoutSeconds} s (request ${requestId})`,
      );
      return finish(own('BAD_GATEWAY'), route.fn.logicalId);
    }
    if (invocation.outcome === 'error') {
      console.error(`${route.fn.logicalId} failed: ${invocation.name} (request ${requestId})`);
      return finish(own('BAD_GATEWAY'), route.fn.logicalId);
    }
    const answer = lambdaAnswer(invocation.result);
    if (!answer) {
      console.error(
        `${route.fn.logicalId} returned a malformed proxy response (request ${requestId})`,
      );
      return finish(own('BAD_GATEWAY'), route.fn.logicalId);
    }
    return finish(answer, route.fn.logicalId);
  }

  private async faults(request: IncomingMessage): Promise<GatewayAnswer> {
    if (request.method === 'POST') {
      const body = await readBody(request);
      const change = v.safeParse(
        FaultRequest,
        body === 'too-large' ? undefined : body.toString('utf8'),
      );
      if (!change.success) {
        return json(400, {
          error: 'ValidationError',
          message:
            'Send {"dependency": "cognito"|"s3", "state": "running"|"stopped"|"slow", "delayMs"?: 1 to 60000}.',
        });
      }
      await this.options.faults.set(change.output);
    } else {
      request.resume();
    }
    return json(200, this.options.faults.state());
  }

  private write(
    response: ServerResponse,
    answer: GatewayAnswer | LambdaAnswer,
    requestId: string,
  ): void {
    const headers: Record<string, string | string[]> = { ...answer.headers };
    for (const [name, values] of Object.entries(
      'multiValueHeaders' in answer ? answer.multiValueHeaders : {},
    )) {
      headers[name] =
        values.length === 1 && name.toLowerCase() !== 'set-cookie' ? (values[0] ?? '') : values;
    }
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    headers['x-amzn-RequestId'] = requestId;
    response.writeHead(answer.statusCode, headers);
    response.end(answer.body);
  }
}

/**
 * API Gateway's answer to a method or path the API does not have. It reads the request as one
 * for an IAM-authorized resource: without an Authorization header that is
 * MissingAuthenticationTokenException (the MISSING_AUTHENTICATION_TOKEN gateway response,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
 * with one that is not a SigV4 signature, a 403 IncompleteSignatureException that
 * MISSING_AUTHENTICATION_TOKEN does not cover (https://repost.aws/questions/QU4P9tucybRzG52U5OhwaT0A/rest-api-in-api-gateway-returns-403-when-resource-or-method-is-incorrect,
 * https://github.com/HumanCellAtlas/data-store/issues/328). Which gateway response AWS applies
 * to that one is not documented: we read it as INVALID_SIGNATURE, and template.yaml answers
 * both types alike.
 */
function unknownRoute(request: IncomingMessage): GatewayResponseType {
  return request.headers.authorization === undefined
    ? 'MISSING_AUTHENTICATION_TOKEN'
    : 'INVALID_SIGNATURE';
}

interface LambdaAnswer {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: Buffer;
}

/** A handler's proxy result as API Gateway reads it; undefined if it is malformed. */
function lambdaAnswer(result: unknown): LambdaAnswer | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode)) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const text = typeof r.body === 'string' ? r.body : '';
  const stringMap = (value: unknown) =>
    Object.fromEntries(
      Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
  return {
    statusCode: r.statusCode,
    headers: stringMap(r.headers),
    multiValueHeaders: Object.fromEntries(
      Object.entries((r.multiValueHeaders ?? {}) as Record<string, unknown[]>).map(([k, v]) => [
        k,
        v.map(String),
      ]),
    ),
    body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

function json(statusCode: number, body: unknown): GatewayAnswer {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, headerValue(value)]),
  );
}

/**
 * The request body, or 'too-large' past API Gateway's 10 MB. An oversized body is still read
 * and discarded to its end (up to a bound), so that the client, still sending, gets the 413
 * instead of a broken pipe; past the bound the 413 goes out at once with Connection: close.
 */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const DRAIN_LIMIT = 4 * MAX_REQUEST_BYTES;
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > DRAIN_LIMIT) {
      request.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        request.off('data', onData);
        request.resume();
        resolve('too-large');
      }
    };
    request.on('data', onData);
    request.once('end', () =>
      resolve(size > MAX_REQUEST_BYTES ? 'too-large' : Buffer.concat(chunks)),
    );
    request.once('error', reject);
  });
}
