import {
  callApi,
  FlowError,
  mailboxCode,
  newPassword,
  signIn,
  signUpAndConfirm,
  uniqueEmail,
} from '../../../client/api';
import { planLocalStack } from '../../../local/plan';
import { passwordPolicyViolations } from '../../../src/auth/password-policy';
import { type StubRequest, stubServer } from './stub-server';

let api: Awaited<ReturnType<typeof stubServer>>;
beforeAll(async () => {
  api = await stubServer();
});
beforeEach(() => {
  api.requests.length = 0;
});
afterAll(() => api.close());

const json = (request: StubRequest) => JSON.parse(request.body) as Record<string, unknown>;

describe('callApi', () => {
  it('sends a body as JSON with its content type and the token as a bearer token, by POST', async () => {
    api.answer = () => ({ status: 201, body: { id: 'x' } });
    const answer = await callApi(api.url, '/me/logs', { body: { content: 'ls' }, token: 'tok' });
    expect(answer).toMatchObject({ status: 201, body: { id: 'x' }, text: '{"id":"x"}' });
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/me/logs', body: '{"content":"ls"}' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer tok',
    });
  });

  it('sends a request without a body by GET, with no content type and no token', async () => {
    api.answer = () => ({ status: 200, body: { message: 'hi' } });
    await callApi(api.url, '/public');
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.headers).not.toHaveProperty('content-type');
    expect(api.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('sends a raw body as it is, with only the headers it is given', async () => {
    api.answer = () => ({ status: 415 });
    await callApi(api.url, '/auth/signin', {
      rawBody: 'email=a',
      headers: { 'Content-Type': 'text/plain' },
      method: 'PUT',
    });
    expect(api.requests[0]).toMatchObject({ method: 'PUT', body: 'email=a' });
    expect(api.requests[0]?.headers['content-type']).toBe('text/plain');
  });

  it('answers an empty object for a body that is not a JSON object, and keeps the text', async () => {
    for (const [body, contentType] of [
      ['<html>502</html>', 'text/html'],
      ['[1,2]', 'application/json'],
      ['', 'application/json'],
    ] as const) {
      api.answer = () => ({ status: 502, body, contentType });
      expect(await callApi(api.url, '/x')).toMatchObject({ status: 502, body: {}, text: body });
    }
  });

  it('gives up after timeoutMs', async () => {
    api.answer = () => undefined;
    await expect(callApi(api.url, '/slow', { timeoutMs: 50 })).rejects.toThrow(/timeout|abort/i);
  });
});

describe('mailboxCode', () => {
  const messages = [
    { kind: 'signup', code: '111111', at: '2026-01-01T00:00:00Z' },
    { kind: 'forgot-password', code: '222222', at: '2026-01-01T00:01:00Z' },
    { kind: 'resend', code: '333333', at: '2026-01-01T00:02:00Z' },
  ];

  it('reads the newest code, or the newest of a kind, from the address its path encodes', async () => {
    api.answer = () => ({ status: 200, body: { messages } });
    expect(await mailboxCode(api.url, 'a+b@example.com')).toBe('333333');
    expect(await mailboxCode(api.url, 'a+b@example.com', 'forgot-password')).toBe('222222');
    expect(api.requests[0]?.url).toBe('/_local/mailbox/a%2Bb%40example.com');
  });

  it('fails naming the address when there is no such code', async () => {
    api.answer = () => ({ status: 200, body: { messages: [] } });
    await expect(mailboxCode(api.url, 'nobody@example.com', 'signup')).rejects.toThrow(
      new FlowError('no signup code in the mailbox of nobody@example.com'),
    );
  });

  it('fails on an answer that is not a mailbox', async () => {
    api.answer = () => ({ status: 200, body: { messages: 'none' } });
    await expect(mailboxCode(api.url, 'a@example.com')).rejects.toThrow(
      'the local mailbox answered in an unknown shape',
    );
  });
});

describe('signUpAndConfirm', () => {
  it('signs up, then confirms with the code it is given for that address', async () => {
    api.answer = ({ url }) =>
      url === '/auth/signup'
        ? { status: 201, body: { userSub: 'sub-1', confirmed: false } }
        : { status: 200, body: { confirmed: true } };
    const codeFor = jest.fn(async () => '123456');
    const account = { email: 'a@example.com', password: 'pass-phrase-1', name: 'Ada' };
    expect(await signUpAndConfirm(api.url, account, codeFor)).toEqual({ userSub: 'sub-1' });
    expect(codeFor).toHaveBeenCalledWith('a@example.com');
    expect(api.requests.map((request) => [request.url, json(request)])).toEqual([
      ['/auth/signup', account],
      ['/auth/confirm-signup', { email: 'a@example.com', code: '123456' }],
    ]);
  });

  it('stops at the step that fails, naming it and its answer', async () => {
    api.answer = () => ({ status: 409, body: { error: 'UsernameExists', message: 'Taken.' } });
    const codeFor = jest.fn(() => '123456');
    await expect(
      signUpAndConfirm(api.url, { email: 'a@example.com', password: 'p' }, codeFor),
    ).rejects.toThrow(
      new FlowError('sign-up answered 409 {"error":"UsernameExists","message":"Taken."}'),
    );
    expect(codeFor).not.toHaveBeenCalled();

    api.answer = ({ url }) =>
      url === '/auth/signup'
        ? { status: 201, body: { userSub: 'sub-1' } }
        : { status: 400, body: { error: 'CodeMismatch' } };
    await expect(
      signUpAndConfirm(api.url, { email: 'a@example.com', password: 'p' }, codeFor),
    ).rejects.toThrow('confirm-signup answered 400 {"error":"CodeMismatch"}');
  });
});

describe('signIn', () => {
  const tokens = { idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 };

  it('answers the three tokens of a body-mode sign-in', async () => {
    api.answer = () => ({ status: 200, body: { ...tokens, tokenType: 'Bearer' } });
    expect(await signIn(api.url, { email: 'a@example.com', password: 'pw' })).toEqual(tokens);
    expect(json(api.requests[0] as StubRequest)).toEqual({
      email: 'a@example.com',
      password: 'pw',
    });
  });

  it('fails on a refusal, and on a 200 without the tokens without repeating that answer', async () => {
    api.answer = () => ({ status: 401, body: { error: 'NotAuthorized' } });
    await expect(signIn(api.url, { email: 'a@example.com', password: 'pw' })).rejects.toThrow(
      'sign-in answered 401 {"error":"NotAuthorized"}',
    );
    api.answer = () => ({
      status: 200,
      body: { challenge: 'NEW_PASSWORD_REQUIRED', session: 's' },
    });
    await expect(signIn(api.url, { email: 'a@example.com', password: 'pw' })).rejects.toThrow(
      new FlowError('sign-in answered 200 without the three tokens'),
    );
  });
});

describe('test accounts', () => {
  it("makes passwords the pool's policy (auth-stack.yaml) accepts", () => {
    const { passwordPolicy } = planLocalStack();
    for (let i = 0; i < 20; i++) {
      expect(passwordPolicyViolations(passwordPolicy, newPassword())).toEqual([]);
    }
  });

  it('makes a new address each time, under the label it is given', () => {
    const first = uniqueEmail('bench-user');
    expect(first).toMatch(/^bench-user\+[0-9a-f]{10}@example\.com$/);
    expect(uniqueEmail('bench-user')).not.toBe(first);
  });
});
