// The Collect, History and Settings tabs in a real headless Chromium at 300 px, against the built
// bundle in the emulator: dry run then real run on the demo mailbox, the first-run path, hostile file
// names shown as text, the history of every job, and settings with bad values, in French and English.

import type { Browser, Route } from 'playwright-core';
import { driveSend } from '../../emulator/commands/send';
import { makePdf } from '../../emulator/demo/binary-files';
import { previewWorkspace } from '../../emulator/preview';
import { Runner } from '../../emulator/runner';
import { Workspace } from '../../emulator/workspace';
import { launchChromium } from './chromium';
import { expectFitsAndSafe, HOSTILE, invoices, openSidebar, rawEmail, screenshot, sendWorkspace } from './helpers';

jest.setTimeout(90_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const jobRuns = (workspace: Workspace) => {
  const rows = workspace.sheets.tabValues(workspace.containerId as string).JobRuns ?? [];
  const [header, ...data] = rows;
  return data.map((row) => Object.fromEntries((header ?? []).map((name, i) => [String(name), row[i]])));
};

describe('Collect tab', () => {
  it('estimates, runs a dry run, then a real run that replaces it, with the quarantined items (French, demo workspace)', async () => {
    const { workspace } = previewWorkspace(['--locale', 'fr']);
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('tab-collect').click();
      await page.getByTestId('collect-no-run').waitFor();
      await page.getByTestId('collect-estimate').filter({ hasText: 'Environ' }).waitFor();
      expect(await page.getByTestId('collect-estimate').textContent()).toMatch(
        /^Environ \d+ message\(s\) correspondent à « is:unread has:attachment »\.$/,
      );

      // The button is disabled while the run goes on.
      const held: Route[] = [];
      await page.route('**/rpc/collectFromGmail', (route) => {
        held.push(route);
      });
      await page.getByTestId('collect-dry-run').check();
      await page.getByTestId('collect-run').click();
      expect(await page.getByTestId('collect-run').isDisabled()).toBe(true);
      for (const route of held) await route.continue();
      await page.unroute('**/rpc/collectFromGmail');
      await page.getByTestId('collect-summary').waitFor();
      await page.waitForFunction(() => !(document.querySelector('[data-testid="collect-run"]') as HTMLButtonElement).disabled);
      const dry = await page.getByTestId('collect-summary').textContent();
      expect(dry).toMatch(/^Importés : (\d+) · Quarantaine : (\d+) · Doublons : \d+ · Erreurs : 0\. Simulation \(rien n’a été écrit\)/);
      expect(await page.getByTestId('collect-status').textContent()).toBe('Simulation');
      expect(jobRuns(workspace).map((r) => r.status)).toEqual(['dry_run']);
      expect(workspace.drive.listFiles().filter((f) => /incoming/.test(JSON.stringify(f)))).toHaveLength(0);

      await page.getByTestId('collect-dry-run').uncheck();
      await page.getByTestId('collect-run').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="collect-status"]')?.textContent !== 'Simulation');
      const status = jobRuns(workspace)[1]?.status;
      const real = (await page.getByTestId('collect-summary').textContent()) as string;
      const [, created, quarantined] = /^Importés : (\d+) · Quarantaine : (\d+)/.exec(real) as RegExpExecArray;
      expect(Number(created)).toBeGreaterThan(0);
      expect(jobRuns(workspace).map((r) => r.status)).toEqual(['dry_run', status]);
      expect(status).toBe('succeeded');
      expect(await page.getByTestId('collect-status').textContent()).toBe('Terminée');
      expect(jobRuns(workspace)[1]).toMatchObject({ receipts_created: Number(created), quarantined: Number(quarantined) });
      const items = await page.getByTestId('collect-quarantined').allTextContents();
      expect(items).toHaveLength(Number(quarantined));
      expect(items).toContain('releve-janvier.pdf : fichier vide (0 octet)');
      expect(await page.getByTestId('collect-quarantined').filter({ hasText: 'releve-janvier.pdf' }).getAttribute('title')).toBe(
        'the file is empty (0 bytes)',
      );
      expect(await page.getByTestId('collect-log-link').getAttribute('href')).toMatch(/^https:\/\//);
      expect(await page.getByTestId('collect-folder-incoming').getAttribute('href')).toMatch(
        /^https:\/\/drive\.google\.com\/drive\/folders\//,
      );
      expect(await page.getByTestId('collect-started').textContent()).toMatch(/^15\/01\/2026 09:0\d:\d\d$/); // Paris time, not UTC
      await expectFitsAndSafe(page);
      await screenshot(page, 'collect.png');
    } finally {
      await close();
    }
  });

  it('on a fresh install says which setting is missing, then collects hostile names as text (English)', async () => {
    const workspace = Workspace.create({ locale: 'en', timeZone: 'Europe/London' });
    workspace.mailbox.importRaw(
      rawEmail({
        from: 'Supplier <billing@supplier.example>',
        subject: `Receipt ${HOSTILE}`,
        filename: `${HOSTILE}.pdf`,
        mimeType: 'application/pdf',
        bytes: new Uint8Array(Buffer.from('not a pdf at all')),
      }),
    );
    workspace.mailbox.importRaw(
      rawEmail({
        from: 'billing@supplier.example',
        subject: 'Receipt 2',
        filename: 'receipt-2.pdf',
        mimeType: 'application/pdf',
        bytes: new Uint8Array(makePdf(['Receipt 2'])),
      }),
    );
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('tab-collect').click();
      await page.getByTestId('collect-setup').waitFor();
      expect(await page.getByTestId('collect-setup').textContent()).toContain('No sender is allowed yet, so nothing would be collected.');
      expect(await page.getByTestId('collect-run').isDisabled()).toBe(true);
      await page.getByTestId('collect-setup-go').click();
      await page.getByTestId('settings-collect-allowedSenders').waitFor();
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="settings-collect-allowedMimeTypes"]') as HTMLTextAreaElement).value !== '',
      );
      await page.getByTestId('settings-collect-allowedSenders').fill('@supplier.example');
      await page.getByTestId('settings-collect-save').click();
      await page.getByTestId('settings-collect-status').filter({ hasText: 'Saved.' }).waitFor();
      await page.getByTestId('tab-collect').click();
      // The tab shows its last render until the refreshed overview arrives: wait for the notice to go.
      await page.getByTestId('collect-setup').waitFor({ state: 'detached' });
      await page.getByTestId('collect-no-run').waitFor();
      await page.getByTestId('collect-run').click();
      await page.getByTestId('collect-quarantined').first().waitFor();
      expect(await page.getByTestId('collect-summary').textContent()).toMatch(/^Imported: 1 · Quarantined: 1 · /);
      expect(await page.getByTestId('collect-quarantined').first().textContent()).toBe(
        `${HOSTILE}.pdf: content does not match its declared type`,
      );
      await expectFitsAndSafe(page);
    } finally {
      await close();
    }
  });
});

