// Starts Debian's Chromium (never a downloaded browser) through playwright-core for the browser tests,
// with the flags this machine's closed network needs. playwright-core's launch() gives every browser
// a fresh temporary profile of its own (it refuses --user-data-dir).

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
