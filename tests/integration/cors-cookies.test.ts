import { API_TEMPLATE, loadTemplate, samFunctions } from '../../sam/template';
import { REFRESH_COOKIE } from '../../src/http/cookies';
import { api, newUser, type SignedInUser } from './api-client';
import { sharedStack } from './harness';

/** CORS and cookie mode on the local gateway, as a browser would exercise them, over HTTP. */
const { WebUrl } = sharedStack().outputs;
const ALLOWED = WebUrl;
const FOREIGN = 'https://evil.example.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('CORS', () => {
  // Every path of the template (a log id stands in for {id}).
  const paths = [
    ...new Set(
      samFunctions(loadTemplate(API_TEMPLATE)).flatMap((fn) =>
        fn.routes.map((route) => route.path.replace('{id}', '8236287999999a1b2c3d4e5f6')),
      ),
    ),
  ];

  it('covers every path', () => {
    expect(paths.length).toBeGreaterThanOrEqual(16);
  });

  it.each(paths)(
    'answers the preflight of %s for an allowed origin, and grants nothing to another',
    async (path) => {
      const preflight = (origin: string) =>
        api(path, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization,content-type',
          },
        });
      const allowed = await preflight(ALLOWED);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('access-control-allow-headers')).toBe(
        'Authorization, Content-Type, X-Api-Key',
      );
      expect(allowed.headers.get('vary')).toBe('Origin');
      const foreign = await preflight(FOREIGN);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('echoes an allowed origin on every answer, success or error, never *', async () => {
    for (const answer of [
      await api('/public', { headers: { Origin: ALLOWED } }),
      await api('/auth/signin', {
        body: { email: 'nobody@example.com', password: 'wrong-password-1' },
        headers: { Origin: ALLOWED },
      }),
      await api('/auth/signin', { rawBody: '{', headers: { ...JSON_TYPE, Origin: ALLOWED } }),
    ]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
      expect(answer.headers.get('vary')).toBe('Origin');
    }
    const foreign = await api('/public', { headers: { Origin: FOREIGN } });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cookie mode', () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('cookie');
  });

  async function cookieSignIn(): Promise<{
    cookie: string;
    setCookie: string;
    body: Record<string, unknown>;
  }> {
    const answer = await api('/auth/signin', {
      body: { email: user.email, password: user.password, session: 'cookie' },
      headers: { Origin: ALLOWED },
    });
    expect(answer.status).toBe(200);
    const setCookie =
      answer.headers.getSetCookie().find((value) => value.startsWith(`${REFRESH_COOKIE}=`)) ?? '';
    return { cookie: setCookie.split(';')[0] ?? '', setCookie, body: answer.body };
  }

  it('sets the refresh token as a __Host- HttpOnly Secure SameSite cookie and leaves it out of the body', async () => {
    const { setCookie, body } = await cookieSignIn();
    const attributes = setCookie.split('; ').slice(1).sort();
    expect(attributes).toEqual([
      'HttpOnly',
      `Max-Age=${30 * 86_400}`,
      'Path=/',
      'SameSite=Strict',
      'Secure',
    ]);
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'idToken', 'tokenType']);
  });

  it('refreshes from the cookie for an allowed origin, and refuses it otherwise', async () => {
    const { cookie } = await cookieSignIn();
    const refresh = (headers: Record<string, string>, rawBody = '{}') =>
      api('/auth/refresh', { method: 'POST', rawBody, headers: { Cookie: cookie, ...headers } });
    expect((await refresh({ ...JSON_TYPE, Origin: ALLOWED })).status).toBe(200);
    expect(await refresh({ ...JSON_TYPE, Origin: FOREIGN })).toMatchObject({
      status: 403,
      body: { error: 'OriginNotAllowed' },
    });
    expect((await refresh(JSON_TYPE)).status).toBe(403);
    // A cross-site form post cannot send JSON: it gets 415 before the cookie is even looked at.
    expect(
      await refresh(
        { 'Content-Type': 'application/x-www-form-urlencoded', Origin: FOREIGN },
        'a=1',
      ),
    ).toMatchObject({ status: 415 });
    expect((await refresh({ 'Content-Type': 'text/plain', Origin: ALLOWED })).status).toBe(415);
  });

  it('refuses cookie-mode sign-in from a foreign origin (no login CSRF)', async () => {
    const answer = await api('/auth/signin', {
      body: { email: user.email, password: user.password, session: 'cookie' },
      headers: { Origin: FOREIGN },
    });
    expect(answer).toMatchObject({ status: 403, body: { error: 'OriginNotAllowed' } });
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('signs out from the cookie: revoked and expired', async () => {
    const { cookie } = await cookieSignIn();
    const signOut = await api('/auth/signout', {
      method: 'POST',
      rawBody: '',
      headers: { ...JSON_TYPE, Origin: ALLOWED, Cookie: cookie },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.getSetCookie()).toEqual([
      expect.stringMatching(new RegExp(`^${REFRESH_COOKIE}=; Max-Age=0;`)),
    ]);
    const again = await api('/auth/refresh', {
      method: 'POST',
      rawBody: '{}',
      headers: { ...JSON_TYPE, Origin: ALLOWED, Cookie: cookie },
    });
    expect(again.status).toBe(401);
  });
});
