import { assertValidOrigin, corsHeaders, preflightHeaders } from '../../../src/http/cors';

const allowed = ['https://app.example.com', 'http://localhost:5173'];

describe('corsHeaders', () => {
  it('echoes an allowed origin with credentials and Vary: Origin', () => {
    expect(corsHeaders('https://app.example.com', allowed)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Access-Control-Allow-Credentials': 'true',
    });
  });

  it.each([
    'https://evil.example.com',
    'https://app.example.com.evil.com',
    'http://app.example.com',
    'https://app.example.com:444',
    'null',
    '*',
  ])('grants nothing to %s', (origin) => {
    expect(corsHeaders(origin, allowed)).toEqual({ Vary: 'Origin' });
  });

  it('grants nothing without an Origin header', () => {
    expect(corsHeaders(undefined, allowed)).toEqual({ Vary: 'Origin' });
  });
});

describe('preflightHeaders', () => {
  it('grants methods and headers to an allowed origin', () => {
    const headers = preflightHeaders('http://localhost:5173', allowed);
    expect(headers['Access-Control-Allow-Origin']).toBe('http://localhost:5173');
    expect(headers['Access-Control-Allow-Headers']).toBe('Authorization, Content-Type, X-Api-Key');
    expect(headers['Access-Control-Allow-Methods']).toContain('POST');
    expect(headers['Access-Control-Max-Age']).toBe('600');
  });

  it('grants nothing to a foreign origin', () => {
    expect(preflightHeaders('https://evil.example.com', allowed)).toEqual({ Vary: 'Origin' });
  });
});

describe('assertValidOrigin', () => {
  it.each(['https://app.example.com', 'http://localhost:5173'])('accepts %s', (origin) => {
    expect(assertValidOrigin(origin)).toBe(origin);
  });

  it.each(['*', 'null', 'app.example.com', 'https://app.example.com/', 'HTTPS://APP.example.com'])(
    'rejects %s',
    (origin) => {
      expect(() => assertValidOrigin(origin)).toThrow(/ALLOWED_ORIGINS/);
    },
  );
});
