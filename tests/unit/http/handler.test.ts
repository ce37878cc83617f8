import { ApiError } from '../../../src/errors';
import { httpHandler } from '../../../src/http/handler';
import { json } from '../../../src/http/response';
import { apiEvent, invoke, logLines, PASSWORD } from '../fixtures';

describe('httpHandler', () => {
  it('answers an ApiError in the shared error shape', async () => {
    const handler = httpHandler(async () => {
      throw new ApiError('UsernameExists', 'taken', [{ path: 'email', message: 'is taken' }]);
    });
    expect(await invoke(handler, apiEvent())).toMatchObject({
      statusCode: 409,
      body: {
        error: 'UsernameExists',
        message: 'taken',
        details: [{ path: 'email', message: 'is taken' }],
      },
    });
  });

  it('answers 500 with only a request id for anything unexpected: no stack, no message', async () => {
    const handler = httpHandler(async () => {
      throw new Error('database exploded at row 42');
    });
    const response = await invoke(handler, apiEvent());
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({
      error: 'InternalError',
      message: 'Something went wrong on our side. Quote the requestId if you report it.',
      requestId: 'test-request-id',
    });
    expect(JSON.stringify(response.body)).not.toContain('exploded');
  });

  it('adds CORS headers for allowed origins only', async () => {
    const handler = httpHandler(async () => json(200, {}));
    const allowed = await invoke(
      handler,
      apiEvent({ headers: { Origin: 'http://localhost:5173' } }),
    );
    expect(allowed.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'http://localhost:5173',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    const foreign = await invoke(
      handler,
      apiEvent({ headers: { Origin: 'https://evil.example.com' } }),
    );
    expect(foreign.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(foreign.headers.Vary).toBe('Origin');
  });

  it('logs one summary line per request with the correlation id, and never the body', async () => {
    const handler = httpHandler(async () => json(201, { ok: true }));
    await invoke(handler, apiEvent({ resource: '/auth/signup', body: { password: PASSWORD } }));
    const line = logLines().find(
      (entry) => entry.message === 'request' && entry.route === '/auth/signup',
    );
    expect(line).toMatchObject({
      level: 'INFO',
      method: 'POST',
      status: 201,
      correlation_id: 'test-request-id',
    });
    expect(typeof line?.durationMs).toBe('number');
    // The log hygiene check after this file makes sure PASSWORD is nowhere in the output.
  });
});
