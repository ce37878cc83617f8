import type { APIGatewayProxyEvent } from 'aws-lambda';
import { loadOpenApi } from '../../portman/openapi-operations';
import { API_TEMPLATE, loadTemplate, type Template } from '../../sam/template';
import { callerFrom } from '../../src/auth/caller';
import { ApiError, ERROR_STATUS } from '../../src/errors';

/**
 * One error vocabulary: the codes the functions answer with (src/errors.ts, each with its one
 * status), the codes of the template's gateway responses, and the error enum of openapi.yaml
 * are the same set, and every code is documented under the status it is answered with.
 */

interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, { examples?: Record<string, { $ref?: string; value?: unknown }> }>;
}

interface OpenApiWithErrors {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components: {
    schemas: { Error: { properties: { error: { enum: string[] } } } };
    responses: Record<string, ResponseObject>;
    examples: Record<string, { value?: unknown }>;
  };
}

interface GatewayResponse {
  StatusCode?: number;
  ResponseTemplates?: Record<string, string>;
}

/** The error code and, when the template fixes one, the status of each gateway response. */
function gatewayErrors(template: Template): { type: string; code: string; status?: number }[] {
  const api = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Serverless::Api',
  );
  const responses = (api?.Properties?.GatewayResponses ?? {}) as Record<string, GatewayResponse>;
  return Object.entries(responses).map(([type, response]) => {
    const body = JSON.parse(response.ResponseTemplates?.['application/json'] ?? '{}') as {
      error?: string;
    };
    return {
      type,
      code: String(body.error),
      ...(response.StatusCode !== undefined ? { status: response.StatusCode } : {}),
    };
  });
}

/** For each status, the codes openapi.yaml documents under it (in descriptions or examples). */
function documentedCodes(doc: OpenApiWithErrors): Map<string, Set<string>> {
  const byStatus = new Map<string, Set<string>>();
  const resolve = (response: ResponseObject) =>
    response.$ref
      ? (doc.components.responses[response.$ref.replace('#/components/responses/', '')] ?? {})
      : response;
  for (const item of Object.values(doc.paths)) {
    for (const operation of Object.values(item)) {
      for (const [status, reference] of Object.entries(operation.responses ?? {})) {
        const response = resolve(reference);
        const codes = byStatus.get(status) ?? new Set<string>();
        for (const [, code] of (response.description ?? '').matchAll(/`([A-Z][A-Za-z]+)`/g)) {
          codes.add(String(code));
        }
        for (const media of Object.values(response.content ?? {})) {
          for (const example of Object.values(media.examples ?? {})) {
            const value = example.$ref
              ? doc.components.examples[example.$ref.replace('#/components/examples/', '')]?.value
              : example.value;
            const code = (value as { error?: unknown } | undefined)?.error;
            if (typeof code === 'string') codes.add(code);
          }
        }
        byStatus.set(status, codes);
      }
    }
  }
  return byStatus;
}

/** Every way the table and openapi.yaml disagree, as sentences. */
function vocabularyDrift(
  doc: OpenApiWithErrors,
  table: Record<string, number>,
  template: Template,
): string[] {
  const problems: string[] = [];
  const gateway = gatewayErrors(template);
  const expected = new Set([...Object.keys(table), ...gateway.map(({ code }) => code)]);
  const enumerated = new Set(doc.components.schemas.Error.properties.error.enum);
  for (const code of expected) {
    if (!enumerated.has(code)) problems.push(`${code} is missing from the Error enum`);
  }
  for (const code of enumerated) {
    if (!expected.has(code)) problems.push(`${code} is in the Error enum but nobody answers it`);
  }
  const documented = documentedCodes(doc);
  for (const [code, status] of Object.entries(table)) {
    if (!documented.get(String(status))?.has(code)) {
      problems.push(`${code} is not documented under ${status}`);
    }
  }
  for (const [status, codes] of documented) {
    for (const code of codes) {
      if (code in table && String(table[code]) !== status) {
        problems.push(`${code} is documented under ${status}, but answered with ${table[code]}`);
      }
    }
  }
  for (const { type, code, status } of gateway) {
    if (status !== undefined && code in table && table[code] !== status) {
      problems.push(`${type} answers ${code} with ${status}, the functions with ${table[code]}`);
    }
  }
  return problems;
}

const openapi = loadOpenApi() as unknown as OpenApiWithErrors;
const template = loadTemplate(API_TEMPLATE);

describe('the error vocabulary', () => {
  it('is the same in src/errors.ts, the gateway responses and the Error enum of openapi.yaml', () => {
    expect(vocabularyDrift(openapi, ERROR_STATUS, template)).toEqual([]);
  });

  it('reads codes from every source (the comparison is not vacuous)', () => {
    expect(Object.keys(ERROR_STATUS).length).toBeGreaterThanOrEqual(20);
    expect(gatewayErrors(template).map(({ code }) => code)).toEqual(
      expect.arrayContaining(['Unauthorized', 'NotFound', 'BadRequest', 'InternalError']),
    );
    expect(documentedCodes(openapi).get('503')).toEqual(
      new Set(['ServiceUnavailable', 'CodeDeliveryFailed']),
    );
  });

  it('notices a code the functions answer that openapi.yaml does not list', () => {
    const table = { ...ERROR_STATUS, AccountLocked: 423 };
    expect(vocabularyDrift(openapi, table, template)).toEqual([
      'AccountLocked is missing from the Error enum',
      'AccountLocked is not documented under 423',
    ]);
  });

  it('notices a code listed in openapi.yaml that nobody answers', () => {
    const doc = structuredClone(openapi);
    doc.components.schemas.Error.properties.error.enum.push('Teapot');
    expect(vocabularyDrift(doc, ERROR_STATUS, template)).toEqual([
      'Teapot is in the Error enum but nobody answers it',
    ]);
  });

  it("words a missing ID token as the authorizer does, where a function finds no caller's claims", () => {
    const api = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Serverless::Api',
    );
    const responses = api?.Properties?.GatewayResponses as Record<string, GatewayResponse>;
    const authorizer = JSON.parse(
      responses.UNAUTHORIZED?.ResponseTemplates?.['application/json'] ?? '{}',
    ) as unknown;
    let refused: unknown;
    try {
      callerFrom({ requestContext: {} } as APIGatewayProxyEvent);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    const { code, message } = refused as ApiError;
    expect({ error: code, message }).toEqual(authorizer);
  });

  it('notices a code that moved to another status in one place only', () => {
    expect(vocabularyDrift(openapi, { ...ERROR_STATUS, NotFound: 410 }, template)).toEqual(
      expect.arrayContaining([
        'NotFound is not documented under 410',
        'NotFound is documented under 404, but answered with 410',
        'MISSING_AUTHENTICATION_TOKEN answers NotFound with 404, the functions with 410',
      ]),
    );
  });
});
