// Planning: which rows go, and why the others cannot, before anything is sent.

import { PostroomError } from '../../../src/server/domain/errors';
import {
  describeRowProblem,
  describeRowProblems,
  MAX_MESSAGE_BYTES,
  planSend,
  type PlanContext,
  type ResolvedAttachment,
} from '../../../src/server/domain/send/plan';
import { parseSendRows, type AttachmentRef } from '../../../src/server/domain/send/send-list';
import { parseSendSettings } from '../../../src/server/domain/send/settings';

const FILE_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456';

/** A Drive folder as the resolver sees it: names and ids to files. */
function folder(files: ResolvedAttachment[]): PlanContext['resolveAttachments'] {
  return (_row, refs: readonly AttachmentRef[]) => {
    const found: ResolvedAttachment[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      const file = ref.kind === 'id' ? files.find((f) => f.id === ref.id) : files.find((f) => f.name === ref.name);
      if (file) found.push(file);
      else missing.push(ref.raw);
    }
    return { found, missing };
  };
}

const files: ResolvedAttachment[] = [
  { id: FILE_ID, name: 'FACTURE_2025_01.pdf', size: 120_000, mimeType: 'application/pdf' },
  { id: '1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', name: 'FACTURE2.pdf', size: 80_000, mimeType: 'application/pdf' },
  { id: 'big1', name: 'big-18MB.pdf', size: 18_000_000, mimeType: 'application/pdf' },
  { id: 'big2', name: 'big-18.5MB.pdf', size: 18_500_000, mimeType: 'application/pdf' },
];

const settings = parseSendSettings({
  subjectTemplate: 'Votre facture {cct} - {{period}}',
  textTemplate: 'Bonjour {{nom}},\nVeuillez trouver la facture {{key}}.',
  htmlTemplate: '<p>Bonjour {{nom}},</p><p>Facture {{key}}</p>',
  senderName: 'Comptabilité Acuitis',
  replyTo: 'factures@acuitis.com',
});
const context: PlanContext = { settings, resolveAttachments: folder(files) };

const header = ['CCT', 'period', 'to', 'cc', 'bcc', 'attachments', 'subject', 'body', 'status', 'attempts', 'nom'];
const row = (
  cct: string,
  period: string,
  to: string,
  extra: Partial<Record<'cc' | 'bcc' | 'attachments' | 'subject' | 'body' | 'status' | 'nom', string>> = {},
) => [
  cct,
  period,
  to,
  extra.cc ?? '',
  extra.bcc ?? '',
  extra.attachments ?? 'FACTURE_2025_01.pdf',
  extra.subject ?? '',
  extra.body ?? '',
  extra.status ?? '',
  '',
  extra.nom ?? 'Élodie & Fils',
];

function plan(rows: unknown[][], filter = {}) {
  return planSend(parseSendRows([header, ...rows]).rows, filter, context);
}

describe('planSend selection', () => {
  const rows = [
    row('CCT123', '2025-01', 'a@x.fr, b@x.fr'),
    row('CCT123', '2025-02', 'a@x.fr'),
    row('CCT456', '2025-01', 'c@x.fr', { status: 'failed' }),
    row('CCT789', '2025-01', 'd@x.fr', { status: 'sent' }),
    row('CCT790', '2025-01', 'd@x.fr', { status: 'sending' }),
    row('CCT791', '2025-01', 'd@x.fr', { status: 'skipped' }),
    row('CCT792', '2025-01', 'd@x.fr', { status: 'envoyé' }),
  ];

  it('selects pending and failed rows only, counting the rest by status', () => {
    const result = plan(rows);
    expect(result.ready.map((p) => p.rowNumber)).toEqual([2, 3, 4]);
    expect(result.counts).toEqual({
      rows: 7,
      matching: 7,
      selected: 3,
      ready: 3,
      invalid: 0,
      deferred: 0,
      duplicates: 0,
      byStatus: { pending: 2, queued: 0, sending: 1, drafted: 0, sent: 1, failed: 1, skipped: 1, bounced: 0, unknown: 1 },
    });
    expect(result.ignored).toEqual([
      { rowNumber: 8, key: 'CCT792', period: '2025-01', problems: [{ code: 'unknownStatus', params: { status: 'envoyé' } }] },
    ]);
    expect(result.ready[2].previousStatus).toBe('failed');
  });

  it('filters by key (case-insensitive) and by period', () => {
    expect(plan(rows, { key: 'cct123' }).ready.map((p) => p.period)).toEqual(['2025-01', '2025-02']);
    expect(plan(rows, { period: '2025-1' }).ready.map((p) => p.key)).toEqual(['CCT123', 'CCT456']);
    const both = plan(rows, { key: 'CCT123', period: '01/2025' });
    expect(both.ready.map((p) => p.rowNumber)).toEqual([2]);
    expect(both.filter).toEqual({ key: 'CCT123', period: '2025-01', max: null });
    expect(both.counts.matching).toBe(1);
  });

  it('caps ready rows at max and counts the rest as deferred', () => {
    const result = plan(rows, { max: 2 });
    expect(result.ready.map((p) => p.rowNumber)).toEqual([2, 3]);
    expect(result.counts.deferred).toBe(1);
  });

  it('refuses a malformed filter', () => {
    expect(() => plan(rows, { period: 'janvier' })).toThrow(PostroomError);
    expect(() => plan(rows, { max: 0 })).toThrow('max');
    expect(() => plan(rows, { max: 1.5 })).toThrow('max');
  });
});

