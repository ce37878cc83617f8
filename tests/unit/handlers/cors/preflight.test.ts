import { handler } from '../../../../src/handlers/cors/preflight';
import { apiEvent, invoke } from '../../fixtures';

const preflight = (origin?: string) =>
  invoke(
    handler,
    apiEvent({
      method: 'OPTIONS',
      resource: '/auth/signin',
      headers: {
        ...(origin ? { Origin: origin } : {}),
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,authorization',
      },
    }),
  );

describe('OPTIONS (CORS preflight)', () => {
  it.each(['https://app.example.com', 'http://localhost:5173'])(
    'grants the allowed origin %s',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.statusCode).toBe(204);
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Api-Key',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    },
  );

  it.each([['https://evil.example.com'], ['null'], [undefined]])(
    'grants nothing to %s',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.statusCode).toBe(204);
      expect(
        Object.keys(response.headers).filter((name) => name.startsWith('Access-Control-')),
      ).toEqual([]);
      expect(response.headers.Vary).toBe('Origin');
    },
  );
});
