import { type ConversionConfig, type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { loadOpenApi } from '../../portman/openapi-operations';
import * as authRequests from '../../src/http/auth-requests';
import * as storageRequests from '../../src/http/storage-requests';

/**
 * One source for what a request may hold: the valibot schemas the handlers parse with are the
 * truth (they are what is enforced), and openapi.yaml, which clients and the contract tests
 * read, must say the same. Each schema is converted to JSON Schema with valibot's own
 * converter and compared with the openapi.yaml component of the same name, references
 * resolved and annotations (descriptions, examples) left out.
 */

type Schema = v.GenericSchema;
type Json = Record<string, unknown>;

interface OpenApiComponents {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { $ref?: string; name?: string; in?: string; schema?: Json }[];
        requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
      }
    >
  >;
  components: { schemas: Record<string, Json>; parameters: Record<string, { schema: Json }> };
}

/** Checks that only run before a value is stored, with no JSON Schema keyword of their own. */
const NORMALISATIONS = new Set(['trim', 'to_lower_case']);

const CONVERSION: ConversionConfig = {
  target: 'openapi-3.0',
  // Trimming and lower-casing change what is stored, not what is accepted: openapi.yaml says
  // them in prose (checked below), and the keywords around them still apply.
  overrideAction: ({ valibotAction, jsonSchema }) =>
    NORMALISATIONS.has(valibotAction.type) ? jsonSchema : undefined,
  // A JSON object passed on whole is JSON Schema's object with any properties.
  overrideSchema: ({ valibotSchema }) =>
    valibotSchema === storageRequests.JsonObject
      ? { type: 'object', additionalProperties: true }
      : undefined,
};

/**
 * `format: password` is OpenAPI's hint to mask the field in tools, not a constraint; so is a
 * `discriminator`, which tells tools which member of a `oneOf` to read (the `oneOf` and each
 * member's `enum` are what constrain).
 */
const ANNOTATIONS = new Set(['description', 'example', 'examples', 'title', 'discriminator']);

/** An openapi.yaml schema with its references resolved and its annotations left out. */
function resolved(doc: OpenApiComponents, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => resolved(doc, item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref, ...rest } = schema as Json;
  if (typeof $ref === 'string') {
    return resolved(doc, doc.components.schemas[$ref.replace('#/components/schemas/', '')]);
  }
  return Object.fromEntries(
    Object.entries(rest)
      .filter(
        ([key, value]) => !ANNOTATIONS.has(key) && !(key === 'format' && value === 'password'),
      )
      .map(([key, value]) => [key, resolved(doc, value)]),
  );
}

/**
 * The source schema as JSON Schema. The converter writes `required: []` for an object whose
 * fields are all optional, which means the same as no `required` (and OpenAPI 3.0 forbids an
 * empty list), so it is left out.
 */
