import { handler } from '../../../../src/handlers/public/get-public';
import { apiEvent, invoke } from '../../fixtures';

describe('GET /public', () => {
  it('answers 200 with a message to a caller without a token', async () => {
    expect(await invoke(handler, apiEvent({ resource: '/public' }))).toMatchObject({
      statusCode: 200,
      body: { message: expect.any(String) },
    });
  });
});
