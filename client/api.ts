import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { MessageKind } from '../local/mailbox';

/**
 * This API as the repository's own tools call it (the integration and browser tests, the
 * bench, `npm run demo`): one HTTP call, and the sign-up and sign-in flows built on it.
 */

export interface ApiRequest {
  /** GET without a body, POST with one, unless given. */
  method?: string;
  /** Sent as JSON, with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent as it is, with no content type of its own (add one in `headers`). */
  rawBody?: string | Buffer;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The body when it is a JSON object, else `{}`. */
  body: Record<string, unknown>;
  text: string;
}

export async function callApi(
  apiUrl: string,
  route: string,
  request: ApiRequest = {},
): Promise<ApiAnswer> {
  const body =
    request.rawBody ?? (request.body !== undefined ? JSON.stringify(request.body) : undefined);
  const response = await fetch(`${apiUrl}${route}`, {
    method: request.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(request.token ? { Authorization: `Bearer ${request.token}` } : {}),
      ...request.headers,
    },
    ...(body !== undefined ? { body } : {}),
    ...(request.timeoutMs !== undefined ? { signal: AbortSignal.timeout(request.timeoutMs) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: jsonObject(text), text };
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** An address no account has yet: `<label>+<random>@example.com`. */
export const uniqueEmail = (label = 'user') =>
  `${label}+${randomBytes(5).toString('hex')}@example.com`;
/** A password the pool's policy (auth-stack.yaml's defaults) accepts. */
export const newPassword = () => `pass-phrase-${randomBytes(6).toString('hex')}`;

export interface Credentials {
  email: string;
  password: string;
}

/** How long each call of a flow may take; none by default. */
interface FlowOptions {
  timeoutMs?: number;
}

/** Answered by a step of a flow that did not go as it must; names the step and the answer. */
export class FlowError extends Error {
  override readonly name = 'FlowError';
}

/** The answer, when it has the status the step needs. */
function expectStatus(step: string, answer: ApiAnswer, status: number): ApiAnswer {
  if (answer.status !== status) {
    throw new FlowError(`${step} answered ${answer.status} ${answer.text}`.trim());
  }
  return answer;
}

const Mailbox = v.object({
  messages: v.array(v.object({ kind: v.string(), code: v.string(), at: v.string() })),
});

/** The newest code of that kind the local mailbox holds for `email` (local stack only). */
export async function mailboxCode(
  apiUrl: string,
  email: string,
  kind?: MessageKind,
  { timeoutMs }: FlowOptions = {},
): Promise<string> {
  const answer = await callApi(apiUrl, `/_local/mailbox/${encodeURIComponent(email)}`, {
    timeoutMs,
  });
  const mailbox = v.safeParse(Mailbox, expectStatus('the local mailbox', answer, 200).body);
  if (!mailbox.success) throw new FlowError('the local mailbox answered in an unknown shape');
  const code = mailbox.output.messages.filter((m) => !kind || m.kind === kind).at(-1)?.code;
  if (!code) throw new FlowError(`no ${kind ?? ''} code in the mailbox of ${email}`);
  return code;
}

const SignedUp = v.object({ userSub: v.string() });

/** POST /auth/signup: the account exists, unconfirmed, and a code is on its way. */
export async function signUp(
  apiUrl: string,
  account: Credentials & { name?: string },
  { timeoutMs }: FlowOptions = {},
): Promise<{ userSub: string }> {
  const answer = expectStatus(
    'sign-up',
    await callApi(apiUrl, '/auth/signup', { body: account, timeoutMs }),
    201,
  );
  const signedUp = v.safeParse(SignedUp, answer.body);
  if (!signedUp.success) throw new FlowError('sign-up answered 201 without a userSub');
  return { userSub: signedUp.output.userSub };
}

/**
 * Signs up and confirms with the code `codeFor` reads (from the local mailbox, say: the
 * code is delivered before the sign-up is answered).
 */
export async function signUpAndConfirm(
  apiUrl: string,
  account: Credentials & { name?: string },
  codeFor: (email: string) => string | Promise<string>,
  options: FlowOptions = {},
): Promise<{ userSub: string }> {
  const signedUp = await signUp(apiUrl, account, options);
  const code = await codeFor(account.email);
  expectStatus(
    'confirm-signup',
    await callApi(apiUrl, '/auth/confirm-signup', {
      body: { email: account.email, code },
      timeoutMs: options.timeoutMs,
    }),
    200,
  );
  return signedUp;
}

const Tokens = v.object({
  idToken: v.string(),
  accessToken: v.string(),
  refreshToken: v.string(),
  expiresIn: v.number(),
});

type SessionTokens = v.InferOutput<typeof Tokens>;

/** POST /auth/signin in body mode: the three tokens. */
export async function signIn(
  apiUrl: string,
  credentials: Credentials,
  { timeoutMs }: FlowOptions = {},
): Promise<SessionTokens> {
  const answer = expectStatus(
    'sign-in',
    await callApi(apiUrl, '/auth/signin', {
      body: { email: credentials.email, password: credentials.password },
      timeoutMs,
    }),
    200,
  );
  const tokens = v.safeParse(Tokens, answer.body);
  if (!tokens.success) throw new FlowError('sign-in answered 200 without the three tokens');
  return tokens.output;
}
