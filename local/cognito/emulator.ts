import path from 'node:path';
import { answers, NodeChild } from '../child-process';
import { readJsonFile, writeJsonFile } from '../json-file';
import type { LocalPlan } from '../plan';
import { issuerDomain } from './discovery';

/**
 * cognito-local (jagregory/cognito-local) as a child process, its pool and client written from
 * the plan before it starts (it loads `db/<poolId>.json` and `db/clients.json` at start).
 * Users, their passwords and refresh tokens persist in `<dir>/.cognito/db` across restarts;
 * the pool options and the client are rewritten from the templates every start.
 */

// cognito-local's own defaults for a new pool (the standard attributes); the template's
// Schema overrides them the way cognito-local's CreateUserPool merges a request's Schema.
const { USER_POOL_AWS_DEFAULTS } = require('cognito-local/lib/services/cognitoService') as {
  USER_POOL_AWS_DEFAULTS: { SchemaAttributes: { Name: string }[] };
};

interface PoolFile {
  Users?: Record<string, unknown>;
  Groups?: Record<string, unknown>;
  Options?: Record<string, unknown>;
}

export function seedCognitoLocal(dir: string, plan: LocalPlan): void {
  const db = path.join(dir, '.cognito', 'db');
  const poolFile = path.join(db, `${plan.userPool.id}.json`);
  const existing = readJsonFile<PoolFile>(poolFile, {});
  const props = plan.userPool.properties;
  const schema = (props.Schema as { Name: string }[] | undefined) ?? [];
  const overrides = new Map(schema.map((attribute) => [attribute.Name, attribute]));
  const now = new Date().toISOString();
  writeJsonFile(poolFile, {
    Users: existing.Users ?? {},
    ...(existing.Groups ? { Groups: existing.Groups } : {}),
    Options: {
      ...props,
      Schema: undefined,
      Id: plan.userPool.id,
      Arn: plan.userPool.arn,
      Name: plan.userPool.name,
      SchemaAttributes: USER_POOL_AWS_DEFAULTS.SchemaAttributes.map((attribute) => ({
        ...attribute,
        ...overrides.get(attribute.Name),
      })),
      // CloudFormation turns EnabledMfas into SetUserPoolMfaConfig's setting, which is what
      // cognito-local's GetUserPoolMfaConfig reads.
      SoftwareTokenMfaConfiguration: {
        Enabled: ((props.EnabledMfas as string[] | undefined) ?? []).includes('SOFTWARE_TOKEN_MFA'),
      },
      CreationDate: (existing.Options?.CreationDate as string | undefined) ?? now,
      LastModifiedDate: now,
    },
  });
  // Correction 10: the token lifetimes are the client's (cognito-local's defaults are 24 h,
  // 24 h and 7 days), so the client is written whole, as the template declares it.
  writeJsonFile(path.join(db, 'clients.json'), {
    Clients: {
      [plan.client.ClientId]: { ...plan.client, CreationDate: now, LastModifiedDate: now },
    },
  });
  // The issuer real Cognito uses, so aws-jwt-verify's CognitoJwtVerifier accepts local tokens.
  writeJsonFile(path.join(dir, '.cognito', 'config.json'), {
    TokenConfig: { IssuerDomain: issuerDomain(plan.region) },
  });
}

export function cognitoLocal(
  dir: string,
  port: number,
  logFile: string,
  onCrash: (message: string) => void,
): NodeChild {
  return new NodeChild({
    name: 'cognito-local',
    args: [require.resolve('cognito-local/lib/bin/start.js')],
    cwd: dir,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), NODE_NO_WARNINGS: '1' },
    logFile,
    // cognito-local prints the codes it makes up itself (unused: the mailbox's codes are the
    // real ones); no code belongs in a log.
    redact: (line) => line.replace(/(Code:\s+)\d+/, '$1[redacted]'),
    ready: () => answers(`http://127.0.0.1:${port}/health`),
    onCrash,
  });
}
