import { api, cognito, latestCode, newPassword, newUser, uniqueEmail } from './api-client';
import { sharedStack } from './harness';

describe('the whole journey through the local stack', () => {
  it('signs up, confirms with the mailed code, signs in, refreshes, changes the password and signs out', async () => {
    const email = uniqueEmail('journey');
    const password = newPassword();

    const signUp = await api('/auth/signup', { body: { email, password, name: 'Ada Lovelace' } });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toEqual({
      userSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      confirmed: false,
      delivery: { medium: 'EMAIL', destination: 'j***@e***' },
    });

    const unconfirmed = await api('/auth/signin', { body: { email, password } });
    expect(unconfirmed).toMatchObject({ status: 403, body: { error: 'UserNotConfirmed' } });

    const code = await latestCode(email, 'signup');
    expect(code).toMatch(/^\d{6}$/);
    expect((await api('/auth/confirm-signup', { body: { email, code } })).body).toEqual({
      confirmed: true,
    });

    const signIn = await api('/auth/signin', { body: { email: email.toUpperCase(), password } });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toEqual({
      idToken: expect.any(String),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    const { idToken, accessToken, refreshToken } = signIn.body as Record<string, string>;

    const me = await api('/me', { token: idToken });
    expect(me).toMatchObject({
      status: 200,
      body: { sub: signUp.body.userSub, email, emailVerified: true, name: 'Ada Lovelace' },
    });
    expect((await api('/protected', { token: idToken })).body).toEqual({
      message: 'You are signed in.',
      sub: signUp.body.userSub,
    });

    const refreshed = await api('/auth/refresh', { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'idToken',
      'tokenType',
    ]);

    const proposed = newPassword();
    const change = await api('/auth/change-password', {
      token: idToken,
      body: { accessToken, previousPassword: password, proposedPassword: proposed },
    });
    expect(change.status).toBe(204);
    expect((await api('/auth/signin', { body: { email, password } })).status).toBe(401);
    expect((await api('/auth/signin', { body: { email, password: proposed } })).status).toBe(200);

    expect((await api('/auth/signout', { body: { refreshToken } })).status).toBe(204);
    expect(await api('/auth/refresh', { body: { refreshToken } })).toMatchObject({
      status: 401,
      body: { error: 'NotAuthorized' },
    });
    // The access tokens issued from the revoked refresh token are revoked with it.
    const reuse = await api('/auth/change-password', {
      token: idToken,
      body: { accessToken, previousPassword: proposed, proposedPassword: newPassword() },
    });
    expect(reuse.status).toBe(401);
  });

  it('resets a forgotten password with the mailed code', async () => {
    const user = await newUser('forgot');
    expect((await api('/auth/forgot-password', { body: { email: user.email } })).status).toBe(202);
    const code = await latestCode(user.email, 'forgot-password');
    const weak = await api('/auth/confirm-forgot-password', {
      body: { email: user.email, code, newPassword: 'short' },
    });
    expect(weak).toMatchObject({
      status: 400,
      body: {
        error: 'InvalidPassword',
        message: expect.stringContaining('at least 12 characters'),
      },
    });
    const wrong = await api('/auth/confirm-forgot-password', {
      body: {
        email: user.email,
        code: code === '000000' ? '111111' : '000000',
        newPassword: newPassword(),
      },
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'CodeMismatch' } });
    const reset = newPassword();
    expect(
      (
        await api('/auth/confirm-forgot-password', {
          body: { email: user.email, code, newPassword: reset },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api('/auth/signin', { body: { email: user.email, password: reset } })).status,
    ).toBe(200);
    // A code works once.
    const again = await api('/auth/confirm-forgot-password', {
      body: { email: user.email, code, newPassword: newPassword() },
    });
    expect(again.body.error).toBe('CodeMismatch');
  });

  it('resends the sign-up code; only the newest code confirms', async () => {
    const email = uniqueEmail('resend');
    await api('/auth/signup', { body: { email, password: newPassword() } });
    const first = await latestCode(email, 'signup');
    expect((await api('/auth/resend-code', { body: { email } })).status).toBe(202);
    const second = await latestCode(email, 'resend');
    if (first !== second) {
      expect((await api('/auth/confirm-signup', { body: { email, code: first } })).body.error).toBe(
        'CodeMismatch',
      );
    }
    expect((await api('/auth/confirm-signup', { body: { email, code: second } })).status).toBe(200);
    expect((await api('/auth/confirm-signup', { body: { email, code: second } })).body.error).toBe(
      'AlreadyConfirmed',
    );
  });

  it('lets an admin-created user set a password through the NEW_PASSWORD_REQUIRED challenge', async () => {
    const { UserPoolId } = sharedStack().outputs;
    const email = uniqueEmail('invited');
    const temporary = newPassword();
    const created = await cognito('AdminCreateUser', {
      UserPoolId,
      Username: email,
      TemporaryPassword: temporary,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    expect(created.status).toBe(200);
    const signIn = await api('/auth/signin', { body: { email, password: temporary } });
    expect(signIn.body).toEqual({
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: expect.any(String),
    });
    const chosen = newPassword();
    const answer = await api('/auth/challenge', {
      body: {
        email,
        challenge: 'NEW_PASSWORD_REQUIRED',
        session: signIn.body.session,
        newPassword: chosen,
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.tokenType).toBe('Bearer');
    expect((await api('/auth/signin', { body: { email, password: chosen } })).status).toBe(200);
  });

  it('keeps the mailbox per address, oldest first, with the kind of each message', async () => {
    const email = uniqueEmail('mailbox');
    await api('/auth/signup', { body: { email, password: newPassword() } });
    await api('/auth/resend-code', { body: { email } });
    const { body } = await api(`/_local/mailbox/${encodeURIComponent(email.toUpperCase())}`);
    const messages = body.messages as { kind: string; code: string; at: string }[];
    expect(messages.map((m) => m.kind)).toEqual(['signup', 'resend']);
    for (const message of messages) {
      expect(message).toEqual({
        kind: expect.any(String),
        code: expect.stringMatching(/^\d{6}$/),
        at: expect.any(String),
      });
    }
    expect(Date.parse(messages[0]?.at ?? '')).toBeLessThanOrEqual(
      Date.parse(messages[1]?.at ?? ''),
    );
    expect((await api('/_local/mailbox/nobody%40example.com')).body).toEqual({ messages: [] });
  });

  it('answers /public without a token', async () => {
    expect((await api('/public')).status).toBe(200);
  });
});
