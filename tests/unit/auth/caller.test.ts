import { callerFrom } from '../../../src/auth/caller';
import { ApiError } from '../../../src/errors';
import { apiEvent, CALLER_CLAIMS, EMAIL, SUB } from '../fixtures';

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
