import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM } from '../required-tools';

/** Debian's Chromium, headless; never a browser downloaded by a test tool. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
