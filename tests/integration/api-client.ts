import { randomBytes } from 'node:crypto';
import { sharedStack } from './harness';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
  apiUrl?: string;
}

/** One HTTP call to the local API; JSON bodies are parsed when they are JSON. */
export async function api(route: string, options: CallOptions = {}): Promise<Answer> {
  const apiUrl = options.apiUrl ?? sharedStack().outputs.ApiUrl;
  const body =
    options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const response = await fetch(`${apiUrl}${route}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * Sends until a request is throttled (429): then the token bucket behind it is empty, whatever
 * came in meanwhile (a volley's admitted requests may keep cold-starting functions for a while).
 */
export async function drain(send: () => Promise<Answer>): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if ((await send()).status === 429) return;
  }
  throw new Error('never throttled in 10 requests');
}

/** Calls a Cognito operation on the local Cognito endpoint over raw HTTP, as Postman does. */
export async function cognito(
  operation: string,
  body: unknown,
  endpoint = sharedStack().outputs.CognitoEndpoint,
) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const uniqueEmail = (label = 'user') =>
  `${label}+${randomBytes(5).toString('hex')}@example.com`;
export const newPassword = () => `pass-phrase-${randomBytes(6).toString('hex')}`;

export async function latestCode(email: string, kind?: string, apiUrl?: string): Promise<string> {
  const { body } = await api(
    `/_local/mailbox/${encodeURIComponent(email)}`,
    apiUrl ? { apiUrl } : {},
  );
  const messages = (body.messages as { kind: string; code: string }[]).filter(
    (m) => !kind || m.kind === kind,
  );
  const code = messages.at(-1)?.code;
  if (!code) throw new Error(`no ${kind ?? ''} code in the mailbox of ${email}`);
  return code;
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
export async function newUser(label = 'user', apiUrl?: string): Promise<SignedInUser> {
  const email = uniqueEmail(label);
  const password = newPassword();
  const base = apiUrl ? { apiUrl } : {};
  const signUp = await api('/auth/signup', { ...base, body: { email, password } });
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${signUp.text}`);
  const code = await latestCode(email, 'signup', apiUrl);
  const confirm = await api('/auth/confirm-signup', { ...base, body: { email, code } });
  if (confirm.status !== 200) throw new Error(`confirm failed: ${confirm.status} ${confirm.text}`);
  const signIn = await api('/auth/signin', { ...base, body: { email, password } });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
  const tokens = signIn.body as Record<string, string>;
  return {
    email,
    password,
    idToken: String(tokens.idToken),
    accessToken: String(tokens.accessToken),
    refreshToken: String(tokens.refreshToken),
    sub: String(signUp.body.userSub),
  };
}
