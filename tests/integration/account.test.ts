import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { URI } from 'otpauth';
import { REFRESH_COOKIE } from '../../src/http/cookies';
import { api, enrolTotp, latestCode, newUser, type SignedInUser, uniqueEmail } from './api-client';
import { sharedStack } from './harness';
import { payloadOf } from './tokens';
import { Authenticator } from './totp';

/**
 * The account self-service routes end to end on the local stack (MfaConfiguration OPTIONAL,
 * the default): TOTP enrolment and sign-in with a code, the change of email, the export of
 * the caller's data, the deletion of the account. Pools with MFA required or off are in fidelity.test.ts (corrections 17
 * and 21), with stacks of their own.
 */
const totpEnrolment = (user: SignedInUser, accessToken = user.accessToken) =>
  api('/me/mfa/totp', { token: user.idToken, body: { accessToken } });
const signIn = (user: { email: string; password: string }) =>
  api('/auth/signin', { body: { email: user.email, password: user.password } });

describe('TOTP multi-factor authentication', () => {
  let user: SignedInUser;
  let other: SignedInUser;
  beforeAll(async () => {
    [user, other] = await Promise.all([newUser('totp'), newUser('totp-other')]);
  });

  it('enrols an authenticator app: a secret and its otpauth:// URI, issued by the stack', async () => {
    const enrolment = await totpEnrolment(user);
    expect(enrolment.status).toBe(200);
    const { secretCode, otpauthUri } = enrolment.body as Record<string, string>;
    const parsed = URI.parse(String(otpauthUri));
    expect(parsed).toMatchObject({ issuer: 'local-api', label: user.email });
    expect(parsed.secret.base32).toBe(secretCode);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/local-api:[^?]+%40example\.com\?/);
  });

  it("refuses another user's access token, and callers without an ID token", async () => {
    expect(await totpEnrolment(user, other.accessToken)).toMatchObject({
      status: 403,
      body: { error: 'Forbidden' },
    });
    expect((await api('/me/mfa/totp', { body: { accessToken: user.accessToken } })).status).toBe(
      401,
    );
    expect(
      await api('/me/mfa/totp/verify', {
        token: user.idToken,
        body: { accessToken: user.accessToken, code: '12345' },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: 'ValidationError', details: [{ path: 'code' }] },
    });
  });

  it('turns TOTP on with a right first code only, then asks every sign-in for a code', async () => {
    const enrolment = await totpEnrolment(user);
    const app = new Authenticator(String(enrolment.body.secretCode));
    const verify = (code: string) =>
      api('/me/mfa/totp/verify', {
        token: user.idToken,
        body: { accessToken: user.accessToken, code },
      });
    expect(await verify(app.wrongCode())).toMatchObject({
      status: 401,
      body: { error: 'InvalidMfaCode' },
    });
    // A wrong first code changed nothing.
    expect((await signIn(user)).body).toMatchObject({ tokenType: 'Bearer' });
    const code = app.code();
    expect(await verify(code)).toEqual(
      expect.objectContaining({ status: 200, body: { mfa: 'TOTP' } }),
    );

    const challenge = await signIn(user);
    expect(challenge).toMatchObject({
      status: 200,
      body: { challenge: 'SOFTWARE_TOKEN_MFA', session: expect.any(String) },
    });
    const answer = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      api('/auth/challenge', {
        headers,
        body: {
          email: user.email,
          challenge: 'SOFTWARE_TOKEN_MFA',
          session: challenge.body.session,
          ...body,
        },
      });
    // The code that verified the app is spent; a wrong one is refused alike.
    expect(await answer({ code })).toMatchObject({
      status: 401,
      body: { error: 'InvalidMfaCode' },
    });
    expect(await answer({ code: app.wrongCode() })).toMatchObject({
      status: 401,
      body: { error: 'InvalidMfaCode' },
    });
    expect(
      await api('/auth/challenge', {
        body: {
          email: user.email,
          challenge: 'SOFTWARE_TOKEN_MFA',
          session: 'a-session-cognito-never-issued',
          code: app.nextCode(),
        },
      }),
    ).toMatchObject({ status: 401, body: { error: 'NotAuthorized' } });
    // Cookie mode, as for sign-in: only from an allowed origin, refresh token in the cookie.
    expect(await answer({ code: app.nextCode(), cookie: true })).toMatchObject({
      status: 403,
      body: { error: 'OriginNotAllowed' },
    });
    const signedIn = await answer(
      { code: app.nextCode(), cookie: true },
      { Origin: sharedStack().outputs.WebUrl },
    );
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ tokenType: 'Bearer' });
    expect(signedIn.body.refreshToken).toBeUndefined();
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith(`${REFRESH_COOKIE}=`))).toBe(
      true,
    );
    expect((await api('/me', { token: String(signedIn.body.idToken) })).status).toBe(200);
  });

  it('turns TOTP off with the password only: a wrong one is refused and counts', async () => {
    const target = await newUser('totp-off');
    await enrolTotp(target);
    const disable = (password: string) =>
      api('/me/mfa/disable', {
        token: target.idToken,
        body: { accessToken: target.accessToken, password },
      });
    expect(await disable('not-the-password')).toMatchObject({
      status: 401,
      body: { error: 'NotAuthorized', message: 'The password is not correct.' },
    });
    expect((await signIn(target)).body.challenge).toBe('SOFTWARE_TOKEN_MFA');
    expect(await disable(target.password)).toMatchObject({ status: 200, body: { mfa: null } });
    expect((await signIn(target)).body).toMatchObject({ tokenType: 'Bearer' });
    // Wrong passwords here meet the same lockout as at sign-in (5, then 429).
    for (let i = 0; i < 5; i++) expect((await disable(`wrong-${i}`)).status).toBe(401);
    expect(await disable(target.password)).toMatchObject({
      status: 429,
      body: { error: 'TooManyRequests' },
    });
  });

  it('refuses a challenge body that does not fit its challenge', async () => {
    const refused = await api('/auth/challenge', {
      body: {
        email: user.email,
        challenge: 'SOFTWARE_TOKEN_MFA',
        session: 'x'.repeat(30),
        newPassword: 'a-new-pass-phrase',
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('ValidationError');
    expect((refused.body.details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'code',
      'newPassword',
    ]);
    const unknown = await api('/auth/challenge', {
      body: { email: user.email, challenge: 'SMS_MFA', session: 'x'.repeat(30), code: '123456' },
    });
    expect(unknown).toMatchObject({ status: 400, body: { details: [{ path: 'challenge' }] } });
  });
});

describe('change of email', () => {
  it('sends a code to the new address after the password; the old address signs in until it is verified', async () => {
    const user = await newUser('email-from');
    const newEmail = uniqueEmail('email-to');
    const change = (body: Record<string, unknown>) =>
      api('/me/email', { token: user.idToken, body: { accessToken: user.accessToken, ...body } });
    expect(await change({ password: 'not-the-password', newEmail })).toMatchObject({
      status: 401,
      body: { error: 'NotAuthorized' },
    });
    expect(
      await change({ password: user.password, newEmail: user.email.toUpperCase() }),
    ).toMatchObject({
      status: 400,
      body: { error: 'InvalidRequest' },
    });
    expect(await change({ password: user.password, newEmail })).toEqual(
      expect.objectContaining({
        status: 202,
        body: { delivery: { medium: 'EMAIL', destination: 'e***@e***' } },
      }),
    );
    const code = await latestCode(newEmail, 'verify-email');
    expect((await signIn(user)).status).toBe(200);
    expect((await signIn({ email: newEmail, password: user.password })).status).toBe(401);

    const verify = (value: string) =>
      api('/me/email/verify', {
        token: user.idToken,
        body: { accessToken: user.accessToken, code: value },
      });
    expect(await verify(code === '000000' ? '000001' : '000000')).toMatchObject({
      status: 400,
      body: { error: 'CodeMismatch' },
    });
    expect(await verify(code)).toEqual(
      expect.objectContaining({ status: 200, body: { email: newEmail, emailVerified: true } }),
    );
    expect((await signIn(user)).status).toBe(401);
    const signedIn = await signIn({ email: newEmail, password: user.password });
    expect(signedIn.status).toBe(200);
    expect(payloadOf(String(signedIn.body.idToken))).toMatchObject({
      email: newEmail,
      email_verified: true,
    });
    expect((await api('/me', { token: String(signedIn.body.idToken) })).body).toMatchObject({
      email: newEmail,
    });
    // The code is spent.
    expect((await verify(code)).status).toBe(400);
  });

  it('refuses an address another account uses, and never says whose', async () => {
    const [user, owner] = await Promise.all([newUser('email-taker'), newUser('email-owner')]);
    const taken = await api('/me/email', {
      token: user.idToken,
      body: { accessToken: user.accessToken, password: user.password, newEmail: owner.email },
    });
    expect(taken).toMatchObject({ status: 409, body: { error: 'EmailInUse' } });
    expect(taken.text).not.toContain(owner.sub);
    expect(taken.text).not.toContain(owner.email);
  });
});

describe('export of my data', () => {
  let user: SignedInUser;
  let other: SignedInUser;
  beforeAll(async () => {
    [user, other] = await Promise.all([newUser('export'), newUser('export-other')]);
    await api('/me/profile', { method: 'PUT', token: user.idToken, body: { theme: 'dark' } });
    await api('/me/profile', { method: 'PUT', token: other.idToken, body: { theme: 'other' } });
    for (const content of ['first', { second: 2 }, ['third']])
      await api('/me/logs', { token: user.idToken, body: { content } });
    await api('/me/logs', { token: other.idToken, body: { content: 'not yours' } });
  });

  const exportData = (options: Parameters<typeof api>[1] = {}) =>
    api('/me/export', { method: 'POST', token: user.idToken, ...options });

  it('answers a 15-minute link to one JSON document of the account, the profile and every entry', async () => {
    const before = Date.now();
    const answer = await exportData();
    expect(answer.status).toBe(200);
    const { url, expiresAt } = answer.body as { url: string; expiresAt: string };
    const link = new URL(url);
    expect(link.pathname).toMatch(new RegExp(`/users/${user.sub}/exports/[^/]+\\.json$`));
    expect(link.searchParams.get('X-Amz-Expires')).toBe('900');
    const lifetime = Date.parse(expiresAt) - before;
    expect(lifetime).toBeGreaterThan(895_000);
    expect(lifetime).toBeLessThanOrEqual(905_000);

    // Plain HTTP, no credentials: what curl does with the link.
    const download = await fetch(url);
    expect(download.status).toBe(200);
    const document = (await download.json()) as {
      account: Record<string, unknown>;
      profile: unknown;
      logs: { content: unknown; id: string }[];
    };
    expect(document.account).toEqual({
      sub: user.sub,
      email: user.email,
      emailVerified: true,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(document.profile).toEqual({ theme: 'dark' });
    expect(document.logs.map((entry) => entry.content)).toEqual([
      ['third'],
      { second: 2 },
      'first',
    ]);
    expect(JSON.stringify(document)).not.toContain('not yours');
  });

  it('takes no body, or an empty JSON object, and refuses anything else', async () => {
    expect((await exportData({ body: {} })).status).toBe(200);
    expect(await exportData({ body: { everything: true } })).toMatchObject({
      status: 400,
      body: { error: 'ValidationError' },
    });
    expect(
      (await exportData({ rawBody: 'please', headers: { 'Content-Type': 'text/plain' } })).status,
    ).toBe(415);
    expect((await api('/me/export', { method: 'POST' })).status).toBe(401);
  });

  it('serves the link no longer than its lifetime (s3rver checks X-Amz-Date and X-Amz-Expires)', async () => {
    const link = new URL(String((await exportData()).body.url));
    // s3rver does not verify SigV4 signatures (S3 would refuse the changed link for that alone),
    // so moving the signing time 16 minutes back shows that the expiry itself is enforced.
    const signedAt = new Date(Date.now() - 16 * 60_000).toISOString().replace(/[-:]|\.\d+/g, '');
    link.searchParams.set('X-Amz-Date', signedAt);
    const expired = await fetch(link);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });
});

describe('delete my account', () => {
  /** The files s3rver keeps under a user's prefix. */
  const storedFiles = (sub: string) => {
    const { dataDir, outputs } = sharedStack();
    const dir = path.join(dataDir, 's3', String(outputs.UserDataBucketName), 'users', sub);
    return existsSync(dir) ? readdirSync(dir, { recursive: true }) : [];
  };
  const deleteMe = (who: SignedInUser, body: Record<string, unknown> = {}) =>
    api('/me', {
      method: 'DELETE',
      token: who.idToken,
      body: { accessToken: who.accessToken, password: who.password, ...body },
    });

  it('refuses a wrong password, another user’s access token and callers without an ID token, changing nothing', async () => {
    const [user, other] = await Promise.all([newUser('delete-refused'), newUser('delete-other')]);
    expect(await deleteMe(user, { password: `${user.password}-not` })).toMatchObject({
      status: 401,
      body: { error: 'NotAuthorized', message: 'The password is not correct.' },
    });
    expect(await deleteMe(user, { accessToken: other.accessToken })).toMatchObject({
      status: 403,
      body: { error: 'Forbidden' },
    });
    expect(
      (
        await api('/me', {
          method: 'DELETE',
          body: { accessToken: user.accessToken, password: user.password },
        })
      ).status,
    ).toBe(401);
    expect((await api('/me', { token: user.idToken })).status).toBe(200);
    expect((await signIn(user)).status).toBe(200);
  });

  it('deletes the account and its data, and nobody else’s; its tokens are refused at once', async () => {
    const [user, other] = await Promise.all([newUser('delete'), newUser('delete-kept')]);
    await api('/me/profile', { method: 'PUT', token: user.idToken, body: { theme: 'dark' } });
    await api('/me/logs', { token: user.idToken, body: { content: 'mine' } });
    await api('/me/export', { method: 'POST', token: user.idToken });
    await api('/me/profile', { method: 'PUT', token: other.idToken, body: { theme: 'kept' } });

    const deleted = await deleteMe(user);
    expect(deleted.status).toBe(204);
    expect(String(deleted.headers.get('set-cookie'))).toContain(`${REFRESH_COOKIE}=;`);
    for (const [method, route] of [
      ['GET', '/me'],
      ['GET', '/me/profile'],
      ['GET', '/me/logs'],
      ['POST', '/me/export'],
    ]) {
      const answer = await api(String(route), { method, token: user.idToken });
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
    }
    expect((await deleteMe(user)).status).toBe(401);
    expect(await signIn(user)).toMatchObject({ status: 401, body: { error: 'NotAuthorized' } });
    expect((await api('/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
    // Nothing of theirs is left in the bucket (s3rver's files), the other user's data is.
    expect(storedFiles(user.sub)).toEqual([]);
    expect(storedFiles(other.sub)).not.toEqual([]);
    expect((await api('/me/profile', { token: other.idToken })).body).toEqual({ theme: 'kept' });
  });
});
