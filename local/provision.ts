import type { PasswordPolicy } from '../src/auth/password-policy';
import {
  API_TEMPLATE,
  type ApiRoute,
  AUTH_TEMPLATE,
  loadTemplate,
  type SamFunction,
  Stack,
  samFunctions,
} from './template';

/**
 * Everything the local stack creates, read from the two templates as CloudFormation would
 * deploy them (parameter defaults, conditions, imports): the pool as auth-stack.yaml declares
 * it, the client and the bucket as template.yaml declares them, each function's environment,
 * routes and gateway responses. Nothing about them is restated here.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const AUTH_STACK_NAME = 'local-auth';
export const API_STACK_NAME = 'local-api';
/** AWS-shaped and stable, so production token checks run unchanged and events/env.json works. */
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_LocalPool`;
export const LOCAL_CLIENT_ID = 'localapiclientid0000000001';

export interface LocalClient {
  ClientId: string;
  ClientName: string;
  UserPoolId: string;
  ExplicitAuthFlows: string[];
  PreventUserExistenceErrors: string;
  EnableTokenRevocation: boolean;
  GenerateSecret: boolean;
  IdTokenValidity: number;
  AccessTokenValidity: number;
  RefreshTokenValidity: number;
  TokenValidityUnits: { IdToken: string; AccessToken: string; RefreshToken: string };
  AuthSessionValidity: number;
  ReadAttributes?: string[];
  WriteAttributes?: string[];
}

export interface LocalFunction extends SamFunction {
  /** The environment the template gives the function, resolved. */
  resolvedEnvironment: Record<string, string>;
}

export interface GatewayResponseSpec {
  statusCode?: number;
  headers: Record<string, string>;
  template?: string;
}

export interface LocalPlan {
  region: string;
  userPool: { id: string; arn: string; name: string; properties: Record<string, unknown> };
  passwordPolicy: PasswordPolicy;
  client: LocalClient;
  buckets: { logicalId: string; name: string }[];
  functions: LocalFunction[];
  routes: (ApiRoute & { fn: LocalFunction })[];
  stageName: string;
  allowedOrigins: string[];
  gatewayResponses: Record<string, GatewayResponseSpec>;
  /** The Outputs of both stacks that make sense locally, resolved. */
  authOutputs: Record<string, string>;
}

export interface PlanOptions {
  /** API stack parameter overrides (for example AllowedOrigins). */
  apiParameters?: Record<string, string>;
}

const numberOf = (value: unknown, what: string) => {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`${what} is not a number`);
  return number;
};

export function planLocalStack(options: PlanOptions = {}): LocalPlan {
  const authStack = new Stack(loadTemplate(AUTH_TEMPLATE), {
    stackName: AUTH_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
  });
  const [poolLogicalId, pool] = authStack.single('AWS::Cognito::UserPool');
  const userPoolArn = `arn:aws:cognito-idp:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:userpool/${LOCAL_USER_POOL_ID}`;
  authStack.resources.set(poolLogicalId, {
    ref: LOCAL_USER_POOL_ID,
    attributes: {
      Arn: userPoolArn,
      UserPoolId: LOCAL_USER_POOL_ID,
      ProviderName: `cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`,
    },
  });
  const poolProperties = authStack.resolve(pool.Properties) as Record<string, unknown>;
  if (poolProperties.LambdaConfig) {
    throw new Error(
      'The local stack does not run Cognito Lambda triggers: leave AutoConfirmSignUps off locally',
    );
  }
  const policy = (poolProperties.Policies as { PasswordPolicy: Record<string, unknown> })
    .PasswordPolicy;
  const passwordPolicy: PasswordPolicy = {
    minLength: numberOf(policy.MinimumLength, 'MinimumLength'),
    lowercase: String(policy.RequireLowercase) === 'true',
    uppercase: String(policy.RequireUppercase) === 'true',
    numbers: String(policy.RequireNumbers) === 'true',
    symbols: String(policy.RequireSymbols) === 'true',
  };

  const apiTemplate = loadTemplate(API_TEMPLATE);
  const apiStack = new Stack(apiTemplate, {
    stackName: API_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    parameters: { AuthStackName: AUTH_STACK_NAME, ...options.apiParameters },
    imports: authStack.exports(),
  });

  const [clientLogicalId, client] = apiStack.single('AWS::Cognito::UserPoolClient');
  apiStack.resources.set(clientLogicalId, { ref: LOCAL_CLIENT_ID });
  const c = apiStack.resolve(client.Properties) as Record<string, unknown>;
  const localClient: LocalClient = {
    ClientId: LOCAL_CLIENT_ID,
    ClientName: String(c.ClientName),
    UserPoolId: String(c.UserPoolId),
    ExplicitAuthFlows: (c.ExplicitAuthFlows as string[]) ?? [],
    PreventUserExistenceErrors: String(c.PreventUserExistenceErrors ?? 'LEGACY'),
    EnableTokenRevocation: c.EnableTokenRevocation !== false,
    GenerateSecret: c.GenerateSecret === true,
    IdTokenValidity: numberOf(c.IdTokenValidity ?? 60, 'IdTokenValidity'),
    AccessTokenValidity: numberOf(c.AccessTokenValidity ?? 60, 'AccessTokenValidity'),
    RefreshTokenValidity: numberOf(c.RefreshTokenValidity ?? 30, 'RefreshTokenValidity'),
    TokenValidityUnits: {
      IdToken: 'hours',
      AccessToken: 'hours',
      RefreshToken: 'days',
      ...(c.TokenValidityUnits as object | undefined),
    },
    AuthSessionValidity: numberOf(c.AuthSessionValidity ?? 3, 'AuthSessionValidity'),
    ...(c.ReadAttributes ? { ReadAttributes: c.ReadAttributes as string[] } : {}),
    ...(c.WriteAttributes ? { WriteAttributes: c.WriteAttributes as string[] } : {}),
  };
  if (localClient.GenerateSecret)
    throw new Error('The local stack supports only clients without a secret');
  if (localClient.UserPoolId !== LOCAL_USER_POOL_ID)
    throw new Error('The client must belong to the imported pool');

  const buckets = apiStack.resourcesOfType('AWS::S3::Bucket').map(([logicalId]) => {
    const name = `local-${logicalId.toLowerCase()}`;
    apiStack.resources.set(logicalId, { ref: name, attributes: { Arn: `arn:aws:s3:::${name}` } });
    return { logicalId, name };
  });

  const functions: LocalFunction[] = samFunctions(apiTemplate).map((fn) => {
    apiStack.resources.set(fn.logicalId, { ref: `${API_STACK_NAME}-${fn.logicalId}` });
    const resolved = apiStack.resolve(fn.environment) as Record<string, unknown>;
    return {
      ...fn,
      resolvedEnvironment: Object.fromEntries(
        Object.entries(resolved).map(([key, value]) => [key, String(value)]),
      ),
    };
  });

  const [, api] = apiStack.single('AWS::Serverless::Api');
  const apiProperties = api.Properties ?? {};
  const responses = (apiStack.resolve(apiProperties.GatewayResponses) ?? {}) as Record<
    string,
    {
      StatusCode?: unknown;
      ResponseParameters?: { Headers?: Record<string, string> };
      ResponseTemplates?: Record<string, string>;
    }
  >;
  const gatewayResponses = Object.fromEntries(
    Object.entries(responses).map(([type, response]) => [
      type,
      {
        ...(response.StatusCode !== undefined ? { statusCode: Number(response.StatusCode) } : {}),
        headers: response.ResponseParameters?.Headers ?? {},
        ...(response.ResponseTemplates?.['application/json']
          ? { template: response.ResponseTemplates['application/json'] }
          : {}),
      },
    ]),
  );

  return {
    region: LOCAL_REGION,
    userPool: {
      id: LOCAL_USER_POOL_ID,
      arn: userPoolArn,
      name: String(poolProperties.UserPoolName ?? 'local'),
      properties: poolProperties,
    },
    passwordPolicy,
    client: localClient,
    buckets,
    functions,
    routes: functions.flatMap((fn) => fn.routes.map((route) => ({ ...route, fn }))),
    stageName: String(apiStack.resolve(apiProperties.StageName)),
    allowedOrigins: apiStack.parameter('AllowedOrigins') as string[],
    gatewayResponses,
    authOutputs: authStack.outputs(),
  };
}
