// The Send tab's extras in a real headless Chromium at 300 px, against the built bundle in the
// emulator's preview server, in French and English: a test send (to the user, "[TEST]", the row left
// as it was), a Gmail draft chosen as template (the preview shows its subject), a scheduled send (shown,
// kept across a reload, cancelled), send-as aliases (an unverified one refused with its reason),
// duplicates confirmed by a new check, and the bounces counted in the gauge.

import type { Browser, Page } from 'playwright-core';
import { SENDS_TAB } from '../../emulator/commands/send';
import type { Workspace } from '../../emulator/workspace';
import { gmailDraftEml } from '../fixtures/gmail-draft';
import { launchChromium } from './chromium';
import { expectFitsAndSafe, HOSTILE, invoices, openSidebar, sendWorkspace } from './helpers';

jest.setTimeout(90_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const USER = 'compta@opticiens-demo.fr';

function statuses(workspace: Workspace): string[] {
  const [header, ...rows] = workspace.sheets.tabValues(workspace.containerId as string)[SENDS_TAB];
  const column = header.indexOf('status');
  return rows.map((r) => (column < 0 ? '' : String(r[column] ?? '')));
}

const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe('Send tab extras', () => {
  it('sends a test of a ready row to the user with "[TEST]", leaving the row pending (French)', async () => {
    const workspace = sendWorkspace(invoices(3), { locale: 'fr' });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').waitFor();
      // A bad row number is refused next to the field, without a call.
      await page.getByTestId('send-test').click();
      expect(await textOf(page, 'send-test-error')).toBe('Saisissez un numéro de ligne, 1 ou plus.');
      // A row past the end: the server's refusal, next to the control.
      await page.getByTestId('send-test-row').fill('9');
      await page.getByTestId('send-test').click();
      await page.getByTestId('send-test-error').filter({ hasText: 'ligne 9' }).waitFor();
      expect(await textOf(page, 'send-test-error')).toContain('Il n’y a pas de ligne 9');
      expect(workspace.mailbox.sentMessages()).toHaveLength(0);

      // The check proposes its first ready row.
      await page.getByTestId('send-test-row').fill('');
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-preview-subject').waitFor();
      expect(await page.getByTestId('send-test-row').inputValue()).toBe('1');
      const before = statuses(workspace);
      expect(before).toEqual(['queued', 'queued', 'queued']);
      await page.getByTestId('send-test-row').fill('2');
      await page.getByTestId('send-test').click();
      await page.getByTestId('send-test-summary').waitFor();
      const sent = workspace.mailbox.sentMessages();
      expect(sent).toHaveLength(1);
      expect(sent[0].subject).toBe('[TEST] Votre facture CCT002 - 2026-01');
      expect(sent[0].to).toBe(USER);
      expect(await textOf(page, 'send-test-to')).toBe(USER);
      expect(await textOf(page, 'send-test-subject')).toBe('[TEST] Votre facture CCT002 - 2026-01');
      expect(await textOf(page, 'send-test-gmail-id')).toBe(sent[0].id);
      expect(await textOf(page, 'send-test-summary')).toContain('quota d’envoi Gmail');
      expect(await page.getByTestId('send-test-result').isVisible()).toBe(true);
      expect(await page.getByTestId('send-test-error-area').textContent()).toBe('');
      // The preview's own button tests its row (the first ready one).
      await page.getByTestId('send-preview-test').click();
      await page.getByTestId('send-test-subject').filter({ hasText: 'CCT001' }).waitFor();
      expect(await page.getByTestId('send-test-row').inputValue()).toBe('1');
      expect(workspace.mailbox.sentMessages().map((m) => m.subject)).toEqual([
        '[TEST] Votre facture CCT002 - 2026-01',
        '[TEST] Votre facture CCT001 - 2026-01',
      ]);
      // The rows are as they were, and the check still plans them.
      expect(statuses(workspace)).toEqual(before);
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-plan-summary').filter({ hasText: '3 prête(s)' }).waitFor();
      await expectFitsAndSafe(page);
    } finally {
      await close();
    }
  });

  it('uses a chosen Gmail draft as template in the preview, and the settings again with "none" (English)', async () => {
    const workspace = sendWorkspace(invoices(2), { locale: 'en_GB' });
    workspace.mailbox.importExported(
      new Uint8Array(
        gmailDraftEml({
          subject: `Invoice {{key}} for {{period}} ${HOSTILE}`,
          text: 'Hello {{key}}, here is your invoice.',
          html: '<p>Hello {{key}}</p>',
        }),
      ),
    );
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').waitFor();
      const draft = page.getByTestId('send-draft');
      await draft.locator('option', { hasText: 'Invoice {{key}}' }).waitFor({ state: 'attached' });
      expect(await draft.locator('option').allTextContents()).toEqual([
        'None: the templates of the settings',
        `Invoice {{key}} for {{period}} ${HOSTILE}`,
      ]);
      await draft.selectOption({ label: `Invoice {{key}} for {{period}} ${HOSTILE}` });
      await page.getByTestId('send-draft-status').filter({ hasText: 'Template: the draft' }).waitFor();
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-preview-subject').waitFor();
      expect(await textOf(page, 'send-preview-subject')).toBe(`Invoice CCT001 for 2026-01 ${HOSTILE}`);
      expect(await textOf(page, 'send-preview-text')).toContain('Hello CCT001, here is your invoice.');
      await expectFitsAndSafe(page);

      // The choice is kept: a reload shows it selected.
      await page.reload();
      await page.getByTestId('send-draft-status').filter({ hasText: 'Template: the draft' }).waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid="send-draft"]') as HTMLSelectElement | null)?.value !== '');

      await page.getByTestId('send-draft').selectOption({ value: '' });
      await page.getByTestId('send-draft-status').filter({ hasText: 'Template: the settings’ templates.' }).waitFor();
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-preview-subject').waitFor();
      expect(await textOf(page, 'send-preview-subject')).toBe('Votre facture CCT001 - 2026-01');
    } finally {
      await close();
    }
  });

  for (const [locale, label, cancelled] of [
    ['fr', 'Envoi programmé le 06/01/2026 à 09:00 (Europe/Paris)', /annul/i],
    ['en_GB', 'Scheduled for 2026-01-06 at 09:00 (Europe/Paris)', /cancel/i],
  ] as const) {
    it(`schedules a send, shows it after a reload, and cancels it (${locale})`, async () => {
      const workspace = sendWorkspace(invoices(2), { locale, now: '2026-01-05T08:00:00Z', timeZone: 'Europe/Paris' });
      const { page, close } = await openSidebar(browser, workspace);
      try {
        await page.getByTestId('send-plan').waitFor();
        expect(await page.getByTestId('send-scheduled').isVisible()).toBe(false);
        // Without a time: said next to the control.
        await page.getByTestId('send-schedule-date').fill('2026-01-06');
        await page.getByTestId('send-schedule').click();
        await page.getByTestId('send-schedule-error').waitFor();
        // In the past: the server's refusal next to the control.
        await page.getByTestId('send-schedule-date').fill('2026-01-04');
        await page.getByTestId('send-schedule-time').fill('09:00');
        await page.getByTestId('send-schedule').click();
        await page.waitForFunction(() => (document.querySelector('[data-testid="send-schedule-error"]')?.textContent ?? '').length > 30);
        expect(await page.getByTestId('send-scheduled').isVisible()).toBe(false);

        await page.getByTestId('send-schedule-date').fill('2026-01-06');
        await page.getByTestId('send-schedule').click();
        await page.getByTestId('send-scheduled').waitFor({ state: 'visible' });
        expect(await textOf(page, 'send-scheduled')).toBe(label);
        expect(await page.getByTestId('send-schedule').isVisible()).toBe(false);
        expect(workspace.triggers.triggers.some((tr) => tr.handlerFunction === 'runScheduledSend')).toBe(true);

        await page.reload();
        await page.getByTestId('send-scheduled').waitFor({ state: 'visible' });
        expect(await textOf(page, 'send-scheduled')).toBe(label);
        await expectFitsAndSafe(page);

        page.once('dialog', (dialog) => void dialog.accept());
        await page.getByTestId('send-schedule-cancel').click();
        await page.getByTestId('send-scheduled').waitFor({ state: 'hidden' });
        expect(await textOf(page, 'send-schedule-notice')).toMatch(cancelled);
        expect(await page.getByTestId('send-schedule').isVisible()).toBe(true);
        expect(workspace.triggers.triggers.some((tr) => tr.handlerFunction === 'runScheduledSend')).toBe(false);
        // A reload shows the cancelled run as the last send; "new send" brings the form back, unscheduled.
        await page.reload();
        await page.getByTestId('send-new').waitFor({ state: 'visible' });
        expect(await page.getByTestId('send-sent').textContent()).toBe('0');
        await page.getByTestId('send-new').click();
        await page.getByTestId('send-schedule').waitFor({ state: 'visible' });
        expect(await page.getByTestId('send-scheduled').isVisible()).toBe(false);
        expect(workspace.mailbox.sentMessages()).toHaveLength(0);
      } finally {
        await close();
      }
    });
  }

  it('lists send-as aliases: an unverified one is refused with its reason, a verified one is kept (English then French)', async () => {
    for (const locale of ['en_GB', 'fr'] as const) {
      const workspace = sendWorkspace(invoices(2), { locale });
      workspace.mailbox.addSendAs({ email: 'factures@opticiens-demo.fr', displayName: 'Factures' });
      workspace.mailbox.addSendAs({ email: 'nouveau@opticiens-demo.fr', verified: false });
      const { page, close } = await openSidebar(browser, workspace);
      try {
        await page.getByTestId('send-plan').waitFor();
        const from = page.getByTestId('send-from');
        await from.locator('option[value="nouveau@opticiens-demo.fr"]').waitFor({ state: 'attached' });
        const options = await from.locator('option').allTextContents();
        expect(options).toEqual(
          locale === 'fr'
            ? ['L’adresse du compte', 'factures@opticiens-demo.fr (Factures)', 'nouveau@opticiens-demo.fr (non validée)']
            : ['The account’s address', 'factures@opticiens-demo.fr (Factures)', 'nouveau@opticiens-demo.fr (not verified)'],
        );
        await from.selectOption('nouveau@opticiens-demo.fr');
        await page.getByTestId('send-from-error').waitFor();
        expect(await textOf(page, 'send-from-error')).toContain(
          locale === 'fr' ? 'n’est pas encore validée dans Gmail' : 'is not verified yet in Gmail',
        );
        expect(await from.inputValue()).toBe('');

        await from.selectOption('factures@opticiens-demo.fr');
        await page.getByTestId('send-from-status').filter({ hasText: 'factures@opticiens-demo.fr' }).waitFor();
        expect(await page.getByTestId('send-from-error-area').textContent()).toBe('');
        await page.reload();
        await page.waitForFunction(
          () => (document.querySelector('[data-testid="send-from"]') as HTMLSelectElement | null)?.value === 'factures@opticiens-demo.fr',
        );
        await page.getByTestId('send-plan').click();
        await page.getByTestId('send-start').waitFor();
        await page.getByTestId('send-start').click();
        await page.getByTestId('send-summary').waitFor({ state: 'visible' });
        const sent = workspace.mailbox.sentMessages();
        expect(sent).toHaveLength(2);
        expect(Buffer.from(sent[0].raw).toString('utf8')).toMatch(/^From: .*factures@opticiens-demo\.fr/m);
      } finally {
        await close();
      }
    }
  });

  it('flags duplicates at the check, sends them only once confirmed, and counts bounces in the gauge (French)', async () => {
    const rows = invoices(3);
    rows.push({ ...rows[0] });
    const workspace = sendWorkspace(rows, { locale: 'fr' });
    workspace.mailbox.setBounce('client2@exemple.fr', { style: 'postfix', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 User unknown' });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-plan-summary').waitFor();
      expect(await textOf(page, 'send-plan-summary')).toMatch(/^3 prête\(s\), 1 invalide\(s\)/);
      expect(await page.getByTestId('send-duplicate').allTextContents()).toEqual([
        expect.stringMatching(/^Ligne 5 · CCT001 : doublon de la ligne 2 /),
      ]);
      expect(await page.getByTestId('send-invalid').count()).toBe(0);
      await page.getByTestId('send-confirm-duplicates').click();
      await page.getByTestId('send-plan-summary').filter({ hasText: '4 prête(s), 0 invalide(s)' }).waitFor();
      expect(await page.getByTestId('send-duplicates').count()).toBe(0);
      expect(await page.getByTestId('send-bounced').isVisible()).toBe(false);

      await page.getByTestId('send-start').click();
      await page.getByTestId('send-summary').waitFor({ state: 'visible' });
      expect(workspace.mailbox.sentMessages()).toHaveLength(4);
      // The bounce watch (a trigger on the platform), asked now; a reload shows the count.
      const answer = await page.evaluate(async () =>
        (await fetch('/rpc/checkBounces', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' })).json(),
      );
      expect(answer.value.bounced).toHaveLength(1);
      await page.reload();
      await page.getByTestId('send-bounced').waitFor({ state: 'visible' });
      expect(await textOf(page, 'send-bounced')).toBe('1');
      await expectFitsAndSafe(page);
    } finally {
      await close();
    }
  });
});
