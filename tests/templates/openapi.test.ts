import {
  loadOpenApi,
  type OpenApiDocument,
  openApiOperations,
} from '../../portman/openapi-operations';
import { API_TEMPLATE, loadTemplate, samFunctions, type Template } from '../../sam/template';

/**
 * One source: openapi.yaml (the contract Portman tests) and template.yaml (what deploys) must
 * declare the same routes with the same protection. CORS preflights (OPTIONS, answered by one
 * public function) are the gateway's business and stay out of the contract.
 */

const AUTHORIZER_SCHEME = 'cognitoIdToken';

function templateRoutes(template: Template): string[] {
  return samFunctions(template)
    .flatMap((fn) => fn.routes)
    .filter((route) => route.method !== 'OPTIONS')
    .map(
      (route) =>
        `${route.method} ${route.path} ${route.authorizer === 'NONE' ? 'public' : 'protected'}`,
    )
    .sort();
}

function contractRoutes(doc: OpenApiDocument): string[] {
  return openApiOperations(doc)
    .filter((operation) => operation.method !== 'OPTIONS')
    .map(
      (operation) =>
        `${operation.method} ${operation.path} ${operation.schemes.length > 0 ? 'protected' : 'public'}`,
    )
    .sort();
}

const template = loadTemplate(API_TEMPLATE);
const openapi = loadOpenApi();

describe('openapi.yaml and template.yaml', () => {
  it('declare exactly the same routes, each public or protected alike', () => {
    expect(contractRoutes(openapi)).toEqual(templateRoutes(template));
  });

  it('cover a route of every kind (the comparison is not vacuous)', () => {
    const routes = contractRoutes(openapi);
    expect(routes).toContain('POST /auth/signin public');
    expect(routes).toContain('GET /me protected');
    expect(routes).toContain('DELETE /me/logs/{id} protected');
    expect(routes.length).toBeGreaterThanOrEqual(19);
  });

  it('notice a route missing from the contract, or protected differently', () => {
    const doc = structuredClone(openapi);
    delete doc.paths['/public'];
    expect(contractRoutes(doc)).not.toEqual(templateRoutes(template));

    const unprotected = structuredClone(openapi);
    const me = unprotected.paths['/me']?.get;
    if (!me) throw new Error('openapi.yaml has no GET /me');
    me.security = [];
    expect(contractRoutes(unprotected)).not.toEqual(templateRoutes(template));
  });

  it('protect routes only with the Cognito ID token scheme (the authorizer)', () => {
    const schemes = new Set(openApiOperations(openapi).flatMap((operation) => operation.schemes));
    expect([...schemes]).toEqual([AUTHORIZER_SCHEME]);
    expect(openapi.components?.securitySchemes?.[AUTHORIZER_SCHEME]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('declare security on every operation, with no document-wide default to inherit', () => {
    // A default would put the token on public routes in the generated Postman collection.
    expect(openapi.security).toBeUndefined();
    for (const item of Object.values(openapi.paths)) {
      for (const operation of Object.values(item)) {
        if (operation && typeof operation === 'object' && 'operationId' in operation) {
          expect(operation.security).toBeDefined();
        }
      }
    }
  });

  it('leave the local-only routes out of the contract', () => {
    expect(Object.keys(openapi.paths).filter((path) => path.startsWith('/_local'))).toEqual([]);
  });
});
