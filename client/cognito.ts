import type {
  CognitoIdentityProvider,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import * as v from 'valibot';

/**
 * Cognito's JSON 1.1 protocol over plain `fetch`, as the AWS CLI, Postman and the SDKs speak
 * it: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. The API's
 * client has no secret, so sign-in needs no AWS credentials; the local Cognito takes admin
 * operations without them too. Used by the tests, the bench and the contract runner; the
 * collection's pre-request script (portman/scripts/) and the bench's bare-fetch floor
 * (bench/baselines/) write the call out on purpose.
 */

/** The SDK's aggregated client has one method per operation, named as the operation is. */
type OperationMethod = Exclude<
  keyof CognitoIdentityProvider,
  keyof CognitoIdentityProviderClient | `paginate${string}`
>;
/** Every operation of Cognito's API, by the name `X-Amz-Target` carries ("InitiateAuth"). */
export type CognitoOperation = Capitalize<OperationMethod>;
type Method<O extends CognitoOperation> = CognitoIdentityProvider[Uncapitalize<O>];
type Callback<O extends CognitoOperation> = Extract<
  Parameters<Method<O>>[2],
  (...args: never[]) => void
>;

/**
 * The SDK's own request and response types of each operation: the JSON on the wire has the
 * same members, except that timestamps travel as epoch seconds where the types say `Date`.
 */
export type CognitoRequest<O extends CognitoOperation> = Parameters<Method<O>>[0];
export type CognitoResponse<O extends CognitoOperation> = Omit<
  NonNullable<Parameters<Callback<O>>[1]>,
  '$metadata'
>;

/** What Cognito answers instead when it refuses (`__type` may carry a namespace). */
interface CognitoErrorFields {
  __type?: string;
  message?: string;
}

/** Every member of a response is optional, so a refusal fits the same type. */
export interface CognitoAnswer<O extends CognitoOperation> {
  status: number;
  body: CognitoResponse<O> & CognitoErrorFields;
}

/** Cognito could not be reached, or what answered does not speak its protocol. */
export class CognitoUnavailableError extends Error {
  override readonly name = 'CognitoUnavailableError';
}

export async function callCognito<O extends CognitoOperation>(
  endpoint: string,
  operation: O,
  request: CognitoRequest<O>,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<CognitoAnswer<O>> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // fetch's own error says only "fetch failed"; its cause says why (ECONNREFUSED, …).
    const reason = String((error as { cause?: unknown }).cause ?? error);
    throw new CognitoUnavailableError(`Cognito is not reachable at ${endpoint}: ${reason}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CognitoUnavailableError(
      `${endpoint} answered ${response.status} without JSON: is it a Cognito endpoint?`,
    );
  }
  return { status: response.status, body: body as CognitoAnswer<O>['body'] };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** A refusal as one line: "NotAuthorizedException: Incorrect username or password." */
function cognitoReason({ status, body }: { status: number; body: CognitoErrorFields }): string {
  const type = body.__type?.split('#').at(-1) ?? `HTTP ${status}`;
  return `${type}: ${body.message ?? ''}`;
}

/** Cognito refused a call that had to succeed. */
export class CognitoRefusedError extends Error {
  override readonly name = 'CognitoRefusedError';
}

/** callCognito for a call that must succeed: Cognito's response, or its reason as an error. */
export async function callCognitoOrFail<O extends CognitoOperation>(
  endpoint: string,
  operation: O,
  request: CognitoRequest<O>,
  options: { timeoutMs?: number } = {},
): Promise<CognitoResponse<O>> {
  const answer = await callCognito(endpoint, operation, request, options);
  if (!isSuccess(answer.status)) {
    throw new CognitoRefusedError(`Cognito refused ${operation}: ${cognitoReason(answer)}`);
  }
  return answer.body;
}

export interface SignInSettings {
  cognitoEndpoint: string;
  userPoolClientId: string;
  username: string;
  password: string;
}

interface CognitoTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** InitiateAuth's answer, checked: a deployed endpoint may be anything. */
const InitiateAuthAnswer = v.object({
  AuthenticationResult: v.optional(
    v.object({
      IdToken: v.string(),
      AccessToken: v.string(),
      RefreshToken: v.optional(v.string()),
      ExpiresIn: v.optional(v.number()),
    }),
  ),
  ChallengeName: v.optional(v.string()),
  __type: v.optional(v.string()),
  message: v.optional(v.string()),
});

/**
 * `InitiateAuth` with `USER_PASSWORD_AUTH`, straight to Cognito. Error messages name the
 * endpoint and the user, never the password (Cognito's own messages never contain it either).
 */
export async function cognitoSignIn(
  settings: SignInSettings,
  timeoutMs = 10_000,
): Promise<CognitoTokens> {
  const who = `${settings.username} (client ${settings.userPoolClientId})`;
  let answer: CognitoAnswer<'InitiateAuth'>;
  try {
    answer = await callCognito(
      settings.cognitoEndpoint,
      'InitiateAuth',
      {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: settings.userPoolClientId,
        AuthParameters: { USERNAME: settings.username, PASSWORD: settings.password },
      },
      { timeoutMs },
    );
  } catch (error) {
    if (error instanceof CognitoUnavailableError) throw new SignInError(error.message);
    throw error;
  }
  const checked = v.safeParse(InitiateAuthAnswer, answer.body);
  if (!checked.success) {
    throw new SignInError(
      `${settings.cognitoEndpoint} answered ${answer.status} in an unknown shape.`,
    );
  }
  const body = checked.output;
  if (!isSuccess(answer.status)) {
    throw new SignInError(`Cognito refused the sign-in of ${who}: ${cognitoReason(answer)}`);
  }
  if (body.ChallengeName) {
    throw new SignInError(
      `Cognito asks ${who} for ${body.ChallengeName} instead of signing in: give the user a ` +
        'permanent password (aws cognito-idp admin-set-user-password --permanent).',
    );
  }
  const result = body.AuthenticationResult;
  if (!result) throw new SignInError(`Cognito answered the sign-in of ${who} without tokens.`);
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 0,
  };
}
