import {
  nameForContent,
  checkSenderAuthentication,
  classifyAttachment,
  classifySender,
  defaultCollectSettings,
  emptyAuthResults,
  extensionForMimeType,
  isSenderAllowed,
  normalizeMimeType,
  parseAuthenticationResults,
  sniffFileType,
  type AuthResults,
} from '../../../src/server/domain/collect';
import { JPEG_BYTES, PNG_BYTES, pdfBytes } from './fixtures';

const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
const settings = defaultCollectSettings();
const auth = (value: string): AuthResults => parseAuthenticationResults(`mx.google.com; ${value}`);

describe('isSenderAllowed', () => {
  const list = ['factures@fournisseur.fr', '@edf.fr'];
  it.each([
    ['factures@fournisseur.fr', true],
    ['FACTURES@Fournisseur.FR', true],
    ['autre@fournisseur.fr', false],
    ['factures+x@fournisseur.fr', false],
    ['noreply@edf.fr', true],
    ['noreply@mail.edf.fr', false], // sub-domains only when listed
    ['noreply@edf.fr.evil.com', false],
    ['x@notedf.fr', false],
    ['edf.fr', false],
    ['@edf.fr', false],
    ['', false],
  ])('%s → %s', (address, expected) => {
    expect(isSenderAllowed(address, list)).toBe(expected);
  });
  it('allows nobody with an empty list', () => {
    expect(isSenderAllowed('factures@fournisseur.fr', [])).toBe(false);
  });
});

describe('checkSenderAuthentication', () => {
  it('accepts DMARC pass for the From domain', () => {
    expect(checkSenderAuthentication('a@shop.fr', auth('dmarc=pass header.from=shop.fr'))).toMatchObject({
      authenticated: true,
      via: 'dmarc',
    });
    expect(checkSenderAuthentication('a@shop.fr', auth('dmarc=pass header.from=other.fr')).authenticated).toBe(false);
  });
  it('accepts DKIM pass signed by the From domain or a parent, not a sibling or a TLD', () => {
    expect(checkSenderAuthentication('a@factures.shop.fr', auth('dkim=pass header.d=shop.fr'))).toMatchObject({
      authenticated: true,
      via: 'dkim',
    });
    expect(checkSenderAuthentication('a@shop.fr', auth('dkim=pass header.i=@shop.fr'))).toMatchObject({ authenticated: true, via: 'dkim' });
    expect(checkSenderAuthentication('a@shop.fr', auth('dkim=pass header.d=sendgrid.net')).authenticated).toBe(false);
    expect(checkSenderAuthentication('a@shop.fr', auth('dkim=pass header.d=fr')).authenticated).toBe(false);
    expect(checkSenderAuthentication('a@shop.fr', auth('dkim=pass header.d=mail.shop.fr')).authenticated).toBe(false);
  });
  it('accepts SPF pass only when the mail-from domain is aligned', () => {
    expect(checkSenderAuthentication('a@shop.fr', auth('spf=pass smtp.mailfrom=bounce@mail.shop.fr'))).toMatchObject({
      authenticated: true,
      via: 'spf',
    });
    expect(checkSenderAuthentication('a@shop.fr', auth('spf=pass smtp.mailfrom=bounce@amazonses.com')).authenticated).toBe(false);
    expect(checkSenderAuthentication('a@shop.fr', auth('spf=softfail smtp.mailfrom=shop.fr')).authenticated).toBe(false);
  });
  it('explains a failure with the verdicts', () => {
    expect(
      checkSenderAuthentication('a@shop.fr', auth('spf=fail smtp.mailfrom=evil.com; dkim=none; dmarc=fail header.from=shop.fr')),
    ).toEqual({
      authenticated: false,
      via: 'none',
      detail: 'spf=fail (evil.com) dkim=none dmarc=fail',
    });
    expect(checkSenderAuthentication('a@shop.fr', emptyAuthResults()).authenticated).toBe(false);
  });
});

describe('classifySender', () => {
  const s = { ...settings, allowedSenders: ['@shop.fr'] };
  it('skips a sender outside the whitelist, whatever the verdicts', () => {
    expect(classifySender('a@other.fr', auth('dmarc=pass header.from=other.fr'), s)).toEqual({
      verdict: 'skip',
      reason: 'sender_not_allowed',
    });
  });
  it('quarantines a forged whitelisted sender while requireAuthenticatedSender (the default)', () => {
    const forged = auth('spf=fail smtp.mailfrom=evil.com; dmarc=fail header.from=shop.fr');
    expect(s.requireAuthenticatedSender).toBe(true);
    expect(classifySender('a@shop.fr', forged, { ...s, requireAuthenticatedSender: false })).toEqual({ verdict: 'ok' });
    expect(classifySender('a@shop.fr', forged, { ...s, requireAuthenticatedSender: true })).toMatchObject({
      verdict: 'quarantine',
      reason: 'sender_not_authenticated',
    });
    expect(classifySender('a@shop.fr', auth('dkim=pass header.d=shop.fr'), { ...s, requireAuthenticatedSender: true })).toEqual({
      verdict: 'ok',
    });
  });
});

