import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  API_TEMPLATE,
  loadTemplate,
  PROJECT_ROOT,
  samFunctions,
  type Template,
} from '../../sam/template';
import { describeWithTool, PYTHON_SAM_TOOLS } from '../required-tools';

/**
 * ApiKeyRequired, as CloudFormation deploys it: the SAM translator's output (sam/validate.py),
 * with the conditions resolved for each value of the parameter. With `true` every route but the
 * CORS preflights needs the key and the stack has a usage plan and a key; with the default
 * `false` the stack is what it was before the parameter existed, but for two gateway responses
 * that only keyed requests can reach.
 */

const template = loadTemplate(API_TEMPLATE);
const KEY_CONDITION = 'ApiKeysRequired';
const NO_VALUE = Symbol('AWS::NoValue');

/** `value` with every Fn::If on KEY_CONDITION resolved, as CloudFormation does at deploy time. */
function deployed(value: unknown, keysRequired: boolean): unknown {
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk).filter((entry) => entry !== NO_VALUE);
    if (item === null || typeof item !== 'object') return item;
    const entries = Object.entries(item);
    const [first] = entries;
    if (entries.length === 1 && first?.[0] === 'Ref' && first[1] === 'AWS::NoValue')
      return NO_VALUE;
    // Other conditions (TotpIssuerGiven) do not depend on the parameter: kept as they are.
    if (entries.length === 1 && first?.[0] === 'Fn::If') {
      const [condition, whenTrue, whenFalse] = first[1] as [string, unknown, unknown];
      if (condition === KEY_CONDITION) return walk(keysRequired ? whenTrue : whenFalse);
    }
    return Object.fromEntries(
      entries.map(([key, entry]) => [key, walk(entry)]).filter(([, entry]) => entry !== NO_VALUE),
    );
  };
  return walk(value);
}

/**
 * template.yaml without ApiKeyRequired, written the way it was before: public routes marked on
 * their events (Auth.Authorizer NONE), no DefinitionBody, no key resources, parameters,
 * condition, output or the two gateway responses for keys.
 */
function withoutApiKeys(source: Template): Template {
  const copy = structuredClone(source);
  for (const name of Object.keys(copy.Parameters ?? {})) {
    if (name === 'ApiKeyRequired' || name.startsWith('UsagePlan')) delete copy.Parameters?.[name];
  }
  delete copy.Conditions?.[KEY_CONDITION];
  if (Object.keys(copy.Conditions ?? {}).length === 0) delete copy.Conditions;
  for (const [logicalId, resource] of Object.entries(copy.Resources)) {
    if (resource.Condition === KEY_CONDITION) delete copy.Resources[logicalId];
  }
  for (const [name, output] of Object.entries(copy.Outputs ?? {})) {
    if (output.Condition === KEY_CONDITION) delete copy.Outputs?.[name];
  }
  const publicRoutes = new Set(
    samFunctions(source).flatMap((fn) =>
      fn.routes
        .filter((route) => route.authorizer === 'NONE' && route.method !== 'OPTIONS')
        .map((route) => `${route.method} ${route.path}`),
    ),
  );
  for (const resource of Object.values(copy.Resources)) {
    if (resource.Type === 'AWS::Serverless::Api') {
      const properties = resource.Properties ?? {};
      delete properties.MergeDefinitions;
      delete properties.DefinitionBody;
      const responses = properties.GatewayResponses as Record<string, unknown>;
      delete responses.INVALID_API_KEY;
      delete responses.QUOTA_EXCEEDED;
    }
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const events = (resource.Properties?.Events ?? {}) as Record<
      string,
      { Type: string; Properties: Record<string, unknown> & { Path: string; Method: string } }
    >;
    for (const event of Object.values(events)) {
      const key = `${event.Properties.Method.toUpperCase()} ${event.Properties.Path}`;
      if (event.Type === 'Api' && publicRoutes.has(key)) {
        event.Properties.Auth = { Authorizer: 'NONE' };
      }
    }
  }
  return copy;
}

interface Translated {
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties?: Record<string, unknown> }
  >;
  Outputs?: Record<string, { Condition?: string; Value: unknown }>;
}

interface Operation {
  security?: Record<string, unknown>[];
  [key: string]: unknown;
}

