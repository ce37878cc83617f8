import * as v from 'valibot';

/**
 * Cognito `InitiateAuth` with `USER_PASSWORD_AUTH` over raw HTTP, exactly as the collection's
 * pre-request script (and Postman) does it: the API's client has no secret, so no AWS
 * credentials and no SDK are involved. Error messages name the endpoint and the user, never
 * the password (Cognito's own messages never contain it either).
 */

export interface SignInSettings {
  cognitoEndpoint: string;
  userPoolClientId: string;
  username: string;
  password: string;
}

export interface CognitoTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** Where each setting comes from: the same names in the runner, get-token and the workflow. */
export const SIGN_IN_ENV = {
  cognitoEndpoint: 'CONTRACT_COGNITO_ENDPOINT',
  userPoolClientId: 'CONTRACT_USER_POOL_CLIENT_ID',
  username: 'CONTRACT_USERNAME',
  password: 'CONTRACT_PASSWORD',
} as const satisfies Record<keyof SignInSettings, string>;

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

export function signInSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SignInSettings {
  const entries = Object.entries(SIGN_IN_ENV) as [keyof SignInSettings, string][];
  const missing = entries.filter(([, name]) => !env[name]).map(([, name]) => name);
  if (missing.length > 0) {
    throw new SignInError(`Set ${missing.join(', ')} (see "Contract tests" in README.md).`);
  }
  return Object.fromEntries(entries.map(([key, name]) => [key, String(env[name])])) as Record<
    keyof SignInSettings,
    string
  >;
}

export async function signIn(settings: SignInSettings, timeoutMs = 10_000): Promise<CognitoTokens> {
  const who = `${settings.username} (client ${settings.userPoolClientId})`;
  let response: Response;
  try {
    response = await fetch(settings.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: settings.userPoolClientId,
        AuthParameters: { USERNAME: settings.username, PASSWORD: settings.password },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
    throw new SignInError(`Cognito is not reachable at ${settings.cognitoEndpoint}: ${reason}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SignInError(
      `${settings.cognitoEndpoint} answered ${response.status} without JSON: is it a Cognito endpoint?`,
    );
  }
  const answer = v.safeParse(InitiateAuthAnswer, json);
  if (!answer.success) {
    throw new SignInError(
      `${settings.cognitoEndpoint} answered ${response.status} in an unknown shape.`,
    );
  }
  const body = answer.output;
  if (!response.ok) {
    // JSON 1.1 error types may carry a namespace ("…#NotAuthorizedException").
    const type = body.__type?.split('#').at(-1) ?? `HTTP ${response.status}`;
    throw new SignInError(`Cognito refused the sign-in of ${who}: ${type}: ${body.message ?? ''}`);
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
