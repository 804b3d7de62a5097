// The Gmail API's view of real MIME messages: payload tree, partIds, file names (RFC 2231, RFC 2047),
// body.data vs body.attachmentId, forwarded message/rfc822 expansion, and the four formats.

import { PDF_BYTES, PNG_BYTES, JPEG_BYTES, USER, fromSigned, makeWorld, nestedEml, simpleEml } from './world';
import { fromBase64Url, parseMime, toBase64Url, type GmailPayload } from '../../../emulator/gmail/mime';

type ScriptPayload = Omit<GmailPayload, 'body' | 'parts'> & {
  body: { size: number; data?: number[]; attachmentId?: string };
  parts?: ScriptPayload[];
};

function flatten(payload: ScriptPayload): ScriptPayload[] {
  return [payload, ...(payload.parts ?? []).flatMap(flatten)];
}

// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages#MessagePart
describe('Gmail API payload of a nested MIME message (users.messages MessagePart)', () => {
  function getNested() {
    const world = makeWorld();
    const stored = world.mailbox.importRaw(nestedEml());
    const message = world.globals.Gmail.Users.Messages.get('me', stored.id) as unknown as {
      payload: ScriptPayload;
      snippet: string;
      sizeEstimate: number;
      internalDate: string;
      labelIds: string[];
    };
    return { world, stored, message, parts: flatten(message.payload) };
  }

  test('partIds and mimeTypes follow Gmail numbering, with the forwarded message expanded', () => {
    const { parts } = getNested();
    expect(parts.map((part) => [part.partId, part.mimeType])).toEqual([
      ['', 'multipart/mixed'],
      ['0', 'multipart/related'],
      ['0.0', 'multipart/alternative'],
      ['0.0.0', 'text/plain'],
      ['0.0.1', 'text/html'],
      ['0.1', 'image/png'],
      ['1', 'application/pdf'],
      ['2', 'message/rfc822'],
      ['2.0', 'multipart/mixed'],
      ['2.0.0', 'text/plain'],
      ['2.0.1', 'image/jpeg'],
    ]);
  });

  test('file names are decoded from RFC 2231 filename* (over name=) and RFC 2047 name=', () => {
    const { parts } = getNested();
    const byId = Object.fromEntries(parts.map((part) => [part.partId, part]));
    expect(byId['1'].filename).toBe('Reçu.pdf');
    expect(byId['2.0.1'].filename).toBe('photo été.jpg');
    expect(byId['0.1'].filename).toBe('');
    expect(byId['0.0.0'].filename).toBe('');
  });

  test('text parts carry data; attachments and inline images carry an attachmentId and their decoded size', () => {
    const { parts } = getNested();
    const byId = Object.fromEntries(parts.map((part) => [part.partId, part]));
    const text = Buffer.from(fromSigned(byId['0.0.0'].body.data!)).toString('utf8');
    expect(text).toBe('Bonjour, voici la facture. Montant dû : 120 EUR. Référence INV-2026-042.');
    expect(byId['0.0.0'].body.attachmentId).toBeUndefined();
    expect(byId['1'].body).toEqual({ size: PDF_BYTES.length, attachmentId: expect.stringMatching(/^ANGjdJ[A-Za-z0-9_-]{40,}$/) });
    expect(byId['0.1'].body.size).toBe(PNG_BYTES.length);
    expect(byId['0.1'].body.attachmentId).toBeDefined();
    expect(byId['2.0.1'].body.size).toBe(JPEG_BYTES.length);
    expect(byId[''].body).toEqual({ size: 0 });
    expect(byId['2'].body).toEqual({ size: 0 });
  });

  test('root headers are all message headers, decoded; part headers are the part own', () => {
    const { parts } = getNested();
    const root = parts[0];
    expect(root.headers.map((header) => header.name)).toEqual([
      'Received',
      'From',
      'To',
      'Cc',
      'Subject',
      'Date',
      'Message-ID',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(root.headers.find((header) => header.name === 'Subject')!.value).toBe('Facture n°42 – reçu');
    expect(root.headers.find((header) => header.name === 'From')!.value).toBe('Zoë Martin <zoe@fournisseur.fr>');
    const forwarded = parts.find((part) => part.partId === '2.0')!;
    expect(forwarded.headers.find((header) => header.name === 'Subject')!.value).toBe('Commande initiale');
    const pdf = parts.find((part) => part.partId === '1')!;
    expect(pdf.headers).toEqual([
      { name: 'Content-Type', value: 'application/pdf; name="recu.pdf"' },
      { name: 'Content-Disposition', value: "attachment; filename*=UTF-8''Re%C3%A7u.pdf" },
      { name: 'Content-Transfer-Encoding', value: 'base64' },
    ]);
  });

  test('message fields: snippet from the body, sizeEstimate, internalDate from the Date header, labels', () => {
    const { message, stored } = getNested();
    expect(message.snippet).toBe('Bonjour, voici la facture. Montant dû : 120 EUR. Référence INV-2026-042.');
    expect(message.sizeEstimate).toBe(stored.raw.length);
    expect(message.internalDate).toBe(String(Date.parse('2026-01-13T09:00:00Z')));
    expect(message.labelIds).toEqual(['INBOX', 'UNREAD']);
  });

  test('attachments.get returns the exact decoded bytes of the part', () => {
    const { world, stored, parts } = getNested();
    const pdfId = parts.find((part) => part.partId === '1')!.body.attachmentId!;
    const body = world.globals.Gmail.Users.Messages.Attachments.get('me', stored.id, pdfId);
    expect(body.size).toBe(PDF_BYTES.length);
    expect(fromSigned(body.data)).toEqual(PDF_BYTES);
    const rest = world.globals.core.getAttachment('me', stored.id, pdfId);
    expect(fromBase64Url(rest.data)).toEqual(PDF_BYTES);
  });
});

describe('message formats (users.messages.get format=)', () => {
  test('raw is the exact bytes in base64url; minimal has no payload; metadata honours metadataHeaders', () => {
    const world = makeWorld();
    const bytes = simpleEml({
      id: 'fmt',
      from: 'a@x.fr',
      to: USER,
      subject: 'Formats',
      date: 'Wed, 14 Jan 2026 09:00:00 +0000',
      body: 'Corps ~~~ ??? >>>',
    });
    const stored = world.mailbox.importRaw(bytes);
    const raw = world.globals.core.getMessage('me', stored.id, { format: 'raw' });
    expect(raw.raw).toBe(toBase64Url(bytes));
    expect(raw.raw).not.toMatch(/[+/]/);
    expect(fromBase64Url(raw.raw!)).toEqual(bytes);
    expect(raw.payload).toBeUndefined();

    const minimal = world.globals.core.getMessage('me', stored.id, { format: 'minimal' });
    expect(minimal.payload).toBeUndefined();
    expect(minimal.snippet).toBe('Corps ~~~ ??? &gt;&gt;&gt;');

    const metadata = world.globals.core.getMessage('me', stored.id, { format: 'metadata', metadataHeaders: ['subject', 'From'] });
    expect(metadata.payload!.headers).toEqual([
      { name: 'From', value: 'a@x.fr' },
      { name: 'Subject', value: 'Formats' },
    ]);
    expect(metadata.payload!.parts).toBeUndefined();
  });

  test('a single-part message is a root leaf with partId "" and its data', () => {
    const world = makeWorld();
    const stored = world.mailbox.importRaw(
      simpleEml({ id: 'single', from: 'a@x.fr', to: USER, subject: 'Un', date: 'Wed, 14 Jan 2026 09:00:00 +0000', body: 'Texte' }),
    );
    const payload = world.globals.core.getMessage('me', stored.id).payload!;
    expect(payload.partId).toBe('');
    expect(payload.mimeType).toBe('text/plain');
    expect(Buffer.from(fromBase64Url(payload.body.data!)).toString()).toBe('Texte\r\n');
  });

  test('the parser keeps exact part bytes (boundary CRLF belongs to the delimiter)', () => {
    const tree = parseMime(nestedEml());
    expect(tree.children).toHaveLength(3);
    expect(Buffer.from(tree.children[1].body)).toEqual(Buffer.from(PDF_BYTES));
  });
});
