import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkApiParameters, planLocalStack } from '../../../local/plan';
import { API_TEMPLATE } from '../../../sam/template';

/** The stack's throttles, keys and usage plans, as the local gateway gets them from template.yaml. */
describe('planLocalStack: API keys, usage plans and throttles', () => {
  it('has no key, no usage plan and no route that needs a key by default', () => {
    const plan = planLocalStack();
    expect(plan.apiKeys).toEqual([]);
    expect(plan.usagePlans).toEqual([]);
    expect(plan.apiKeyIdOutput).toBeUndefined();
    expect(plan.routes.filter((route) => route.apiKeyRequired)).toEqual([]);
  });

  it("reads the stage's MethodSettings: the default for every method, and the auth routes' own", () => {
    const plan = planLocalStack({
      apiParameters: { ThrottlingRateLimit: '7', AuthThrottlingBurstLimit: '3' },
    });
    expect(plan.methodThrottles).toContainEqual({
      resourcePath: '*',
      httpMethod: '*',
      rateLimit: 7,
      burstLimit: 200,
    });
    for (const resourcePath of ['/auth/signin', '/auth/signup', '/auth/resend-code']) {
      expect(plan.methodThrottles).toContainEqual({
        resourcePath,
        httpMethod: 'POST',
        rateLimit: 10,
        burstLimit: 3,
      });
    }
  });

  it('with ApiKeyRequired=true: a key on a usage plan with the parameters, needed on every route but the preflights', () => {
    const plan = planLocalStack({
      apiParameters: {
        ApiKeyRequired: 'true',
        UsagePlanRateLimit: '2.5',
        UsagePlanBurstLimit: '4',
        UsagePlanQuotaLimit: '50',
        UsagePlanQuotaPeriod: 'DAY',
      },
    });
    const [key] = plan.apiKeys;
    expect(plan.apiKeys).toEqual([
      { logicalId: 'ApiKey', id: expect.stringMatching(/^[0-9a-f]{10}$/), enabled: true },
    ]);
    expect(plan.usagePlans).toEqual([
      {
        logicalId: 'UsagePlan',
        throttle: { rateLimit: 2.5, burstLimit: 4 },
        quota: { limit: 50, period: 'DAY', offset: 0 },
        keyLogicalIds: ['ApiKey'],
      },
    ]);
    expect(plan.apiKeyIdOutput).toBe(key?.id);
    const needsKey = (required: boolean) =>
      plan.routes.filter((route) => route.apiKeyRequired === required).map((route) => route.method);
    expect(new Set(needsKey(false))).toEqual(new Set(['OPTIONS']));
    expect(needsKey(true)).toHaveLength(plan.routes.length - needsKey(false).length);
    expect(needsKey(true).length).toBeGreaterThan(15);
  });

  it("refuses SAM's own Auth.ApiKeyRequired rather than misread it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-'));
    const file = path.join(dir, 'template.yaml');
    writeFileSync(
      file,
      readFileSync(API_TEMPLATE, 'utf8').replace(
        '        DefaultAuthorizer: CognitoAuthorizer\n',
        '        DefaultAuthorizer: CognitoAuthorizer\n        ApiKeyRequired: true\n',
      ),
    );
    expect(() => planLocalStack({ apiTemplateFile: file })).toThrow(
      "reads API keys from the DefinitionBody's security, not from SAM's Auth.ApiKeyRequired",
    );
  });
});

describe('checkApiParameters: what CloudFormation would refuse', () => {
  it('takes valid overrides', () => {
    expect(() =>
      checkApiParameters({ ApiKeyRequired: 'true', UsagePlanRateLimit: '0.5', StageName: 'v1' }),
    ).not.toThrow();
  });

  it.each([
    [{ NoSuchParameter: '1' }, 'Unknown parameter NoSuchParameter'],
    [{ ApiKeyRequired: 'yes' }, 'Parameter ApiKeyRequired=yes is not one of true, false'],
    [{ UsagePlanRateLimit: 'fast' }, 'Parameter UsagePlanRateLimit=fast is not a number'],
    [{ UsagePlanRateLimit: '' }, 'Parameter UsagePlanRateLimit= is not a number'],
    [{ UsagePlanQuotaLimit: '0' }, 'Parameter UsagePlanQuotaLimit=0 is less than its MinValue 1'],
    [{ IdTokenValidityMinutes: '1441' }, 'is more than its MaxValue 1440'],
    [{ StageName: 'dev-1' }, 'Parameter StageName=dev-1 does not match its AllowedPattern'],
  ])('refuses %j', (overrides, message) => {
    expect(() => checkApiParameters(overrides)).toThrow(message);
  });
});
