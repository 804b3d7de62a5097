// The collect job against hostile or broken mail, through the built bundle: misleading file names
// (the stored extension is the one of the bytes), pieces that do not conform (stored in quarantine/,
// or noted there when too large to fetch), and MIME trees that used to be dropped silently (a PDF
// nested 60 levels deep, a multipart part without a boundary): every message ends with a receipt, a
// quarantined piece with its reason, or a ledger error, and none is scanned again and again.

import { makePdf } from '../../../emulator/demo/binary-files';
import { attachment, textPart, type MimeNode } from '../../../emulator/demo/mime-writer';
import {
  SUPPLIER,
  SUPPLIER_DOMAIN,
  addMessage,
  authPass,
  collect,
  collectedFiles,
  ensureBuilt,
  labelsByMessage,
  openWorkspace,
  receipts,
  type Opened,
} from './helpers';

beforeAll(ensureBuilt);

const pdf = (text: string) => makePdf([text, 'Montant TTC : 12,00 €']);

describe('misleading names', () => {
  it('stores invoice.pdf.exe holding a PDF under a .pdf name (ingested when declared PDF, quarantined when it claims to be a program)', () => {
    const opened = openWorkspace();
    addMessage(opened.workspace, {
      messageId: 'exe-pdf@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'invoice.pdf.exe', pdf('EXE1'))] },
    });
    addMessage(opened.workspace, {
      messageId: 'exe-octet@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [textPart('x'), attachment('application/octet-stream', 'facture.pdf.exe', pdf('EXE2'))],
      },
    });
    expect(collect(opened).error).toBeNull();
    const paths = collectedFiles(opened.workspace).map((file) => file.path);
    expect(paths).toEqual(['Postroom/incoming/2026-01-05/invoice.pdf', 'Postroom/quarantine/2026-01-05/facture.pdf']);
    const rows = receipts(opened.workspace);
    expect(rows.map((row) => [row.original_filename, row.storage_path])).toEqual([
      ['invoice.pdf.exe', 'incoming/2026-01-05/invoice.pdf'],
      ['facture.pdf.exe', 'quarantine/2026-01-05/facture.pdf'],
    ]);
    expect(String(rows[1].reason)).toMatch(/^mime_not_allowed/);
    expect(labelsByMessage(opened.workspace)['<exe-octet@x>'].labels).toEqual(['Postroom/quarantine']);
  });
});

describe('pieces that do not conform are stored in quarantine/', () => {
  // maxSizeBytes 1 MiB: a 2 MiB file is over it (stored in quarantine); 26 MiB is over what Postroom fetches (a note).
  const opened = openWorkspace({}, { allowedSenders: [SUPPLIER], maxSizeBytes: 1024 * 1024 });
  const { workspace } = opened;
  const bigPdf = (mib: number) =>
    Buffer.concat([pdf('BIG').subarray(0, 100), Buffer.alloc(mib * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  let result: ReturnType<typeof collect>;

  beforeAll(() => {
    addMessage(workspace, {
      messageId: 'empty@x',
      subject: 'Vide',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'vide.pdf', Buffer.alloc(0))] },
    });
    addMessage(workspace, {
      messageId: 'big@x',
      subject: 'Gros',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'scan-600dpi.pdf', bigPdf(2))] },
    });
    addMessage(workspace, {
      messageId: 'huge@x',
      subject: 'Énorme',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'archive.pdf', bigPdf(26))] },
    });
    result = collect(opened);
  });

  it('stores the empty file and the 2 MiB file (over maxSizeBytes) in quarantine/YYYY-MM-DD/, and a note for the 26 MiB one', () => {
    expect(result.summary).toMatchObject({ status: 'succeeded' });
    expect(result.summary!.metrics.quarantinedByReason).toEqual({ empty_file: 1, too_large: 2 });
    const files = collectedFiles(workspace);
    expect(files.map((file) => [file.path, file.size])).toEqual([
      ['Postroom/quarantine/2026-01-05/archive.pdf.txt', expect.any(Number)],
      ['Postroom/quarantine/2026-01-05/scan-600dpi.pdf', 2 * 1024 * 1024 + 107],
      ['Postroom/quarantine/2026-01-05/vide.pdf', 0],
    ]);
    // The 26 MiB attachment was never fetched: one attachments.get, for the 2 MiB one.
    expect(workspace.accounting.total.calls['Gmail.REST.messages.attachments.get']).toBe(1);
  });

  it('the note names the message and the reason, in the user’s language, with the Gmail link', () => {
    const note = workspace.drive.listFiles().find((file) => file.path.endsWith('archive.pdf.txt'))!;
    const text = Buffer.from(workspace.drive.get(note.id)!.bytes).toString('utf8');
    const row = receipts(workspace).find((r) => r.original_filename === 'archive.pdf')!;
    expect(text).toContain('« Énorme »');
    expect(text).toContain('archive.pdf (application/pdf, 27263083 octets)');
    expect(text).toMatch(/Motif : fichier trop volumineux \(27263083 bytes is over maxSizeBytes/);
    expect(text).toContain(`https://mail.google.com/mail/u/0/#all/${String(row.gmail_message_id)}`);
    expect(row).toMatchObject({
      state: 'quarantined',
      filesize: 27263083,
      storage_path: 'quarantine/2026-01-05/archive.pdf.txt',
      sha256: '',
    });
  });

  it('gives every quarantined row a link to its Gmail message, and labels the messages quarantine', () => {
    const rows = receipts(workspace);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.state).toBe('quarantined');
      expect(row.gmail_url).toBe(`https://mail.google.com/mail/u/0/#all/${String(row.gmail_message_id)}`);
      expect(String(row.drive_file_id)).not.toBe('');
    }
    const labels = labelsByMessage(workspace);
    for (const id of ['<empty@x>', '<big@x>', '<huge@x>']) expect(labels[id]).toEqual({ labels: ['Postroom/quarantine'], unread: false });
  });
});