describe('planSend content', () => {
  it('renders subject, text and HTML (escaped), parses recipients and resolves files', () => {
    const [p] = plan([
      row('CCT123', '2025-01', 'Élodie <a@x.fr>; b@x.fr', {
        cc: 'c@x.fr',
        bcc: 'archive@acuitis.com',
        attachments: `FACTURE_2025_01.pdf, https://drive.google.com/open?id=1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ`,
      }),
    ]).ready;
    expect(p.subject).toBe('Votre facture CCT123 - 2025-01');
    expect(p.text).toBe('Bonjour Élodie & Fils,\nVeuillez trouver la facture CCT123.');
    expect(p.html).toBe('<p>Bonjour Élodie &amp; Fils,</p><p>Facture CCT123</p>');
    expect(p.to).toEqual([
      { name: 'Élodie', address: 'a@x.fr' },
      { name: '', address: 'b@x.fr' },
    ]);
    expect(p.replyTo).toEqual({ name: '', address: 'factures@acuitis.com' });
    expect(p.recipientCount).toBe(4);
    expect(p.attachments.map((a) => a.name)).toEqual(['FACTURE_2025_01.pdf', 'FACTURE2.pdf']);
    expect(p.estimatedSize).toBeGreaterThan(200_000 * 1.36);
  });

  it('uses the row overrides: subject template and a plain-text body', () => {
    const [p] = plan([row('CCT1', '2025-01', 'a@x.fr', { subject: 'Relance {{key}}', body: 'Merci {{nom}}' })]).ready;
    expect(p.subject).toBe('Relance CCT1');
    expect(p.text).toBe('Merci Élodie & Fils');
    expect(p.html).toBe('');
  });

  it('allows a row without attachments', () => {
    expect(plan([row('CCT1', '2025-01', 'a@x.fr', { attachments: '' })]).ready[0].attachments).toEqual([]);
  });
});

