import { SignInError, type SignInSettings } from '../client/cognito';

/**
 * The contract suite's sign-in settings, read from the environment: the runner, get-token and
 * the deploy workflow use the same names. The sign-in itself is client/cognito.ts's
 * `cognitoSignIn` (raw `InitiateAuth`, as the collection's pre-request script does it).
 */

export const SIGN_IN_ENV = {
  cognitoEndpoint: 'CONTRACT_COGNITO_ENDPOINT',
  userPoolClientId: 'CONTRACT_USER_POOL_CLIENT_ID',
  username: 'CONTRACT_USERNAME',
  password: 'CONTRACT_PASSWORD',
} as const satisfies Record<keyof SignInSettings, string>;

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
