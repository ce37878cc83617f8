import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import { dynamoDbEndpoint } from '../../../src/sessions/dynamodb';

describe("DynamoDB's endpoint", () => {
  it('is the regional HTTPS endpoint on AWS (OWASP ASVS 12.2.1), China included', () => {
    expect(dynamoDbEndpoint('eu-west-1', undefined).href).toBe(
      'https://dynamodb.eu-west-1.amazonaws.com/',
    );
    expect(dynamoDbEndpoint('cn-north-1', undefined).href).toBe(
      'https://dynamodb.cn-north-1.amazonaws.com.cn/',
    );
  });

  it('is the local one only when DYNAMODB_ENDPOINT says so', () => {
    expect(dynamoDbEndpoint('us-east-1', 'http://127.0.0.1:4567').href).toBe(
      'http://127.0.0.1:4567/',
    );
  });
});

describe('calls to DynamoDB', () => {
  const INPUT = { TableName: 't', Key: { sub: { S: 's' } } };

  /** One GetItem as a stand-in for DynamoDB received it, with `env` set meanwhile. */
  async function requestSent(
    env: Record<string, string | undefined>,
  ): Promise<{ headers: IncomingHttpHeaders; body: string }> {
    let headers: IncomingHttpHeaders = {};
    let body = '';
    const server = createServer((request, response) => {
      headers = request.headers;
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => response.writeHead(200).end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const changed = { ...env, DYNAMODB_ENDPOINT: endpoint };
    const saved = Object.fromEntries(Object.keys(changed).map((name) => [name, process.env[name]]));
    const set = (values: Record<string, string | undefined>) => {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    set(changed);
    try {
      await jest.isolateModulesAsync(async () => {
        const { callDynamoDb } = await import('../../../src/sessions/dynamodb');
        await callDynamoDb('GetItem', INPUT);
      });
    } finally {
      set(saved);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return { headers, body };
  }

  it("signs with the session token Lambda gives the role's temporary credentials", async () => {
    const { headers } = await requestSent({ AWS_SESSION_TOKEN: 'role-session-token' });
    expect(headers['x-amz-security-token']).toBe('role-session-token');
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
  });

  it('sends no session token with long-term credentials', async () => {
    const { headers } = await requestSent({ AWS_SESSION_TOKEN: undefined });
    expect(headers['x-amz-security-token']).toBeUndefined();
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
  });

  it('signs exactly as another SigV4 implementation (aws4) signs the same request', async () => {
    const { headers, body } = await requestSent({
      AWS_ACCESS_KEY_ID: 'not-a-real-key-id',
      AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-access-key',
      AWS_SESSION_TOKEN: 'role-session-token',
    });
    expect(JSON.parse(body)).toEqual(INPUT);
    const authorization = String(headers.authorization);
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    expect(signedNames).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'x-amz-security-token']),
    );
    // Every header the signer signed, as the server received it, signed again by aws4.
    const resigned = aws4.sign(
      {
        host: String(headers.host),
        path: '/',
        method: 'POST',
        service: 'dynamodb',
        region: process.env.AWS_REGION,
        headers: Object.fromEntries(
          signedNames
            .filter((name) => name !== 'host')
            .map((name) => [name, String(headers[name])]),
        ),
        body,
      },
      {
        accessKeyId: 'not-a-real-key-id',
        secretAccessKey: 'not-a-real-secret-access-key',
        sessionToken: 'role-session-token',
      },
    );
    expect(authorization).toBe(resigned.headers?.Authorization);
  });
});
