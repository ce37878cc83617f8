import {
  expiredRefreshCookie,
  REFRESH_COOKIE,
  readCookie,
  refreshCookie,
} from '../../../src/http/cookies';
import { apiEvent, REFRESH_TOKEN } from '../fixtures';

describe('refreshCookie', () => {
  it('is a __Host- cookie: HttpOnly, Secure, SameSite, Path=/, with the refresh lifetime', () => {
    const cookie = refreshCookie(REFRESH_TOKEN, 2_592_000, 'Strict');
    const [pair, ...attributes] = cookie.split('; ');
    expect(pair).toBe(`${REFRESH_COOKIE}=${REFRESH_TOKEN}`);
    expect(REFRESH_COOKIE.startsWith('__Host-')).toBe(true);
    expect(attributes.sort()).toEqual([
      'HttpOnly',
      'Max-Age=2592000',
      'Path=/',
      'SameSite=Strict',
      'Secure',
    ]);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('expires the cookie with the same attributes', () => {
    const cookie = expiredRefreshCookie('Lax');
    expect(cookie.startsWith(`${REFRESH_COOKIE}=;`)).toBe(true);
    expect(cookie).toContain('Max-Age=0');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });
});

describe('readCookie', () => {
  it('finds the cookie among others, in single- or multi-value headers', () => {
    const header = `theme=dark; ${REFRESH_COOKIE}=${REFRESH_TOKEN}; other=1`;
    expect(readCookie(apiEvent({ headers: { Cookie: header } }), REFRESH_COOKIE)).toBe(
      REFRESH_TOKEN,
    );
    const event = {
      ...apiEvent(),
      headers: {},
      multiValueHeaders: { cookie: ['a=1', `${REFRESH_COOKIE}=v2`] },
    };
    expect(readCookie(event, REFRESH_COOKIE)).toBe('v2');
  });

  it('ignores look-alike names and empty values', () => {
    const event = apiEvent({ headers: { cookie: `x${REFRESH_COOKIE}=no; ${REFRESH_COOKIE}=` } });
    expect(readCookie(event, REFRESH_COOKIE)).toBeUndefined();
    expect(readCookie(apiEvent(), REFRESH_COOKIE)).toBeUndefined();
    expect(
      readCookie(apiEvent({ headers: { cookie: 'garbage;;=;' } }), REFRESH_COOKIE),
    ).toBeUndefined();
  });
});
