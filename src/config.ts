import * as v from 'valibot';
import { parsePasswordPolicy } from './auth/password-policy';
import { assertValidOrigin } from './http/cors';

/**
 * The function environment, read once when the module loads. A missing or malformed variable
 * fails the cold start with a message naming the variable (never its value), so a
 * misconfigured deploy is caught by its first request instead of answering nonsense.
 */
const Environment = v.object({
  AWS_REGION: v.pipe(v.string(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d$/)),
  USER_POOL_ID: v.pipe(v.string(), v.regex(/^[\w-]+_[0-9a-zA-Z]+$/)),
  USER_POOL_CLIENT_ID: v.pipe(v.string(), v.regex(/^[\w+]+$/)),
  PASSWORD_POLICY: v.pipe(v.string(), v.minLength(1)),
  ALLOWED_ORIGINS: v.optional(v.string(), ''),
  REFRESH_COOKIE_SAMESITE: v.optional(v.picklist(['Strict', 'Lax', 'None']), 'Strict'),
  REFRESH_TOKEN_VALIDITY_DAYS: v.pipe(
    v.optional(v.string(), '30'),
    v.transform(Number),
    v.integer(),
    v.minValue(1),
  ),
  USER_DATA_BUCKET: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/))),
  CURSOR_SIGNING_KEY: v.optional(v.pipe(v.string(), v.minLength(16))),
  // Set only by the local stack, which points the SDK clients at its emulators.
  COGNITO_ENDPOINT: v.optional(v.pipe(v.string(), v.url())),
  S3_ENDPOINT: v.optional(v.pipe(v.string(), v.url())),
});

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv) {
  const result = v.safeParse(Environment, env);
  if (!result.success) {
    const names = [...new Set(result.issues.map((issue) => v.getDotPath(issue) ?? '?'))];
    throw new Error(`Invalid function environment: check ${names.join(', ')}`);
  }
  const e = result.output;
  return {
    region: e.AWS_REGION,
    userPoolId: e.USER_POOL_ID,
    userPoolClientId: e.USER_POOL_CLIENT_ID,
    passwordPolicy: parsePasswordPolicy(e.PASSWORD_POLICY),
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map(assertValidOrigin),
    refreshCookieSameSite: e.REFRESH_COOKIE_SAMESITE,
    refreshTokenMaxAgeSeconds: e.REFRESH_TOKEN_VALIDITY_DAYS * 86_400,
    userDataBucket: e.USER_DATA_BUCKET,
    cursorSigningKey: e.CURSOR_SIGNING_KEY,
    cognitoEndpoint: e.COGNITO_ENDPOINT,
    s3Endpoint: e.S3_ENDPOINT,
  };
}

export const config = readConfig(process.env);
