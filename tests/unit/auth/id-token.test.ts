import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logLines } from '../fixtures';
import { JWKS, serveJwks, signedIdToken } from '../id-tokens';

/**
 * verifyIdToken keeps the verifier and the local keys for the life of the function, and the
 * config reads COGNITO_JWKS_URI once: each test loads them afresh with its own environment.
 */
async function withFreshModules<T>(
  jwksUri: string | undefined,
  run: (modules: {
    verifyIdToken: typeof import('../../../src/auth/id-token').verifyIdToken;
    ApiError: typeof import('../../../src/errors').ApiError;
    jwtHttps: typeof import('aws-jwt-verify/https');
    FetchError: typeof import('aws-jwt-verify/error').FetchError;
  }) => Promise<T>,
): Promise<T> {
  const saved = process.env.COGNITO_JWKS_URI;
  if (jwksUri === undefined) delete process.env.COGNITO_JWKS_URI;
  else process.env.COGNITO_JWKS_URI = jwksUri;
  try {
    let result: T | undefined;
    await jest.isolateModulesAsync(async () => {
      const { verifyIdToken } = await import('../../../src/auth/id-token');
      const { ApiError } = await import('../../../src/errors');
      const jwtHttps = await import('aws-jwt-verify/https');
      const { FetchError } = await import('aws-jwt-verify/error');
      result = await run({ verifyIdToken, ApiError, jwtHttps, FetchError });
    });
    return result as T;
  } finally {
    if (saved === undefined) delete process.env.COGNITO_JWKS_URI;
    else process.env.COGNITO_JWKS_URI = saved;
  }
}

afterEach(() => jest.restoreAllMocks());

const sessionClaims = () => ({
  sub: randomUUID(),
  origin_jti: randomUUID(),
  auth_time: Math.floor(Date.now() / 1000),
});

/** What verifyIdToken answered: the verified token, or the status of the error it threw. */
const outcome = (
  promise: Promise<unknown>,
  ApiError: typeof import('../../../src/errors').ApiError,
) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => {
      if (error instanceof ApiError) return { status: error.statusCode, code: error.code };
      throw error;
    },
  );

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('verifyIdToken with the local keys (COGNITO_JWKS_URI)', () => {
  let jwks: Server;
  let jwksUri: string;
  beforeAll(async () => {
    const saved = process.env.COGNITO_JWKS_URI;
    jwks = await serveJwks();
    jwksUri = String(process.env.COGNITO_JWKS_URI);
    process.env.COGNITO_JWKS_URI = saved;
  });
  afterAll(() => close(jwks));

  it('answers the lower-cased subject and the session of a token the keys verify', async () => {
    const claims = { ...sessionClaims(), sub: 'ABCDEF01-2345-6789-ABCD-EF0123456789' };
    const answer = await withFreshModules(jwksUri, ({ verifyIdToken }) =>
      verifyIdToken(signedIdToken(claims)),
    );
    expect(answer).toEqual({
      sub: 'abcdef01-2345-6789-abcd-ef0123456789',
      session: { originJti: claims.origin_jti, authTime: claims.auth_time },
    });
  });

  it.each([
    ['no origin_jti (not minted by a sign-in)', { origin_jti: undefined }],
    ['no auth_time', { auth_time: undefined }],
    ['an auth_time that is not a number', { auth_time: '1700000000' }],
  ])('ignores a verified token with %s: it names no session', async (_kind, override) => {
    const token = signedIdToken({ ...sessionClaims(), ...override });
    await expect(
      withFreshModules(jwksUri, ({ verifyIdToken }) => verifyIdToken(token)),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['a remote host', 'http://keys.example.com/jwks.json'],
    ['https, even on loopback', 'https://127.0.0.1:1/jwks.json'],
    ['a private, non-loopback address', 'http://10.0.0.1/jwks.json'],
  ])('never trusts keys from %s: 503, and nothing is fetched', async (_kind, uri) => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const answer = await withFreshModules(uri, ({ verifyIdToken, ApiError }) =>
      outcome(verifyIdToken(signedIdToken(sessionClaims())), ApiError),
    );
    expect(answer).toEqual({ status: 503, code: 'ServiceUnavailable' });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(logLines().at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'the pool keys could not be fetched',
      reason: 'Error',
    });
  });

  it('answers 503 while the keys cannot be fetched, and fetches them again for the next token', async () => {
    let requests = 0;
    const flaky = createServer((_request, response) => {
      requests += 1;
      if (requests === 1) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(JWKS));
    });
    const uri = await listen(flaky);
    try {
      const claims = sessionClaims();
      const [first, second] = await withFreshModules(uri, async ({ verifyIdToken, ApiError }) => [
        await outcome(verifyIdToken(signedIdToken(claims)), ApiError),
        await outcome(verifyIdToken(signedIdToken(claims)), ApiError),
      ]);
      expect(first).toEqual({ status: 503, code: 'ServiceUnavailable' });
      expect(second).toEqual({ value: expect.objectContaining({ sub: claims.sub }) });
      expect(requests).toBe(2);
    } finally {
      await close(flaky);
    }
  });

  it('answers 503 when the address serves something that is not a JWKS', async () => {
    const notJwks = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ keys: 'none' }));
    });
    const uri = await listen(notJwks);
    try {
      const answer = await withFreshModules(uri, ({ verifyIdToken, ApiError }) =>
        outcome(verifyIdToken(signedIdToken(sessionClaims())), ApiError),
      );
      expect(answer).toEqual({ status: 503, code: 'ServiceUnavailable' });
    } finally {
      await close(notJwks);
    }
  });

  it('fetches the keys once for concurrent tokens, and never again once they are known', async () => {
    let requests = 0;
    const counting = createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(JWKS));
    });
    const uri = await listen(counting);
    try {
      const answers = await withFreshModules(uri, async ({ verifyIdToken }) => {
        const concurrent = await Promise.all(
          [1, 2, 3].map(() => verifyIdToken(signedIdToken(sessionClaims()))),
        );
        return [...concurrent, await verifyIdToken(signedIdToken(sessionClaims()))];
      });
      expect(answers.every((answer) => answer !== undefined)).toBe(true);
      expect(requests).toBe(1);
    } finally {
      await close(counting);
    }
  });
});

