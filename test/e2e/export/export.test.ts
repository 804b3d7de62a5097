// The export through the BUILT bundle in the emulator runner: startExport as the sidebar calls it,
// then the continuation trigger's executions. Messages from a real composer (nodemailer) and hand-
// written Latin-1 / Windows-1252 ones; each exported message checked against what mailparser reads
// from the same bytes. Also: max (exactly the newest), query, since 'last' (incremental), batches,
// includeAttachments (bytes equal to mailparser's), the JobRuns row, and bad options refused in the
// user's language with nothing written.

import type { ParsedAddress, ParsedMail } from '../../unit/send/parse-mail';

// keepCidLinks: mailparser otherwise rewrites cid: links of the HTML into data: URIs.
const mailparser = require('mailparser') as { simpleParser(source: Buffer, options?: { keepCidLinks?: boolean }): Promise<ParsedMail> };
const simpleParser = (raw: Buffer) => mailparser.simpleParser(raw, { keepCidLinks: true });
import { fixtureMessages } from './fixtures';
import {
  batchNames,
  ensureBuilt,
  exportedMessages,
  folderFiles,
  importAll,
  manifestOf,
  openWorkspace,
  runExport,
  simpleMessages,
  tab,
} from './helpers';

beforeAll(ensureBuilt);

type Attachment = ParsedMail['attachments'][number] & { contentDisposition?: string; related?: boolean; size?: number; cid?: string };

function addresses(field: ParsedAddress | ParsedAddress[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value.map((v) => (v.address ?? '').toLowerCase()));
}

function names(field: ParsedAddress | ParsedAddress[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value.map((v) => v.name)).filter(Boolean);
}

const normalise = (text: string) => text.replace(/\r\n/g, '\n').replace(/\n+$/, '');

describe('the exported JSON against mailparser', () => {
  let raws: Buffer[];
  let parsed: ParsedMail[];
  let exported: ReturnType<typeof exportedMessages>;
  let ids: string[];

  beforeAll(async () => {
    raws = await fixtureMessages();
    parsed = await Promise.all(raws.map((raw) => simpleParser(raw)));
    const opened = openWorkspace();
    ids = importAll(opened.workspace, raws);
    const result = runExport(opened, {});
    expect(result.error).toBeNull();
    expect(result.progress).toMatchObject({ state: 'done', exported: raws.length, total: raws.length, files: 1 });
    exported = exportedMessages(folderFiles(opened, result.progress!.folderUrl));
  });

  it('exports every message once, newest first, with the seed keys in order', () => {
    const byDate = ids.map((id, i) => ({ id, at: parsed[i].date!.getTime() })).sort((a, b) => b.at - a.at);
    expect(exported.map((m) => m['Message-ID'])).toEqual(byDate.map((m) => m.id));
    for (const message of exported) {
      expect(Object.keys(message).slice(0, 10)).toEqual([
        'Message-ID',
        'Thread-ID',
        'Labels',
        'Date',
        'From',
        'To',
        'Subject',
        'Body',
        'Attachments',
        'Snippet',
      ]);
      expect(message.Labels).toContain('INBOX');
    }
  });

  it('headers, bodies and attachments equal what mailparser reads from the same bytes', () => {
    expect(exported).toHaveLength(parsed.length);
    for (const [i, mail] of parsed.entries()) {
      const message = exported.find((m) => m['Message-ID'] === ids[i])!;
      const where = `message ${i} (${mail.subject})`;
      expect({ where, subject: message.Subject }).toEqual({ where, subject: mail.subject });
      expect({ where, rfc822: message['RFC822-Message-ID'] }).toEqual({ where, rfc822: mail.messageId });
      expect({ where, date: Date.parse(message.Date) }).toEqual({ where, date: mail.date!.getTime() });
      for (const address of addresses(mail.from)) expect(message.From.toLowerCase()).toContain(address);
      for (const name of names(mail.from)) expect(message.From).toContain(name);
      expect({ where, to: addresses(mail.to).filter((a) => !message.To.toLowerCase().includes(a)) }).toEqual({ where, to: [] });
      for (const name of names(mail.to)) expect(message.To).toContain(name);
      for (const address of addresses(mail.cc)) expect(message.Cc?.toLowerCase()).toContain(address);
      // mailparser derives a text from the HTML when a message has none; compare only real text parts.
      if (mail.text !== undefined && !(mail.html && !/text\/plain/i.test(raws[i].toString('latin1')))) {
        expect({ where, plain: normalise(message.Body.plain) }).toEqual({ where, plain: normalise(mail.text) });
      }
      expect({ where, html: message.Body.html === null ? false : normalise(message.Body.html) }).toEqual({
        where,
        html: !mail.html ? false : normalise(mail.html),
      });
      const attachments = mail.attachments as Attachment[];
      expect({
        where,
        attachments: message.Attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, size: a.size, inline: a.inline })),
      }).toEqual({
        where,
        attachments: attachments.map((a) => ({
          filename: a.filename,
          mimeType: a.contentType,
          size: a.content.length,
          inline: a.contentDisposition === 'inline' || (Boolean(a.cid) && a.contentDisposition !== 'attachment'),
        })),
      });
    }
  });

  it('decodes accents: UTF-8, Latin-1 quoted-printable and Windows-1252', () => {
    const subjects = exported.map((m) => m.Subject);
    expect(subjects).toContain('Facture n°2026-001 — verres progressifs, échéance reçue');
    expect(subjects).toContain('Relevé de décembre à régler');
    expect(subjects).toContain('Avoir – € remboursés');
    const latin1 = exported.find((m) => m.Subject === 'Relevé de décembre à régler')!;
    expect(latin1.From).toContain('Renée Châtelain');
    expect(latin1.Body.plain).toContain('Voici le relevé de décembre : 1 250,00 EUR à régler avant le 31.');
    expect(latin1.Body.plain).toContain('Très cordialement, Renée');
    expect(latin1.Body.html).toBeNull();
    const cp1252 = exported.find((m) => m.Subject === 'Avoir – € remboursés')!;
    expect(cp1252.Body.plain).toBe('Avoir de 30 € pour la monture “Azur”.\n');
    const inline = exported.find((m) => m.Subject.startsWith('Lettre'))!;
    expect(inline.Attachments).toEqual([expect.objectContaining({ filename: 'logo.png', mimeType: 'image/png', inline: true })]);
  });
});

