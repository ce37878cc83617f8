import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * An administrator disables or deletes an account, and every session of it ends at once at
 * every API stack of the pool (OWASP ASVS 7.4.2):
 *
 *   npx tsx scripts/admin-user.ts disable you@example.com --auth-stack cognito-password-auth-dev
 *   npx tsx scripts/admin-user.ts delete  you@example.com --auth-stack cognito-password-auth-dev
 *   npx tsx scripts/admin-user.ts disable you@example.com --local   # the running npm start
 *
 * The pool and the sessions table come from the auth stack's outputs (the AWS CLI's
 * `cloudformation describe-stacks`, with your credentials and AWS_DEFAULT_REGION), or from
 * the local stack's outputs.json (LOCAL_DATA_DIR, default .local/). In order: the user's `sub`;
 * disable (so no new sign-in can start); Cognito revokes every refresh token
 * (AdminUserGlobalSignOut); for delete, the user is deleted; then the session record ends every
 * session (or marks the account deleted), which every protected route checks. The record is
 * written by the API's own code (src/sessions/), with the credentials Cognito's client found.
 */

interface Target {
  region: string;
  userPoolId: string;
  sessionsTable: string;
  cognitoEndpoint?: string;
  dynamoDbEndpoint?: string;
}

const run = promisify(execFile);

async function fromAuthStack(stackName: string): Promise<Target> {
  const { stdout } = await run('aws', [
    'cloudformation',
    'describe-stacks',
    '--stack-name',
    stackName,
    '--query',
    'Stacks[0].Outputs',
    '--output',
    'json',
  ]);
  const outputs = Object.fromEntries(
    (JSON.parse(stdout) as { OutputKey: string; OutputValue: string }[]).map((output) => [
      output.OutputKey,
      output.OutputValue,
    ]),
  );
  const region = process.env.AWS_DEFAULT_REGION ?? process.env.AWS_REGION;
  if (!region || !outputs.UserPoolId || !outputs.SessionsTableName) {
    throw new Error(
      `Set AWS_DEFAULT_REGION; ${stackName} must output UserPoolId and SessionsTableName`,
    );
  }
  return { region, userPoolId: outputs.UserPoolId, sessionsTable: outputs.SessionsTableName };
}

function fromLocalStack(outputsFile: string): Target {
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, string>;
  const loopback = (url = '') => url.replace('//localhost:', '//127.0.0.1:');
  return {
    region: String(outputs.Region),
    userPoolId: String(outputs.UserPoolId),
    sessionsTable: String(outputs.SessionsTableName),
    cognitoEndpoint: loopback(outputs.CognitoEndpoint),
    dynamoDbEndpoint: loopback(outputs.DynamoDbEndpoint),
  };
}

export async function adminEndAccount(
  action: 'disable' | 'delete',
  email: string,
  target: Target,
): Promise<string> {
  const cognito = new CognitoIdentityProviderClient({
    region: target.region,
    ...(target.cognitoEndpoint ? { endpoint: target.cognitoEndpoint } : {}),
    maxAttempts: 2,
  });
  const user = { UserPoolId: target.userPoolId, Username: email };
  const found = await cognito.send(new AdminGetUserCommand(user));
  const sub = found.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!sub) throw new Error(`${email} has no sub`);
  await cognito.send(new AdminDisableUserCommand(user));
  await cognito.send(new AdminUserGlobalSignOutCommand(user));
  if (action === 'delete') await cognito.send(new AdminDeleteUserCommand(user));

  // The API's session code reads its configuration from the environment, as in a function.
  const credentials = await cognito.config.credentials();
  Object.assign(process.env, {
    AWS_REGION: target.region,
    SESSIONS_TABLE: target.sessionsTable,
    DYNAMODB_ENDPOINT: target.dynamoDbEndpoint ?? '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
    // Only the record's lifetime depends on it: the longest the client allows (template.yaml).
    REFRESH_TOKEN_VALIDITY_DAYS: '3650',
  });
  const sessions = await import('../src/sessions/sessions');
  if (action === 'delete') await sessions.markUserDeleted(sub.toLowerCase());
  else await sessions.endAllSessions(sub.toLowerCase());
  return sub;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'auth-stack': { type: 'string' }, local: { type: 'boolean' } },
  });
  const [action, email] = positionals;
  if ((action !== 'disable' && action !== 'delete') || !email) {
    throw new Error(
      'Usage: scripts/admin-user.ts disable|delete <email> (--auth-stack <name> | --local)',
    );
  }
  const authStack = values['auth-stack'];
  let target: Target;
  if (authStack) target = await fromAuthStack(authStack);
  else if (values.local) {
    const dataDir = path.resolve(
      process.env.LOCAL_DATA_DIR ?? path.join(__dirname, '..', '.local'),
    );
    target = fromLocalStack(path.join(dataDir, 'outputs.json'));
  } else throw new Error('Name the pool: --auth-stack <name>, or --local for npm start');
  const sub = await adminEndAccount(action, email, target);
  console.log(
    `${action === 'delete' ? 'Deleted' : 'Disabled'} ${sub}; every session of it has ended.`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
