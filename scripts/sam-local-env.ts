import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ENDPOINTS, declaredEnvironment } from '../local/function-environment';
import { planLocalStack } from '../local/plan';
import { PROJECT_ROOT } from '../sam/template';

/**
 * What `sam local invoke -e events/<event>.json --env-vars <env.json>` needs.
 *
 *   npx tsx scripts/sam-local-env.ts
 *     writes events/env.json: for each function, every variable template.yaml declares for it,
 *     with the values the local stack (npm start, default ports) gives it.
 *   npx tsx scripts/sam-local-env.ts --region <r> --user-pool-id <id> --client-id <id>
 *       --bucket <name> --sessions-table <name> --out <dir>
 *     writes <dir>/env.json for a deployed stack (its pool, client, bucket and sessions table; the endpoints
 *     empty, so the functions call AWS), and <dir>/<event>.json: the events with the claims of
 *     that pool and client, since the functions accept only ID tokens of their own client.
 *
 * `sam local invoke` overrides only the variables the template declares for the function and
 * leaves an import it cannot resolve empty: hence one section per function, all declared.
 */

export const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
export const ENV_FILE = path.join(EVENTS_DIR, 'env.json');

export type InvokeEnvironments = Record<string, Record<string, string>>;

/** events/env.json as the local stack's plan says it must be. */
export function localInvokeEnvironments(): InvokeEnvironments {
  const plan = planLocalStack();
  return Object.fromEntries(
    plan.functions.map((fn) => [
      fn.logicalId,
      declaredEnvironment(fn, DEFAULT_ENDPOINTS, plan.userPool.id),
    ]),
  );
}

export interface DeployedStack {
  region: string;
  userPoolId: string;
  clientId: string;
  bucket: string;
  sessionsTable: string;
}

/** The local environments with a deployed stack's pool, client and bucket, and AWS's endpoints. */
export function deployedInvokeEnvironments(
  local: InvokeEnvironments,
  stack: DeployedStack,
): InvokeEnvironments {
  const values: Record<string, string> = {
    USER_POOL_ID: stack.userPoolId,
    USER_POOL_CLIENT_ID: stack.clientId,
    USER_DATA_BUCKET: stack.bucket,
    SESSIONS_TABLE: stack.sessionsTable,
    COGNITO_ENDPOINT: '',
    S3_ENDPOINT: '',
    DYNAMODB_ENDPOINT: '',
    COGNITO_JWKS_URI: '',
  };
  return Object.fromEntries(
    Object.entries(local).map(([logicalId, environment]) => [
      logicalId,
      Object.fromEntries(
        Object.entries(environment).map(([name, value]) => [name, values[name] ?? value]),
      ),
    ]),
  );
}

/** An event of events/ with the claims a deployed pool's ID token for `clientId` would carry. */
export function deployedEvent(event: Record<string, unknown>, stack: DeployedStack): unknown {
  const claims = (
    event.requestContext as { authorizer?: { claims?: Record<string, string> } } | undefined
  )?.authorizer?.claims;
  if (!claims) return event;
  const copy = structuredClone(event) as { requestContext: { authorizer: { claims: object } } };
  copy.requestContext.authorizer.claims = {
    ...claims,
    aud: stack.clientId,
    iss: `https://cognito-idp.${stack.region}.amazonaws.com/${stack.userPoolId}`,
  };
  return copy;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function main(): void {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      'user-pool-id': { type: 'string' },
      'client-id': { type: 'string' },
      bucket: { type: 'string' },
      'sessions-table': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const local = localInvokeEnvironments();
  if (Object.values(values).every((value) => value === undefined)) {
    writeFileSync(ENV_FILE, json(local));
    console.log(`Wrote ${path.relative(PROJECT_ROOT, ENV_FILE)}`);
    return;
  }
  const { region, bucket, out } = values;
  const userPoolId = values['user-pool-id'];
  const clientId = values['client-id'];
  const sessionsTable = values['sessions-table'];
  if (!region || !userPoolId || !clientId || !bucket || !sessionsTable || !out) {
    throw new Error(
      'Give all of --region, --user-pool-id, --client-id, --bucket, --sessions-table and --out',
    );
  }
  const stack = { region, userPoolId, clientId, bucket, sessionsTable };
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'env.json'), json(deployedInvokeEnvironments(local, stack)));
  for (const file of readdirSync(EVENTS_DIR).filter((name) => name !== 'env.json')) {
    const event = JSON.parse(readFileSync(path.join(EVENTS_DIR, file), 'utf8'));
    writeFileSync(path.join(out, file), json(deployedEvent(event, stack)));
  }
  console.log(`Wrote env.json and the events for ${userPoolId} / ${clientId} to ${out}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