describe('options', () => {
  it('max is exactly the newest max, in batches of batchSize, with a manifest and one JobRuns row', () => {
    const opened = openWorkspace();
    const ids = simpleMessages(opened.workspace, 23);
    const result = runExport(opened, { max: 11, batchSize: 4 });
    expect(result.progress).toMatchObject({
      state: 'done',
      exported: 11,
      total: 11,
      files: 3,
      summary: '11 messages exportés dans 3 fichiers',
    });
    const files = folderFiles(opened, result.progress!.folderUrl);
    expect(batchNames(files)).toEqual(['messages-00001.json', 'messages-00002.json', 'messages-00003.json']);
    expect(exportedMessages(files).map((m) => m['Message-ID'])).toEqual(ids.slice(0, 11));
    const manifest = manifestOf(files);
    expect(manifest).toMatchObject({
      state: 'done',
      max: 11,
      batchSize: 4,
      counts: { selected: 11, exported: 11, files: 3 },
      order: 'newest first',
    });
    expect(manifest.historyId).toMatch(/^\d+$/);
    expect(manifest.files.map((f: { messages: number }) => f.messages)).toEqual([4, 4, 3]);
    expect(opened.workspace.drive.pathOf(decodeURIComponent(result.progress!.folderUrl!.split('/').pop()!))).toBe(
      'Postroom/exports/2026-01-20_1000_all-mail',
    );
    const runs = tab(opened.workspace, 'JobRuns');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'export', status: 'succeeded', emails_scanned: 11, folder_url: result.progress!.folderUrl });
    expect(Number(runs[0].gmail_units)).toBeGreaterThan(55);
  });

  it('query selects, and since "last" exports only what arrived after the previous export of that query', () => {
    const opened = openWorkspace();
    simpleMessages(opened.workspace, 6, (i) => (i % 2 ? `Facture ${i}` : `Relance ${i}`));
    const first = runExport(opened, { query: 'subject:facture', since: 'last' });
    const firstMessages = exportedMessages(folderFiles(opened, first.progress!.folderUrl));
    expect(firstMessages.map((m) => m.Subject)).toEqual(['Facture 1', 'Facture 3', 'Facture 5']);
    expect(first.progress!.folderUrl).toContain('');
    opened.workspace.ctx.advance(3_600_000);
    const now = opened.workspace.clock.now();
    for (const [n, subject] of [
      [7, 'Facture 7'],
      [8, 'Relance 8'],
      [9, 'Facture 9'],
    ] as const) {
      opened.workspace.mailbox.importRaw(
        new Uint8Array(
          Buffer.from(
            `From: f@verre.fr\r\nTo: compta@x.fr\r\nSubject: ${subject}\r\nDate: ${new Date(now - n * 1000).toUTCString()}\r\nMessage-ID: <n${n}@x>\r\n\r\nnouveau\r\n`,
          ),
        ),
        { internalDate: now - n * 1000 },
      );
    }
    const second = runExport(opened, { query: 'subject:facture', since: 'last' });
    expect(second.progress).toMatchObject({ state: 'done', exported: 2 });
    const files = folderFiles(opened, second.progress!.folderUrl);
    expect(exportedMessages(files).map((m) => m.Subject)).toEqual(['Facture 7', 'Facture 9']);
    expect(manifestOf(files).gmailQuery).toMatch(/^\(subject:facture\) after:\d+$/);
    expect(second.progress!.folderUrl).not.toBe(first.progress!.folderUrl);
  });

  it('includeAttachments stores each attachment next to the batches, byte for byte as mailparser reads it', async () => {
    const raws = await fixtureMessages();
    const opened = openWorkspace();
    const ids = importAll(opened.workspace, raws);
    const result = runExport(opened, { includeAttachments: true });
    const files = folderFiles(opened, result.progress!.folderUrl);
    const messages = exportedMessages(files);
    let checked = 0;
    for (const [i, raw] of raws.entries()) {
      const mail = await simpleParser(raw);
      const message = messages.find((m) => m['Message-ID'] === ids[i])!;
      for (const [k, attachment] of mail.attachments.entries()) {
        const stored = message.Attachments[k];
        expect(stored.file).toBe(`${ids[i]}_${stored.id}_${stored.filename.replace(/[<>:"/\\|?*]/g, '_')}`);
        expect(files.get(`attachments/${stored.file}`)?.equals(attachment.content)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(3);
    expect(manifestOf(files).counts).toMatchObject({ attachmentsSeen: 3, attachmentsStored: 3, attachmentsFailed: 0 });
  });

  it.each([
    [
      { batchSize: 0 },
      'batchSize doit être un nombre entier de 1 à 5000 (reçu : 0).',
      'batchSize must be a whole number from 1 to 5000 (got 0).',
    ],
    [
      { batchSize: 5001 },
      'batchSize doit être un nombre entier de 1 à 5000 (reçu : 5001).',
      'batchSize must be a whole number from 1 to 5000 (got 5001).',
    ],
    [
      { max: 0 },
      'max doit être un nombre entier de messages, 1 ou plus (reçu : 0).',
      'max must be a whole number of messages, 1 or more (got 0).',
    ],
    [
      { max: 2.5 },
      'max doit être un nombre entier de messages, 1 ou plus (reçu : 2.5).',
      'max must be a whole number of messages, 1 or more (got 2.5).',
    ],
    [
      { query: ['from:me'] },
      'query doit être un texte de recherche Gmail (au plus 2000 caractères).',
      'query must be a Gmail search text (at most 2000 characters).',
    ],
    [{ query: 'frm:me' }, 'Gmail a rejeté la requête', 'Gmail rejected the request'],
  ])('bad options %j are refused in the user’s language and nothing is written', (options, fr, en) => {
    for (const [locale, message] of [
      ['fr_FR', fr],
      ['en', en],
    ] as const) {
      const opened = openWorkspace({ locale });
      simpleMessages(opened.workspace, 2);
      const propertiesBefore = [...opened.workspace.properties.user.values.keys()];
      const result = runExport(opened, options as never);
      expect(result.refused?.message).toContain(message);
      expect(opened.workspace.drive.listFiles().filter((f) => f.path.startsWith('Postroom/'))).toEqual([]);
      expect(tab(opened.workspace, 'JobRuns')).toEqual([]);
      expect([...opened.workspace.properties.user.values.keys()]).toEqual(propertiesBefore);
      expect(opened.workspace.triggers.triggers).toEqual([]);
    }
  });
});

describe('progress and cancel through the bundle', () => {
  it('getExportProgress follows the run; a cancel asked while an execution reads is applied by it, files kept', () => {
    const opened = openWorkspace();
    simpleMessages(opened.workspace, 400);
    const { runner } = opened;
    expect(runner.rpc('getExportProgress').value).toMatchObject({ state: 'idle', summary: 'Aucun export pour l’instant.' });
    const started = runner.rpc('startExport', { batchSize: 100 });
    expect(started.value).toMatchObject({ state: 'running', total: null, summary: 'Recherche des messages à exporter…' });
    expect(runner.rpc('getExportProgress').value).toMatchObject({ state: 'running', runId: (started.value as { runId: string }).runId });
    // The continuation fires; a person cancels from the sidebar while it reads (its 58th service call, after its first file).
    const next = opened.workspace.nextTriggerAt()!;
    opened.workspace.ctx.advance(Math.max(0, next - opened.workspace.clock.now()));
    let cancelled: unknown = null;
    const execution = runner.invoke('runExportContinue', [], 'trigger', {
      during: [{ atCall: 58, run: () => (cancelled = runner.rpc('cancelExport').value) }],
    });
    expect(cancelled).toMatchObject({ state: 'running', cancelRequested: true });
    expect(execution.outcome).toBe('completed');
    const progress = runner.rpc('getExportProgress').value as {
      state: string;
      exported: number;
      files: number;
      folderUrl: string;
      summary: string;
    };
    expect(progress.state).toBe('cancelled');
    expect(progress.exported).toBeGreaterThan(0);
    expect(progress.exported).toBeLessThan(400);
    expect(progress.summary).toBe(
      `Export annulé : ${progress.exported} messages exportés sur 400 dans ${progress.files} fichier${progress.files > 1 ? 's' : ''}`,
    );
    const files = folderFiles(opened, progress.folderUrl);
    expect(exportedMessages(files)).toHaveLength(progress.exported);
    expect(manifestOf(files)).toMatchObject({ state: 'cancelled', counts: { selected: 400, exported: progress.exported } });
    expect(tab(opened.workspace, 'JobRuns').map((r) => r.status)).toEqual(['cancelled']);
    expect(opened.workspace.nextTriggerAt()).toBeNull();
  });
});

describe('size limit', () => {
  it('a batch that would pass 20 MB is cut into files under the limit, and the manifest says so', () => {
    const opened = openWorkspace();
    const big = 'Relevé détaillé : ' + 'ligne de facture, montant 12,00 €\n'.repeat(30_000); // ≈ 1 MB of text per message
    for (let i = 1; i <= 26; i++) {
      const raw = Buffer.from(
        `From: f@verre.fr\r\nTo: compta@x.fr\r\nSubject: Gros relevé ${i}\r\nDate: ${new Date(Date.parse('2026-01-19T09:00:00Z') - i * 60_000).toUTCString()}\r\n` +
          `Message-ID: <big${i}@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${big.replace(/\n/g, '\r\n')}`,
      );
      opened.workspace.mailbox.importRaw(new Uint8Array(raw));
    }
    const result = runExport(opened, { batchSize: 5000 });
    expect(result.progress).toMatchObject({ state: 'done', exported: 26 });
    const files = folderFiles(opened, result.progress!.folderUrl);
    const names = batchNames(files);
    expect(names.length).toBe(2);
    for (const name of names) expect(files.get(name)!.length).toBeLessThanOrEqual(20 * 1024 * 1024);
    const manifest = manifestOf(files);
    expect(manifest.limits).toMatchObject({ maxFileBytes: 20 * 1024 * 1024, splitFiles: 1 });
    expect(manifest.files.map((f: { splitForSize: boolean }) => f.splitForSize)).toEqual([true, false]);
    expect(exportedMessages(files).map((m) => m.Subject)).toEqual(Array.from({ length: 26 }, (_, i) => `Gros relevé ${i + 1}`));
  });
});
