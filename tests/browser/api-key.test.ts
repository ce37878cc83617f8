import type { Browser, Page } from 'playwright-core';
import { latestCode, newPassword, uniqueEmail } from '../integration/api-client';
import { type RunningStack, spawnStack } from '../integration/harness';
import { DEBIAN_CHROMIUM, describeWithTool } from '../required-tools';
import { launchChromium } from './chromium';

/**
 * A browser app against a stack that wants an API key (ApiKeyRequired=true): the key travels in
 * a custom header, so the browser asks the CORS preflight first, which must allow x-api-key;
 * the demo page gets the key from its config, as an app that hands out its key would.
 */
describeWithTool(DEBIAN_CHROMIUM, 'the demo page against a stack with ApiKeyRequired=true', () => {
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      spawnStack({}, { args: ['--parameter-overrides', 'ApiKeyRequired=true'] }),
      launchChromium(),
    ]);
    page = await (await browser.newContext()).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const submit = async (form: string, fields: Record<string, string>) => {
    for (const [name, value] of Object.entries(fields))
      await page.fill(`#${form} [name=${name}]`, value);
    await page.click(`#${form} button[type=submit]`);
  };

  it('signs up, confirms and signs in, sending the key on every request', async () => {
    const email = uniqueEmail('browser-key');
    const password = newPassword();
    const keys: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.outputs.ApiUrl) && request.method() !== 'OPTIONS') {
        keys.push(request.headers()['x-api-key']);
      }
    });
    await page.goto(stack.outputs.WebUrl);
    await page.waitForSelector('#signed-out:not([hidden])');
    await submit('signup-form', { email, password });
    await page.waitForSelector('#status:text("Account created.")');
    await submit('confirm-form', {
      code: await latestCode(email, 'signup', stack.outputs.ApiUrl),
    });
    await page.waitForSelector('#status:text("Email confirmed.")');
    await submit('signin-form', { password });
    await page.waitForSelector('#signed-in:not([hidden])');
    // The page shows the signed-in view first, then fills in GET /me's answer.
    await page.waitForSelector(`#me-email:text-is(${JSON.stringify(email)})`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    expect(new Set(keys)).toEqual(new Set([stack.outputs.ApiKeyValue]));
  });
});