describe('sniffFileType', () => {
  const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
  it.each<[string, number[], string]>([
    ['PDF', [...pdfBytes()], 'pdf'],
    ['PDF after a junk prefix', [...new Array(300).fill(0x20), ...pdfBytes()], 'pdf'],
    ['PNG', [...PNG_BYTES], 'png'],
    ['JPEG', [...JPEG_BYTES], 'jpeg'],
    ['GIF', ascii('GIF89a\x01\x00'), 'gif'],
    ['TIFF little-endian', [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0], 'tiff'],
    ['TIFF big-endian', [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8], 'tiff'],
    ['HEIC', [0, 0, 0, 0x18, ...ascii('ftypheic'), 0, 0, 0, 0], 'heic'],
    ['HEIF mif1', [0, 0, 0, 0x18, ...ascii('ftypmif1'), 0, 0, 0, 0], 'heic'],
    ['AVIF', [0, 0, 0, 0x1c, ...ascii('ftypavif')], 'avif'],
    ['MP4 is not an image', [0, 0, 0, 0x18, ...ascii('ftypisom')], 'unknown'],
    ['WebP', [...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WEBPVP8 ')], 'webp'],
    ['ZIP / Office', [0x50, 0x4b, 0x03, 0x04, 0x14, 0], 'zip'],
    ['OLE (old .doc/.xls)', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'ole'],
    ['Windows executable', ascii('MZ\x90\x00'), 'exe'],
    ['text', ascii('Hello'), 'unknown'],
    ['empty', [], 'unknown'],
    ['truncated PNG magic', [0x89, 0x50, 0x4e], 'unknown'],
  ])('%s', (_label, bytes, expected) => {
    expect(sniffFileType(bytes)).toBe(expected);
    expect(sniffFileType(new Uint8Array(bytes))).toBe(expected);
  });
  it('reads Apps Script signed bytes', () => {
    expect(sniffFileType(signed(PNG_BYTES))).toBe('png');
    expect(sniffFileType(signed(JPEG_BYTES))).toBe('jpeg');
  });
});

describe('classifyAttachment', () => {
  const pdf = pdfBytes();
  it('ingests a real PDF declared as a PDF, after checking the bytes', () => {
    const before = classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'f.pdf', size: pdf.length }, settings);
    expect(before).toMatchObject({ verdict: 'ingest', magicChecked: false, fetchBytes: true });
    expect(
      classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'f.pdf', size: pdf.length, bytes: signed(pdf) }, settings),
    ).toMatchObject({
      verdict: 'ingest',
      reason: 'ok',
      mimeType: 'application/pdf',
      detected: 'pdf',
      magicChecked: true,
    });
  });

  it('quarantines a "PDF" whose bytes are a JPEG (magic_mismatch)', () => {
    expect(
      classifyAttachment(
        { declaredMimeType: 'application/pdf', filename: 'Facture.pdf', size: JPEG_BYTES.length, bytes: JPEG_BYTES },
        settings,
      ),
    ).toMatchObject({
      verdict: 'quarantine',
      reason: 'magic_mismatch',
      detail: 'declared application/pdf but the bytes are jpeg',
    });
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
    expect(classifyAttachment({ declaredMimeType: 'image/png', filename: 'scan.png', size: 8, bytes: exe }, settings).reason).toBe(
      'magic_mismatch',
    );
  });

  it('quarantines a 0-byte file without fetching it', () => {
    expect(classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'vide.pdf', size: 0 }, settings)).toMatchObject({
      verdict: 'quarantine',
      reason: 'empty_file',
      fetchBytes: false,
    });
    expect(
      classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'vide.pdf', size: 10, bytes: new Uint8Array(0) }, settings)
        .reason,
    ).toBe('empty_file');
  });

  it('quarantines a file over maxSizeBytes without fetching it, and a file exactly at the limit is fine', () => {
    const limit = settings.maxSizeBytes;
    expect(classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'big.pdf', size: limit + 1 }, settings)).toMatchObject({
      verdict: 'quarantine',
      reason: 'too_large',
      fetchBytes: false,
    });
    expect(classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'big.pdf', size: limit }, settings).verdict).toBe('ingest');
  });

  it('quarantines a type outside allowedMimeTypes (kept for a human, not dropped)', () => {
    expect(
      classifyAttachment(
        { declaredMimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', filename: 'CGV.docx', size: 5000 },
        settings,
      ),
    ).toMatchObject({
      verdict: 'quarantine',
      reason: 'mime_not_allowed',
      fetchBytes: true,
    });
  });

  it('uses the extension of an application/octet-stream file, then checks its bytes', () => {
    const result = classifyAttachment(
      { declaredMimeType: 'application/octet-stream', filename: 'Facture.PDF', size: pdf.length, bytes: pdf },
      settings,
    );
    expect(result).toMatchObject({ verdict: 'ingest', mimeType: 'application/pdf' });
    expect(
      classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'Facture.pdf', size: 14, bytes: JPEG_BYTES }, settings)
        .reason,
    ).toBe('magic_mismatch');
    expect(classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'setup.exe', size: 100 }, settings).reason).toBe(
      'mime_not_allowed',
    );
  });

  it('uses the bytes of an octet-stream file without a known extension', () => {
    expect(classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'document', size: 100 }, settings)).toMatchObject({
      verdict: 'ingest',
      magicChecked: false,
    });
    expect(
      classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'document', size: pdf.length, bytes: pdf }, settings),
    ).toMatchObject({ verdict: 'ingest', mimeType: 'application/pdf' });
    expect(
      classifyAttachment(
        { declaredMimeType: 'application/octet-stream', filename: 'document', size: 5, bytes: new Uint8Array([1, 2, 3, 4, 5]) },
        settings,
      ),
    ).toMatchObject({
      verdict: 'quarantine',
      reason: 'mime_not_allowed',
      mimeType: 'application/octet-stream',
    });
  });

  it('accepts aliases and parameters in the declared type (image/jpg; name=x)', () => {
    expect(
      classifyAttachment({ declaredMimeType: 'IMAGE/JPG; name="a.jpg"', filename: 'a.jpg', size: 14, bytes: JPEG_BYTES }, settings),
    ).toMatchObject({ verdict: 'ingest', mimeType: 'image/jpeg' });
  });

  it('quarantines a truncated PDF (no %%EOF) as corrupt', () => {
    const cut = pdf.slice(0, pdf.length - 8);
    expect(
      classifyAttachment({ declaredMimeType: 'application/pdf', filename: 'cut.pdf', size: cut.length, bytes: cut }, settings),
    ).toMatchObject({ verdict: 'quarantine', reason: 'truncated_file' });
  });

  it('checks allowed types without a signature (text/csv) only against known binary kinds', () => {
    const s = { ...settings, allowedMimeTypes: ['text/csv'] };
    const csv = new Uint8Array(Buffer.from('date;montant\n2025-01-31;12,50\n'));
    expect(classifyAttachment({ declaredMimeType: 'text/csv', filename: 'releve.csv', size: csv.length, bytes: csv }, s).verdict).toBe(
      'ingest',
    );
    expect(classifyAttachment({ declaredMimeType: 'text/csv', filename: 'releve.csv', size: 14, bytes: JPEG_BYTES }, s).reason).toBe(
      'magic_mismatch',
    );
  });

  it('skips calendar files and signatures even when declared as attachments', () => {
    expect(classifyAttachment({ declaredMimeType: 'text/calendar', filename: 'invite.ics', size: 100 }, settings)).toMatchObject({
      verdict: 'skip',
      reason: 'calendar_invite',
      fetchBytes: false,
    });
    expect(classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'invite.ics', size: 100 }, settings)).toMatchObject(
      { verdict: 'skip', reason: 'calendar_invite' },
    );
    expect(classifyAttachment({ declaredMimeType: 'application/octet-stream', filename: 'smime.p7s', size: 100 }, settings)).toMatchObject({
      verdict: 'skip',
      reason: 'signature',
    });
  });
});

