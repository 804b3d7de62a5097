// The generated demo workspace: messages a real MIME parser (mailparser) reads as intended, and
// document files that are valid by their specifications (PDF cross-reference offsets, PNG CRCs and
// IDAT size, JPEG marker structure).

// mailparser ships no types: the slice these tests read.
interface ParsedAttachment {
  filename?: string;
  contentType: string;
  contentDisposition: string;
  cid?: string;
  size: number;
  content: Buffer;
}
interface ParsedMail {
  subject?: string;
  text?: string;
  html?: string | false;
  to?: unknown;
  from?: { value: Array<{ address?: string }> };
  headers: Map<string, unknown>;
  attachments: ParsedAttachment[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { simpleParser } = require('mailparser') as { simpleParser(source: Buffer): Promise<ParsedMail> };
import { inflateSync } from 'node:zlib';
import { crc32, makeJpeg, makePdf, makePng } from '../../../emulator/demo/binary-files';
import { generateDemoMailbox } from '../../../emulator/demo/demo-mailbox';
import { demoSendFiles, demoSendRows, demoSendCsv } from '../../../emulator/demo/demo-send-list';
import { loadDemoWorkspace } from '../../../emulator/demo/index';
import { Workspace } from '../../../emulator/workspace';

const messages = generateDemoMailbox();
let parsed: Map<string, ParsedMail>;

beforeAll(async () => {
  parsed = new Map();
  for (const message of messages) parsed.set(message.name, await simpleParser(message.bytes));
});

function byPrefix(prefix: string): ParsedMail {
  const entry = [...parsed.entries()].find(([name]) => name.startsWith(prefix));
  if (!entry) throw new Error(`no demo message ${prefix}`);
  return entry[1];
}

function checkPdf(bytes: Buffer): void {
  const text = bytes.toString('latin1');
  expect(text.startsWith('%PDF-1.4')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
  expect(text.slice(startxref, startxref + 4)).toBe('xref');
  const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  expect(entries.length).toBeGreaterThan(0);
  entries.forEach((offset, index) => expect(text.slice(offset, offset + `${index + 1} 0 obj`.length)).toBe(`${index + 1} 0 obj`));
}

function checkPng(bytes: Buffer, width: number, height: number): void {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IDAT') idat.push(data);
    if (type === 'IHDR') expect([data.readUInt32BE(0), data.readUInt32BE(4)]).toEqual([width, height]);
    types.push(type);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types[types.length - 1]).toBe('IEND');
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * 3));
}