describe('nothing is dropped silently', () => {
  /** `depth` multipart/mixed levels, the PDF at the bottom. */
  function nested(depth: number, leaf: ReturnType<typeof attachment>): MimeNode {
    let node: MimeNode = { kind: 'multi', subtype: 'mixed', parts: [textPart('fond'), leaf] };
    for (let level = 1; level < depth; level++) node = { kind: 'multi', subtype: 'mixed', parts: [node] };
    return node;
  }

  function noBoundary(workspace: Opened['workspace']): string {
    const raw = [
      `From: Fournisseur Verre <${SUPPLIER}>`,
      `To: ${workspace.session.userEmail}`,
      'Subject: Sans frontière',
      'Date: Mon, 05 Jan 2026 09:00:00 +0000',
      'Message-ID: <noboundary@x>',
      `Authentication-Results: ${authPass(SUPPLIER_DOMAIN)}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed',
      '',
      '--x',
      'Content-Type: application/pdf; name="F.pdf"',
      'Content-Disposition: attachment; filename="F.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      pdf('NB').toString('base64'),
      '--x--',
      '',
    ].join('\r\n');
    return workspace.mailbox.importRaw(new Uint8Array(Buffer.from(raw, 'utf8'))).id;
  }

  it.each([
    [
      'a PDF nested 60 MIME levels deep',
      (opened: Opened) =>
        addMessage(opened.workspace, { messageId: 'deep@x', root: nested(60, attachment('application/pdf', 'PROFOND.pdf', pdf('DEEP'))) }),
    ],
    ['a multipart part without a boundary', (opened: Opened) => noBoundary(opened.workspace)],
    [
      'a PDF nested 300 levels deep',
      (opened: Opened) =>
        addMessage(opened.workspace, {
          messageId: 'abyss@x',
          root: nested(300, attachment('application/pdf', 'ABYSSE.pdf', pdf('ABYSS'))),
        }),
    ],
  ])('%s yields a receipt or a quarantined piece with its reason, and is not scanned again', (_name, add) => {
    // `is:unread` alone: the emulator's search does not see attachments in a tree Gmail could not split.
    const opened = openWorkspace({}, { allowedSenders: [SUPPLIER], query: 'is:unread' });
    const id = add(opened);
    const first = collect(opened);
    expect(first.summary).toMatchObject({ status: 'succeeded' });
    const rows = receipts(opened.workspace).filter((row) => row.gmail_message_id === id);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.state === 'quarantined') {
        expect(String(row.reason)).not.toBe('');
        expect(String(row.storage_path)).toMatch(/^quarantine\/2026-01-05\//);
      }
    }
    // Gmail hands such a part over unsplit: it is kept whole (.eml) in quarantine, with the reason.
    expect(rows.map((row) => String(row.reason).split(':')[0])).toContain('unreadable_mime');
    expect(
      collectedFiles(opened.workspace)
        .map((file) => file.path)
        .some((path) => path.endsWith('.eml')),
    ).toBe(true);
    const entry = opened.workspace.mailbox.dumpState().find((m) => m.id === id)!;
    expect(entry.unread).toBe(false);
    expect(entry.labels).toContain('Postroom/quarantine');
    // The next run does not meet it again.
    const second = collect(opened);
    expect(second.summary!.metrics.emailsScanned).toBe(0);
  });
});
