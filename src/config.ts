import * as v from 'valibot';
import { assertValidOrigin } from './http/cors';

/**
 * The function environment: every variable a function may read, with its check. Each is read
 * and checked the first time the code asks for it, so a function needs only the variables of
 * the code it runs, and template.yaml gives each function exactly those
 * (tests/build/bundles.test.ts runs every bundle and compares). A malformed variable fails
 * with a message naming it, never its value.
 */

/** Empty means unset: sam local invoke gives a declared variable "" unless env.json sets it. */
const EmptyIsUnset = <T extends v.GenericSchema<string, string>>(schema: T) =>
  v.pipe(
    v.optional(v.union([v.literal(''), schema])),
    v.transform((value) => (value === '' ? undefined : value)),
  );

const VARIABLES = {
  // Set by Lambda. Partitions differ in their prefix: us-east-1, us-gov-west-1, eusc-de-east-1.
  AWS_REGION: v.pipe(v.string(), v.regex(/^[a-z]{2,}(-[a-z]+)+-\d+$/)),
  USER_POOL_ID: v.pipe(v.string(), v.regex(/^[\w-]+_[0-9a-zA-Z]+$/)),
  USER_POOL_CLIENT_ID: v.pipe(v.string(), v.regex(/^[\w+]+$/)),
  ALLOWED_ORIGINS: v.optional(v.string(), ''),
  REFRESH_COOKIE_SAMESITE: v.optional(v.picklist(['Strict', 'Lax', 'None']), 'Strict'),
  REFRESH_TOKEN_VALIDITY_DAYS: v.pipe(
    v.optional(v.string(), '30'),
    v.transform(Number),
    v.integer(),
    v.minValue(1),
  ),
  USER_DATA_BUCKET: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  CURSOR_SIGNING_KEY: v.pipe(v.string(), v.minLength(16)),
  // The name authenticator apps show for this app's codes (otpauth:// issuer).
  TOTP_ISSUER: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  SESSIONS_TABLE: v.pipe(v.string(), v.regex(/^[\w.-]{3,255}$/)),
  // Set only to reach the local stack's emulators.
  COGNITO_ENDPOINT: EmptyIsUnset(v.pipe(v.string(), v.url())),
  S3_ENDPOINT: EmptyIsUnset(v.pipe(v.string(), v.url())),
  DYNAMODB_ENDPOINT: EmptyIsUnset(v.pipe(v.string(), v.url())),
  // Set only by the local stack: where the local Cognito serves the pool's keys (see
  // src/auth/id-token.ts; only a loopback address is ever trusted).
  COGNITO_JWKS_URI: EmptyIsUnset(v.pipe(v.string(), v.url())),
};

type Variable = keyof typeof VARIABLES;
export const FUNCTION_VARIABLES = Object.keys(VARIABLES) as Variable[];

export function readConfig(env: NodeJS.ProcessEnv) {
  const known = new Map<Variable, unknown>();
  const read = <K extends Variable>(name: K): v.InferOutput<(typeof VARIABLES)[K]> => {
    if (!known.has(name)) {
      const result = v.safeParse(VARIABLES[name], env[name]);
      if (!result.success) throw new Error(`Invalid function environment: check ${name}`);
      known.set(name, result.output);
    }
    return known.get(name) as v.InferOutput<(typeof VARIABLES)[K]>;
  };
  let allowedOrigins: string[] | undefined;
  return {
    get region() {
      return read('AWS_REGION');
    },
    get userPoolId() {
      return read('USER_POOL_ID');
    },
    get userPoolClientId() {
      return read('USER_POOL_CLIENT_ID');
    },
    get allowedOrigins() {
      allowedOrigins ??= read('ALLOWED_ORIGINS')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean)
        .map(assertValidOrigin);
      return allowedOrigins;
    },
    get refreshCookieSameSite() {
      return read('REFRESH_COOKIE_SAMESITE');
    },
    get refreshTokenMaxAgeSeconds() {
      return read('REFRESH_TOKEN_VALIDITY_DAYS') * 86_400;
    },
    get userDataBucket() {
      return read('USER_DATA_BUCKET');
    },
    get cursorSigningKey() {
      return read('CURSOR_SIGNING_KEY');
    },
    get totpIssuer() {
      return read('TOTP_ISSUER');
    },
    get cognitoEndpoint() {
      return read('COGNITO_ENDPOINT');
    },
    get s3Endpoint() {
      return read('S3_ENDPOINT');
    },
    get sessionsTable() {
      return read('SESSIONS_TABLE');
    },
    get dynamoDbEndpoint() {
      return read('DYNAMODB_ENDPOINT');
    },
    get cognitoJwksUri() {
      return read('COGNITO_JWKS_URI');
    },
  };
}

export type Config = ReturnType<typeof readConfig>;

export const config = readConfig(process.env);
