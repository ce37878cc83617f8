import { mkdirSync } from 'node:fs';
import aws4 from 'aws4';
import { answers, NodeChild } from '../child-process';
import type { LocalTable } from '../plan';

/**
 * dynalite (the Architect team's DynamoDB emulator on LevelDB) as the local DynamoDB. Data
 * persists under `dir`. It accepts any credentials and checks no signature, so the functions'
 * local credentials (s3rver's) do. What it does not do, and why that is fine here:
 * - Time to live: `UpdateTimeToLive` does not exist and items never expire. Nothing depends on
 *   expiry for correctness: an item outliving its TTL governs only tokens that have expired.
 * - Encryption at rest (`SSESpecification`) and billing modes are accepted and mean nothing.
 * - Tables stay CREATING for a while unless told otherwise: started with --createTableMs 0.
 */
export function dynalite(
  dir: string,
  port: number,
  logFile: string,
  onCrash: (message: string) => void,
): NodeChild {
  mkdirSync(dir, { recursive: true });
  return new NodeChild({
    name: 'dynalite',
    args: [
      require.resolve('dynalite/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--path',
      dir,
      '--createTableMs',
      '0',
    ],
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' },
    logFile,
    ready: () => answers(`http://127.0.0.1:${port}/`),
    onCrash,
  });
}

/**
 * Creates the table as the auth stack declares it (key schema, attributes, billing), unless a
 * previous run already did. The properties dynalite cannot take are left out (see above).
 */
export async function createTable(endpoint: string, table: LocalTable): Promise<void> {
  const { AttributeDefinitions, KeySchema, BillingMode } = table.properties;
  const call = localDynamoDb(endpoint);
  const described = await call('DescribeTable', { TableName: table.name });
  if (described.ok) return;
  const created = await call('CreateTable', {
    TableName: table.name,
    AttributeDefinitions,
    KeySchema,
    BillingMode,
  });
  if (!created.ok) throw new Error(`The local DynamoDB refused the table: ${await created.text()}`);
}

function localDynamoDb(endpoint: string) {
  const { host } = new URL(endpoint);
  return (operation: string, input: object) => {
    const body = JSON.stringify(input);
    // dynalite checks that requests are signed, not by whom.
    const { headers } = aws4.sign(
      {
        host,
        path: '/',
        method: 'POST',
        service: 'dynamodb',
        region: 'us-east-1',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        },
        body,
      },
      { accessKeyId: 'local', secretAccessKey: 'local' },
    );
    return fetch(endpoint, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]),
      ),
      body,
      signal: AbortSignal.timeout(5_000),
    });
  };
}
