import { AwsClient } from 'aws4fetch';
import { ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS } from '../aws-clients';
import { config } from '../config';

/**
 * DynamoDB's JSON protocol over a SigV4-signed `fetch` (aws4fetch), for the two calls the
 * session record needs. The SDK's DynamoDB client would add about 150 KiB to every protected
 * function, most of which never needed an SDK at all (README, Performance). Same deadlines and
 * failure classes as the SDK clients (../aws-clients.ts): 2 attempts of at most 3 s each,
 * retrying what the SDK retries (no answer, throttling, a 5xx).
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

let signer: AwsClient | undefined;

function awsClient(): AwsClient {
  // Lambda gives every execution environment its role's credentials in these variables.
  signer ??= new AwsClient({
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
    ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    service: 'dynamodb',
    region: config.region,
    retries: 0,
  });
  return signer;
}

/** DynamoDB's regional endpoint (China's regions have their own domain), or the local one. */
export function dynamoDbEndpoint(region: string, override: string | undefined): string {
  if (override) return override;
  return `https://dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
}

export async function callDynamoDb<T>(operation: DynamoDbOperation, input: object): Promise<T> {
  const url = dynamoDbEndpoint(config.region, config.dynamoDbEndpoint);
  const body = JSON.stringify(input);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptCall<T>(url, operation, body);
    } catch (error) {
      const retryable =
        !(error instanceof DynamoDbError) ||
        error.status >= 500 ||
        RETRYABLE_TYPES.has(error.type);
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function attemptCall<T>(url: string, operation: DynamoDbOperation, body: string) {
  const response = await awsClient().fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
    },
    body,
    signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as T;
  let type = 'UnknownError';
  try {
    // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    type = String((JSON.parse(text) as { __type?: unknown }).__type ?? type).replace(/^.*#/, '');
  } catch {
    // a body that is not JSON (a proxy's error page): the status says enough
  }
  throw new DynamoDbError(type, response.status);
}
