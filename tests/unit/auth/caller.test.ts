import { callerFrom, sessionFrom } from '../../../src/auth/caller';
import { ApiError } from '../../../src/errors';
import { AUTH_TIME, apiEvent, CALLER_CLAIMS, EMAIL, ORIGIN_JTI, SUB } from '../fixtures';

describe('callerFrom', () => {
  it('reads the identity from the authorizer claims', () => {
    expect(callerFrom(apiEvent({ claims: CALLER_CLAIMS }))).toEqual({
      sub: SUB,
      email: EMAIL,
      emailVerified: true,
      name: 'Grace Hopper',
    });
  });

  it.each([
    ['no authorizer', undefined],
    ['no sub', { ...CALLER_CLAIMS, sub: '' }],
    ['a sub that is not a UUID', { ...CALLER_CLAIMS, sub: '../../other-user' }],
    ['an access token', { ...CALLER_CLAIMS, token_use: 'access' }],
    ["another client's ID token", { ...CALLER_CLAIMS, aud: 'anotherclient000000000000' }],
  ])('refuses %s with 401', (_why, claims) => {
    expect(() => callerFrom(apiEvent(claims ? { claims } : {}))).toThrow(ApiError);
    try {
      callerFrom(apiEvent(claims ? { claims } : {}));
    } catch (error) {
      expect((error as ApiError).statusCode).toBe(401);
    }
  });

  it('never takes the identity from the body, path or query', () => {
    const event = apiEvent({
      claims: CALLER_CLAIMS,
      body: { sub: 'intruder' },
      query: { sub: 'intruder' },
      pathParameters: { sub: 'intruder' },
    });
    expect(callerFrom(event).sub).toBe(SUB);
  });
});

describe('sessionFrom', () => {
  it('reads the sign-in the ID token was minted from (auth_time arrives as a string)', () => {
    expect(sessionFrom(apiEvent({ claims: CALLER_CLAIMS }))).toEqual({
      originJti: ORIGIN_JTI,
      authTime: AUTH_TIME,
    });
  });

  it.each([
    ['no authorizer', undefined],
    ['no origin_jti (a client without token revocation)', { ...CALLER_CLAIMS, origin_jti: '' }],
    [
      'no auth_time',
      Object.fromEntries(Object.entries(CALLER_CLAIMS).filter(([name]) => name !== 'auth_time')),
    ],
    ['an auth_time that is not whole seconds', { ...CALLER_CLAIMS, auth_time: '17e9.5' }],
  ])(
    'refuses a token with %s with 401: it cannot be checked against ended sessions',
    (_why, claims) => {
      let refusal: unknown;
      try {
        sessionFrom(apiEvent(claims ? { claims } : {}));
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ApiError);
      expect((refusal as ApiError).statusCode).toBe(401);
    },
  );
});
