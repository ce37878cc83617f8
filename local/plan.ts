import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  API_TEMPLATE,
  type ApiRoute,
  AUTH_TEMPLATE,
  loadTemplate,
  type SamFunction,
  Stack,
  samFunctions,
} from '../sam/template';
import { type PasswordPolicy, passwordPolicyFrom } from '../src/auth/password-policy';

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
  /** The folder its CodeUri names, absolute: where Lambda's runtime looks for the handler. */
  codeDir: string;
  /** The environment the template gives the function, resolved. */
  resolvedEnvironment: Record<string, string>;
}

export interface GatewayResponseSpec {
  statusCode?: number;
  headers: Record<string, string>;
  template?: string;
}

/** A token bucket's settings: tokens added per second, and the bucket's size. */
export interface ThrottleLimits {
  rateLimit: number;
  burstLimit: number;
}

/**
 * One entry of the stage's MethodSettings, as far as throttling goes: `resourcePath` is the
 * route's path (`~1` decoded) or `*`, `httpMethod` a method or `*`. A limit it leaves out falls
 * back to a less specific entry.
 */
export interface MethodThrottleSetting {
  resourcePath: string;
  httpMethod: string;
  rateLimit?: number;
  burstLimit?: number;
}

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** An AWS::ApiGateway::ApiKey of the template, with the id `Ref` gives locally. */
export interface LocalApiKey {
  logicalId: string;
  id: string;
  enabled: boolean;
  /** The template's own Value, if it sets one; else the local stack generates one. */
  value?: string;
}

/** An AWS::ApiGateway::UsagePlan on this API's stage, with the keys attached to it. */
export interface LocalUsagePlan {
  logicalId: string;
  throttle?: ThrottleLimits;
  quota?: { limit: number; period: QuotaPeriod; offset: number };
  keyLogicalIds: string[];
}

/** A DynamoDB table of the auth stack, as the local DynamoDB creates it. */
export interface LocalTable {
  logicalId: string;
  name: string;
  arn: string;
  properties: Record<string, unknown>;
}

export interface LocalPlan {
  region: string;
  userPool: { id: string; arn: string; name: string; properties: Record<string, unknown> };
  /** The auth stack's table of ended sessions. */
  sessionsTable: LocalTable;
  passwordPolicy: PasswordPolicy;
  client: LocalClient;
  buckets: { logicalId: string; name: string }[];
  functions: LocalFunction[];
  routes: (ApiRoute & { fn: LocalFunction; apiKeyRequired: boolean })[];
  stageName: string;
  allowedOrigins: string[];
  gatewayResponses: Record<string, GatewayResponseSpec>;
  methodThrottles: MethodThrottleSetting[];
  apiKeys: LocalApiKey[];
  usagePlans: LocalUsagePlan[];
  /** The template's ApiKeyId output (the key's id), when its condition holds. */
  apiKeyIdOutput?: string;
}

export interface PlanOptions {
  /** API stack parameter overrides (for example AllowedOrigins). */
  apiParameters?: Record<string, string>;
  /** Auth stack parameter overrides (for example MfaConfiguration). */
  authParameters?: Record<string, string>;
  /**
   * The API template: template.yaml, or the one `npm run build` writes beside the bundles
   * (then each function's CodeUri is its bundle folder and its environment is what deploys).
   */
  apiTemplateFile?: string;
}

/**
 * Throws, saying why, if CloudFormation would refuse these overrides of template.yaml's
 * parameters (unknown names, values outside their constraints): before anything starts.
 */
export function checkApiParameters(overrides: Record<string, string>): void {
  new Stack(loadTemplate(API_TEMPLATE), {
    stackName: API_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    parameters: { AuthStackName: AUTH_STACK_NAME, ...overrides },
  });
}

/** The same for auth-stack.yaml's parameters. */
export function checkAuthParameters(overrides: Record<string, string>): void {
  new Stack(loadTemplate(AUTH_TEMPLATE), {
    stackName: AUTH_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    parameters: overrides,
  });
}

const numberOf = (value: unknown, what: string) => {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`${what} is not a number`);
  return number;
};

