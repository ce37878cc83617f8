import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REFRESH_COOKIE } from '../../src/http/cookies';
import { api, latestCode, newPassword, uniqueEmail } from './api-client';
import { type RunningStack, spawnStack } from './harness';
import { Authenticator } from './totp';

/**
 * Every log line the system writes while the whole journey runs (the functions' logs, the
 * emulators' logs and npm start's own output) holds no password, confirmation or reset code,
 * ID, access or refresh token. The one deliberate exception is the local mailbox (📬 lines):
 * it is where codes are delivered locally, as email would be.
 */
describe('secret hygiene', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await spawnStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });

  it('keeps passwords, codes and tokens out of every log line of the whole journey', async () => {
    const apiUrl = stack.outputs.ApiUrl;
    const origin = stack.outputs.WebUrl;
    const call = (route: string, options: Parameters<typeof api>[1] = {}) =>
      api(route, { apiUrl, ...options });
    const secrets: string[] = [];
    const keep = (...values: unknown[]) => {
      for (const value of values)
        if (typeof value === 'string' && value.length > 0) secrets.push(value);
      return values[0] as string;
    };

    const email = uniqueEmail('hygiene');
    const password = keep(newPassword());
    expect(
      (await call('/auth/signup', { body: { email, password, name: 'Hy Giene' } })).status,
    ).toBe(201);
    expect((await call('/auth/signin', { body: { email, password } })).status).toBe(403);
    await call('/auth/resend-code', { body: { email } });
    const code = keep(await latestCode(email, 'resend', apiUrl));
    expect(
      (
        await call('/auth/confirm-signup', {
          body: { email, code: code === '000000' ? '111111' : '000000' },
        })
      ).status,
    ).toBe(400);
    expect((await call('/auth/confirm-signup', { body: { email, code } })).status).toBe(200);
    expect(
      (await call('/auth/signin', { body: { email, password: keep(`${password}-wrong`) } })).status,
    ).toBe(401);

    const signIn = await call('/auth/signin', { body: { email, password } });
    const { idToken, accessToken, refreshToken } = signIn.body as Record<string, string>;
    keep(idToken, accessToken, refreshToken);
    expect((await call('/me', { token: idToken })).status).toBe(200);
    const refreshed = await call('/auth/refresh', { body: { refreshToken } });
    keep(refreshed.body.idToken, refreshed.body.accessToken);
    await call('/me/profile', { method: 'PUT', token: idToken, body: { note: 'hello' } });
    await call('/me/logs', { token: idToken, body: { content: 'ls -la' } });
    await call('/me/logs', { token: idToken });

    const changed = keep(newPassword());
    const change = await call('/auth/change-password', {
      token: idToken,
      body: { accessToken, previousPassword: password, proposedPassword: changed },
    });
    expect(change.status).toBe(204);
    await call('/auth/change-password', {
      token: idToken,
      body: {
        accessToken,
        previousPassword: keep('not-the-password'),
        proposedPassword: keep('short'),
      },
    });

    const cookieSignIn = await call('/auth/signin', {
      body: { email, password: changed, session: 'cookie' },
      headers: { Origin: origin },
    });
    const cookie =
      cookieSignIn.headers.getSetCookie().find((value) => value.startsWith(REFRESH_COOKIE)) ?? '';
    keep(
      cookie.split(';')[0]?.split('=')[1],
      cookieSignIn.body.idToken,
      cookieSignIn.body.accessToken,
    );
    const cookieHeaders = {
      'Content-Type': 'application/json',
      Origin: origin,
      Cookie: cookie.split(';')[0] ?? '',
    };
    expect(
      (await call('/auth/refresh', { method: 'POST', rawBody: '{}', headers: cookieHeaders }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('/auth/signout', {
          method: 'POST',
          rawBody: '{}',
          headers: { ...cookieHeaders, Authorization: `Bearer ${cookieSignIn.body.idToken}` },
        })
      ).status,
    ).toBe(204);

    await call('/auth/forgot-password', { body: { email } });
    const reset = keep(await latestCode(email, 'forgot-password', apiUrl));
    const resetPassword = keep(newPassword());
    expect(
      (
        await call('/auth/confirm-forgot-password', {
          body: { email, code: reset, newPassword: resetPassword },
        })
      ).status,
    ).toBe(200);

    expect((await call('/auth/signout', { body: { refreshToken } })).status).toBe(204);
    const last = await call('/auth/signin', { body: { email, password: resetPassword } });
    keep(last.body.idToken, last.body.accessToken, last.body.refreshToken);
    expect(
      (
        await call('/auth/signout-all', {
          token: String(last.body.idToken),
          body: { accessToken: last.body.accessToken },
        })
      ).status,
    ).toBe(204);
    expect((await call('/me', { token: String(last.body.idToken) })).status).toBe(401);
    expect((await call('/auth/refresh', { body: { refreshToken } })).status).toBe(401);

    // Account self-service: an authenticator's secret and codes, a sign-in with one, a change
    // of email with its code, and an export link (a bearer link: its signature is a secret).
    const fresh = (await call('/auth/signin', { body: { email, password: resetPassword } }))
      .body as Record<string, string>;
    keep(fresh.idToken, fresh.accessToken, fresh.refreshToken);
    const enrolment = await call('/me/mfa/totp', {
      token: fresh.idToken,
      body: { accessToken: fresh.accessToken },
    });
    keep(enrolment.body.secretCode, enrolment.body.otpauthUri);
    const app = Authenticator.fromUri(String(enrolment.body.otpauthUri));
    const firstCode = keep(app.code());
    expect(
      (
        await call('/me/mfa/totp/verify', {
          token: fresh.idToken,
          body: { accessToken: fresh.accessToken, code: firstCode },
        })
      ).status,
    ).toBe(200);
    const challenge = await call('/auth/signin', { body: { email, password: resetPassword } });
    const session = keep(challenge.body.session);
    await call('/auth/challenge', {
      body: { email, challenge: 'SOFTWARE_TOKEN_MFA', session, code: firstCode },
    });
    const mfaSignIn = await call('/auth/challenge', {
      body: { email, challenge: 'SOFTWARE_TOKEN_MFA', session, code: keep(app.nextCode()) },
    });
    expect(mfaSignIn.status).toBe(200);
    const mfa = mfaSignIn.body as Record<string, string>;
    keep(mfa.idToken, mfa.accessToken, mfa.refreshToken);
    const newEmail = uniqueEmail('hygiene-new');
    expect(
      (
        await call('/me/email', {
          token: mfa.idToken,
          body: { accessToken: mfa.accessToken, password: resetPassword, newEmail },
        })
      ).status,
    ).toBe(202);
    const emailCode = keep(await latestCode(newEmail, 'verify-email', apiUrl));
    expect(
      (
        await call('/me/email/verify', {
          token: mfa.idToken,
          body: { accessToken: mfa.accessToken, code: emailCode },
        })
      ).status,
    ).toBe(200);
    const exported = await call('/me/export', { method: 'POST', token: mfa.idToken });
    const link = new URL(String(exported.body.url));
    keep(link.searchParams.get('X-Amz-Signature'));
    expect((await fetch(link)).status).toBe(200);
    expect(
      (
        await call('/me/mfa/disable', {
          token: mfa.idToken,
          body: { accessToken: mfa.accessToken, password: keep('not-the-password-either') },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call('/me', {
          method: 'DELETE',
          token: mfa.idToken,
          body: { accessToken: mfa.accessToken, password: resetPassword },
        })
      ).status,
    ).toBe(204);

    // Let the last log lines reach their files.
    await stack.waitForOutput(/DELETE \/me 204/);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const logFiles = files(path.join(stack.dataDir, 'logs'));
    const sources: [string, string][] = [
      ...logFiles.map((file): [string, string] => [
        path.relative(stack.dataDir, file),
        readFileSync(file, 'utf8'),
      ]),
      [
        'npm start output',
        stack
          .output()
          .split('\n')
          .filter((line) => !line.startsWith('📬'))
          .join('\n'),
      ],
    ];
    // The check is only worth something if the logs say what happened.
    const functionLogs = sources.filter(([name]) => name.startsWith('logs/functions/'));
    expect(functionLogs.length).toBeGreaterThanOrEqual(10);
    expect(functionLogs.map(([, text]) => text).join('')).toContain('"message":"request"');
    expect(stack.output()).toContain(`📬 resend code for ${email}: ${code}`);

    // One security event per authentication event (OWASP ASVS 16.3), each with its outcome and
    // whom it concerns: the sub, or a hash of the address when no sub is known; never the address.
    const securityEvents = functionLogs
      .flatMap(([, text]) => text.split('\n'))
      .filter((line) => line.includes('"securityEvent"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      [...new Set(securityEvents.map((e) => `${e.securityEvent} ${e.outcome}`))].sort(),
    ).toEqual([
      'account-delete success',
      'data-export success',
      'email-change-request success',
      'email-change-verify success',
      'ended-session-refused failure',
      'mfa-challenge failure',
      'mfa-challenge success',
      'mfa-disable failure',
      'mfa-enrol success',
      'mfa-verify success',
      'password-change failure',
      'password-change success',
      'password-reset success',
      'sign-in failure',
      'sign-in success',
      'sign-out success',
      'sign-out-all success',
      'sign-up success',
      'token-refresh failure',
      'token-refresh success',
    ]);
    for (const event of securityEvents) {
      expect(JSON.stringify(event)).not.toContain(email);
      expect(JSON.stringify(event)).not.toContain(newEmail);
      // A refresh token is opaque: a sign-out or a refused refresh with it alone names nobody.
      const byRefreshTokenAlone =
        (event.securityEvent === 'sign-out' || event.securityEvent === 'token-refresh') &&
        event.reason !== undefined;
      const named = typeof event.sub === 'string' || typeof event.emailHash === 'string';
      expect({ event, named: named || byRefreshTokenAlone }).toEqual({ event, named: true });
    }

    const leaks = sources.flatMap(([name, text]) => [
      ...secrets
        .filter((secret) => secret.length >= 6 && text.includes(secret))
        .map((secret) => `${name}: ${secret.slice(0, 6)}…`),
      ...(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/.test(text) ? [`${name}: a JWT`] : []),
    ]);
    expect(leaks).toEqual([]);
  }, 60_000);
});
