import * as v from 'valibot';
import { ApiError } from '../../../src/errors';
import { header, isJsonContentType, parseJsonBody, parseQuery } from '../../../src/http/request';
import { apiEvent, PASSWORD } from '../fixtures';

const Body = v.strictObject({ email: v.pipe(v.string(), v.email()), password: v.string() });
const options = { maxBytes: 100 };

function rejection(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('parseJsonBody', () => {
  it('returns the validated body', () => {
    const event = apiEvent({ body: { email: 'a@example.com', password: 'x' } });
    expect(parseJsonBody(event, Body, options)).toEqual({ email: 'a@example.com', password: 'x' });
  });

  it('decodes base64 bodies', () => {
    const raw = Buffer.from(JSON.stringify({ email: 'a@example.com', password: 'x' })).toString(
      'base64',
    );
    const event = apiEvent({
      rawBody: raw,
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expect(parseJsonBody(event, Body, options).email).toBe('a@example.com');
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/merge-patch+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/jsonp', false],
  ])('treats content type %s as JSON: %s', (contentType, expected) => {
    expect(isJsonContentType(apiEvent({ headers: { 'Content-Type': contentType } }))).toBe(
      expected,
    );
  });

  it.each([
    ['no body', apiEvent({ rawBody: null }), 400, 'ValidationError'],
    [
      'an empty body',
      apiEvent({ rawBody: '', headers: { 'content-type': 'application/json' } }),
      400,
      'ValidationError',
    ],
    [
      'malformed JSON',
      apiEvent({ rawBody: '{"email":', headers: { 'content-type': 'application/json' } }),
      400,
      'MalformedJson',
    ],
    [
      'invalid UTF-8',
      apiEvent({
        rawBody: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'),
        isBase64Encoded: true,
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'MalformedJson',
    ],
    [
      'a JSON array',
      apiEvent({ rawBody: '[]', headers: { 'content-type': 'application/json' } }),
      400,
      'ValidationError',
    ],
    [
      'JSON null',
      apiEvent({ rawBody: 'null', headers: { 'content-type': 'application/json' } }),
      400,
      'ValidationError',
    ],
    [
      'a JSON string',
      apiEvent({ rawBody: '"x"', headers: { 'content-type': 'application/json' } }),
      400,
      'ValidationError',
    ],
    ['no content type', apiEvent({ rawBody: '{}' }), 415, 'UnsupportedMediaType'],
    [
      'a form post',
      apiEvent({
        rawBody: 'email=a',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'UnsupportedMediaType',
    ],
    [
      'a body one byte over the limit',
      apiEvent({ rawBody: 'x'.repeat(101), headers: { 'content-type': 'application/json' } }),
      413,
      'PayloadTooLarge',
    ],
    [
      'deeply nested JSON',
      apiEvent({ rawBody: '['.repeat(50), headers: { 'content-type': 'application/json' } }),
      400,
      'MalformedJson',
    ],
  ])('rejects %s', (_name, event, statusCode, code) => {
    const error = rejection(() => parseJsonBody(event, Body, options));
    expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode, code });
  });

  describe('with bytes that are not UTF-8', () => {
    const json = (rawBody: string) =>
      apiEvent({ rawBody, headers: { 'content-type': 'application/json' } });
    const notUtf8 = {
      statusCode: 400,
      code: 'MalformedJson',
      message:
        'The request body holds bytes that are not UTF-8 (they arrive as U+FFFD). Send UTF-8; to mean U+FFFD itself, write it as \\ufffd.',
    };
    const refusal = (event: ReturnType<typeof apiEvent>) => {
      const { statusCode, code, message } = rejection(() => parseJsonBody(event, Body, options));
      return { statusCode, code, message };
    };

    it('refuses the U+FFFD that API Gateway puts in their place, in any field', () => {
      // FF FE in a password, decoded to text the way API Gateway hands it over.
      const password = Buffer.from([0x61, 0xff, 0xfe, 0x62]).toString('utf8');
      expect(password).toBe('a\uFFFD\uFFFDb');
      expect(refusal(json(`{"email":"a@example.com","password":"${password}"}`))).toEqual(notUtf8);
      expect(refusal(json('{"email":"a@example.com","password":"x","\uFFFD":1}'))).toEqual(notUtf8);
    });

    it('refuses them raw in a base64-encoded body', () => {
      const event = apiEvent({
        rawBody: Buffer.from('{"email":"a@example.com","password":"\xff"}', 'latin1').toString(
          'base64',
        ),
        isBase64Encoded: true,
        headers: { 'content-type': 'application/json' },
      });
      expect(refusal(event)).toEqual(notUtf8);
    });

    it('refuses a lone surrogate handed over as text (it cannot be UTF-8 either)', () => {
      expect(refusal(json('{"email":"a@example.com","password":"a\ud800"}'))).toEqual(notUtf8);
    });

    it('accepts U+FFFD written as the JSON escape, which only a client that meant it sends', () => {
      const event = json('{"email":"a@example.com","password":"a\\ufffdb"}');
      expect(parseJsonBody(event, Body, options).password).toBe('a\uFFFDb');
    });
  });

  it('accepts a body exactly at the limit', () => {
    const body = JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(60) });
    const padded = body.padEnd(100, ' ');
    expect(Buffer.byteLength(padded)).toBe(100);
    const event = apiEvent({ rawBody: padded, headers: { 'content-type': 'application/json' } });
    expect(parseJsonBody(event, Body, options).password).toHaveLength(60);
  });

  it('measures the limit in bytes, not characters', () => {
    const event = apiEvent({
      rawBody: JSON.stringify({ email: 'é'.repeat(45) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(rejection(() => parseJsonBody(event, Body, options)).statusCode).toBe(413);
  });

  it('lists every field problem with its path and never the value sent', () => {
    const event = apiEvent({
      body: { email: 'not-an-email', password: 12345678, extra: PASSWORD },
    });
    const error = rejection(() => parseJsonBody(event, Body, { maxBytes: 1000 }));
    expect(error.code).toBe('ValidationError');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'email', message: 'must be an email address' },
        { path: 'password', message: 'must be a string' },
        { path: 'extra', message: 'is not an accepted field' },
      ]),
    );
    const text = JSON.stringify(error.details);
    expect(text).not.toContain('not-an-email');
    expect(text).not.toContain('12345678');
    expect(text).not.toContain(PASSWORD);
  });

  it('says which required fields are missing', () => {
    const error = rejection(() => parseJsonBody(apiEvent({ body: {} }), Body, options));
    expect(error.details).toEqual([
      { path: 'email', message: 'is required' },
      { path: 'password', message: 'is required' },
    ]);
  });

  it.each([
    [
      'too short',
      v.pipe(v.string(), v.minLength(20)),
      'short',
      'must be at least 20 characters long',
    ],
    ['too few bytes', v.pipe(v.string(), v.minBytes(8)), 'é', 'must be at least 8 characters long'],
    [
      'too long',
      v.pipe(v.string(), v.maxLength(4)),
      'toolong',
      'must be at most 4 characters long',
    ],
    ['too many bytes', v.pipe(v.string(), v.maxBytes(4)), 'ééé', 'must be at most 4 bytes long'],
    ['not one of a list', v.picklist(['a', 'b']), 'secret-c', 'must be one of ("a" | "b")'],
    ['not whole', v.pipe(v.number(), v.integer()), 1.5, 'must be a whole number'],
    ['not an object', v.object({ inner: v.string() }), 'secret-text', 'must be an object'],
    ['none of a union', v.union([v.string(), v.number()]), true, 'is invalid'],
  ])(
    'words a field that is %s without a message of its own, never echoing it',
    (_kind, field, value, message) => {
      const error = rejection(() =>
        parseJsonBody(apiEvent({ body: { field: value } }), v.strictObject({ field }), {
          maxBytes: 1000,
        }),
      );
      expect(error.details).toEqual([{ path: 'field', message }]);
      expect(JSON.stringify(error.details)).not.toContain(String(value));
    },
  );

  it('accepts an empty body as {} where allowed, but still only as JSON', () => {
    const Optional = v.strictObject({ token: v.optional(v.string()) });
    const json = apiEvent({ rawBody: null, headers: { 'Content-Type': 'application/json' } });
    expect(parseJsonBody(json, Optional, { maxBytes: 10, allowEmpty: true })).toEqual({});
    const form = apiEvent({ rawBody: null, headers: { 'Content-Type': 'text/plain' } });
    expect(
      rejection(() => parseJsonBody(form, Optional, { maxBytes: 10, allowEmpty: true })).statusCode,
    ).toBe(415);
  });
});

describe('parseQuery', () => {
  const Query = v.object({ limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))) });
  it('answers the parameters its schema accepts, {} for none, and 400 for one it refuses', () => {
    expect(parseQuery(apiEvent({ query: { limit: '5' } }), Query)).toEqual({ limit: '5' });
    expect(parseQuery(apiEvent(), Query)).toEqual({});
    expect(rejection(() => parseQuery(apiEvent({ query: { limit: 'x' } }), Query)).statusCode).toBe(
      400,
    );
  });
});

describe('header', () => {
  it('is case-insensitive', () => {
    expect(header(apiEvent({ headers: { ORIGIN: 'https://a.example' } }), 'origin')).toBe(
      'https://a.example',
    );
    expect(header({ ...apiEvent(), headers: null as never }, 'origin')).toBeUndefined();
  });
});
