import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One in-memory dynalite for the whole unit run (the protected handlers read the session
 * record on every request): its address goes to DYNAMODB_ENDPOINT, which the test files'
 * processes inherit. Each test file gets a table of its own (sessions-table.ts).
 */
export default async function startDynamoDb(): Promise<void> {
  const dynalite = require('dynalite') as (options: object) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  // Never close an idle keep-alive connection from this side: a test that holds the event loop
  // for seconds (the common-password list) lets both ends' idle timers fire at once, and a
  // request sent on a socket the server is closing fails with ECONNRESET. Clients close theirs.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (globalThis as { unitDynamoDb?: Server }).unitDynamoDb = server;
}
