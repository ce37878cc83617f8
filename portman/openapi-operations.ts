import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../sam/template';

/** The operations of openapi.yaml, with whether each is behind the authorizer. */

export const OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi.yaml');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type SecurityRequirement = Record<string, string[]>;

interface OpenApiOperationObject {
  operationId?: string;
  security?: SecurityRequirement[];
}

export interface OpenApiDocument {
  security?: SecurityRequirement[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OpenApiOperationObject>>>;
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
}

export interface ApiOperation {
  method: string;
  path: string;
  operationId: string;
  /** The security schemes a caller must satisfy; empty for public operations. */
  schemes: string[];
}

export function loadOpenApi(file = OPENAPI_FILE): OpenApiDocument {
  return parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

/**
 * Every operation with its effective security (its own, else the document's). An operation is
 * public when its requirements are empty or include `{}` (anonymous access allowed).
 */
export function openApiOperations(doc: OpenApiDocument): ApiOperation[] {
  return Object.entries(doc.paths).flatMap(([routePath, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const requirements = operation.security ?? doc.security ?? [];
      const anonymous =
        requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0);
      return [
        {
          method: method.toUpperCase(),
          path: routePath,
          operationId: operation.operationId ?? '',
          schemes: anonymous ? [] : [...new Set(requirements.flatMap((r) => Object.keys(r)))],
        },
      ];
    }),
  );
}