describe('planSend rejections', () => {
  const codes = (rows: unknown[][]) => plan(rows).invalid.map((r) => r.problems.map((p) => p.code));

  it('fails each kind of bad row with its reasons, never sending it', () => {
    const many = Array.from({ length: 101 }, (_, i) => `r${i}@x.fr`).join(', ');
    const result = plan([
      row('CCT1', '2025-01', 'pas-une-adresse'),
      row('CCT2', '2025-01', ''),
      row('CCT3', '2025-01', many),
      row('CCT4', '2025-01', 'a@x.fr', { nom: '' }),
      row('CCT5', '2025-01', 'a@x.fr', { subject: 'Facture {{inconnue}}' }),
      row('CCT6', '2025-01', 'a@x.fr', { attachments: 'ABSENT.pdf; FACTURE2.pdf' }),
      row('', '2025-01', 'a@x.fr'),
      row('CCT8', '2025-13', 'a@x.fr'),
      row('CCT9', '2025-01', 'a@x.fr\nBcc: evil@x.com'),
      row('CCT10', '2025-01', 'a@x.fr', { subject: '{{nom}}', nom: 'x\r\nBcc: evil@x.com' }),
      row('CCT11', '2025-01', 'a@x.fr', { attachments: 'big-18.5MB.pdf' }),
      row('CCT12', '2025-01', ' ; ,'),
      row('CCT13', '2025-01', 'a@x.fr', { cc: 'b@x', bcc: 'c@' }),
    ]);
    expect(result.ready).toEqual([]);
    expect(result.invalid.map((r) => [r.key, r.problems.map((p) => p.code)])).toEqual([
      ['CCT1', ['invalidAddress']],
      ['CCT2', ['noRecipient']],
      ['CCT3', ['tooManyRecipients']],
      ['CCT4', ['emptyPlaceholder', 'emptyPlaceholder']],
      ['CCT5', ['unknownPlaceholder']],
      ['CCT6', ['attachmentMissing']],
      ['', ['missingKey', 'emptyPlaceholder', 'emptyPlaceholder', 'emptyPlaceholder']],
      ['CCT8', ['invalidPeriod']],
      ['CCT9', ['lineBreak']],
      ['CCT10', ['lineBreak']],
      ['CCT11', ['tooLarge']],
      ['CCT12', ['noRecipient']],
      ['CCT13', ['invalidAddress', 'invalidAddress']],
    ]);
    expect(result.counts).toMatchObject({ selected: 13, ready: 0, invalid: 13 });
  });

  it('reports the seeds’ "Votre facture {cct}" as an unknown placeholder when there is no CCT column', () => {
    const rows = parseSendRows([
      ['key', 'to', 'nom', 'period'],
      ['K1', 'a@x.fr', 'n', '2025-01'],
    ]).rows;
    const result = planSend(rows, {}, context);
    expect(result.invalid[0].problems).toEqual([{ code: 'unknownPlaceholder', params: { name: 'cct', where: 'subject' } }]);
    expect(describeRowProblem(result.invalid[0].problems[0], 'fr')).toBe(
      'Variable inconnue {{cct}} dans l’objet : aucune colonne de ce nom',
    );
    expect(describeRowProblem(result.invalid[0].problems[0], 'en')).toBe('Unknown placeholder {{cct}} in the subject: no such column');
  });

  it('checks the encoded size honestly: 18 MB of PDF fits, 18.5 MB does not (×1.37 base64)', () => {
    expect(codes([row('A', '2025-01', 'a@x.fr', { attachments: 'big-18MB.pdf' })])).toEqual([]);
    const [rejected] = plan([row('B', '2025-01', 'a@x.fr', { attachments: 'big-18.5MB.pdf' })]).invalid;
    expect(describeRowProblems(rejected.problems, 'en')).toBe(
      `Message too large: about 25.3 MB with attachments encoded, the limit is ${MAX_MESSAGE_BYTES / 1e6} MB`,
    );
  });

  it('describes reasons in both languages', () => {
    const [rejected] = plan([row('CCT1', '2025-01', 'jean.dupont.x.fr', { attachments: 'ABSENT.pdf' })]).invalid;
    expect(describeRowProblems(rejected.problems, 'en')).toBe(
      'Invalid to address "jean.dupont.x.fr": missing @ ; Attachment not found: ABSENT.pdf',
    );
    expect(describeRowProblems(rejected.problems, 'fr')).toBe(
      'Adresse to invalide « jean.dupont.x.fr » : il manque le @ ; Pièce jointe introuvable : ABSENT.pdf',
    );
  });
});

describe('toMessageInput → buildMessage', () => {
  it('builds the planned row’s message, read back identical by mailparser', async () => {
    const { simpleParser, addressesOf } = await import('./parse-mail');
    const { buildMessage, makeMessageId } = await import('../../../src/server/domain/send/mime');
    const { toMessageInput } = await import('../../../src/server/domain/send/plan');
    const [p] = plan([row('CCT123', '2025-01', 'Élodie <a@x.fr>; b@x.fr', { bcc: 'archive@acuitis.com' })]).ready;
    const pdf = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37) & 0xff);
    const raw = buildMessage(
      toMessageInput(
        p,
        { name: settings.senderName, address: 'comptabilite@acuitis.com' },
        makeMessageId(['s', 'job', p.rowNumber], 'acuitis.com'),
        Date.UTC(2025, 1, 1),
        () => pdf,
      ),
    );
    const mail = await simpleParser(Buffer.from(raw, 'binary'));
    expect(mail.subject).toBe('Votre facture CCT123 - 2025-01');
    expect(addressesOf(mail.from)).toEqual([{ name: 'Comptabilité Acuitis', address: 'comptabilite@acuitis.com' }]);
    expect(addressesOf(mail.to)).toEqual([
      { name: 'Élodie', address: 'a@x.fr' },
      { name: '', address: 'b@x.fr' },
    ]);
    expect(addressesOf(mail.bcc)).toEqual([{ name: '', address: 'archive@acuitis.com' }]);
    expect(addressesOf(mail.replyTo)).toEqual([{ name: '', address: 'factures@acuitis.com' }]);
    expect(mail.text).toBe(p.text);
    expect(mail.html).toBe(p.html);
    expect(mail.attachments.map((a) => [a.filename, Buffer.compare(a.content, Buffer.from(pdf))])).toEqual([['FACTURE_2025_01.pdf', 0]]);
  });
});
