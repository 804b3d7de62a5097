// Gmail2GDrive (ahochsteger/gmail2gdrive), run UNCHANGED in the emulator (attributed copy in
// test/fixtures/public-scripts/gmail2gdrive/, Apache-2.0) with a configuration of our own in place of
// its Config.gs. What it uses, and what this test checks: GmailApp.getUserLabelByName / createLabel,
// GmailApp.search with -label:, newer_than: and -in: operators, GmailThread getFirstMessageSubject /
// getMessages / addLabel / moveToArchive, GmailMessage getSubject / getId / getDate / getFrom / getTo /
// getBody / getAttachments, Utilities.formatDate with quoted folder patterns, Utilities.sleep,
// DriveApp.getRootFolder / getFoldersByName / getFolders / createFolder / createFile(blob),
// File setName / setDescription, and Utilities.newBlob(html, 'text/html').getAs('application/pdf') for
// a thread saved as a PDF. https://github.com/ahochsteger/gmail2gdrive

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMimeMessage } from '../../../emulator/gmail/mime-builder';
import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

const CODE = readFileSync(join(__dirname, '../../fixtures/public-scripts/gmail2gdrive/Code.gs'), 'utf8');

// Our Config.gs: the documented keys, with rules for invoices (archived), a label saved as PDF and a
// PDF-only filter.
const CONFIG = `
function getGmail2GDriveConfig() {
  return {
    globalFilter: "-in:trash -in:drafts -in:spam",
    processedLabel: "to-gdrive/processed",
    sleepTime: 100,
    maxRuntime: 280,
    newerThan: "1m",
    timezone: "GMT",
    rules: [
      { filter: "has:attachment from:factures@fournisseur-verre.fr", folder: "'Factures/'yyyy-MM", archive: true },
      { filter: "label:PDF", saveThreadPDF: true, folder: "PDF Emails" },
      { filter: "has:attachment from:scans@copieur.fr", folder: "'Scans'", filenameFromRegexp: ".*\\\\.pdf$" },
    ],
  };
}`;

const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n% facture\n%%EOF\n', 'latin1'));

function message(id: string, from: string, subject: string, files: Array<[string, string, Uint8Array]>, html?: string): Uint8Array {
  return buildMimeMessage({
    from,
    to: 'compta@opticiens-demo.fr',
    subject,
    textBody: html ? html.replace(/<[^>]+>/g, '') : `Bonjour, ci-joint ${subject}.`,
    htmlBody: html,
    attachments: files.map(([name, contentType, bytes]) => ({ name, contentType, bytes })),
    date: new Date('2026-01-12T09:30:00Z'),
    messageId: `${id}@exemple.fr`,
    seed: id,
  });
}

function setup() {
  const workspace = Workspace.create();
  const { mailbox } = workspace;
  const a = mailbox.importRaw(
    message('a', 'Verrerie <factures@fournisseur-verre.fr>', 'Facture 2026-001', [
      ['facture-001.pdf', 'application/pdf', PDF],
      ['tampon.png', 'image/png', new Uint8Array([137, 80, 78, 71])],
    ]),
  );
  const b = mailbox.importRaw(
    message('b', 'factures@fournisseur-verre.fr', 'Facture 2026-002', [['facture-002.pdf', 'application/pdf', PDF]]),
  );
  const c = mailbox.importRaw(
    message(
      'c',
      'juridique@partenaire.fr',
      'Conditions générales',
      [],
      '<p>Article 1 : paiement à 30 jours.</p><p>Article 2 : pénalités de 40 €.</p>',
    ),
  );
  const d = mailbox.importRaw(message('d', 'inconnu@ailleurs.fr', 'Pièce jointe', [['x.pdf', 'application/pdf', PDF]]));
  const e = mailbox.importRaw(
    message('e', 'scans@copieur.fr', 'Scan du 12', [
      ['scan.pdf', 'application/pdf', PDF],
      ['scan.txt', 'text/plain', new Uint8Array(Buffer.from('ocr'))],
    ]),
  );
  const pdfLabel = mailbox.createLabel('PDF');
  mailbox.modifyLabels(c.id, [pdfLabel.id], []);
  const runner = new Runner(workspace, { source: `${CODE}\n${CONFIG}` });
  return { workspace, runner, ids: { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id } };
}

function labelsOf(workspace: Workspace, id: string): string[] {
  return workspace.mailbox.dumpState().find((m) => m.id === id)?.labels ?? [];
}

describe('Gmail2GDrive, unchanged, as a time-driven trigger', () => {
  it('stores the matching attachments in dated folders, labels and archives as configured', () => {
    const { workspace, runner, ids } = setup();
    const run = runner.invoke('Gmail2GDrive', [], 'trigger');
    expect(run.outcome).toBe('completed');
    expect(run.logs).toContain('INFO: Starting mail attachment processing.');

    const files = workspace.drive
      .listFiles()
      .map((f) => f.path)
      .sort();
    expect(files).toEqual([
      'Factures/2026-01/facture-001.pdf',
      'Factures/2026-01/facture-002.pdf',
      'Factures/2026-01/tampon.png',
      'PDF Emails/Conditions générales.pdf',
      'Scans/scan.pdf',
    ]);
    const stored = workspace.drive.all('file').find((f) => f.name === 'facture-001.pdf') as unknown as {
      bytes: Uint8Array;
      description?: string;
    };
    expect(Buffer.from(stored.bytes).equals(Buffer.from(PDF))).toBe(true);

    // Processed threads carry the label; the invoice rule archived its threads, the others stay in INBOX.
    for (const id of [ids.a, ids.b, ids.c, ids.e]) expect(labelsOf(workspace, id)).toContain('to-gdrive/processed');
    expect(labelsOf(workspace, ids.a)).not.toContain('INBOX');
    expect(labelsOf(workspace, ids.b)).not.toContain('INBOX');
    expect(labelsOf(workspace, ids.c)).toContain('INBOX');
    expect(labelsOf(workspace, ids.d)).toEqual(['INBOX', 'UNREAD']);
  });

  it('saves the labelled thread as a real PDF holding its headers and body text', () => {
    const { workspace, runner } = setup();
    runner.invoke('Gmail2GDrive', [], 'trigger');
    const pdf = workspace.drive.all('file').find((f) => f.name === 'Conditions générales.pdf') as unknown as {
      bytes: Uint8Array;
      mimeType: string;
    };
    expect(pdf.mimeType).toBe('application/pdf');
    const text = Buffer.from(pdf.bytes).toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text).toContain("(From: juridique@partenaire.fr) '");
    expect(text).toContain("(Subject: Conditions g\\351n\\351rales) '");
    expect(text).toContain("(Article 1 : paiement \\340 30 jours.) '");
    expect(text).toContain("(Article 2 : p\\351nalit\\351s de 40 \\200.) '");
  });

  it('finds nothing left on a second run (the processed label excludes them)', () => {
    const { workspace, runner } = setup();
    runner.invoke('Gmail2GDrive', [], 'trigger');
    const before = workspace.drive.listFiles().length;
    expect(runner.invoke('Gmail2GDrive', [], 'trigger').outcome).toBe('completed');
    expect(workspace.drive.listFiles()).toHaveLength(before);
  });
});
