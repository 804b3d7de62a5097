// The Send tab in a real headless Chromium at 300 px, against the built bundle in the emulator: plan
// with invalid rows, preview, start, the gauge to 100 %, a reload mid-send, pause / resume / cancel,
// in French and English, with hostile text from the sheet shown as text.

import type { Browser, Page, Route } from 'playwright-core';
import { launchChromium } from './chromium';
import { expectFitsAndSafe, HOSTILE, invoices, openSidebar, screenshot, sendWorkspace } from './helpers';

jest.setTimeout(90_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Holds the page's continueSend calls (the page's own driving of the send) until released. */
async function holdContinue(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  await page.route('**/rpc/continueSend', (route) => {
    held.push(route);
  });
  return async () => {
    await page.unroute('**/rpc/continueSend');
    for (const route of held.splice(0)) await route.continue().catch(() => undefined);
  };
}

const numberIn = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

describe('Send tab', () => {
  it('plans with invalid rows, previews a ready row, sends to 100 % and offers a new send (French)', async () => {
    const rows = invoices(6);
    rows[1].to = 'pas-une-adresse@@exemple';
    rows[3].attachments = 'FACTURE_MANQUANTE.pdf';
    const workspace = sendWorkspace(rows, { locale: 'fr', missing: ['FACTURE_MANQUANTE.pdf'] });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').waitFor();
      expect(await page.getByTestId('tab-send').textContent()).toBe('Envoyer');
      expect(await page.getByTestId('tab-settings').textContent()).toBe('Réglages');
      expect(await page.getByTestId('tab-send').getAttribute('aria-selected')).toBe('true');
      await page.getByTestId('tab-send').press('ArrowLeft');
      expect(await page.getByTestId('tab-settings').getAttribute('aria-selected')).toBe('true');
      await page.getByTestId('tab-settings').press('ArrowRight');
      expect(await page.getByTestId('tab-send').getAttribute('aria-selected')).toBe('true');
      await page.getByTestId('send-period').fill('2026-01');
      await page.getByTestId('send-plan').click();
      const summary = page.getByTestId('send-plan-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toBe('4 prête(s), 2 invalide(s) (6 retenue(s) sur 6 ligne(s) correspondante(s))');
      expect(await page.getByTestId('send-invalid').allTextContents()).toEqual([
        'Ligne 3 · CCT002 : Adresse to invalide « pas-une-adresse@@exemple » : plus d’un @',
        'Ligne 5 · CCT004 : Pièce jointe introuvable : FACTURE_MANQUANTE.pdf',
      ]);
      await page.getByTestId('send-preview-subject').waitFor();
      expect(await page.getByTestId('send-preview-subject').textContent()).toBe('Votre facture CCT001 - 2026-01');
      expect(await page.getByTestId('send-preview-to').textContent()).toBe('client1@exemple.fr');
      expect(await page.getByTestId('send-preview-attachments').textContent()).toBe('FACTURE_CCT001.pdf');
      expect(await page.getByTestId('send-preview-text').textContent()).toContain('votre facture CCT001 pour la période 2026-01');
      await expectFitsAndSafe(page);

      await page.getByTestId('send-start').click();
      await page.getByTestId('send-summary').waitFor({ state: 'visible' });
      expect(await page.getByTestId('send-form').isVisible()).toBe(false);
      const bar = page.getByTestId('send-progress');
      expect(await bar.getAttribute('role')).toBe('progressbar');
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
      expect(await numberIn(page, 'send-sent')).toBe(4);
      expect(await numberIn(page, 'send-failed')).toBe(2);
      expect(await numberIn(page, 'send-remaining')).toBe(0);
      expect(await page.getByTestId('send-rate').textContent()).toMatch(/^[\d  ,]+ \/ min$/);
      expect(await page.getByTestId('send-summary').textContent()).toBe('✅ Envoi terminé : 4 succès, 2 erreur(s) sur 6 facture(s)');
      const events = await page.getByTestId('send-events').locator('li').allTextContents();
      // Numbered by emails sent, not counting the two rows that failed at planning.
      expect(events).toContain('✅ Email 1/4 envoyé : CCT001 - FACTURE_CCT001.pdf → client1@exemple.fr');
      expect(events).toContain('✅ Email 4/4 envoyé : CCT006 - FACTURE_CCT006.pdf → client6@exemple.fr');
      expect(events).toContain(
        '⚠️ Ligne non envoyée (invalide) : CCT004 - FACTURE_MANQUANTE.pdf : Pièce jointe introuvable : FACTURE_MANQUANTE.pdf',
      );
      expect(workspace.mailbox.sentMessages()).toHaveLength(4);

      // A reload finds the last send; "Nouvel envoi" brings the form back.
      await page.reload();
      await page.getByTestId('send-summary').waitFor({ state: 'visible' });
      expect(await page.getByTestId('send-progress').getAttribute('aria-valuenow')).toBe('100');
      await page.getByTestId('send-new').click();
      expect(await page.getByTestId('send-form').isVisible()).toBe(true);
      expect(await page.getByTestId('send-progress').isVisible()).toBe(false);
    } finally {
      await close();
    }
  });

  it('survives a reload mid-send, pauses, resumes and reaches 100 % (English)', async () => {
    const workspace = sendWorkspace(invoices(8), { locale: 'en_GB', settings: { maxPerSecond: 1, maxPerMinute: 1 } });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').waitFor();
      expect(await page.getByTestId('tab-collect').textContent()).toBe('Collect');
      const release = await holdContinue(page);
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-start').waitFor();
      await page.getByTestId('send-start').click();
      await page.getByTestId('send-gauge').waitFor();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="send-sent"]')?.textContent) > 0);
      const sentBefore = await numberIn(page, 'send-sent');
      expect(sentBefore).toBeLessThan(8);
      expect(await page.getByTestId('send-state').textContent()).toBe('Sending');

      // Reload mid-send (the page's own continueSend still held): it finds the running send where it is.
      await page.reload();
      await page.getByTestId('send-gauge').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="send-state"]')?.textContent === 'Sending');
      expect(await page.getByTestId('send-form').isVisible()).toBe(false);
      const now = Number(await page.getByTestId('send-progress').getAttribute('aria-valuenow'));
      expect(now).toBeGreaterThan(0);
      expect(now).toBeLessThan(100);
      expect(await page.getByTestId('send-eta').textContent()).not.toBe('—');
      expect(await page.getByTestId('send-events').locator('li').first().textContent()).toBe('▶️ Send started: 8 invoice(s)');
      await screenshot(page, 'send-gauge.png');

      await page.getByTestId('send-pause').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="send-state"]')?.textContent === 'Paused');
      expect(await page.getByTestId('send-resume').isVisible()).toBe(true);
      expect(await page.getByTestId('send-pause').isVisible()).toBe(false);
      const paused = await numberIn(page, 'send-sent');
      expect(await page.getByTestId('send-events').locator('li').last().textContent()).toBe('⏸️ Send paused by compta@opticiens-demo.fr');

      await page.getByTestId('send-resume').click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="send-sent"]')?.textContent) > n, paused);
      await expectFitsAndSafe(page);
      await release();
      await page.getByTestId('send-summary').waitFor({ state: 'visible', timeout: 60_000 });
      expect(await page.getByTestId('send-progress').getAttribute('aria-valuenow')).toBe('100');
      expect(await page.getByTestId('send-summary').textContent()).toBe('✅ Send finished: 8 succeeded, 0 error(s) out of 8 invoice(s)');
      expect(await page.getByTestId('send-new').textContent()).toBe('New send');
      // Exactly once, whatever the page did.
      expect(workspace.mailbox.sentMessages()).toHaveLength(8);
    } finally {
      await close();
    }
  });

  it('cancels only after confirmation (French)', async () => {
    const workspace = sendWorkspace(invoices(8), { locale: 'fr', settings: { maxPerSecond: 1, maxPerMinute: 1 } });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      const release = await holdContinue(page);
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-start').click();
      await page.getByTestId('send-cancel').waitFor();
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.getByTestId('send-cancel').click();
      expect(dialogs).toEqual(['Annuler cet envoi ? Les emails déjà partis le restent ; les autres redeviennent « pending ».']);
      expect(await page.getByTestId('send-state').textContent()).toBe('Envoi en cours');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByTestId('send-cancel').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="send-state"]')?.textContent === 'Annulé');
      expect(await page.getByTestId('send-summary').textContent()).toMatch(/^⏹️ Envoi annulé : \d envoyé\(s\), \d non envoyé\(s\)$/);
      expect(await page.getByTestId('send-new').textContent()).toBe('Nouvel envoi');
      const sent = workspace.mailbox.sentMessages().length;
      expect(sent).toBeLessThan(8);
      await release();
      await page.waitForTimeout(500);
      expect(workspace.mailbox.sentMessages()).toHaveLength(sent);
    } finally {
      await close();
    }
  });

  it('shows hostile text from the sheet as text, and a server error as that error', async () => {
    const rows = invoices(3);
    rows[0].key = `K${HOSTILE}`;
    rows[0].subject = `Facture ${HOSTILE}`;
    rows[0].attachments = `${HOSTILE}.pdf`;
    rows[1].to = `${HOSTILE}@exemple.fr`;
    // Long text without a space wraps inside the 300 px.
    rows.push({ key: `CCT${'X'.repeat(150)}`, period: '2026-01', to: `${'y'.repeat(120)}@@exemple.fr`, attachments: 'FACTURE_CCT003.pdf' });
    const workspace = sendWorkspace(rows, { locale: 'en' });
    const { page, close } = await openSidebar(browser, workspace);
    try {
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-preview-subject').waitFor();
      expect(await page.getByTestId('send-preview-subject').textContent()).toBe(`Facture ${HOSTILE}`);
      expect(await page.getByTestId('send-preview-attachments').textContent()).toBe(`${HOSTILE}.pdf`);
      expect(await page.getByTestId('send-invalid').first().textContent()).toContain(`${HOSTILE}@exemple.fr`);
      expect(await page.getByTestId('send-invalid').last().textContent()).toContain(`CCT${'X'.repeat(150)}`);
      await expectFitsAndSafe(page);
      await page.getByTestId('send-start').click();
      await page.getByTestId('send-summary').waitFor({ state: 'visible' });
      expect(await page.getByTestId('send-events').locator('li').allTextContents()).toContain(
        `✅ Email 1/2 sent: K${HOSTILE} - ${HOSTILE}.pdf → client1@exemple.fr`,
      );
      await expectFitsAndSafe(page);

      // The server refuses (no send settings): its own message is shown, not "could not reach the server".
      workspace.properties.user.commit(new Map([...workspace.properties.user.values].filter(([key]) => key !== 'postroom.settings.send')));
      await page.getByTestId('send-new').click();
      await page.getByTestId('send-plan').click();
      await page.getByTestId('send-error').waitFor();
      expect(await page.getByTestId('send-error').textContent()).toBe(
        'Error: The send settings are not set yet (subject and body templates): save them first.',
      );
      expect(await page.getByTestId('send-error').getAttribute('role')).toBe('alert');
    } finally {
      await close();
    }
  });
});
