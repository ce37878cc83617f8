import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callApi, newPassword, signIn, signUp, signUpAndConfirm, uniqueEmail } from '../client/api';
import {
  type CognitoOperation,
  type CognitoRequest,
  type CognitoResponse,
  callCognitoOrFail,
} from '../client/cognito';
import { apiGatewayClaims, LocalCognitoAuthorizer } from '../local/gateway/authorizer';
import type { LocalStack } from '../local/stack';
import { PROJECT_ROOT } from '../sam/template';

/**
 * What each function is given to handle in the bench: its events/ file (the REST proxy event
 * `sam local invoke` uses) with real data from the local stack in it: a signed-up and
 * confirmed user, the claims of that user's verified ID token on protected routes, and a
 * fresh sign-up, confirmation code, challenge session, reset code or log entry for every
 * invocation that consumes one. Each function must answer its success status every time;
 * anything else stops the bench, since it would be timing the wrong path.
 */

const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
/** A set-up call that takes longer than this means the local stack is stuck: stop. */
const SET_UP_TIMEOUT_MS = 10_000;

interface User {
  email: string;
  password: string;
}

interface Session extends User {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  claims: Record<string, string>;
}

export interface Scenario {
  /** The status every invocation must answer; undefined: any status below 500. */
  expect?: number;
  /** `count` events, each usable once, prepared just before the run that uses them. */
  events(count: number): Promise<APIGatewayProxyEvent[]>;
}

export class Fixtures {
  readonly authorizer: LocalCognitoAuthorizer;
  private user?: Session;
  private signOutToken = '';
  private unconfirmed = '';
  private logId = '';
  private readonly resetUsers: User[] = [];

  constructor(private readonly stack: LocalStack) {
    this.authorizer = new LocalCognitoAuthorizer(
      stack.plan.userPool.id,
      stack.plan.client.ClientId,
    );
  }

  /** The bench's user, signed in; and the few things that can be reused across runs. */
  async setUp(): Promise<void> {
    const { outputs } = this.stack;
    await this.authorizer.loadEmulatorKeys(
      `${outputs.CognitoEndpoint}/${outputs.UserPoolId}/.well-known/jwks.json`,
    );
    const user = await this.confirmedUser('user');
    this.user = await this.signIn(user);
    // A refresh token of its own for sign-out: revoking it must not end the user's session.
    this.signOutToken = (await this.signIn(user)).refreshToken;
    this.unconfirmed = (await this.signedUp('unconfirmed')).email;
    this.logId = String((await this.createLog()).id);
    await this.api('/me/profile', { method: 'PUT', body: { theme: 'dark' } });
  }

  get session(): Session {
    if (!this.user) throw new Error('Fixtures.setUp() has not run');
    return this.user;
  }

  /** The scenario of the handler file `name` (events/<name>.json). */
  scenario(name: string): Scenario {
    const base = readEvent(name);
    const make = (body: unknown, extra: Partial<APIGatewayProxyEvent> = {}) =>
      this.event(base, body, extra);
    const same = (expect: number, body?: unknown, extra?: Partial<APIGatewayProxyEvent>) => ({
      expect,
      events: async (count: number) => Array.from({ length: count }, () => make(body, extra ?? {})),
    });
    const { email, password, accessToken, refreshToken } = this.session;
    switch (name) {
      case 'sign-up':
        return {
          expect: 201,
          events: async (count) =>
            Array.from({ length: count }, () =>
              make({ email: uniqueEmail('signup'), password: newPassword() }),
            ),
        };
      case 'confirm-sign-up':
        return {
          expect: 200,
          events: (count) =>
            sequence(count, async () => {
              const user = await this.signedUp('confirm');
              return make({ email: user.email, code: this.code(user.email, 'signup') });
            }),
        };
      case 'resend-code':
        return same(202, { email: this.unconfirmed });
      case 'sign-in':
        return same(200, { email, password });
      case 'respond-to-challenge':
        return {
          expect: 200,
          events: (count) =>
            sequence(count, async () => {
              const invited = await this.invited();
              return make({
                email: invited.email,
                challenge: 'NEW_PASSWORD_REQUIRED',
                session: invited.session,
                newPassword: newPassword(),
              });
            }),
        };
      case 'refresh-tokens':
        return same(200, { refreshToken });
      case 'forgot-password':
        return same(202, { email });
      case 'confirm-forgot-password':
        return {
          expect: 200,
          events: async (count) => {
            // Only a user's newest reset code is valid: one user per event of a run.
            while (this.resetUsers.length < count)
              this.resetUsers.push(await this.confirmedUser('reset'));
            return sequence(count, async (index) => {
              const user = this.resetUsers[index] as User;
              await this.cognito('ForgotPassword', {
                ClientId: this.stack.outputs.UserPoolClientId,
                Username: user.email,
              });
              return make({
                email: user.email,
                code: this.code(user.email, 'forgot-password'),
                newPassword: user.password,
              });
            });
          },
        };
      case 'sign-out':
        // Idempotent: the first run revokes the token, the others find nothing left to revoke.
        return same(204, { refreshToken: this.signOutToken });
      case 'change-password':
        return same(204, { accessToken, previousPassword: password, proposedPassword: password });
      case 'get-me':
      case 'get-protected':
      case 'get-public':
      case 'get-profile':
        return same(200);
      case 'put-profile':
        return same(200, { theme: 'dark', prompt: '$ ' });
      case 'create-log':
        return same(201, { content: 'ls -la ~/projects' });
      case 'list-logs':
        return same(200);
      case 'get-log':
        return same(200, undefined, { pathParameters: { id: this.logId } });
      case 'enrol-totp':
        return same(200, { accessToken });
      case 'disable-mfa':
        return same(200, { accessToken, password });
      case 'change-email':
        return {
          expect: 202,
          events: async (count) =>
            Array.from({ length: count }, () =>
              make({ accessToken, password, newEmail: uniqueEmail('new-email') }),
            ),
        };
      case 'export-data':
        return same(200);
      case 'delete-account':
        // Each deletion needs an account of its own, with a profile and a log entry to delete.
        return {
          expect: 204,
          events: (count) =>
            sequence(count, async () => {
              const leaving = await this.otherUser('leaving');
              await this.api('/me/profile', { method: 'PUT', body: { theme: 'dark' } }, leaving);
              await this.api('/me/logs', { body: { content: 'bench entry' } }, leaving);
              const body = { accessToken: leaving.accessToken, password: leaving.password };
              return this.event(base, body, {}, leaving);
            }),
        };
      case 'delete-log':
        return {
          expect: 204,
          events: (count) =>
            sequence(count, async () =>
              make(undefined, { pathParameters: { id: String((await this.createLog()).id) } }),
            ),
        };
      default:
        // A function the bench has no scenario for yet: its events/ file as it is.
        return { events: async (count) => Array.from({ length: count }, () => make(undefined)) };
    }
  }

