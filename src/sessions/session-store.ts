import { config } from '../config';
import { type ApiError, internalError, serviceUnavailable } from '../errors';
import { logger } from '../logger';
import { callDynamoDb, DynamoDbError } from './dynamodb';
import { EMPTY_RECORD, type SessionRecord } from './session-record';

/**
 * The session records in the auth stack's DynamoDB table, one item per user keyed by `sub`.
 * Reads are strongly consistent: a session ended by a 2xx must be refused by the next request,
 * which an eventually consistent read does not promise. Writes read the item, apply a rule of
 * session-record.ts and put it back on the condition that nobody wrote it meanwhile (a
 * `version` attribute), retrying a lost race, so concurrent writers never undo each other.
 */

type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { SS: string[] }
  | { M: Record<string, AttributeValue> };
type Item = Record<string, AttributeValue>;

interface StoredRecord {
  record: SessionRecord;
  version: number;
}

const MAX_WRITE_RACES = 5;

export async function readSessionRecord(sub: string): Promise<SessionRecord> {
  return (await read(sub)).record;
}

/**
 * Applies `change` to the user's record; `change` answers undefined when there is nothing to
 * write. Answers the record as written (or as read, when nothing was written).
 */
export async function changeSessionRecord(
  sub: string,
  change: (record: SessionRecord) => SessionRecord | undefined,
): Promise<SessionRecord> {
  for (let race = 0; ; race += 1) {
    const { record, version } = await read(sub);
    const next = change(record);
    if (!next) return record;
    try {
      await callDynamoDb('PutItem', {
        TableName: config.sessionsTable,
        Item: { ...toItem(sub, next), version: { N: String(version + 1) } },
        ConditionExpression: version === 0 ? 'attribute_not_exists(#sub)' : '#version = :version',
        ExpressionAttributeNames: version === 0 ? { '#sub': 'sub' } : { '#version': 'version' },
        ...(version === 0
          ? {}
          : { ExpressionAttributeValues: { ':version': { N: String(version) } } }),
      });
      return next;
    } catch (error) {
      const lostRace =
        error instanceof DynamoDbError && error.type === 'ConditionalCheckFailedException';
      if (!lostRace) throw mapStoreError(error, 'PutItem');
      if (race >= MAX_WRITE_RACES) {
        // Other writers of the same record won every time: contention, which passes; the
        // client is told to send the request again, as for any dependency that is busy.
        logger.error('session store write lost every race', {
          operation: 'PutItem',
          dynamoDbError: error.type,
          races: race + 1,
        });
        throw serviceUnavailable('session');
      }
    }
  }
}

async function read(sub: string): Promise<StoredRecord> {
  let output: { Item?: Item };
  try {
    output = await callDynamoDb<{ Item?: Item }>('GetItem', {
      TableName: config.sessionsTable,
      Key: { sub: { S: sub } },
      ConsistentRead: true,
    });
  } catch (error) {
    throw mapStoreError(error, 'GetItem');
  }
  return output.Item ? fromItem(output.Item) : { record: EMPTY_RECORD, version: 0 };
}

/** Fails closed: a record that cannot be read never lets a request through. */
function mapStoreError(error: unknown, operation: string): ApiError {
  const status = error instanceof DynamoDbError ? error.status : undefined;
  const type = error instanceof DynamoDbError ? error.type : (error as Error | undefined)?.name;
  const log = { operation, dynamoDbError: type, httpStatusCode: status };
  const throttled =
    type === 'ThrottlingException' || type === 'ProvisionedThroughputExceededException';
  if (status === undefined || status >= 500 || throttled) {
    logger.error('session store call failed', log);
    return serviceUnavailable('session');
  }
  logger.error('session store call rejected', log);
  return internalError();
}

export function toItem(sub: string, record: SessionRecord): Item {
  const origins = Object.entries(record.revokedOrigins);
  return {
    sub: { S: sub },
    notBefore: { N: String(record.notBefore) },
    // A string set cannot be empty: an empty one is left out.
    ...(record.keepOrigins.length > 0 ? { keepOrigins: { SS: record.keepOrigins } } : {}),
    revokedOrigins: {
      M: Object.fromEntries(origins.map(([origin, until]) => [origin, { N: String(until) }])),
    },
    deleted: { BOOL: record.deleted },
    expiresAt: { N: String(record.expiresAt) },
  };
}

export function fromItem(item: Item): StoredRecord {
  const number = (value: AttributeValue | undefined) =>
    value && 'N' in value ? Number(value.N) : 0;
  const revoked = item.revokedOrigins && 'M' in item.revokedOrigins ? item.revokedOrigins.M : {};
  return {
    record: {
      notBefore: number(item.notBefore),
      keepOrigins: item.keepOrigins && 'SS' in item.keepOrigins ? item.keepOrigins.SS : [],
      revokedOrigins: Object.fromEntries(
        Object.entries(revoked).map(([origin, until]) => [origin, number(until)]),
      ),
      deleted: item.deleted !== undefined && 'BOOL' in item.deleted && item.deleted.BOOL,
      expiresAt: number(item.expiresAt),
    },
    version: number(item.version),
  };
}
