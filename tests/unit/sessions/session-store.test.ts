import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_RECORD, type SessionRecord } from '../../../src/sessions/session-record';
import { fromItem, readSessionRecord, toItem } from '../../../src/sessions/session-store';
import { logLines } from '../fixtures';

type Answer = { status: number; body: string };
const dynamoDbError = (status: number, type: string): Answer => ({
  status,
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'x' }),
});

/**
 * The session store against a stand-in for DynamoDB on loopback that answers each call with
 * `answer(operation)`, loaded afresh so that DYNAMODB_ENDPOINT points at it. Answers what the
 * store call did (its value, or the status and code of its ApiError) and the operations sent.
 */
async function againstDynamoDb(
  answer: (operation: string) => Answer,
  call: (store: typeof import('../../../src/sessions/session-store')) => Promise<unknown>,
) {
  const operations: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target']).replace(/^.*\./, '');
      operations.push(operation);
      const { status, body } = answer(operation);
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const saved = process.env.DYNAMODB_ENDPOINT;
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    let result: unknown;
    await jest.isolateModulesAsync(async () => {
      const store = await import('../../../src/sessions/session-store');
      const { ApiError } = await import('../../../src/errors');
      result = await call(store).then(
        (value) => ({ value }),
        (error: unknown) => {
          if (error instanceof ApiError) return { status: error.statusCode, code: error.code };
          throw error;
        },
      );
    });
    return { result, operations };
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const readRecord = (store: typeof import('../../../src/sessions/session-store')) =>
  store.readSessionRecord(randomUUID());

describe('the session store when DynamoDB answers with an error (fails closed)', () => {
  it.each([
    ['throttles the call', dynamoDbError(400, 'ThrottlingException')],
    ['has no throughput left', dynamoDbError(400, 'ProvisionedThroughputExceededException')],
    ['fails on its side', dynamoDbError(500, 'InternalServerError')],
    ['is behind a proxy that answers a page, not JSON', { status: 502, body: '<html>' }],
    ['answers an error without a type', { status: 503, body: '{}' }],
  ])('answers 503 when DynamoDB %s, after one retry', async (_kind, answer) => {
    const { result, operations } = await againstDynamoDb(() => answer, readRecord);
    expect(result).toEqual({ status: 503, code: 'ServiceUnavailable' });
    expect(operations).toEqual(['GetItem', 'GetItem']);
    expect(logLines().at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'session store call failed',
      operation: 'GetItem',
      httpStatusCode: answer.status,
    });
  });

  it('answers 500 when DynamoDB rejects the call itself (a missing table), without retrying', async () => {
    const { result, operations } = await againstDynamoDb(
      () => dynamoDbError(400, 'ResourceNotFoundException'),
      readRecord,
    );
    expect(result).toEqual({ status: 500, code: 'InternalError' });
    expect(operations).toEqual(['GetItem']);
    expect(logLines().at(-1)).toMatchObject({
      message: 'session store call rejected',
      operation: 'GetItem',
      dynamoDbError: 'ResourceNotFoundException',
      httpStatusCode: 400,
    });
  });

  it('retries a write that lost the race to another writer five times, then answers 503 (send it again)', async () => {
    const { result, operations } = await againstDynamoDb(
      (operation) =>
        operation === 'GetItem'
          ? { status: 200, body: '{}' }
          : dynamoDbError(400, 'ConditionalCheckFailedException'),
      (store) => store.changeSessionRecord(randomUUID(), (record) => ({ ...record, notBefore: 1 })),
    );
    expect(result).toEqual({ status: 503, code: 'ServiceUnavailable' });
    expect(operations.filter((operation) => operation === 'PutItem')).toHaveLength(6);
    expect(operations.filter((operation) => operation === 'GetItem')).toHaveLength(6);
    expect(logLines().at(-1)).toMatchObject({
      message: 'session store write lost every race',
      operation: 'PutItem',
      dynamoDbError: 'ConditionalCheckFailedException',
      races: 6,
    });
  });

  it('writes nothing when the change has nothing to write', async () => {
    const { result, operations } = await againstDynamoDb(
      () => ({ status: 200, body: '{}' }),
      (store) => store.changeSessionRecord(randomUUID(), () => undefined),
    );
    expect(result).toEqual({ value: EMPTY_RECORD });
    expect(operations).toEqual(['GetItem']);
  });
});

describe('session items', () => {
  it('read back as the record they were written from', () => {
    const record: SessionRecord = {
      notBefore: 1_700_000_001,
      keepOrigins: ['kept'],
      revokedOrigins: { ended: 1_700_086_400 },
      deleted: false,
      expiresAt: 1_702_592_000,
    };
    expect(fromItem({ ...toItem('sub', record), version: { N: '3' } })).toEqual({
      record,
      version: 3,
    });
  });

  it('read with defaults for attributes an item lacks (an item written before they existed)', () => {
    expect(fromItem({ sub: { S: 'sub' } })).toEqual({ record: EMPTY_RECORD, version: 0 });
  });

  it('read alike with an attribute no rule uses any more (cutAtMs, which earlier versions wrote)', () => {
    const item = toItem('sub', { ...EMPTY_RECORD, notBefore: 1_700_000_001 });
    expect(fromItem({ ...item, cutAtMs: { N: '1700000000500' } })).toEqual(fromItem(item));
  });

  it('of a user nobody wrote read as the empty record', async () => {
    await expect(readSessionRecord(randomUUID())).resolves.toEqual(EMPTY_RECORD);
  });
});
