// The collect filters: who may send receipts (whitelist, and optionally SPF / DKIM / DMARC from
// Gmail's Authentication-Results), what a file really is (magic bytes, not the declared type: declared
// types lie), and the verdict for each attachment: ingest, quarantine (kept apart with a reason, for a
// human to look at) or skip (not a receipt at all).
// Decision (what the accounting team asked for): anything that is a file but does not conform — a type
// outside allowedMimeTypes, 0 bytes, over maxSizeBytes, bytes that do not match the declared type, a
// truncated PDF / PNG — is QUARANTINED, not skipped: an accountant sees it and decides. Only what is not
// a receipt at all is skipped (calendar invites, S/MIME signatures) and a sender outside the whitelist.
// Bytes may be signed (-128..127): Apps Script's Blob.getBytes() returns Java bytes.
// https://developers.google.com/apps-script/reference/base/blob#getBytes()

import type { AuthResults } from './auth-results';
import { domainOf } from './mime-walk';
import type { CollectSettings } from './settings';

export type ByteSource = Uint8Array | readonly number[];

/** What the first bytes say a file is. */
export type FileKind =
  | 'pdf'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'tiff'
  | 'heic'
  | 'avif'
  | 'webp'
  | 'bmp'
  | 'zip'
  | 'ole'
  | 'gzip'
  | 'rar'
  | '7z'
  | 'exe'
  | 'elf'
  | 'unknown';

const MIME_ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'application/acrobat': 'application/pdf',
  'application/vnd.pdf': 'application/pdf',
  'text/pdf': 'application/pdf',
  'image/heic-sequence': 'image/heic',
  'image/x-ms-bmp': 'image/bmp',
  'application/x-zip-compressed': 'application/zip',
};

/** Declared types that say nothing: the file name's extension (or the bytes) decide instead. */
const GENERIC_TYPES = new Set([
  '',
  'application/octet-stream',
  'binary/octet-stream',
  'application/x-download',
  'application/force-download',
  'application/unknown',
  'application/binary',
]);

const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  txt: 'text/plain',
  csv: 'text/csv',
  xml: 'application/xml',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  eml: 'message/rfc822',
  gz: 'application/gzip',
  exe: 'application/x-msdownload',
  ics: 'text/calendar',
  p7s: 'application/pkcs7-signature',
};

const KIND_OF_TYPE: Record<string, FileKind> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/tiff': 'tiff',
  'image/heic': 'heic',
  'image/heif': 'heic',
  'image/avif': 'avif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
  'application/msword': 'ole',
  'application/vnd.ms-excel': 'ole',
  'application/gzip': 'gzip',
  'application/x-msdownload': 'exe',
};

const TYPE_OF_KIND: Partial<Record<FileKind, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  zip: 'application/zip',
  ole: 'application/x-ole-storage',
  gzip: 'application/gzip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  exe: 'application/x-msdownload',
  elf: 'application/x-executable',
};

/** Lower-cases a MIME type, drops its parameters and maps common aliases (image/jpg → image/jpeg). */
export function normalizeMimeType(type: string): string {
  const bare = type.split(';')[0].trim().toLowerCase();
  return MIME_ALIASES[bare] ?? bare;
}

/** The lower-cased extension of a file name ('' when none). */
export function fileExtension(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name.trim());
  return m ? m[1].toLowerCase() : '';
}

/** The MIME type a file name's extension stands for ('' when unknown). */
export function mimeTypeForExtension(name: string): string {
  return EXTENSION_TYPES[fileExtension(name)] ?? '';
}

/** The usual extension for a MIME type, without the dot ('' when unknown): to name a nameless part. */
export function extensionForMimeType(type: string): string {
  const normalized = normalizeMimeType(type);
  if (normalized === 'image/jpeg') return 'jpg';
  for (const [ext, mime] of Object.entries(EXTENSION_TYPES)) if (mime === normalized) return ext;
  return '';
}

function byteAt(bytes: ByteSource, index: number): number {
  return index < bytes.length ? bytes[index] & 0xff : -1;
}