  /** The event as API Gateway would pass it for this user, with a new request id. */
  private event(
    base: APIGatewayProxyEvent,
    body: unknown,
    extra: Partial<APIGatewayProxyEvent>,
    caller: Session = this.session,
  ): APIGatewayProxyEvent {
    const event = structuredClone(base);
    const requestId = randomUUID();
    event.requestContext.requestId = requestId;
    event.requestContext.extendedRequestId = requestId;
    if (body !== undefined) event.body = JSON.stringify(body);
    if (event.requestContext.authorizer?.claims) {
      event.requestContext.authorizer.claims = caller.claims;
      for (const [name, value] of Object.entries(event.headers)) {
        if (name.toLowerCase() === 'authorization' && value) {
          event.headers[name] = `Bearer ${caller.idToken}`;
          event.multiValueHeaders[name] = [`Bearer ${caller.idToken}`];
        }
      }
    }
    return { ...event, ...extra };
  }

  /** Another confirmed user, signed in (the export's owner of many entries). */
  async otherUser(label: string): Promise<Session> {
    return this.signIn(await this.confirmedUser(label));
  }

  private async signedUp(label: string): Promise<User> {
    const user = { email: uniqueEmail(label), password: newPassword() };
    await signUp(this.stack.outputs.ApiUrl, user, { timeoutMs: SET_UP_TIMEOUT_MS });
    return user;
  }

  private async confirmedUser(label: string): Promise<User> {
    const user = { email: uniqueEmail(label), password: newPassword() };
    await signUpAndConfirm(this.stack.outputs.ApiUrl, user, (email) => this.code(email, 'signup'), {
      timeoutMs: SET_UP_TIMEOUT_MS,
    });
    return user;
  }

  private async signIn(user: User): Promise<Session> {
    const tokens = await signIn(this.stack.outputs.ApiUrl, user, { timeoutMs: SET_UP_TIMEOUT_MS });
    const verified = this.authorizer.authorize(`Bearer ${tokens.idToken}`);
    if (!verified) throw new Error('The local gateway refused the ID token it just issued');
    return { ...user, ...tokens, claims: apiGatewayClaims(verified) };
  }

  /** A user an admin created with a temporary password, signed in to the challenge. */
  private async invited(): Promise<User & { session: string }> {
    const user = { email: uniqueEmail('invited'), password: newPassword() };
    await this.cognito('AdminCreateUser', {
      UserPoolId: this.stack.outputs.UserPoolId,
      Username: user.email,
      TemporaryPassword: user.password,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    const answer = await this.cognito('InitiateAuth', {
      ClientId: this.stack.outputs.UserPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
    });
    return { ...user, session: String(answer.Session) };
  }

  private async createLog(): Promise<Record<string, unknown>> {
    return this.api('/me/logs', { body: { content: 'bench entry' } });
  }

  private code(email: string, kind: string): string {
    const code = this.stack.mailbox
      .messages(email)
      .filter((message) => message.kind === kind)
      .at(-1)?.code;
    if (!code) throw new Error(`No ${kind} code in the local mailbox`);
    return code;
  }

  private async api(
    route: string,
    options: { method?: string; body?: unknown },
    caller = this.user,
  ): Promise<Record<string, unknown>> {
    const answer = await callApi(this.stack.outputs.ApiUrl, route, {
      ...options,
      ...(caller ? { token: caller.idToken } : {}),
      timeoutMs: SET_UP_TIMEOUT_MS,
    });
    if (answer.status >= 300) throw new Error(`${route} answered ${answer.status} during set-up`);
    return answer.body;
  }

  private async cognito<O extends CognitoOperation>(
    operation: O,
    request: CognitoRequest<O>,
  ): Promise<CognitoResponse<O>> {
    return callCognitoOrFail(this.stack.outputs.CognitoEndpoint, operation, request, {
      timeoutMs: SET_UP_TIMEOUT_MS,
    });
  }
}

/** events/<name>.json: the event the function's route gets on API Gateway. */
function readEvent(name: string): APIGatewayProxyEvent {
  const file = path.join(EVENTS_DIR, `${name}.json`);
  if (!existsSync(file)) throw new Error(`No events/${name}.json to run the function with`);
  return JSON.parse(readFileSync(file, 'utf8')) as APIGatewayProxyEvent;
}

/** One at a time: the local Cognito and S3 are single-threaded, and so is the bench. */
async function sequence<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const items: T[] = [];
  for (let index = 0; index < count; index += 1) items.push(await make(index));
  return items;
}
