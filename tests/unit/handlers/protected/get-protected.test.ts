import { handler } from '../../../../src/handlers/protected/get-protected';
import { apiEvent, CALLER_CLAIMS, invoke, SUB } from '../../fixtures';

describe('GET /protected', () => {
  it('answers a signed-in caller with their sub', async () => {
    expect(
      await invoke(handler, apiEvent({ resource: '/protected', claims: CALLER_CLAIMS })),
    ).toMatchObject({
      statusCode: 200,
      body: { message: 'You are signed in.', sub: SUB },
    });
  });

  it('answers 401 without claims', async () => {
    expect((await invoke(handler, apiEvent({ resource: '/protected' }))).statusCode).toBe(401);
  });
});