function checkJpeg(bytes: Buffer): void {
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  expect([bytes[bytes.length - 2], bytes[bytes.length - 1]]).toEqual([0xff, 0xd9]);
  const markers: number[] = [];
  let offset = 2;
  while (offset < bytes.length) {
    expect(bytes[offset]).toBe(0xff);
    const marker = bytes[offset + 1];
    markers.push(marker);
    if (marker === 0xda) break;
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  expect(markers).toEqual(expect.arrayContaining([0xe0, 0xdb, 0xc0, 0xc4, 0xda]));
  expect(markers.indexOf(0xc0)).toBeLessThan(markers.indexOf(0xda));
}

describe('generated document files', () => {
  it('makes PDFs whose cross-reference table points at every object', () => {
    checkPdf(makePdf(['Facture n° 1', 'Montant : 12,00 €']));
    for (const bytes of demoSendFiles().values()) checkPdf(bytes);
  });

  it('makes PNGs with valid CRCs and the right amount of pixel data', () => {
    checkPng(makePng(17, 9, [10, 20, 30], 'note'), 17, 9);
  });

  it('makes baseline JPEGs with the markers in order', () => {
    checkJpeg(makeJpeg(20, 12, 'comment'));
  });

  it('is deterministic', () => {
    expect(generateDemoMailbox().map((m) => m.bytes.toString('base64'))).toEqual(messages.map((m) => m.bytes.toString('base64')));
  });
});

describe('the demo mailbox read by a real MIME parser', () => {
  it('has about 25 messages for the demo user', () => {
    expect(messages.length).toBeGreaterThanOrEqual(24);
    for (const mail of parsed.values()) expect(JSON.stringify(mail.to)).toMatch(/@/);
  });

  it('carries a whitelisted PDF invoice and its duplicate with identical bytes', () => {
    const first = byPrefix('01-').attachments[0];
    const reminder = byPrefix('04-').attachments[0];
    expect(first.filename).toBe('FV-2026-0012.pdf');
    checkPdf(first.content);
    expect(reminder.content.equals(first.content)).toBe(true);
  });

  it('nests an inline signature image with a Content-ID beside the invoice', () => {
    const mail = byPrefix('02-');
    const inline = mail.attachments.find((a) => a.contentDisposition === 'inline');
    expect(inline?.cid).toBe('signature-fv@fournisseur-verre.fr');
    checkPng(inline!.content, 48, 16);
    expect(mail.html).toContain('FV-2026-0013');
    expect(mail.attachments.some((a) => a.filename === 'FV-2026-0013.pdf')).toBe(true);
  });

  it('decodes RFC 2231 and RFC 2047 file names with accents', () => {
    expect(byPrefix('08-').attachments[0].filename).toBe('reçu décembre 2025.pdf');
    expect(byPrefix('09-').attachments[0].filename).toBe('Facture été 2025.pdf');
    expect(byPrefix('09-').subject).toBe('Facture été – régularisation');
  });

  it('forwards a whole message holding a PDF', async () => {
    const forwarded = byPrefix('10-').attachments.find((a) => a.contentType === 'message/rfc822');
    expect(forwarded).toBeDefined();
    const inner = await simpleParser(forwarded!.content);
    expect(inner.attachments[0].filename).toBe('OL-2026-0042.pdf');
    checkPdf(inner.attachments[0].content);
  });

  it('holds a 0-byte file, a corrupt .pdf, images, a Drive link and an invite', () => {
    expect(byPrefix('11-').attachments[0].size).toBe(0);
    expect(byPrefix('12-').attachments[0].content.subarray(0, 5).toString()).not.toBe('%PDF-');
    checkJpeg(byPrefix('07-').attachments[0].content);
    expect(byPrefix('14-').attachments[0].contentType).toBe('image/jpeg');
    expect(byPrefix('14-').attachments[0].content.subarray(1, 4).toString()).toBe('PNG');
    expect(byPrefix('16-').attachments).toHaveLength(0);
    expect(byPrefix('16-').text).toContain('https://drive.google.com/file/d/');
    expect(byPrefix('17-').attachments.some((a) => a.filename === 'invite.ics')).toBe(true);
  });

  it('states Authentication-Results that pass and that fail', () => {
    expect(String(byPrefix('01-').headers.get('authentication-results'))).toMatch(/spf=pass/);
    expect(String(byPrefix('05-').headers.get('authentication-results'))).toMatch(/spf=fail/);
    expect(byPrefix('05-').from?.value[0].address).toBe('factures@fournisseur-verre.fr');
  });
});

describe('the demo send list', () => {
  it('has twelve rows, two invalid, and a PDF for every valid attachment', () => {
    const rows = demoSendRows();
    expect(rows).toHaveLength(12);
    const files = demoSendFiles();
    const invalid = rows.filter(
      (row) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(row.to) || row.attachments.split(';').some((name) => !files.has(name)),
    );
    expect(invalid.map((row) => row.key)).toEqual(['C-1008', 'C-1011']);
    expect(demoSendCsv().split('\r\n')[0]).toBe('key,period,to,cc,attachments,name,amount');
  });

  it('loads into a workspace: mailbox unread in INBOX, PDFs in Drive, rows in the Sends tab', () => {
    const workspace = Workspace.create();
    const loaded = loadDemoWorkspace(workspace);
    expect(loaded.messages).toBe(messages.length);
    const state = workspace.mailbox.dumpState();
    expect(state).toHaveLength(messages.length);
    expect(state.every((entry) => entry.unread && entry.labels.includes('INBOX'))).toBe(true);
    expect(workspace.sheets.tabValues(workspace.containerId!).Sends).toHaveLength(13);
    expect(workspace.drive.listFiles().filter((file) => file.path.startsWith('Postroom/Envois 2026-01/'))).toHaveLength(
      demoSendFiles().size,
    );
  });
});
