import { handler } from '../../../../src/handlers/me/get-me';
import { apiEvent, CALLER_CLAIMS, EMAIL, invoke, SUB } from '../../fixtures';

describe('GET /me', () => {
  it('returns the caller from the verified claims', async () => {
    expect(
      await invoke(handler, apiEvent({ resource: '/me', claims: CALLER_CLAIMS })),
    ).toMatchObject({
      statusCode: 200,
      body: { sub: SUB, email: EMAIL, emailVerified: true, name: 'Grace Hopper' },
    });
  });

  it('omits name when the user has none, and answers 401 without claims', async () => {
    const { name: _name, ...claims } = CALLER_CLAIMS;
    expect((await invoke(handler, apiEvent({ resource: '/me', claims }))).body).toEqual({
      sub: SUB,
      email: EMAIL,
      emailVerified: true,
    });
    expect((await invoke(handler, apiEvent({ resource: '/me' }))).statusCode).toBe(401);
  });
});