function startsWith(bytes: ByteSource, signature: readonly number[], offset = 0): boolean {
  for (let i = 0; i < signature.length; i++) if (byteAt(bytes, offset + i) !== signature[i]) return false;
  return true;
}

function ascii(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

function indexOfBytes(bytes: ByteSource, needle: readonly number[], from: number, to: number): number {
  const end = Math.min(to, bytes.length) - needle.length;
  for (let i = Math.max(0, from); i <= end; i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

const PDF_MAGIC = ascii('%PDF-');
const PDF_EOF = ascii('%%EOF');
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = ascii('IEND');
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * What a file is, from its first bytes. A PDF may start with junk: readers accept `%PDF-` anywhere in
 * the first 1024 bytes (PDF 1.7 reference, implementation note 13), so this does too.
 */
export function sniffFileType(bytes: ByteSource): FileKind {
  if (indexOfBytes(bytes, PDF_MAGIC, 0, 1024 + PDF_MAGIC.length) >= 0) return 'pdf';
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(byteAt(bytes, 8), byteAt(bytes, 9), byteAt(bytes, 10), byteAt(bytes, 11));
    if (HEIF_BRANDS.has(brand)) return 'heic';
    if (brand === 'avif' || brand === 'avis') return 'avif';
  }
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 26) return 'bmp';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(bytes, ascii('Rar!'))) return 'rar';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(bytes, ascii('MZ'))) return 'exe';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  return 'unknown';
}

/** True when the file looks cut short: a PDF without `%%EOF` in its last 1024 bytes, a PNG without its IEND chunk. */
export function looksTruncated(kind: FileKind, bytes: ByteSource): boolean {
  if (kind === 'pdf') return indexOfBytes(bytes, PDF_EOF, bytes.length - 1024, bytes.length) < 0;
  if (kind === 'png') return indexOfBytes(bytes, PNG_IEND, bytes.length - 64, bytes.length) < 0;
  return false;
}

/**
 * True when `fromAddress` is in the whitelist: an exact address, or `@domain` for any address at exactly
 * that domain (sub-domains are NOT matched unless listed). Case-insensitive. An empty list allows nobody.
 */
export function isSenderAllowed(fromAddress: string, allowedSenders: readonly string[]): boolean {
  const address = fromAddress.trim().toLowerCase();
  const domain = domainOf(address);
  if (!domain || address.indexOf('@') <= 0) return false;
  return allowedSenders.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith('@') ? e.slice(1) === domain : e === address;
  });
}

/** True when `child` is `parent` or a sub-domain of it, and `parent` is not a bare TLD. */
function isSameOrParentDomain(child: string, parent: string): boolean {
  if (!child || !parent || !parent.includes('.')) return false;
  return child === parent || child.endsWith('.' + parent);
}

export interface SenderAuthentication {
  authenticated: boolean;
  /** Which verdict proved it, or why not. */
  via: 'dmarc' | 'dkim' | 'spf' | 'none';
  detail: string;
}

/**
 * Whether Gmail's verdicts show the From: domain really sent the message: DMARC pass for that domain,
 * or DKIM pass signed by that domain or a parent of it, or SPF pass for a mail-from domain aligned
 * with it (relaxed: one is the other or a sub-domain of it). Without a public-suffix list, a bare
 * TLD is never accepted as a parent, but a two-label public suffix such as co.uk would be (a known limit).
 */
export function checkSenderAuthentication(fromAddress: string, auth: AuthResults): SenderAuthentication {
  const fromDomain = domainOf(fromAddress.trim().toLowerCase());
  if (!fromDomain) return { authenticated: false, via: 'none', detail: 'no From: domain' };
  if (auth.dmarc === 'pass' && (!auth.dmarcDomain || auth.dmarcDomain === fromDomain)) {
    return { authenticated: true, via: 'dmarc', detail: `dmarc=pass for ${fromDomain}` };
  }
  const dkimDomain = auth.dkimDomains.find((d) => isSameOrParentDomain(fromDomain, d));
  if (auth.dkim === 'pass' && dkimDomain) return { authenticated: true, via: 'dkim', detail: `dkim=pass d=${dkimDomain}` };
  if (auth.spf === 'pass' && (isSameOrParentDomain(fromDomain, auth.spfDomain) || isSameOrParentDomain(auth.spfDomain, fromDomain))) {
    return { authenticated: true, via: 'spf', detail: `spf=pass ${auth.spfDomain}` };
  }
  return {
    authenticated: false,
    via: 'none',
    detail: `spf=${auth.spf}${auth.spfDomain ? ` (${auth.spfDomain})` : ''} dkim=${auth.dkim}${auth.dkimDomains.length ? ` (${auth.dkimDomains.join(',')})` : ''} dmarc=${auth.dmarc}`,
  };
}

