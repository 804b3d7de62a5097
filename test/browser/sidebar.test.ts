// The built sidebar (dist/Sidebar.html) in a real headless Chromium, talking to the built server
// bundle (dist/Code.js) through the emulator's preview server: what a user would see.

import type { Browser, Page } from 'playwright-core';
import { startPreview, type PreviewServer } from '../../emulator/preview';
import { Workspace } from '../../emulator/workspace';
import { launchChromium } from './chromium';

jest.setTimeout(60_000);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openSidebar(workspace: Workspace): Promise<{ page: Page; preview: PreviewServer }> {
  const preview = await startPreview({ workspace });
  const page = await browser.newPage();
  await page.goto(preview.url);
  return { page, preview };
}

describe('sidebar status, end to end', () => {
  it('shows the status from the server in French for a French user', async () => {
    const { page, preview } = await openSidebar(Workspace.create({ locale: 'fr_FR', user: 'compta@opticiens-demo.fr' }));
    try {
      await page.getByTestId('status-user').waitFor();
      expect(await page.getByTestId('status-user').textContent()).toBe('compta@opticiens-demo.fr');
      expect(await page.getByTestId('status-locale').textContent()).toBe('fr');
      expect(await page.getByTestId('status-timeZone').textContent()).toBe('Europe/Paris');
      expect(await page.getByTestId('status-version').textContent()).toMatch(/^\d+\.\d+\.\d+$/);
      expect(await page.locator('h2').first().textContent()).toBe('État');
      expect(await page.getByTestId('refresh').textContent()).toBe('Actualiser');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      // The page's call went through the runner as a google.script.run execution of the bundle.
      expect(preview.runner.results.map((r) => [r.fn, r.kind, r.outcome])).toEqual([['getStatus', 'rpc', 'completed']]);
    } finally {
      await page.close();
      await preview.close();
    }
  });

  it('speaks English to an English user and refreshes on demand', async () => {
    const { page, preview } = await openSidebar(Workspace.create({ locale: 'en_GB', user: 'accounts@example.co.uk' }));
    try {
      await page.getByTestId('status-user').waitFor();
      expect(await page.locator('h2').first().textContent()).toBe('Status');
      expect(await page.getByTestId('status-user').textContent()).toBe('accounts@example.co.uk');
      await page.getByTestId('refresh').click();
      await page.getByTestId('status-user').waitFor();
      expect(preview.runner.results.filter((r) => r.fn === 'getStatus')).toHaveLength(2);
    } finally {
      await page.close();
      await preview.close();
    }
  });

  it('renders server values as text, never as markup', async () => {
    const hostile = '"><img src=x onerror="window.__pwned=1">@evil.example';
    const workspace = Workspace.create({ locale: 'en', user: 'someone@example.com', activeUserEmail: hostile });
    const { page, preview } = await openSidebar(workspace);
    try {
      await page.getByTestId('status-user').waitFor();
      expect(await page.getByTestId('status-user').textContent()).toBe(hostile);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await page.close();
      await preview.close();
    }
  });

  it('shows a clear error when the server call fails', async () => {
    const { page, preview } = await openSidebar(Workspace.create({ locale: 'fr' }));
    try {
      await page.getByTestId('status-user').waitFor();
      // The deployed script lost its function (e.g. an older Code.js): the call fails, the page says so.
      await page.route('**/rpc/getStatus', (route) =>
        route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, error: { name: 'Error', message: 'Script function not found: getStatus' } }) }),
      );
      await page.getByTestId('refresh').click();
      await page.getByTestId('status-error').waitFor();
      expect(await page.getByTestId('status-error').textContent()).toBe('Impossible de joindre le serveur : Script function not found: getStatus');
      expect(await page.getByTestId('status-error').getAttribute('role')).toBe('alert');
    } finally {
      await page.close();
      await preview.close();
    }
  });
});
