import {
  type EventInput,
  type GatewayRequest,
  matchPath,
  proxyEvent,
  textBody,
} from '../../../../local/gateway/proxy-event';

function request(rawHeaders: string[], method = 'POST'): GatewayRequest {
  const headers: GatewayRequest['headers'] = {};
  for (let index = 0; index < rawHeaders.length; index += 2) {
    headers[String(rawHeaders[index]).toLowerCase()] = rawHeaders[index + 1];
  }
  return {
    rawHeaders,
    headers,
    method,
    httpVersion: '1.1',
    socket: { remoteAddress: '127.0.0.1' },
  };
}

const input = (overrides: Partial<EventInput> = {}): EventInput => ({
  request: request(['Host', 'localhost:3000', 'User-Agent', 'curl/8']),
  url: new URL('http://localhost/me/logs/123'),
  body: Buffer.alloc(0),
  resource: '/me/logs/{id}',
  pathParameters: { id: '123' },
  stage: 'dev',
  requestId: 'request-1',
  accountId: '000000000000',
  ...overrides,
});

describe('proxyEvent', () => {
  it("keeps the client's header casing, the last value in headers and every value in multiValueHeaders", () => {
    const event = proxyEvent(
      input({
        request: request(['X-Trace', 'a', 'Cookie', 'a=1', 'x-trace', 'b', 'cookie', 'b=2']),
      }),
    );
    expect(event.headers).toEqual({ 'X-Trace': 'b', Cookie: 'b=2' });
    expect(event.multiValueHeaders).toEqual({ 'X-Trace': ['a', 'b'], Cookie: ['a=1', 'b=2'] });
  });

  it('gives query parameters as null when there are none, else the last and all values', () => {
    expect(proxyEvent(input())).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
    const event = proxyEvent(
      input({ url: new URL('http://localhost/me/logs?limit=1&limit=2&x=') }),
    );
    expect(event.queryStringParameters).toEqual({ limit: '2', x: '' });
    expect(event.multiValueQueryStringParameters).toEqual({ limit: ['1', '2'], x: [''] });
  });

  it('hands an empty body over as null and a UTF-8 body as the same text, never base64', () => {
    expect(proxyEvent(input())).toMatchObject({ body: null, isBase64Encoded: false });
    const body = Buffer.from('{"name":"Zoë 😀"}');
    expect(proxyEvent(input({ body }))).toMatchObject({
      body: '{"name":"Zoë 😀"}',
      isBase64Encoded: false,
    });
  });

  it('hands bytes that are not UTF-8 over as U+FFFD, as API Gateway does, and never as base64', () => {
    // "a", FF FE, "b": each invalid byte becomes one U+FFFD.
    const event = proxyEvent(input({ body: Buffer.from([0x61, 0xff, 0xfe, 0x62]) }));
    expect(event).toMatchObject({ body: 'a\uFFFD\uFFFDb', isBase64Encoded: false });
    // A truncated sequence (E2 82 of "€") is one U+FFFD.
    expect(textBody(Buffer.from([0x7b, 0xe2, 0x82]))).toBe('{\uFFFD');
  });

  it('puts the authorizer claims, request id, stage and resource in requestContext', () => {
    const claims = { sub: 'abc', token_use: 'id' };
    const event = proxyEvent(input({ claims }));
    expect(event).toMatchObject({
      resource: '/me/logs/{id}',
      path: '/me/logs/123',
      httpMethod: 'POST',
      pathParameters: { id: '123' },
      stageVariables: null,
      requestContext: {
        accountId: '000000000000',
        authorizer: { claims },
        domainName: 'localhost:3000',
        httpMethod: 'POST',
        path: '/dev/me/logs/123',
        protocol: 'HTTP/1.1',
        requestId: 'request-1',
        resourcePath: '/me/logs/{id}',
        stage: 'dev',
        identity: { sourceIp: '127.0.0.1', userAgent: 'curl/8' },
      },
    });
  });

  it('leaves the authorizer out on public routes', () => {
    expect(proxyEvent(input()).requestContext).not.toHaveProperty('authorizer');
  });
});

describe('matchPath', () => {
  it.each([
    ['/me/logs/{id}', '/me/logs/abc', { id: 'abc' }],
    ['/me/logs/{id}', '/me/logs/abc/', { id: 'abc' }],
    ['/me/logs/{id}', '/me/logs/a%20b', { id: 'a b' }],
    ['/me/logs/{id}', '/me/logs/..%2F..%2Fx', { id: '../../x' }],
    ['/me/logs/{id}', '/me/logs/%E0%A4%A', { id: '%E0%A4%A' }],
    ['/files/{proxy+}', '/files/a/b/c', { proxy: 'a/b/c' }],
    ['/me', '/me', {}],
  ])('matches %s against %s', (template, path, parameters) => {
    expect(matchPath(template, path)).toEqual(parameters);
  });

  it.each([
    ['/me/logs/{id}', '/me/logs'],
    ['/me/logs/{id}', '/me/logs/a/b'],
    ['/me', '/me/profile'],
    ['/me.json', '/meXjson'],
  ])('does not match %s against %s', (template, path) => {
    expect(matchPath(template, path)).toBeUndefined();
  });
});