export type SenderVerdict =
  | { verdict: 'ok' }
  | { verdict: 'skip'; reason: 'sender_not_allowed' }
  | { verdict: 'quarantine'; reason: 'sender_not_authenticated'; detail: string };

/**
 * The sender check for one message: outside the whitelist → skip (counted, nothing stored); inside it
 * but unauthenticated while `requireAuthenticatedSender` → every attachment of the message is quarantined.
 */
export function classifySender(
  fromAddress: string,
  auth: AuthResults,
  settings: Pick<CollectSettings, 'allowedSenders' | 'requireAuthenticatedSender'>,
): SenderVerdict {
  if (!isSenderAllowed(fromAddress, settings.allowedSenders)) return { verdict: 'skip', reason: 'sender_not_allowed' };
  if (settings.requireAuthenticatedSender) {
    const check = checkSenderAuthentication(fromAddress, auth);
    if (!check.authenticated) return { verdict: 'quarantine', reason: 'sender_not_authenticated', detail: check.detail };
  }
  return { verdict: 'ok' };
}

export type AttachmentReason =
  'ok' | 'empty_file' | 'too_large' | 'mime_not_allowed' | 'magic_mismatch' | 'truncated_file' | 'calendar_invite' | 'signature';

export interface AttachmentFacts {
  declaredMimeType: string;
  filename: string;
  /** Size Gmail reports (bytes.length wins when bytes are given). */
  size: number;
  /** The content; absent for the first, pre-download pass. */
  bytes?: ByteSource;
}

export interface Classification {
  verdict: 'ingest' | 'quarantine' | 'skip';
  reason: AttachmentReason;
  /** The type to store the file under: the declared one, or the one the extension / bytes tell for a generic declared type. */
  mimeType: string;
  /** What the bytes are (null when no bytes were given). */
  detected: FileKind | null;
  /** False on the pre-download pass: an 'ingest' verdict is then provisional until the bytes are checked. */
  magicChecked: boolean;
  /** Whether the bytes are worth downloading (false for 'skip', 'too_large' and 'empty_file'). */
  fetchBytes: boolean;
  /** A human explanation for the ledger's `reason` column and the log. */
  detail: string;
}

const SKIPPED_TYPES: Record<string, AttachmentReason> = {
  'text/calendar': 'calendar_invite',
  'application/ics': 'calendar_invite',
  'application/pkcs7-signature': 'signature',
  'application/x-pkcs7-signature': 'signature',
  'application/pgp-signature': 'signature',
};

/**
 * The verdict for one attachment. Call it twice: first without bytes (is it worth downloading? an
 * oversized file is quarantined without being fetched), then with the bytes (magic check). Checks, in
 * order: non-receipt types (skip), 0 bytes, over maxSizeBytes, type not allowed, bytes not matching the
 * type, truncated file. For a generic declared type (application/octet-stream…) the extension, else the
 * bytes, give the type.
 */
