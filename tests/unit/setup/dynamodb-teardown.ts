import type { Server } from 'node:http';

export default async function stopDynamoDb(): Promise<void> {
  const server = (globalThis as { unitDynamoDb?: Server }).unitDynamoDb;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
