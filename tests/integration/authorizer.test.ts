import { api, newUser, type SignedInUser } from './api-client';
import { sharedStack } from './harness';
import { mint, payloadOf, tampered, unsigned } from './tokens';

/** The local gateway's Cognito authorizer and its own (gateway) responses. */
describe('the Cognito authorizer', () => {
  let user: SignedInUser;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    user = await newUser('authorizer');
    claims = payloadOf(user.idToken);
  });
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['with "Bearer "', (token: string) => `Bearer ${token}`],
    ['without "Bearer "', (token: string) => token],
    ['with lower-case "bearer "', (token: string) => `bearer ${token}`],
  ])('accepts the ID token %s', async (_how, header) => {
    const answer = await api('/me', { headers: { Authorization: header(user.idToken) } });
    expect(answer).toMatchObject({ status: 200, body: { sub: user.sub } });
  });

  it.each<[string, () => Record<string, string>]>([
    ['no Authorization header', () => ({})],
    ['an empty Bearer', () => ({ Authorization: 'Bearer ' })],
    ['garbage', () => ({ Authorization: 'Bearer not.a.token' })],
    [
      'a tampered token (sub changed, signature kept)',
      () => ({
        Authorization: tampered(user.idToken, { sub: '00000000-0000-4000-8000-000000000000' }),
      }),
    ],
    ['a token signed by another key', () => ({ Authorization: mint(claims, 'stranger') })],
    ['an unsigned token (alg: none)', () => ({ Authorization: unsigned(claims) })],
    [
      'an expired token',
      () => ({ Authorization: mint({ ...claims, iat: now() - 7200, exp: now() - 3600 }) }),
    ],
    [
      "another client's token",
      () => ({ Authorization: mint({ ...claims, aud: 'anotherclientid00000000000' }) }),
    ],
    [
      'a token of another pool',
      () => ({
        Authorization: mint({
          ...claims,
          iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool',
        }),
      }),
    ],
    ['an access token instead of an ID token', () => ({ Authorization: user.accessToken })],
    ['a 10 KB Authorization header', () => ({ Authorization: `Bearer ${'A'.repeat(10_240)}` })],
  ])('answers 401 to %s, in the shared error shape', async (_what, headers) => {
    const answer = await api('/me', { headers: headers() });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('hands the function the verified claims as strings, as API Gateway does', async () => {
    const answer = await api('/me', { token: user.idToken });
    expect(answer.body).toEqual({ sub: user.sub, email: user.email, emailVerified: true });
  });
});

describe('gateway responses', () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('gateway');
  });

  it('answers an unknown route or method with 404 in the shared shape, as a missing token', async () => {
    for (const answer of [await api('/nowhere'), await api('/me', { method: 'PUT' })]) {
      expect(answer).toMatchObject({ status: 404, body: { error: 'NotFound' } });
      expect(answer.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  it('answers one with an Authorization header as a bad signature: 404 too, never echoing the token', async () => {
    for (const answer of [
      await api('/nowhere', { token: user.idToken }),
      await api('/me', { method: 'PATCH', headers: { Authorization: 'Bearer not-a-token' } }),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { error: 'NotFound' } });
      expect(answer.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
      expect(answer.text).not.toContain(user.idToken);
      expect(answer.text).not.toContain('not-a-token');
    }
  });

  it("answers a body that makes the event exceed Lambda's 6 MB with 413, never running the function", async () => {
    // The event carries the body as an escaped JSON string, headers and all: a body 200 KB under
    // 6 MiB still reaches the function (whose own limit answers), one at 6 MiB does not.
    const MiB = 1024 * 1024;
    const send = (bytes: number) =>
      api('/me/logs', {
        rawBody: Buffer.alloc(bytes, 'a'),
        token: user.idToken,
        headers: { 'Content-Type': 'application/json' },
      });
    const reached = await send(6 * MiB - 200 * 1024);
    expect(reached).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge' } });
    expect(reached.headers.get('x-amzn-errortype')).toBeNull();
    const refused = await send(6 * MiB);
    expect(refused).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge' } });
    expect(refused.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
  });

  it('answers a body over 10 MB with 413 before running any function', async () => {
    const answer = await api('/auth/signin', {
      rawBody: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(answer).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge' } });
  });

  it('names the primary allowed origin (the demo page) on its own errors, with credentials', async () => {
    const { WebUrl } = sharedStack().outputs;
    const answer = await api('/me', { headers: { Origin: WebUrl } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-allow-origin')).toBe(WebUrl);
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