export function classifyAttachment(
  facts: AttachmentFacts,
  settings: Pick<CollectSettings, 'allowedMimeTypes' | 'maxSizeBytes'>,
): Classification {
  const declared = normalizeMimeType(facts.declaredMimeType);
  const bytes = facts.bytes;
  const detected = bytes ? sniffFileType(bytes) : null;
  const size = bytes ? bytes.length : facts.size;
  const fromExtension = EXTENSION_TYPES[fileExtension(facts.filename)] ?? '';
  let mimeType = declared;
  if (GENERIC_TYPES.has(declared)) mimeType = fromExtension || (detected && TYPE_OF_KIND[detected]) || 'application/octet-stream';
  const base = { mimeType, detected, magicChecked: bytes !== undefined };
  const skipReason = SKIPPED_TYPES[mimeType];
  if (skipReason) return { ...base, verdict: 'skip', reason: skipReason, fetchBytes: false, detail: `${mimeType} is not a receipt` };
  if (size <= 0) return { ...base, verdict: 'quarantine', reason: 'empty_file', fetchBytes: false, detail: 'the file is empty (0 bytes)' };
  if (size > settings.maxSizeBytes) {
    return {
      ...base,
      verdict: 'quarantine',
      reason: 'too_large',
      fetchBytes: false,
      detail: `${size} bytes is over maxSizeBytes (${settings.maxSizeBytes})`,
    };
  }
  if (!bytes && mimeType === 'application/octet-stream') {
    return { ...base, verdict: 'ingest', reason: 'ok', fetchBytes: true, detail: 'type unknown until the bytes are read' };
  }
  const allowed = settings.allowedMimeTypes.map(normalizeMimeType);
  if (!allowed.includes(mimeType)) {
    return {
      ...base,
      verdict: 'quarantine',
      reason: 'mime_not_allowed',
      fetchBytes: true,
      detail: `${mimeType || 'no type'} is not in allowedMimeTypes`,
    };
  }
  if (!bytes || detected === null)
    return { ...base, verdict: 'ingest', reason: 'ok', fetchBytes: true, detail: 'declared type allowed; bytes not checked yet' };
  const expected = KIND_OF_TYPE[mimeType];
  if (expected ? detected !== expected : detected !== 'unknown') {
    return {
      ...base,
      verdict: 'quarantine',
      reason: 'magic_mismatch',
      fetchBytes: true,
      detail: `declared ${mimeType} but the bytes are ${detected === 'unknown' ? 'not recognised' : detected}`,
    };
  }
  if (looksTruncated(detected, bytes))
    return {
      ...base,
      verdict: 'quarantine',
      reason: 'truncated_file',
      fetchBytes: true,
      detail: `the ${detected} file looks truncated (no end marker)`,
    };
  return { ...base, verdict: 'ingest', reason: 'ok', fetchBytes: true, detail: `${mimeType}, bytes checked` };
}

/** Extensions for kinds whose type has none in EXTENSION_TYPES. */
const KIND_EXTENSIONS: Partial<Record<FileKind, string>> = { ole: 'ole', rar: 'rar', '7z': '7z', elf: 'bin' };

/** The usual extension of what the bytes are ('' for 'unknown'). */
export function extensionForKind(kind: FileKind): string {
  if (kind === 'unknown') return '';
  const type = TYPE_OF_KIND[kind];
  return (type && extensionForMimeType(type)) || KIND_EXTENSIONS[kind] || 'bin';
}

/**
 * A file name whose extension tells what the bytes really are, so that a desktop opening the stored
 * file does what its name says: "invoice.pdf.exe" holding a PDF becomes "invoice.pdf", "scan" holding
 * a PNG "scan.png", "report.txt" holding a PDF "report.pdf". An extension that agrees with the bytes
 * (".jpeg" for a JPEG, ".docx" for a zip) is kept; an extension of a type with a signature the bytes do
 * not have gets ".bin" after it. Nothing changes without bytes (`detected` null, or an empty file).
 */
export function nameForContent(name: string, detected: FileKind | null, size: number): string {
  if (detected === null || size <= 0) return name;
  const ext = fileExtension(name);
  const claimedKind = ext ? KIND_OF_TYPE[EXTENSION_TYPES[ext] ?? ''] : undefined;
  if (detected === 'unknown') return claimedKind ? `${name}.bin` : name;
  if (claimedKind === detected) return name;
  const wanted = extensionForKind(detected);
  const stem = ext && EXTENSION_TYPES[ext] ? name.slice(0, name.length - ext.length - 1) : name;
  return fileExtension(stem) === wanted || KIND_OF_TYPE[EXTENSION_TYPES[fileExtension(stem)] ?? ''] === detected
    ? stem
    : `${stem}.${wanted}`;
}
