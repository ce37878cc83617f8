import { randomUUID } from 'node:crypto';
import { createTable } from '../../../local/dynamodb/emulator';
import { AUTH_TEMPLATE, loadTemplate } from '../../../sam/template';

/**
 * A sessions table of this test file's own, on the run's dynalite (dynamodb.ts), created as
 * auth-stack.yaml declares it: test files run in parallel and end sessions, so they must not
 * share records.
 */
const table = Object.values(loadTemplate(AUTH_TEMPLATE).Resources).find(
  (resource) => resource.Type === 'AWS::DynamoDB::Table',
);
process.env.SESSIONS_TABLE = `sessions-${randomUUID()}`;

beforeAll(async () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint || !table) throw new Error('no unit dynalite, or no table in auth-stack.yaml');
  await createTable(endpoint, {
    logicalId: 'SessionsTable',
    name: String(process.env.SESSIONS_TABLE),
    arn: '',
    properties: table.Properties ?? {},
  });
});
