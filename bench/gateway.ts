import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LocalCognitoAuthorizer } from '../local/gateway/authorizer';
import { httpClientJob, invokeFresh } from './children';
import { type Summary, summarize } from './stats';

/**
 * The local gateway's own cost: latency of GET /me through it (vs the bare handler, measured
 * by the caller), sustained load, and how fast it verifies ID tokens.
 */

interface LatencyAnswer {
  durations: number[];
  non2xx: number;
}

export interface LoadFigures {
  route: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Sequential requests on one keep-alive connection, from a process of their own. */
export async function latency(
  url: string,
  headers: Record<string, string>,
  warmup: number,
  count: number,
): Promise<Summary & { non2xx: number }> {
  const answer = await httpClientJob<LatencyAnswer>(
    { mode: 'latency', url, headers, warmup, count },
    120_000,
  );
  return { ...summarize(answer.durations), non2xx: answer.non2xx };
}

/**
 * What plain HTTP on loopback costs with the same client: a node server that answers every
 * request at once with a small JSON body, in this process like the gateway.
 */
export async function httpFloor(warmup: number, count: number): Promise<Summary> {
  const server = createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"sub":"00000000-0000-4000-8000-000000000000"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await latency(`http://127.0.0.1:${port}/me`, {}, warmup, count);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function load(job: {
  route: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
}): Promise<LoadFigures> {
  const { route, ...rest } = job;
  const figures = await httpClientJob<
    Omit<LoadFigures, 'route' | 'connections' | 'durationSeconds'>
  >({ mode: 'load', ...rest }, (job.durationSeconds + 30) * 1000);
  return { route, connections: job.connections, durationSeconds: job.durationSeconds, ...figures };
}

export interface VerifyFigures {
  /** aws-jwt-verify's verifySync through the gateway's authorizer (header → claims). */
  awsJwtVerifyPerSecond: number;
  /** node:crypto RS256 signature check alone, with the key object made once. */
  rawRs256PerSecond: number;
  /** awsJwtVerify ÷ raw: the share of the signature check in the whole verification. */
  ratio: number;
}

/**
 * ID-token verification rate, each way for about `seconds`: the authorizer as the gateway
 * calls it per request, and the bare RS256 check of the same token with the pool's key.
 */
export async function verificationRate(
  authorizer: LocalCognitoAuthorizer,
  idToken: string,
  jwksUrl: string,
  seconds: number,
): Promise<VerifyFigures> {
  const [header = '', payload = '', signature = ''] = idToken.split('.');
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string };
  const jwks = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] };
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error('The ID token names a key the JWKS does not have');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  const authorization = `Bearer ${idToken}`;

  const rate = (check: () => boolean): number => {
    if (!check()) throw new Error('The bench token does not verify');
    const until = performance.now() + seconds * 1000;
    let count = 0;
    const started = performance.now();
    while (performance.now() < until) {
      for (let index = 0; index < 50; index += 1) check();
      count += 50;
    }
    return count / ((performance.now() - started) / 1000);
  };
  const awsJwtVerifyPerSecond = rate(() => authorizer.authorize(authorization) !== undefined);
  const rawRs256PerSecond = rate(() => verify('RSA-SHA256', signed, key, signatureBytes));
  return {
    awsJwtVerifyPerSecond: Math.round(awsJwtVerifyPerSecond),
    rawRs256PerSecond: Math.round(rawRs256PerSecond),
    ratio: Math.round((awsJwtVerifyPerSecond / rawRs256PerSecond) * 100) / 100,
  };
}

type InvokedBundle = { bundle: string; exportName: string; env: Record<string, string> };

export interface GatewayFigures {
  viaGateway: Summary & { non2xx: number };
  direct: Summary;
  /**
   * The session check's cost, warm: GET /protected (the caller's claims, then one strongly
   * consistent GetItem of the session record from the local DynamoDB) against GET /public
   * (no check), each invoked directly in a process of its own.
   */
  sessionCheck: { checked: Summary; unchecked: Summary };
  httpFloor: Summary;
  load: LoadFigures[];
  verify: VerifyFigures;
}

/**
 * All of the gateway's figures. The direct invocations run the GET /me bundle in a fresh
 * process of their own (bench/invoke.mjs) with as many warm-up events as the gateway gets.
 */
export async function measureGateway(options: {
  apiUrl: string;
  idToken: string;
  authorizer: LocalCognitoAuthorizer;
  jwksUrl: string;
  getMe: InvokedBundle;
  getMeEvents: (count: number) => Promise<unknown[]>;
  getProtected: InvokedBundle;
  getProtectedEvents: (count: number) => Promise<unknown[]>;
  getPublic: InvokedBundle;
  getPublicEvents: (count: number) => Promise<unknown[]>;
  runDir: string;
  warmup: number;
  requests: number;
  loadSeconds: number;
  loadConnections: number;
  /**
   * Resolves once the gateway has answered what was still in flight when the load generator
   * stopped, so that it cannot weigh on what is measured next.
   */
  settle: () => Promise<void>;
}): Promise<GatewayFigures> {
  const authorization = { Authorization: `Bearer ${options.idToken}` };
  const me = `${options.apiUrl}/me`;
  const viaGateway = await latency(me, authorization, options.warmup, options.requests);

  const warmDirect = async (
    name: string,
    target: InvokedBundle,
    events: (count: number) => Promise<unknown[]>,
  ): Promise<Summary> => {
    const eventsFile = path.join(options.runDir, `${name}.events.json`);
    writeFileSync(eventsFile, JSON.stringify(await events(1 + options.warmup + options.requests)));
    const result = await invokeFresh({
      ...target,
      eventsFile,
      resultFile: path.join(options.runDir, `${name}.result.json`),
      timeoutMs: 60_000,
    });
    const measured = result.invocations.slice(1 + options.warmup);
    if (measured.some((invocation) => invocation.statusCode !== 200)) {
      throw new Error(`${name} invoked directly did not answer 200`);
    }
    return summarize(measured.map((invocation) => invocation.durationMs));
  };
  const direct = await warmDirect('direct', options.getMe, options.getMeEvents);
  const sessionCheck = {
    checked: await warmDirect('checked', options.getProtected, options.getProtectedEvents),
    unchecked: await warmDirect('unchecked', options.getPublic, options.getPublicEvents),
  };

  const httpFloorFigures = await httpFloor(options.warmup, options.requests);
  // Synchronous: it holds this process, the gateway's too, so it runs while nothing is in flight.
  const verify = await verificationRate(options.authorizer, options.idToken, options.jwksUrl, 1);

  const common = { connections: options.loadConnections, durationSeconds: options.loadSeconds };
  const getLoad = await load({
    route: 'GET /me',
    url: me,
    method: 'GET',
    headers: authorization,
    ...common,
  });
  await options.settle();
  const postLoad = await load({
    route: 'POST /me/logs',
    url: `${options.apiUrl}/me/logs`,
    method: 'POST',
    headers: { ...authorization, 'Content-Type': 'application/json' },
    body: JSON.stringify({ content: { command: 'git status', exitCode: 0 } }),
    ...common,
  });
  await options.settle();
  return {
    viaGateway,
    direct,
    sessionCheck,
    httpFloor: httpFloorFigures,
    load: [getLoad, postLoad],
    verify,
  };
}