describe('History tab', () => {
  for (const locale of ['fr', 'en'] as const) {
    it(`lists every job's runs newest first (${locale})`, async () => {
      const workspace = sendWorkspace(invoices(3), { locale });
      workspace.mailbox.importRaw(
        rawEmail({
          from: 'billing@supplier.example',
          subject: 'Receipt',
          filename: 'r.pdf',
          mimeType: 'application/pdf',
          bytes: new Uint8Array(makePdf(['R'])),
        }),
      );
      workspace.properties.user.commit(
        new Map([
          ...workspace.properties.user.values,
          ['postroom.settings.collect', JSON.stringify({ allowedSenders: ['@supplier.example'] })],
        ]),
      );
      const runner = new Runner(workspace);
      expect(driveSend(runner).final?.progress?.state).toBe('done');
      workspace.clock.advance(60_000);
      expect(runner.rpc('collectFromGmail', { dryRun: true }).outcome).toBe('completed');
      const { page, close } = await openSidebar(browser, workspace);
      try {
        await page.getByTestId('tab-history').click();
        await page.getByTestId('history-row').nth(1).waitFor();
        const rows = page.getByTestId('history-row');
        expect(await rows.count()).toBe(2);
        expect(await rows.nth(0).getAttribute('data-job')).toBe('collect');
        expect(await rows.nth(1).getAttribute('data-job')).toBe('send');
        const [collectText, sendText] = await rows.allTextContents();
        if (locale === 'fr') {
          expect(collectText).toMatch(/^Collecte · Simulation15\/01\/2026 09:0\d:\d\d · \d+ s/);
          expect(sendText).toMatch(/^Envoi · Réussi15\/01\/2026 09:00:\d\d · \d+ s3 emails/);
          expect(await rows.nth(1).getByTestId('history-events').textContent()).toBe('Voir les événements');
        } else {
          expect(collectText).toMatch(/^Collect · Dry run15\/01\/2026, 09:0\d:\d\d · \d+ s/);
          expect(sendText).toMatch(/^Send · Succeeded/);
        }
        expect(await rows.nth(0).getByTestId('history-log').getAttribute('href')).toMatch(/^https:\/\//);
        // A past send's events open from its row (its log on Drive), in the reader's language.
        await rows.nth(1).getByTestId('history-events').click();
        await rows.nth(1).getByTestId('history-event-list').waitFor();
        const lines = await rows.nth(1).getByTestId('history-event-list').locator('li').allTextContents();
        expect(lines).toHaveLength(5);
        expect(lines[0]).toMatch(
          locale === 'fr'
            ? /^15\/01\/2026 09:00:\d\d Début de l’envoi de 3 emails$/
            : /^15\/01\/2026, 09:00:\d\d Starting to send 3 emails$/,
        );
        expect(lines[3]).toMatch(
          locale === 'fr' ? / Email envoyé \(ID : \w+\) à client3@exemple\.fr$/ : / Email sent \(ID: \w+\) to client3@exemple\.fr$/,
        );
        await expectFitsAndSafe(page);
        if (locale === 'fr') await screenshot(page, 'history.png');
      } finally {
        await close();
      }
    });
  }
});

describe('Settings tab', () => {
  it('shows each bad value next to its field, saves good ones and installs or removes the schedule (English, then French)', async () => {
    const workspace = sendWorkspace(invoices(1), { locale: 'en' });
    const { page, close } = await openSidebar(browser, workspace);
    const stored = (job: string) => JSON.parse(workspace.properties.user.values.get(`postroom.settings.${job}`) ?? 'null');
    try {
      await page.getByTestId('tab-settings').click();
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="settings-send-subjectTemplate"]') as HTMLInputElement).value !== '',
      );
      expect(await page.getByTestId('settings-placeholder-help').textContent()).toContain('{{period}}');
      const before = stored('send');
      await page.getByTestId('settings-send-maxPerMinute').fill('500');
      await page.getByTestId('settings-send-replyTo').fill('not an address');
      await page.getByTestId('settings-send-save').click();
      expect(await page.getByTestId('settings-error-maxPerMinute').textContent()).toBe('A whole number from 1 to 150.');
      expect(await page.getByTestId('settings-error-replyTo').textContent()).toBe('Not an email address.');
      expect(await page.getByTestId('settings-error-subjectTemplate').isVisible()).toBe(false);
      expect(stored('send')).toEqual(before);

      // A value only the server can judge: its refusal goes next to the field it names.
      await page.getByTestId('settings-send-replyTo').fill('');
      await page.getByTestId('settings-send-maxPerMinute').fill('10');
      await page.getByTestId('settings-send-maxPerSecond').fill('20');
      await page.getByTestId('settings-send-save').click();
      await page.getByTestId('settings-error-maxPerSecond').filter({ hasText: 'maxPerSecond' }).waitFor();
      expect(await page.getByTestId('settings-error-maxPerSecond').textContent()).toBe('maxPerSecond: must not exceed maxPerMinute (10)');
      expect(stored('send')).toEqual(before);

      await page.getByTestId('settings-send-maxPerSecond').fill('5');
      await page.getByTestId('settings-send-subjectTemplate').fill(`Invoice {{key}} ${HOSTILE}`);
      await page.getByTestId('settings-send-save').click();
      await page.getByTestId('settings-send-status').filter({ hasText: 'Saved.' }).waitFor();
      expect(stored('send')).toMatchObject({ maxPerSecond: 5, maxPerMinute: 10, subjectTemplate: `Invoice {{key}} ${HOSTILE}` });

      await page.getByTestId('settings-collect-allowedMimeTypes').fill('pdf');
      await page.getByTestId('settings-collect-save').click();
      await page.getByTestId('settings-error-allowedMimeTypes').filter({ hasText: 'allowedMimeTypes' }).waitFor();
      expect(stored('collect')).toBeNull();
      await page.getByTestId('settings-collect-allowedMimeTypes').fill('application/pdf\nimage/png');
      await page.getByTestId('settings-collect-schedule').selectOption('daily');
      await page.getByTestId('settings-collect-scheduleHour').selectOption('7');
      await page.getByTestId('settings-collect-save').click();
      await page.getByTestId('settings-collect-status').filter({ hasText: 'Saved.' }).waitFor();
      expect(stored('collect')).toMatchObject({
        enabled: true,
        schedule: { kind: 'daily', hour: 7 },
        allowedMimeTypes: ['application/pdf', 'image/png'],
      });
      expect(workspace.triggers.triggers.filter((t) => t.handlerFunction === 'runCollect')).toHaveLength(1);
      await page.getByTestId('settings-collect-schedule').selectOption('off');
      await page.getByTestId('settings-collect-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-collect-status"]')?.textContent === 'Saved.');
      await page.waitForTimeout(200);
      expect(workspace.triggers.triggers.filter((t) => t.handlerFunction === 'runCollect')).toHaveLength(0);
      await expectFitsAndSafe(page);
    } finally {
      await close();
    }

    const french = sendWorkspace(invoices(1), { locale: 'fr' });
    const fr = await openSidebar(browser, french);
    try {
      await fr.page.getByTestId('tab-settings').click();
      await fr.page.waitForFunction(
        () => (document.querySelector('[data-testid="settings-send-dailyCap"]') as HTMLInputElement).value !== '',
      );
      await fr.page.getByTestId('settings-send-dailyCap').fill('0');
      await fr.page.getByTestId('settings-send-save').click();
      expect(await fr.page.getByTestId('settings-error-dailyCap').textContent()).toBe('Un nombre entier de 1 à 2000.');
      expect(await fr.page.getByTestId('settings-send-status').textContent()).toBe('Corrigez les champs signalés en rouge.');
    } finally {
      await fr.close();
    }
  });
});
