import { handler } from '../../../../src/handlers/public/get-public';
import { apiEvent, invoke } from '../../fixtures';

describe('GET /public', () => {
  it('answers anyone', async () => {
    expect(await invoke(handler, apiEvent({ resource: '/public' }))).toMatchObject({
      statusCode: 200,
      body: { message: expect.any(String) },
    });
  });
});