interface Body {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
  [key: string]: unknown;
}

function translate(...files: string[]): Translated[] {
  const run = spawnSync(
    'python3',
    [path.join(PROJECT_ROOT, 'sam', 'validate.py'), '--translated', ...files],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) throw new Error(`sam/validate.py failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { translated: Translated }).translated);
}

const bodyOf = (translated: Translated, keysRequired: boolean) =>
  deployed(translated.Resources.Api?.Properties?.Body, keysRequired) as Body;

const operations = (body: Body) =>
  Object.entries(body.paths).flatMap(([routePath, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${routePath}`,
      security: (operation.security ?? []).flatMap((entry) => Object.keys(entry)),
    })),
  );

describe('the API definition in template.yaml', () => {
  const [, api] =
    Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Serverless::Api') ?? [];
  const definition = api?.Properties?.DefinitionBody as Body;
  const keyRequirement = {
    'Fn::If': [KEY_CONDITION, { api_key: [] }, { Ref: 'AWS::NoValue' }],
  };

  it("lists every route of the functions' events but the preflights, and no other", () => {
    const defined = Object.entries(definition.paths).flatMap(([routePath, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${routePath}`),
    );
    const routes = samFunctions(template).flatMap((fn) =>
      fn.routes
        .filter((route) => route.method !== 'OPTIONS')
        .map((route) => `${route.method} ${route.path}`),
    );
    expect(defined.sort()).toEqual(routes.sort());
  });

  it("leaves Auth off every event but the preflights: SAM would let an event's own win", () => {
    // SAM merges an event into the definition with the event's security overriding the
    // definition's (MergeDefinitions): an event with Auth would lose the key requirement.
    const withAuth = Object.entries(template.Resources).flatMap(([logicalId, resource]) =>
      Object.entries(
        (resource.Properties?.Events ?? {}) as Record<
          string,
          { Type: string; Properties: { Method: string; Auth?: unknown } }
        >,
      )
        .filter(
          ([, event]) =>
            event.Type === 'Api' &&
            event.Properties.Method.toLowerCase() !== 'options' &&
            event.Properties.Auth !== undefined,
        )
        .map(([name]) => `${logicalId}.${name}`),
    );
    expect(withAuth).toEqual([]);
  });

  it('gives every listed route the key requirement of ApiKeyRequired, and nothing else but NONE', () => {
    for (const methods of Object.values(definition.paths)) {
      for (const operation of Object.values(methods)) {
        expect(operation.security).toContainEqual(keyRequirement);
        for (const entry of operation.security ?? []) {
          expect([JSON.stringify(keyRequirement), '{"NONE":[]}']).toContain(JSON.stringify(entry));
        }
      }
    }
  });

  it('declares the key API Gateway reads: the x-api-key header', () => {
    expect(deployed(definition, true)).toMatchObject({
      securityDefinitions: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
    });
    expect(deployed(definition, false)).toMatchObject({ securityDefinitions: {} });
  });
});

describeWithTool(PYTHON_SAM_TOOLS, 'ApiKeyRequired as SAM translates it', () => {
  let current: Translated;
  let before: Translated;
  beforeAll(() => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'api-keys-')), 'template.json');
    writeFileSync(file, JSON.stringify(withoutApiKeys(template)));
    [current, before] = translate(API_TEMPLATE, file) as [Translated, Translated];
  }, 120_000);

  describe('true', () => {
    it('puts the key on every method but the CORS preflights', () => {
      const body = bodyOf(current, true);
      const methods = operations(body);
      expect(methods.length).toBeGreaterThan(30);
      for (const { route, security } of methods) {
        expect({ route, keyed: security.includes('api_key') }).toEqual({
          route,
          keyed: !route.startsWith('OPTIONS '),
        });
      }
      expect(body.components.securitySchemes.api_key).toEqual({
        type: 'apiKey',
        name: 'x-api-key',
        in: 'header',
      });
    });

    it('keeps the Cognito authorizer on the protected routes and none on the public ones', () => {
      const security = new Map(
        operations(bodyOf(current, true)).map(({ route, security }) => [route, security]),
      );
      expect(security.get('GET /me')?.sort()).toEqual(['CognitoAuthorizer', 'api_key']);
      expect(security.get('POST /auth/signin')).toEqual(['api_key']);
      expect(security.get('OPTIONS /me')).toEqual(['NONE']);
    });

    it("creates a usage plan on the API's stage with the parameters, and one key on it", () => {
      const { UsagePlan, ApiKey, UsagePlanKey } = current.Resources;
      expect(UsagePlan).toMatchObject({
        Type: 'AWS::ApiGateway::UsagePlan',
        Condition: KEY_CONDITION,
        Properties: {
          ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'ApiStage' } }],
          Throttle: {
            RateLimit: { Ref: 'UsagePlanRateLimit' },
            BurstLimit: { Ref: 'UsagePlanBurstLimit' },
          },
          Quota: { Limit: { Ref: 'UsagePlanQuotaLimit' }, Period: { Ref: 'UsagePlanQuotaPeriod' } },
        },
      });
      expect(current.Resources.ApiStage?.Type).toBe('AWS::ApiGateway::Stage');
      expect(ApiKey).toMatchObject({
        Type: 'AWS::ApiGateway::ApiKey',
        Condition: KEY_CONDITION,
        Properties: { Enabled: true },
      });
      expect(UsagePlanKey).toMatchObject({
        Condition: KEY_CONDITION,
        Properties: {
          KeyId: { Ref: 'ApiKey' },
          KeyType: 'API_KEY',
          UsagePlanId: { Ref: 'UsagePlan' },
        },
      });
    });

    it("outputs the key's id (what Ref gives for an API key), never its value", () => {
      const mentions = Object.entries(current.Outputs ?? {}).filter(([, output]) =>
        JSON.stringify(output.Value).includes('ApiKey'),
      );
      expect(mentions).toEqual([
        [
          'ApiKeyId',
          { Condition: KEY_CONDITION, Description: expect.any(String), Value: { Ref: 'ApiKey' } },
        ],
      ]);
    });
  });

  describe('false (the default)', () => {
    it('puts the key on no method, and declares no key scheme', () => {
      const body = bodyOf(current, false);
      expect(operations(body).filter(({ security }) => security.includes('api_key'))).toEqual([]);
      expect(Object.keys(body.components.securitySchemes)).toEqual(['CognitoAuthorizer']);
    });

    it('creates no usage plan, key or key output: each has the condition', () => {
      const conditional = Object.entries(current.Resources)
        .filter(([, resource]) => resource.Type.match(/UsagePlan|ApiKey/))
        .map(([logicalId, resource]) => [logicalId, resource.Condition]);
      expect(conditional.sort()).toEqual([
        ['ApiKey', KEY_CONDITION],
        ['UsagePlan', KEY_CONDITION],
        ['UsagePlanKey', KEY_CONDITION],
      ]);
    });

    it('is the stack from before ApiKeyRequired, but for the two gateway responses of keys', () => {
      // The deployment's logical id hashes the definition, so it differs with any change.
      const normalized = (translated: Translated) => {
        const resources = deployed(
          Object.fromEntries(
            Object.entries(translated.Resources).filter(
              ([, resource]) => resource.Condition !== KEY_CONDITION,
            ),
          ),
          false,
        ) as Translated['Resources'];
        const deployment = Object.keys(resources).find((id) => id.startsWith('ApiDeployment'));
        const text = JSON.stringify(resources)
          .replaceAll(String(deployment), 'ApiDeployment')
          .replace(/RestApi deployment id: [0-9a-f]+/, 'RestApi deployment id');
        const normal = JSON.parse(text) as Translated['Resources'];
        const body = normal.Api?.Properties?.Body as Body;
        // SAM leaves its NONE marker in a public route's security when the event says NONE,
        // and an empty list when the definition does: both mean no authorizer.
        for (const methods of Object.values(body.paths)) {
          for (const operation of Object.values(methods)) {
            operation.security = (operation.security ?? []).filter(
              (entry) => !Object.keys(entry).includes('NONE'),
            );
          }
        }
        const responses = body['x-amazon-apigateway-gateway-responses'] as Record<string, unknown>;
        delete responses.INVALID_API_KEY;
        delete responses.QUOTA_EXCEEDED;
        return normal;
      };
      expect(normalized(current)).toEqual(normalized(before));
      expect(Object.keys(before.Resources)).not.toContain('UsagePlan');
    });
  });
});