export function planLocalStack(options: PlanOptions = {}): LocalPlan {
  const auth = planAuthStack(options.authParameters);
  const apiTemplateFile = options.apiTemplateFile ?? API_TEMPLATE;
  const apiTemplate = loadTemplate(apiTemplateFile);
  const apiStack = new Stack(apiTemplate, {
    stackName: API_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    parameters: { AuthStackName: AUTH_STACK_NAME, ...options.apiParameters },
    imports: auth.exports,
  });
  const client = planClient(apiStack);
  const buckets = planBuckets(apiStack);
  const functions = planFunctions(apiStack, path.dirname(apiTemplateFile));
  const requiresApiKey = apiKeyRequirement(apiStack);
  return {
    region: LOCAL_REGION,
    userPool: auth.userPool,
    sessionsTable: auth.sessionsTable,
    passwordPolicy: auth.passwordPolicy,
    client,
    buckets,
    functions,
    routes: functions.flatMap((fn) =>
      fn.routes.map((route) => ({ ...route, fn, apiKeyRequired: requiresApiKey(route) })),
    ),
    ...planApi(apiStack),
    allowedOrigins: apiStack.parameter('AllowedOrigins') as string[],
    ...planUsagePlans(apiStack),
  };
}

/** The pool of auth-stack.yaml, with an AWS-shaped ID, and the exports API stacks import. */
function planAuthStack(parameters: Record<string, string> = {}) {
  const authStack = new Stack(loadTemplate(AUTH_TEMPLATE), {
    stackName: AUTH_STACK_NAME,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    parameters,
  });
  const [poolLogicalId, pool] = authStack.single('AWS::Cognito::UserPool');
  const arn = `arn:aws:cognito-idp:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:userpool/${LOCAL_USER_POOL_ID}`;
  authStack.resources.set(poolLogicalId, {
    ref: LOCAL_USER_POOL_ID,
    attributes: {
      Arn: arn,
      UserPoolId: LOCAL_USER_POOL_ID,
      ProviderName: `cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`,
    },
  });
  const sessionsTable = planSessionsTable(authStack);
  const properties = authStack.resolve(pool.Properties) as Record<string, unknown>;
  if (properties.LambdaConfig) {
    throw new Error(
      'The local stack does not run Cognito Lambda triggers: leave AutoConfirmSignUps off locally',
    );
  }
  // CloudFormation hands the policy to Cognito as numbers and booleans; so does DescribeUserPool.
  const policies = properties.Policies as { PasswordPolicy: Record<string, unknown> };
  const passwordPolicy = passwordPolicyFrom(policies.PasswordPolicy);
  policies.PasswordPolicy = {
    ...passwordPolicy,
    TemporaryPasswordValidityDays: numberOf(
      policies.PasswordPolicy.TemporaryPasswordValidityDays ?? 7,
      'TemporaryPasswordValidityDays',
    ),
  };
  return {
    userPool: {
      id: LOCAL_USER_POOL_ID,
      arn,
      name: String(properties.UserPoolName ?? 'local'),
      properties,
    },
    sessionsTable,
    passwordPolicy,
    exports: authStack.exports(),
  };
}

/** The auth stack's one table, named local-<logicalid> in the local DynamoDB. */
function planSessionsTable(authStack: Stack): LocalTable {
  const [logicalId, table] = authStack.single('AWS::DynamoDB::Table');
  const name = `local-${logicalId.toLowerCase()}`;
  const arn = `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${name}`;
  authStack.resources.set(logicalId, { ref: name, attributes: { Arn: arn } });
  return {
    logicalId,
    name,
    arn,
    properties: authStack.resolve(table.Properties) as Record<string, unknown>,
  };
}

