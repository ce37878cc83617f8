import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiGatewayClaims } from '../../local/gateway/authorizer';
import { API_TEMPLATE, loadTemplate, samFunctions } from '../../sam/template';
import {
  ENV_FILE,
  EVENTS_DIR,
  type InvokeEnvironments,
  localInvokeEnvironments,
} from '../../scripts/sam-local-env';

/**
 * events/ is what `sam local invoke` runs: the environment it sets must be declared by each
 * function (it overrides nothing else) and agree with what the local stack gives it; the
 * events must look like what API Gateway hands a function.
 */

const envJson = JSON.parse(readFileSync(ENV_FILE, 'utf8')) as InvokeEnvironments;
const functions = samFunctions(loadTemplate(API_TEMPLATE));

describe('events/env.json', () => {
  it('is what the local stack gives each function (npx tsx scripts/sam-local-env.ts writes it)', () => {
    expect(envJson).toEqual(localInvokeEnvironments());
  });

  it('has one section per function of template.yaml', () => {
    expect(Object.keys(envJson).sort()).toEqual(functions.map((fn) => fn.logicalId).sort());
  });

  it.each(functions.map((fn) => [fn.logicalId, fn] as const))(
    '%s: every key is declared for the function in template.yaml',
    (logicalId, fn) => {
      const undeclared = Object.keys(envJson[logicalId] ?? {}).filter(
        (name) => !(name in fn.environment),
      );
      expect(undeclared).toEqual([]);
    },
  );
});

describe('events/*.json', () => {
  const events = readdirSync(EVENTS_DIR)
    .filter((file) => file !== 'env.json')
    .map((file) => [file, JSON.parse(readFileSync(path.join(EVENTS_DIR, file), 'utf8'))] as const);
  const withClaims = events.filter(([, event]) => event.requestContext?.authorizer?.claims);

  it('include protected routes with authorizer claims', () => {
    expect(withClaims.length).toBeGreaterThanOrEqual(8);
  });

  // API Gateway hands the Cognito authorizer's claims over as strings, exp and iat as dates
  // ("Fri Jul 29 18:52:53 UTC 2016", as captured in
  // https://github.com/amazon-archives/amazon-cognito-identity-js/issues/92): the local
  // gateway writes them so (apiGatewayClaims), and so must the events.
  it.each(withClaims)('%s: claims as API Gateway passes them', (_file, event) => {
    const claims = event.requestContext.authorizer.claims as Record<string, string>;
    const epoch = (date: string | undefined) => Date.parse(String(date)) / 1000;
    expect(apiGatewayClaims({ ...claims, exp: epoch(claims.exp), iat: epoch(claims.iat) })).toEqual(
      claims,
    );
    expect(claims.aud).toBe(envJson.GetMeFunction?.USER_POOL_CLIENT_ID);
  });
});
