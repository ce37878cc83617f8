import { api, newPassword, newUser, type SignedInUser, uniqueEmail } from './api-client';
import { withBytesIn } from './hostile/corpus';

/**
 * Bodies with bytes that are not UTF-8, sent raw through the local gateway. API Gateway hands
 * the function such a body as text with U+FFFD in their place, and so does the local gateway;
 * the API must refuse it instead of turning the bytes into a password or stored data.
 */
const JSON_TYPE = { 'Content-Type': 'application/json' };
const NOT_UTF8 = {
  error: 'MalformedJson',
  message:
    'The request body holds bytes that are not UTF-8 (they arrive as U+FFFD). Send UTF-8; to mean U+FFFD itself, write it as \\ufffd.',
};

describe('bodies with bytes that are not UTF-8', () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('bytes');
  });

  it('refuse a sign-up whose password holds FF FE, and create no account', async () => {
    const email = uniqueEmail('ff-fe');
    const signUp = await api('/auth/signup', {
      rawBody: withBytesIn({ email, password: 'pass-phrase-long' }, 'password', [0xff, 0xfe]),
      headers: JSON_TYPE,
    });
    expect({ status: signUp.status, body: signUp.body }).toEqual({ status: 400, body: NOT_UTF8 });
    // Other invalid bytes do not sign in either: nothing was registered to match them.
    const signIn = await api('/auth/signin', {
      rawBody: withBytesIn({ email, password: 'pass-phrase-long' }, 'password', [0xc0, 0xaf]),
      headers: JSON_TYPE,
    });
    expect({ status: signIn.status, body: signIn.body }).toEqual({ status: 400, body: NOT_UTF8 });
    const mailbox = await api(`/_local/mailbox/${encodeURIComponent(email)}`);
    expect(mailbox.body).toEqual({ messages: [] });
    expect((await api('/auth/signup', { body: { email, password: newPassword() } })).status).toBe(
      201,
    );
  });

  it('refuse a profile value with invalid bytes and keep the stored profile', async () => {
    const stored = { theme: 'dark' };
    expect(
      (await api('/me/profile', { method: 'PUT', token: user.idToken, body: stored })).status,
    ).toBe(200);
    const answer = await api('/me/profile', {
      method: 'PUT',
      token: user.idToken,
      rawBody: withBytesIn({ theme: 'light' }, 'nickname', [0xe2, 0x82]),
      headers: JSON_TYPE,
    });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: NOT_UTF8 });
    expect((await api('/me/profile', { token: user.idToken })).body).toEqual(stored);
  });

  it('refuse a log entry with invalid bytes and list nothing new', async () => {
    const before = await api('/me/logs', { token: user.idToken });
    const answer = await api('/me/logs', {
      token: user.idToken,
      rawBody: withBytesIn({}, 'content', [0xed, 0xa0, 0x80]),
      headers: JSON_TYPE,
    });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: NOT_UTF8 });
    expect((await api('/me/logs', { token: user.idToken })).body).toEqual(before.body);
  });

  it('keep a U+FFFD the client wrote as the JSON escape', async () => {
    const created = await api('/me/logs', {
      token: user.idToken,
      rawBody: '{"content":"replacement: \\ufffd"}',
      headers: JSON_TYPE,
    });
    expect(created.status).toBe(201);
    const entry = await api(`/me/logs/${String(created.body.id)}`, { token: user.idToken });
    expect(entry.body.content).toBe('replacement: \uFFFD');
  });
});
