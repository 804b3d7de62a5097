// Shared set-up of the browser tests: a workspace with a send list and its PDFs, the built sidebar
// served by the emulator's preview server, a 300-px-wide Chromium page on it, and the screenshots the
// README shows (taken from the real page).

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CLI_SEND_SETTINGS, loadSendList, storeSendSettings } from '../../emulator/commands/send';
import { makePdf } from '../../emulator/demo/binary-files';
import { startPreview, type PreviewServer } from '../../emulator/preview';
import { Workspace, type WorkspaceOptions } from '../../emulator/workspace';

export const FOLDER = 'Postroom/Factures';
/** Markup that would run if any text were parsed as HTML (no quotes: it also survives a MIME header). */
export const HOSTILE = '<img src=x onerror=window.__pwned=1>';
/**
 * Where the screenshots go: the README's docs/screenshots with UPDATE_SCREENSHOTS=1, else a temporary
 * folder (they are taken on every run all the same, so a broken page still breaks the test).
 */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '../../docs/screenshots') : join(tmpdir(), 'postroom-screenshots');

export interface Invoice {
  key: string;
  period: string;
  to: string;
  attachments: string;
  subject?: string;
}

export function invoices(n: number, period = '2026-01'): Invoice[] {
  return Array.from({ length: n }, (_, i) => {
    const key = `CCT${String(i + 1).padStart(3, '0')}`;
    return { key, period, to: `client${i + 1}@exemple.fr`, attachments: `FACTURE_${key}.pdf` };
  });
}

/** A workspace with the Sends tab (these rows), their PDFs in FOLDER and send settings stored. */
export function sendWorkspace(
  rows: Invoice[],
  options: WorkspaceOptions & { settings?: Record<string, unknown>; missing?: string[] } = {},
): Workspace {
  const { settings, missing = [], ...workspaceOptions } = options;
  const workspace = Workspace.create({ user: 'compta@opticiens-demo.fr', ...workspaceOptions });
  const header = ['key', 'period', 'to', 'attachments', 'subject'];
  const names = [
    ...new Set(rows.flatMap((r) => r.attachments.split(/[,;]/).map((s) => s.trim())).filter((name) => name && !missing.includes(name))),
  ];
  loadSendList(
    workspace,
    [header, ...rows.map((r) => [r.key, r.period, r.to, r.attachments, r.subject ?? ''])],
    names.map((name) => ({ name, bytes: new Uint8Array(makePdf([`Facture ${name}`])) })),
    FOLDER,
  );
  storeSendSettings(workspace, { ...DEFAULT_CLI_SEND_SETTINGS, attachmentsFolder: FOLDER, ...settings });
  return workspace;
}

export interface Opened {
  page: Page;
  preview: PreviewServer;
  close(): Promise<void>;
}

/** The sidebar at Google's 300 px, on a preview server of `workspace`. */
export async function openSidebar(browser: Browser, workspace: Workspace): Promise<Opened> {
  const preview = await startPreview({ workspace });
  const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(preview.url);
  return {
    page,
    preview,
    async close() {
      await page.close();
      await preview.close();
      if (errors.length) throw new Error(`The page threw: ${errors.join(' | ')}`);
    },
  };
}

/** Nothing overflows the 300 px sidebar sideways, and no injected markup ran. */
export async function expectFitsAndSafe(page: Page): Promise<void> {
  const { width, pwned, images } = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    pwned: (window as unknown as { __pwned?: number }).__pwned,
    images: document.querySelectorAll('img').length,
  }));
  expect(width).toBeLessThanOrEqual(300);
  expect(pwned).toBeUndefined();
  expect(images).toBe(0);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

/** A raw email with one attachment (base64), for collect tests. */
export function rawEmail(options: {
  from: string;
  subject: string;
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
  date?: string;
}): Uint8Array {
  const boundary = 'b0undary';
  // Gmail's verdicts for a sender that passes SPF, DKIM and DMARC (the collect requires them by default).
  const domain = (options.from.match(/@([^>\s]+)/)?.[1] ?? 'example.com').toLowerCase();
  const lines = [
    `Authentication-Results: mx.google.com; dkim=pass header.i=@${domain} header.s=s1; spf=pass smtp.mailfrom=${domain}; dmarc=pass header.from=${domain}`,
    `From: ${options.from}`,
    'To: compta@opticiens-demo.fr',
    `Subject: ${options.subject}`,
    `Date: ${options.date ?? 'Wed, 14 Jan 2026 10:00:00 +0100'}`,
    `Message-ID: <${Math.abs(hash(options.filename + options.subject))}@exemple.fr>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Veuillez trouver le justificatif.',
    `--${boundary}`,
    `Content-Type: ${options.mimeType}; name="${options.filename.replace(/"/g, '')}"`,
    `Content-Disposition: attachment; filename="${options.filename.replace(/"/g, '')}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(options.bytes).toString('base64'),
    `--${boundary}--`,
    '',
  ];
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