describe('MIME helpers', () => {
  it('normalises types and names extensions', () => {
    expect(normalizeMimeType(' Application/X-PDF ; charset=binary')).toBe('application/pdf');
    expect(extensionForMimeType('image/jpeg')).toBe('jpg');
    expect(extensionForMimeType('application/pdf')).toBe('pdf');
    expect(extensionForMimeType('application/x-unknown')).toBe('');
  });
});

describe('nameForContent: the stored extension is the one of what the bytes are', () => {
  it.each([
    ['invoice.pdf.exe', 'pdf', 'invoice.pdf'],
    ['invoice.exe', 'pdf', 'invoice.pdf'],
    ['scan', 'png', 'scan.png'],
    ['report.txt', 'pdf', 'report.pdf'],
    ['photo.jpeg', 'jpeg', 'photo.jpeg'],
    ['photo.JPG', 'jpeg', 'photo.JPG'],
    ['tableau.xlsx', 'zip', 'tableau.xlsx'],
    ['facture.pdf', 'png', 'facture.png'],
    ['scan.2024', 'pdf', 'scan.2024.pdf'],
    ['virus.pdf', 'exe', 'virus.exe'],
    ['notes.txt', 'unknown', 'notes.txt'],
    ['fake.pdf', 'unknown', 'fake.pdf.bin'],
  ] as const)('%s holding %s → %s', (name, kind, expected) => {
    expect(nameForContent(name, kind, 100)).toBe(expected);
  });

  it('leaves the name alone without bytes', () => {
    expect(nameForContent('vide.pdf', 'unknown', 0)).toBe('vide.pdf');
    expect(nameForContent('x.exe', null, 100)).toBe('x.exe');
  });
});
