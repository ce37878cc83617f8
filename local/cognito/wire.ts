import * as v from 'valibot';
import { CognitoError } from './errors';

/**
 * Cognito's JSON 1.1 protocol as clients speak it: `POST /` with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and a JSON object body.
 */
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export function operationOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  return target.slice(TARGET_PREFIX.length) || undefined;
}

const text = v.optional(v.string());
const stringMap = v.optional(v.record(v.string(), v.string()));

/**
 * The members the corrections read, with the one type Cognito's API gives each of them in
 * every operation that has it. Checking them once here is what lets the corrections take the
 * SDK's request types at their word; Cognito answers a mistyped member with a
 * SerializationException, and so does the layer. Other members pass untouched.
 */
const CheckedMembers = v.looseObject({
  AccessToken: text,
  AttributeName: text,
  AuthFlow: text,
  ChallengeName: text,
  ClientId: text,
  Code: text,
  ConfirmationCode: text,
  Password: text,
  PreviousPassword: text,
  ProposedPassword: text,
  Session: text,
  TemporaryPassword: text,
  Token: text,
  UserCode: text,
  UserPoolId: text,
  Username: text,
  AuthParameters: stringMap,
  ChallengeResponses: stringMap,
  UserAttributes: v.optional(v.array(v.looseObject({ Name: v.string(), Value: text }))),
});

export type WireRequest = v.InferOutput<typeof CheckedMembers>;

/** The request body as a JSON object, or undefined when it is not one (then cognito-local answers it). */
export function parseRequest(body: Buffer): WireRequest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const checked = v.safeParse(CheckedMembers, json);
  if (checked.success) return checked.output;
  const [issue] = checked.issues;
  throw new CognitoError(
    'SerializationException',
    `${v.getDotPath(issue) ?? 'The request'} is not a ${issue.expected ?? 'valid value'}`,
  );
}