function converted(schema: Schema): JsonSchema {
  return JSON.parse(
    JSON.stringify(toJsonSchema(schema, CONVERSION), (key, value) =>
      key === 'required' && Array.isArray(value) && value.length === 0 ? undefined : value,
    ),
  ) as JsonSchema;
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && (value as Json).kind === 'schema';

/** The request schemas of src/, by name. */
const sourceSchemas: Record<string, Schema> = Object.fromEntries(
  Object.entries({ ...authRequests, ...storageRequests }).flatMap(([name, value]) =>
    isSchema(value) ? [[name, value]] : [],
  ),
);

/** Source schemas that are not components: the path and query, compared on their own below. */
const NOT_COMPONENTS = ['JsonObject', 'ListLogsQuery', 'LogPath'];

/** The components openapi.yaml gives as request bodies. */
function requestBodyComponents(doc: OpenApiComponents): string[] {
  return Object.values(doc.paths)
    .flatMap((item) => Object.values(item))
    .flatMap((operation) => Object.values(operation.requestBody?.content ?? {}))
    .map(({ schema }) => String(schema.$ref).replace('#/components/schemas/', ''));
}

/** Every schema that says something else in openapi.yaml than in src/, with both sides. */
function schemaDrift(
  doc: OpenApiComponents,
): { name: string; source: unknown; openapi: unknown }[] {
  return Object.entries(sourceSchemas)
    .filter(([name]) => !NOT_COMPONENTS.includes(name))
    .map(([name, schema]) => ({
      name,
      source: converted(schema),
      openapi: resolved(doc, doc.components.schemas[name]),
    }))
    .filter(({ source, openapi }) => !isDeepEqual(source, openapi));
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const openapi = loadOpenApi() as unknown as OpenApiComponents;

describe('the request schemas of src/ and openapi.yaml', () => {
  it('say the same for every body and field', () => {
    expect(schemaDrift(openapi)).toEqual([]);
  });

  it('leave no request body of openapi.yaml without its schema in src/', () => {
    const bodies = [...new Set(requestBodyComponents(openapi))].sort();
    expect(bodies.length).toBeGreaterThanOrEqual(11);
    expect(bodies.filter((name) => !(name in sourceSchemas))).toEqual([]);
    // And every source schema has its component, except the path and query ones.
    expect(
      Object.keys(sourceSchemas).filter(
        (name) => !(name in openapi.components.schemas) && !NOT_COMPONENTS.includes(name),
      ),
    ).toEqual([]);
  });

  it('say in prose what the source does to a value before checking it', () => {
    const normalised = Object.entries(sourceSchemas).flatMap(([name, schema]) => {
      const pipe = (schema as { pipe?: { type: string }[] }).pipe ?? [];
      return pipe
        .filter((action) => NORMALISATIONS.has(action.type))
        .map(({ type }) => ({
          name,
          type,
        }));
    });
    expect(normalised.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['Email', 'Code', 'DisplayName']),
    );
    const prose = { trim: /trimmed/i, to_lower_case: /letter case/i };
    for (const { name, type } of normalised) {
      const description = String(openapi.components.schemas[name]?.description ?? '');
      expect({ name, type, description }).toEqual({
        name,
        type,
        description: expect.stringMatching(prose[type as keyof typeof prose]),
      });
    }
  });

  it('agree on the log id in the path and the listing query', () => {
    const { LogPath, ListLogsQuery } = storageRequests;
    expect(converted(LogPath.entries.id)).toEqual(
      resolved(openapi, openapi.components.parameters.LogId?.schema),
    );
    const query = Object.fromEntries(
      (openapi.paths['/me/logs']?.get?.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, resolved(openapi, parameter.schema) as Json]),
    );
    expect(converted(ListLogsQuery.entries.cursor.wrapped)).toEqual(query.cursor);
    // A query string is text: compare what each side accepts rather than the types.
    const limit = query.limit as { minimum: number; maximum: number; default: number };
    for (let n = -2; n <= 102; n++) {
      const accepted = limit.minimum <= n && n <= limit.maximum;
      const result = ListLogsQuery['~run']({ value: { limit: String(n) } }, {});
      expect({ n, accepted: result.issues === undefined }).toEqual({ n, accepted });
    }
    expect(ListLogsQuery.entries.limit.default).toBe(String(limit.default));
  });

  it('notice drift on either side', () => {
    const doc = structuredClone(openapi);
    // The drift this test was written for: \p{Cc} means nothing in an OpenAPI 3.0 pattern.
    doc.components.schemas.DisplayName = {
      ...doc.components.schemas.DisplayName,
      pattern: '^[^\\p{Cc}]*$',
    };
    doc.components.schemas.Password = { ...doc.components.schemas.Password, maxLength: 255 };
    const signIn = doc.components.schemas.SignInRequest as { properties: Json };
    delete signIn.properties.session;
    expect(schemaDrift(doc).map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'DisplayName',
        'SignUpRequest',
        'Password',
        'ChangePasswordRequest',
        'SignInRequest',
      ]),
    );
  });
});
