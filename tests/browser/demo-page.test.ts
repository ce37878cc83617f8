import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { latestCode, newPassword, newUser, uniqueEmail } from '../integration/api-client';
import { sharedStack } from '../integration/harness';
import { Authenticator } from '../integration/totp';
import { DEBIAN_CHROMIUM, describeWithTool } from '../required-tools';
import { launchChromium } from './chromium';

/**
 * The demo page in a real browser: the whole journey in cookie mode, the refresh token never
 * visible to page scripts, sessions that survive a reload until sign-out, and CORS that keeps
 * a page from another origin out.
 */
const { ApiUrl, WebUrl } = sharedStack().outputs;

/** What page-side functions use (this file is type-checked for Node, not for the DOM). */
interface InPage {
  document: {
    cookie: string;
    querySelector(selector: string): { textContent: string | null } | null;
    getElementById(id: string): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
  };
  localStorage: { length: number };
  sessionStorage: { length: number };
}

describeWithTool(DEBIAN_CHROMIUM, 'the demo page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // The ID token the page last sent, copied out of it as an attacker with the page's traffic
  // would: after a sign-out, it must be refused.
  let copiedIdToken = '';
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (authorization) copiedIdToken = authorization.replace(/^Bearer /, '');
    });
  });
  const refusedAtTheApi = async (token: string) => {
    const response = await fetch(`${ApiUrl}/me`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };
  const ended = {
    status: 401,
    body: {
      error: 'Unauthorized',
      message:
        'This session has ended (signed out, password changed, or account disabled). Sign in again.',
    },
  };
  afterAll(async () => {
    await browser?.close();
  });

  // Page-side expressions are strings: this file is type-checked for Node, not the DOM.
  // Text selectors, not waitForFunction: the page's CSP (script-src 'self') forbids the eval
  // that page-side predicates need, and the test keeps that CSP on.
  const textIs = (selector: string, text: string) =>
    page.waitForSelector(`${selector}:text-is(${JSON.stringify(text)})`);
  const statusIs = (text: string) => textIs('#status', text);
  const submit = async (form: string, fields: Record<string, string>) => {
    for (const [name, value] of Object.entries(fields))
      await page.fill(`#${form} [name=${name}]`, value);
    await page.click(`#${form} button[type=submit]`);
  };

  it('signs up, confirms, signs in, keeps logs, survives a reload, changes password, signs out and out everywhere', async () => {
    const email = uniqueEmail('browser');
    const password = newPassword();

    await page.goto(WebUrl);
    await page.waitForSelector('#signed-out:not([hidden])');
    await statusIs('Signed out.');

    await submit('signup-form', { email, password, name: 'Ada in Chromium' });
    await page.waitForSelector('#status:text("Account created.")');
    await submit('confirm-form', { code: await latestCode(email, 'signup', ApiUrl) });
    await statusIs('Email confirmed. You can sign in.');
    await submit('signin-form', { password });
    await page.waitForSelector('#signed-in:not([hidden])');
    await textIs('#me-email', email);
    expect(await page.textContent('#me-name')).toBe('Ada in Chromium');

    // The refresh token is in an HttpOnly cookie: page scripts cannot see it, and the page
    // keeps no token in storage either.
    const cookies = await context.cookies(ApiUrl);
    const refresh = cookies.find((cookie) => cookie.name === '__Host-refresh_token');
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(
      await page.evaluate(() => (globalThis as unknown as InPage).document.cookie),
    ).not.toContain('refresh');
    expect(
      await page.evaluate(() => (globalThis as unknown as InPage).document.cookie),
    ).not.toContain(String(refresh?.value).slice(0, 20));
    expect(
      await page.evaluate(() => {
        const { localStorage, sessionStorage } = globalThis as unknown as InPage;
        return [localStorage.length, sessionStorage.length];
      }),
    ).toEqual([0, 0]);

    await submit('log-form', { content: 'echo hello from the browser' });
    await page.waitForSelector('#logs li');
    expect(await page.textContent('#logs li')).toContain('echo hello from the browser');

    await page.reload();
    await page.waitForSelector('#signed-in:not([hidden])');
    await textIs('#me-email', email);
    await page.waitForSelector('#logs li');

    const proposed = newPassword();
    await submit('password-form', { previousPassword: password, proposedPassword: proposed });
    await statusIs('Password changed.');

    const copied = copiedIdToken;
    expect((await refusedAtTheApi(copied)).status).toBe(200);
    await page.click('#signout-button');
    await page.waitForSelector('#signed-out:not([hidden])');
    // The sign-out ended the session at the API, not only in the page; and the page kept
    // nothing of the account.
    expect(await refusedAtTheApi(copied)).toEqual(ended);
    expect(await page.textContent('#me-email')).toBe('');
    expect(await page.locator('#logs li').count()).toBe(0);
    expect(
      (await context.cookies(ApiUrl)).find((cookie) => cookie.name === '__Host-refresh_token'),
    ).toBeUndefined();
    await page.reload();
    await statusIs('Signed out.');
    expect(await page.isHidden('#signed-in')).toBe(true);

    // The new password works; the old one does not.
    await submit('signin-form', { email, password });
    await statusIs('Incorrect email or password.');
    await submit('signin-form', { email, password: proposed });
    await page.waitForSelector('#signed-in:not([hidden])');

    // Sign out everywhere: this session's token is refused as well.
    await textIs('#me-email', email);
    const everywhere = copiedIdToken;
    await page.click('#signout-all-button');
    await statusIs('Signed out everywhere: every session of this account has ended.');
    expect(await refusedAtTheApi(everywhere)).toEqual(ended);
  });

  it('turns TOTP on from a QR code, signs in with a code, changes the email, exports, turns TOTP off, deletes the account', async () => {
    const user = await newUser('browser-account', ApiUrl);
    const own = await browser.newContext();
    const tab = await own.newPage();
    const textIn = (selector: string, text: string) =>
      tab.waitForSelector(`${selector}:text-is(${JSON.stringify(text)})`);
    const fill = async (form: string, fields: Record<string, string>) => {
      for (const [name, value] of Object.entries(fields))
        await tab.fill(`#${form} [name=${name}]`, value);
      await tab.click(`#${form} button[type=submit]`);
    };
    await tab.goto(WebUrl);
    await fill('signin-form', { email: user.email, password: user.password });
    await tab.waitForSelector('#signed-in:not([hidden])');

    await tab.click('#totp-enrol-button');
    await tab.waitForSelector('#totp-verify-form:not([hidden])');
    const secret = String(await tab.textContent('#totp-secret'));
    // The QR code is the otpauth:// URI of that secret: each module of the code the library
    // makes for the URI is dark or light on the page's canvas alike.
    const uri = new TOTP({
      issuer: 'local-api',
      label: user.email,
      secret: Secret.fromBase32(secret),
    }).toString();
    const { modules } = QRCode.create(uri, {});
    const canvas = await tab.evaluate(() => {
      const element = (globalThis as unknown as InPage).document.getElementById('totp-qr');
      const pixels = element.getContext('2d').getImageData(0, 0, element.width, element.height);
      return { width: element.width, red: Array.from(pixels.data.filter((_, i) => i % 4 === 0)) };
    });
    const scale = canvas.width / (modules.size + 8);
    const dark: boolean[] = [];
    const painted: boolean[] = [];
    for (let row = 0; row < modules.size; row++)
      for (let col = 0; col < modules.size; col++) {
        dark.push(Boolean(modules.get(row, col)));
        const [x, y] = [(4 + col + 0.5) * scale, (4 + row + 0.5) * scale].map(Math.floor);
        painted.push((canvas.red[(y ?? 0) * canvas.width + (x ?? 0)] ?? 255) < 128);
      }
    expect(painted).toEqual(dark);

    const app = new Authenticator(secret);
    await fill('totp-verify-form', { code: app.code() });
    await textIn('#status', 'Authenticator app is on: sign-ins ask for its code.');

    await tab.click('#signout-button');
    await tab.waitForSelector('#signed-out:not([hidden])');
    await fill('signin-form', { email: user.email, password: user.password });
    await textIn('#status', 'Enter the code from your authenticator app.');
    await fill('mfa-form', { code: app.nextCode() });
    await tab.waitForSelector('#signed-in:not([hidden])');

    const newEmail = uniqueEmail('browser-new');
    await fill('email-form', { newEmail, password: user.password });
    await tab.waitForSelector('#email-verify-form:not([hidden])');
    await fill('email-verify-form', { code: await latestCode(newEmail, 'verify-email', ApiUrl) });
    await textIn('#status', `Your email is now ${newEmail}.`);
    await textIn('#me-email', newEmail);

    await tab.click('#export-button');
    await tab.waitForSelector('#export-result a');
    const download = await fetch(String(await tab.getAttribute('#export-result a', 'href')));
    expect(((await download.json()) as { account: { email: string } }).account.email).toBe(
      newEmail,
    );

    await fill('totp-disable-form', { password: 'not-the-password' });
    await textIn('#status', 'The password is not correct.');
    await fill('totp-disable-form', { password: user.password });
    await textIn('#status', 'Authenticator app is off.');
    await tab.click('#signout-button');
    await tab.waitForSelector('#signed-out:not([hidden])');
    await fill('signin-form', { email: newEmail, password: user.password });
    await tab.waitForSelector('#signed-in:not([hidden])');

    // Delete the account, with the password again; afterwards it cannot sign in.
    await fill('delete-account-form', { password: 'not-the-password' });
    await textIn('#status', 'The password is not correct.');
    await fill('delete-account-form', { password: user.password });
    await textIn('#status', 'Your account and all its data are deleted.');
    await tab.waitForSelector('#signed-out:not([hidden])');
    await fill('signin-form', { email: newEmail, password: user.password });
    await textIn('#status', 'Incorrect email or password.');
    await own.close();
  });

  describe('a page from an origin not on the allowlist', () => {
    let foreign: Server;
    let foreignUrl = '';
    beforeAll(async () => {
      foreign = createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<!doctype html><title>elsewhere</title>');
      });
      await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
      foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

    it("cannot read the API's responses with credentials", async () => {
      const other = await context.newPage();
      await other.goto(foreignUrl);
      const outcomes = await other.evaluate(async (api) => {
        const attempt = async (route: string, init: RequestInit) => {
          try {
            const response = await fetch(`${api}${route}`, { credentials: 'include', ...init });
            return `read ${response.status}`;
          } catch {
            return 'blocked';
          }
        };
        return [
          await attempt('/public', {}),
          await attempt('/auth/refresh', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{}',
          }),
          await attempt('/me', {}),
        ];
      }, ApiUrl);
      expect(outcomes).toEqual(['blocked', 'blocked', 'blocked']);
      await other.close();
    });
  });
});
