// The Export tab in a real headless Chromium at 300 px, against the built bundle in the emulator: a
// query, max and batch size, the export's own continuation trigger doing the work while the page
// polls, the progress bar to 100 %, the summary, the folder link, and the run in the History.

import type { Browser } from 'playwright-core';
import { previewWorkspace } from '../../emulator/preview';
import { launchChromium } from './chromium';
import { expectFitsAndSafe, openSidebar } from './helpers';

jest.setTimeout(90_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

for (const locale of ['fr', 'en'] as const) {
  it(`exports the matching messages to Drive and shows it in the history (${locale})`, async () => {
    const { workspace } = previewWorkspace(['--locale', locale]);
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('tab-export').click();
      expect(await page.getByTestId('tab-export').textContent()).toBe(locale === 'fr' ? 'Exporter' : 'Export');
      await page.getByTestId('export-query').fill('has:attachment');
      await page.getByTestId('export-max').fill('6');
      await page.getByTestId('export-batch-size').fill('4');
      await page.getByTestId('export-run').click();
      await page.getByTestId('export-progress').waitFor();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="export-progress"]')?.getAttribute('aria-valuenow') === '100',
        undefined,
        { timeout: 30_000 },
      );
      expect(await page.getByTestId('export-counts').textContent()).toBe(
        locale === 'fr' ? '6 sur 6 messages, 2 fichier(s)' : '6 of 6 messages, 2 file(s)',
      );
      expect(await page.getByTestId('export-state').textContent()).toBe(locale === 'fr' ? 'État : terminé' : 'State: done');
      expect(((await page.getByTestId('export-summary').textContent()) ?? '').length).toBeGreaterThan(0);
      expect(await page.getByTestId('export-folder').getAttribute('href')).toMatch(/^https:\/\/drive\.google\.com\//);
      expect(await page.getByTestId('export-run').isDisabled()).toBe(false);
      // The batch files are in Drive.
      expect(workspace.drive.listFiles().filter((file) => /\/messages-\d+\.json$/.test(file.path))).toHaveLength(2);
      await expectFitsAndSafe(page);

      await page.getByTestId('tab-history').click();
      await page.locator('[data-testid="history-row"][data-job="export"]').waitFor();
      expect(
        await page.locator('[data-testid="history-row"][data-job="export"] [data-testid="history-folder"]').getAttribute('href'),
      ).toMatch(/^https:\/\/drive\.google\.com\//);
    } finally {
      await close();
    }
  });
}
