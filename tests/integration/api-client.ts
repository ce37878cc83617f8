import {
  type ApiAnswer,
  type ApiRequest,
  callApi,
  mailboxCode,
  newPassword,
  signIn,
  signUpAndConfirm,
  uniqueEmail,
} from '../../client/api';
import {
  type CognitoAnswer,
  type CognitoOperation,
  type CognitoRequest,
  callCognito,
} from '../../client/cognito';
import type { MessageKind } from '../../local/mailbox';
import { sharedStack } from './harness';
import { Authenticator } from './totp';

/** client/ bound to the stack the integration tests share, unless told another one. */

export { newPassword, uniqueEmail };

type CallOptions = ApiRequest & { apiUrl?: string };

/** One HTTP call to the local API. */
export async function api(route: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const { apiUrl = sharedStack().outputs.ApiUrl, ...request } = options;
  return callApi(apiUrl, route, request);
}

/**
 * Sends until a request is throttled (429): then the token bucket behind it is empty, whatever
 * came in meanwhile (a volley's admitted requests may keep cold-starting functions for a while).
 */
export async function drain(send: () => Promise<ApiAnswer>): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if ((await send()).status === 429) return;
  }
  throw new Error('never throttled in 10 requests');
}

/** Calls a Cognito operation on the local Cognito endpoint over raw HTTP, as Postman does. */
export async function cognito<O extends CognitoOperation>(
  operation: O,
  request: CognitoRequest<O>,
  endpoint = sharedStack().outputs.CognitoEndpoint,
): Promise<CognitoAnswer<O>> {
  return callCognito(endpoint, operation, request);
}

export async function latestCode(
  email: string,
  kind?: MessageKind,
  apiUrl = sharedStack().outputs.ApiUrl,
): Promise<string> {
  return mailboxCode(apiUrl, email, kind);
}

export interface SignedInUser {
  email: string;
  password: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  sub: string;
}

/** Signs up, confirms with the mailbox code and signs in a fresh user. */
export async function newUser(
  label = 'user',
  apiUrl = sharedStack().outputs.ApiUrl,
): Promise<SignedInUser> {
  const credentials = { email: uniqueEmail(label), password: newPassword() };
  const { userSub } = await signUpAndConfirm(apiUrl, credentials, (email) =>
    mailboxCode(apiUrl, email, 'signup'),
  );
  const { idToken, accessToken, refreshToken } = await signIn(apiUrl, credentials);
  return { ...credentials, idToken, accessToken, refreshToken, sub: userSub };
}

/** Turns TOTP on for a signed-in user through the API; the app that now makes their codes. */
export async function enrolTotp(user: SignedInUser, apiUrl?: string): Promise<Authenticator> {
  const base = apiUrl ? { apiUrl } : {};
  const enrolment = await api('/me/mfa/totp', {
    ...base,
    token: user.idToken,
    body: { accessToken: user.accessToken },
  });
  if (enrolment.status !== 200) throw new Error(`enrolment failed: ${enrolment.text}`);
  const app = Authenticator.fromUri(String(enrolment.body.otpauthUri));
  const verified = await api('/me/mfa/totp/verify', {
    ...base,
    token: user.idToken,
    body: { accessToken: user.accessToken, code: app.code() },
  });
  if (verified.status !== 200) throw new Error(`verification failed: ${verified.text}`);
  return app;
}