describe('verifyIdToken on AWS (no COGNITO_JWKS_URI)', () => {
  const POOL_JWKS_URI = `https://cognito-idp.us-east-1.amazonaws.com/${process.env.USER_POOL_ID}/.well-known/jwks.json`;

  it("verifies with the keys fetched from the pool's own address at Cognito", async () => {
    const claims = sessionClaims();
    const { answer, fetchedFrom } = await withFreshModules(
      undefined,
      async ({ verifyIdToken, jwtHttps }) => {
        const fetchSpy = jest
          .spyOn(jwtHttps, 'fetch')
          .mockResolvedValue(new TextEncoder().encode(JSON.stringify(JWKS)).buffer);
        const answer = await verifyIdToken(signedIdToken(claims));
        return { answer, fetchedFrom: fetchSpy.mock.calls.map(([uri]) => uri) };
      },
    );
    expect(answer).toEqual({
      sub: claims.sub,
      session: { originJti: claims.origin_jti, authTime: claims.auth_time },
    });
    expect(fetchedFrom).toEqual([POOL_JWKS_URI]);
  });

  it("answers 503 when Cognito's keys cannot be fetched, logging only the error's kind", async () => {
    const answer = await withFreshModules(
      undefined,
      ({ verifyIdToken, jwtHttps, FetchError, ApiError }) => {
        jest
          .spyOn(jwtHttps, 'fetch')
          .mockRejectedValue(new FetchError(POOL_JWKS_URI, 'getaddrinfo EAI_AGAIN'));
        return outcome(verifyIdToken(signedIdToken(sessionClaims())), ApiError);
      },
    );
    expect(answer).toEqual({ status: 503, code: 'ServiceUnavailable' });
    const line = logLines()
      .filter((logged) => logged.message === 'the pool keys could not be fetched')
      .at(-1);
    expect(line).toMatchObject({ level: 'ERROR', reason: expect.any(String) });
    expect(JSON.stringify(line)).not.toContain('EAI_AGAIN');
  });
});
