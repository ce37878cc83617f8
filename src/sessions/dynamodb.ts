import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS } from '../aws-clients';
import { config } from '../config';

/**
 * DynamoDB's JSON protocol, signed with SigV4 by the SDK's own signer (@smithy/signature-v4,
 * already in every function that has an SDK client) and sent with node:https, for the two
 * calls the session record needs. Measured for one cold GetItem (README, Performance): the
 * SDK's DynamoDB client is 332 KiB and ~85 ms of CPU; a `fetch` signed by aws4fetch is 8 KiB
 * but ~68 ms, most of it node loading its fetch implementation on first use; a signer with
 * node:https, ~22 ms. Same deadlines and failure classes as the SDK clients
 * (../aws-clients.ts): 2 attempts of at most 3 s each, retrying what the SDK retries (no
 * answer, throttling, a 5xx).
 */

export type DynamoDbOperation = 'GetItem' | 'PutItem';

/** DynamoDB answered with an error: its type (`ConditionalCheckFailedException`, …) and status. */
export class DynamoDbError extends Error {
  override readonly name = 'DynamoDbError';

  constructor(
    readonly type: string,
    readonly status: number,
  ) {
    super(`DynamoDB answered ${status} ${type}`);
  }
}

const RETRYABLE_TYPES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

/** DynamoDB's regional endpoint (China's regions have their own domain), or the local one. */
export function dynamoDbEndpoint(region: string, override: string | undefined): URL {
  if (override) return new URL(override);
  return new URL(
    `https://dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`,
  );
}

export async function callDynamoDb<T>(operation: DynamoDbOperation, input: object): Promise<T> {
  const endpoint = dynamoDbEndpoint(config.region, config.dynamoDbEndpoint);
  const body = JSON.stringify(input);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return JSON.parse(await attemptCall(endpoint, operation, body)) as T;
    } catch (error) {
      const retryable =
        !(error instanceof DynamoDbError) || error.status >= 500 || RETRYABLE_TYPES.has(error.type);
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function attemptCall(
  endpoint: URL,
  operation: DynamoDbOperation,
  body: string,
): Promise<string> {
  const { headers } = await signer().sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: endpoint.pathname,
    query: {},
    headers: {
      host: endpoint.host,
      'content-length': String(Buffer.byteLength(body)),
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    body,
  });
  const send = endpoint.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        hostname: endpoint.hostname,
        port: endpoint.port || undefined,
        path: endpoint.pathname,
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text);
          else reject(new DynamoDbError(errorType(text), status));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

let cachedSigner: SignatureV4 | undefined;

/** One signer per execution environment, holding the role's credentials and derived keys. */
function signer(): SignatureV4 {
  cachedSigner ??= new SignatureV4({
    service: 'dynamodb',
    region: config.region,
    // Lambda gives every execution environment its role's credentials in these variables.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    },
    // The hash the SDK's own clients sign with on node.
    sha256: Hash.bind(null, 'sha256'),
  });
  return cachedSigner;
}

/** "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" → its last part. */
function errorType(text: string): string {
  try {
    const type = (JSON.parse(text) as { __type?: unknown }).__type;
    if (typeof type === 'string') return type.replace(/^.*#/, '');
  } catch {
    // a body that is not JSON (a proxy's error page): the status says enough
  }
  return 'UnknownError';
}