/** The user-pool client of template.yaml, with a fixed local ID. */
function planClient(apiStack: Stack): LocalClient {
  const [logicalId, client] = apiStack.single('AWS::Cognito::UserPoolClient');
  apiStack.resources.set(logicalId, { ref: LOCAL_CLIENT_ID });
  const c = apiStack.resolve(client.Properties) as Record<string, unknown>;
  const planned: LocalClient = {
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
  if (planned.GenerateSecret)
    throw new Error('The local stack supports only clients without a secret');
  if (planned.UserPoolId !== LOCAL_USER_POOL_ID)
    throw new Error('The client must belong to the imported pool');
  return planned;
}

/** The template's buckets, named local-<logicalid> in s3rver. */
function planBuckets(apiStack: Stack): LocalPlan['buckets'] {
  return apiStack.resourcesOfType('AWS::S3::Bucket').map(([logicalId]) => {
    const name = `local-${logicalId.toLowerCase()}`;
    apiStack.resources.set(logicalId, { ref: name, attributes: { Arn: `arn:aws:s3:::${name}` } });
    return { logicalId, name };
  });
}

/** Each function with its code folder and its environment resolved (imports included). */
function planFunctions(apiStack: Stack, templateDir: string): LocalFunction[] {
  return samFunctions(apiStack.template).map((fn) => {
    apiStack.resources.set(fn.logicalId, { ref: `${API_STACK_NAME}-${fn.logicalId}` });
    const resolved = apiStack.resolve(fn.environment) as Record<string, unknown>;
    return {
      ...fn,
      codeDir: path.resolve(templateDir, fn.codeUri),
      resolvedEnvironment: Object.fromEntries(
        Object.entries(resolved).map(([key, value]) => [key, String(value)]),
      ),
    };
  });
}

/**
 * Whether a route needs an API key, as API Gateway reads its method from the definition: its
 * security (intrinsics resolved) names a scheme of the API key: type apiKey, header x-api-key.
 * SAM's own switches (Auth.ApiKeyRequired on the API or an event) are refused rather than
 * half-read: the template declares keys in the definition (see its Api resource).
 */
function apiKeyRequirement(apiStack: Stack): (route: ApiRoute) => boolean {
  const [apiLogicalId, api] = apiStack.single('AWS::Serverless::Api');
  const properties = api.Properties ?? {};
  const samSwitches = [
    (properties.Auth as { ApiKeyRequired?: unknown } | undefined)?.ApiKeyRequired,
    ...samFunctions(apiStack.template).flatMap((fn) =>
      Object.values(
        (apiStack.template.Resources[fn.logicalId]?.Properties?.Events ?? {}) as Record<
          string,
          { Properties?: { Auth?: { ApiKeyRequired?: unknown } } }
        >,
      ).map((event) => event.Properties?.Auth?.ApiKeyRequired),
    ),
  ];
  if (samSwitches.some((value) => value !== undefined)) {
    throw new Error(
      `${apiLogicalId}: the local stack reads API keys from the DefinitionBody's security, not from SAM's Auth.ApiKeyRequired`,
    );
  }
  const definition = (properties.DefinitionBody ?? {}) as { securityDefinitions?: unknown };
  const schemes = (apiStack.resolve(definition.securityDefinitions) ?? {}) as Record<
    string,
    { type?: string; name?: string; in?: string } & Record<string, unknown>
  >;
  const keySchemes = new Set(
    Object.entries(schemes)
      .filter(
        ([, scheme]) =>
          scheme.type === 'apiKey' &&
          scheme.in === 'header' &&
          scheme.name?.toLowerCase() === 'x-api-key' &&
          scheme['x-amazon-apigateway-authtype'] === undefined,
      )
      .map(([name]) => name),
  );
  return (route) =>
    ((apiStack.resolve(route.security) ?? []) as object[]).some((entry) =>
      Object.keys(entry).some((name) => keySchemes.has(name)),
    );
}

/** The stage and API Gateway's own answers (GatewayResponses) of the AWS::Serverless::Api. */
function planApi(
  apiStack: Stack,
): Pick<LocalPlan, 'stageName' | 'gatewayResponses' | 'methodThrottles'> {
  const [, api] = apiStack.single('AWS::Serverless::Api');
  const properties = api.Properties ?? {};
  const responses = (apiStack.resolve(properties.GatewayResponses) ?? {}) as Record<
    string,
    {
      StatusCode?: unknown;
      ResponseParameters?: { Headers?: Record<string, string> };
      ResponseTemplates?: Record<string, string>;
    }
  >;
  const methodSettings = (apiStack.resolve(properties.MethodSettings) ?? []) as {
    ResourcePath?: string;
    HttpMethod?: string;
    ThrottlingRateLimit?: unknown;
    ThrottlingBurstLimit?: unknown;
  }[];
  return {
    stageName: String(apiStack.resolve(properties.StageName)),
    methodThrottles: methodSettings.map((setting) => ({
      // MethodSettings write a resource path with each / as ~1 (/~1me~1logs), or /* for all.
      resourcePath:
        setting.ResourcePath === '/*'
          ? '*'
          : String(setting.ResourcePath ?? '')
              .slice(1)
              .replaceAll('~1', '/'),
      httpMethod: String(setting.HttpMethod ?? '*').toUpperCase(),
      ...(setting.ThrottlingRateLimit !== undefined
        ? { rateLimit: numberOf(setting.ThrottlingRateLimit, 'ThrottlingRateLimit') }
        : {}),
      ...(setting.ThrottlingBurstLimit !== undefined
        ? { burstLimit: numberOf(setting.ThrottlingBurstLimit, 'ThrottlingBurstLimit') }
        : {}),
    })),
    gatewayResponses: Object.fromEntries(
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
    ),
  };
}

/**
 * The template's API keys and the usage plans on this API (conditions applied). A key's id is
 * what `Ref` gives on AWS: ten lower-case letters and digits, here derived from its logical id
 * so that it stays the same across restarts.
 */
function planUsagePlans(
  apiStack: Stack,
): Pick<LocalPlan, 'apiKeys' | 'usagePlans' | 'apiKeyIdOutput'> {
  const [apiLogicalId] = apiStack.single('AWS::Serverless::Api');
  const apiKeys = apiStack.resourcesOfType('AWS::ApiGateway::ApiKey').map(([logicalId, key]) => {
    const id = createHash('sha256').update(logicalId).digest('hex').slice(0, 10);
    apiStack.resources.set(logicalId, { ref: id });
    const properties = (apiStack.resolve(key.Properties) ?? {}) as {
      Enabled?: unknown;
      Value?: unknown;
    };
    return {
      logicalId,
      id,
      // CloudFormation creates a key disabled unless Enabled says otherwise.
      enabled: String(properties.Enabled) === 'true',
      ...(properties.Value !== undefined ? { value: String(properties.Value) } : {}),
    };
  });
  const allPlans = apiStack.resourcesOfType('AWS::ApiGateway::UsagePlan');
  for (const [logicalId] of allPlans) {
    apiStack.resources.set(logicalId, { ref: `local-${logicalId.toLowerCase()}` });
  }
  const plans = allPlans.filter(([, plan]) =>
    ((plan.Properties?.ApiStages ?? []) as { ApiId?: unknown }[]).some(
      (stage) => JSON.stringify(stage.ApiId) === JSON.stringify({ Ref: apiLogicalId }),
    ),
  );
  const attachments = apiStack
    .resourcesOfType('AWS::ApiGateway::UsagePlanKey')
    .map(([, attachment]) => apiStack.resolve(attachment.Properties) as Record<string, unknown>);
  const usagePlans = plans.map(([logicalId, plan]): LocalUsagePlan => {
    const properties = plan.Properties ?? {};
    const throttle = apiStack.resolve(properties.Throttle) as
      | { RateLimit?: unknown; BurstLimit?: unknown }
      | undefined;
    const quota = apiStack.resolve(properties.Quota) as
      | { Limit?: unknown; Period?: unknown; Offset?: unknown }
      | undefined;
    const planId = apiStack.resources.get(logicalId)?.ref;
    return {
      logicalId,
      ...(throttle
        ? {
            throttle: {
              rateLimit: numberOf(throttle.RateLimit, `${logicalId} RateLimit`),
              burstLimit: numberOf(throttle.BurstLimit, `${logicalId} BurstLimit`),
            },
          }
        : {}),
      ...(quota
        ? {
            quota: {
              limit: numberOf(quota.Limit, `${logicalId} Quota Limit`),
              period: quotaPeriod(quota.Period),
              offset: numberOf(quota.Offset ?? 0, `${logicalId} Quota Offset`),
            },
          }
        : {}),
      keyLogicalIds: apiKeys
        .filter((key) =>
          attachments.some(
            (attachment) =>
              attachment.UsagePlanId === planId &&
              attachment.KeyId === key.id &&
              attachment.KeyType === 'API_KEY',
          ),
        )
        .map((key) => key.logicalId),
    };
  });
  const output = apiStack.template.Outputs?.ApiKeyId;
  const showsKey = output && (!output.Condition || apiStack.condition(output.Condition));
  return {
    apiKeys,
    usagePlans,
    ...(showsKey ? { apiKeyIdOutput: String(apiStack.resolve(output.Value)) } : {}),
  };
}

function quotaPeriod(value: unknown): QuotaPeriod {
  if (value === 'DAY' || value === 'WEEK' || value === 'MONTH') return value;
  throw new Error(`A usage plan's quota period is ${String(value)}, not DAY, WEEK or MONTH`);
}
