import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as v from 'valibot';
import { ApiError, type FieldIssue } from '../errors';

/** A request header, looked up case-insensitively (API Gateway keeps the client's casing). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The most a token in the Authorization header may weigh before it is not looked at. */
const MAX_TOKEN_LENGTH = 8192;

/** The token of the Authorization header, with or without `Bearer ` (API Gateway takes both). */
export function bearerToken(event: APIGatewayProxyEvent): string | undefined {
  const authorization = header(event, 'authorization');
  if (!authorization || authorization.length > MAX_TOKEN_LENGTH) return undefined;
  return authorization.replace(/^Bearer\s+/i, '').trim() || undefined;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

export function isJsonContentType(event: APIGatewayProxyEvent): boolean {
  return JSON_MEDIA_TYPE.test(header(event, 'content-type') ?? '');
}

export interface BodyOptions {
  /** Largest accepted body, in bytes of the raw (decoded) request body. */
  maxBytes: number;
  /**
   * Accept an empty body as `{}` (routes whose only field may come from a cookie instead).
   * The content type is still required to be JSON: that is what forces a CORS preflight.
   */
  allowEmpty?: boolean;
}

/**
 * The request body as JSON, validated by `schema`. Every way a body can be wrong ends in a 4xx
 * ApiError whose message never repeats what the client sent (it may hold a password).
 */
export function parseJsonBody<TSchema extends v.GenericSchema>(
  event: APIGatewayProxyEvent,
  schema: TSchema,
  options: BodyOptions,
): v.InferOutput<TSchema> {
  const raw = rawBody(event);
  if (raw.byteLength > options.maxBytes) {
    throw new ApiError(
      'PayloadTooLarge',
      `The request body is ${raw.byteLength} bytes; this route accepts at most ${options.maxBytes}.`,
    );
  }
  const empty = raw.byteLength === 0;
  if (!isJsonContentType(event) && !(empty && !options.allowEmpty)) {
    throw new ApiError(
      'UnsupportedMediaType',
      'Send the request body as JSON with "Content-Type: application/json".',
    );
  }
  if (empty && !options.allowEmpty) {
    throw new ApiError('ValidationError', 'A JSON object is required as the request body.');
  }
  const parsed = empty ? {} : parseJson(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('ValidationError', 'The request body must be a JSON object.');
  }
  return validate(schema, parsed, 'The request body is invalid.');
}

/** Query-string parameters validated by `schema` (missing parameters are simply absent). */
export function parseQuery<TSchema extends v.GenericSchema>(
  event: APIGatewayProxyEvent,
  schema: TSchema,
): v.InferOutput<TSchema> {
  return validate(
    schema,
    { ...(event.queryStringParameters ?? {}) },
    'The query string is invalid.',
  );
}

/** Path parameters validated by `schema`. */
export function parsePath<TSchema extends v.GenericSchema>(
  event: APIGatewayProxyEvent,
  schema: TSchema,
): v.InferOutput<TSchema> {
  return validate(schema, { ...(event.pathParameters ?? {}) }, 'The path is invalid.');
}

function rawBody(event: APIGatewayProxyEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded
    ? Buffer.from(event.body, 'base64')
    : Buffer.from(event.body, 'utf8');
}

/**
 * Without binaryMediaTypes, API Gateway hands a Lambda proxy integration the body as a UTF-8
 * string (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html):
 * bytes that are not UTF-8 arrive as U+FFFD, and the function cannot tell them from a U+FFFD
 * the client meant. A raw U+FFFD is therefore refused, so that no byte the client did not mean
 * becomes a password or stored data unnoticed; a client that does mean U+FFFD writes the JSON
 * escape \ufffd, which is plain ASCII on the wire. The fatal decoder refuses invalid bytes
 * themselves (base64-encoded bodies, direct invocations).
 */
function parseJson(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw notUtf8();
  }
  if (text.includes(REPLACEMENT_CHARACTER)) throw notUtf8();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('MalformedJson', 'The request body is not valid UTF-8 JSON.');
  }
}

const REPLACEMENT_CHARACTER = '\uFFFD';

const notUtf8 = () =>
  new ApiError(
    'MalformedJson',
    'The request body holds bytes that are not UTF-8 (they arrive as U+FFFD). Send UTF-8; to mean U+FFFD itself, write it as \\ufffd.',
  );

function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  summary: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input, { message: describeIssue });
  if (result.success) return result.output;
  const details: FieldIssue[] = result.issues.map((issue) => ({
    path: v.getDotPath(issue) ?? '',
    message: issue.message,
  }));
  throw new ApiError('ValidationError', summary, details);
}

/**
 * Fallback wording for issues whose schema gives no message of its own. Unlike valibot's
 * default it never includes the received value, which could be a password or a token.
 */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'object' || issue.type === 'strict_object' || issue.type === 'loose_object') {
    if (issue.expected === 'never') return 'is not an accepted field';
    if (issue.received === 'undefined') return 'is required';
    return 'must be an object';
  }
  switch (issue.type) {
    case 'string':
      return 'must be a string';
    case 'number':
      return 'must be a number';
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return 'must be an array';
    case 'email':
      return 'must be an email address';
    case 'min_length':
    case 'min_bytes':
      return `must be at least ${issue.requirement} characters long`;
    case 'max_length':
      return `must be at most ${issue.requirement} characters long`;
    case 'max_bytes':
      return `must be at most ${issue.requirement} bytes long`;
    case 'picklist':
      return `must be one of ${String(issue.expected)}`;
    case 'integer':
      return 'must be a whole number';
    case 'min_value':
      return `must be at least ${String(issue.requirement)}`;
    case 'max_value':
      return `must be at most ${String(issue.requirement)}`;
    default:
      return 'is invalid';
  }
}
