import { accessTokenSubject } from '../../../src/auth/access-token';
import { ACCESS_TOKEN, CLIENT_ID, fakeJwt, ID_TOKEN, SUB } from '../fixtures';

describe('accessTokenSubject', () => {
  it("returns the sub of this client's access token", () => {
    expect(accessTokenSubject(ACCESS_TOKEN)).toBe(SUB);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['an ID token', ID_TOKEN],
    ['another client', fakeJwt({ sub: SUB, token_use: 'access', client_id: 'someoneelse' })],
    ['no sub', fakeJwt({ token_use: 'access', client_id: CLIENT_ID })],
  ])('rejects %s with 401', (_why, token) => {
    expect(() => accessTokenSubject(token)).toThrow(expect.objectContaining({ statusCode: 401 }));
  });
});
