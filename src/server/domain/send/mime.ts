// The RFC 5322 / MIME message builder, all in the bundle (Apps Script has no MIME library, and
// GmailApp.sendEmail cannot be paced or made exactly-once). It returns the message as a string of
// CRLF-terminated ASCII lines, ready for base64url encoding into the Gmail API `raw` field
// (users.messages.send / users.drafts.create).
//
// Shape: multipart/mixed [ multipart/alternative [ text/plain, text/html ], attachment… ] when there
// are attachments; the alternative (or the single body part) alone otherwise. Bodies are UTF-8 in
// quoted-printable; attachments base64 in 76-character lines (RFC 2045 §6.8). Subject and display
// names use RFC 2047 UTF-8 "B" encoded-words when they are not plain ASCII; file names use RFC 2231
// `filename*=UTF-8''…` (with continuations when long) next to a plain ASCII `filename=` fallback.
// Headers are folded at 78 characters where they may be (RFC 5322 §2.2.3).
//
// Bcc: the header IS written into the raw message. The Gmail API reads recipients from the To, Cc and
// Bcc headers of `raw`, delivers to Bcc addresses and strips the Bcc header from what recipients
// receive; the sender's copy in Sent keeps it. So the raw message must carry Bcc, and it never reaches
// a To/Cc recipient. https://developers.google.com/gmail/api/guides/sending
//
// Message-ID: `makeMessageId` derives it from inputs the job chooses, so the job can write it to the
// ledger BEFORE sending. Gmail may substitute its own Message-ID on messages sent through the API, so
// the builder also accepts `extraHeaders` (e.g. X-Postroom-Send-Id) that a recovery step can read back
// from the Sent copy; do not rely on `rfc822msgid:` search alone.

import { PostroomError } from '../errors';
import { checkAddress, hasLineBreak, type Mailbox } from './addresses';
import { base64Encode, utf8Encode, utf8Length, type ByteSource } from '../encoding';
import { sha256Hex } from '../sha256';

export interface MessageAttachment {
  filename: string;
  mimeType: string;
  /** The file's bytes (Uint8Array, or Apps Script's signed byte array). */
  bytes: ByteSource;
}

export interface MessageInput {
  from: Mailbox;
  to: readonly Mailbox[];
  cc?: readonly Mailbox[];
  bcc?: readonly Mailbox[];
  replyTo?: Mailbox | null;
  subject: string;
  text?: string;
  html?: string;
  attachments?: readonly MessageAttachment[];
  /**
   * Images the HTML body shows by `cid:` (a draft's inline images): the HTML and these parts go in a
   * multipart/related (RFC 2387), each with its Content-ID and `Content-Disposition: inline`.
   */
  inline?: readonly InlineImage[];
  /** With or without angle brackets, e.g. from makeMessageId(). */
  messageId: string;
  /** Epoch milliseconds, written in UTC (+0000). */
  date: number;
  /** Extra `X-…` headers (ASCII values), e.g. { 'X-Postroom-Send-Id': 'job1/row12' }. */
  extraHeaders?: Readonly<Record<string, string>>;
}

/** An inline image of the HTML body, referenced as `cid:<contentId>`. */
export interface InlineImage extends MessageAttachment {
  /** Without angle brackets. */
  contentId: string;
}

const CRLF = '\r\n';
const MAX_LINE = 78;
/** Bytes of UTF-8 per encoded-word: 36 bytes → 48 base64 chars → a 60-character word. */
const ENCODED_WORD_BYTES = 36;

function fail(message: string): never {
  throw new PostroomError('INVALID_INPUT', message);
}

// ---------------------------------------------------------------- headers

/** RFC 2047 "B" encoded-words for `text`, each ≤ 60 characters, never splitting a character. */
export function encodeWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (chunkBytes + size > ENCODED_WORD_BYTES && chunk) {
      words.push(`=?UTF-8?B?${base64Encode(utf8Encode(chunk))}?=`);
      chunk = '';
      chunkBytes = 0;
    }
    chunk += char;
    chunkBytes += size;
  }
  if (chunk || !words.length) words.push(`=?UTF-8?B?${base64Encode(utf8Encode(chunk))}?=`);
  return words;
}

/** Pieces of an unstructured value (Subject): its words when plain ASCII, encoded-words otherwise. */
function unstructuredPieces(value: string): string[] {
  const plain = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(value) && !value.includes('=?');
  if (plain) {
    const words = value.split(' ');
    if (words.every((word) => word.length <= 70)) return words;
  }
  return encodeWords(value);
}

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A display name as a phrase: atoms as-is, other ASCII quoted, anything else encoded-words. */
function phrasePieces(name: string): string[] {
  if (ATOM_PHRASE.test(name) && !name.includes('=?')) return name.split(' ');
  if (/^[\x20-\x7e]*$/.test(name) && !name.includes('=?') && name.length <= 60) {
    return [`"${name.replace(/(["\\])/g, '\\$1')}"`];
  }
  return encodeWords(name);
}

function mailboxPieces(mailbox: Mailbox): string[] {
  const name = mailbox.name.trim();
  if (!name) return [mailbox.address];
  return [...phrasePieces(name), `<${mailbox.address}>`];
}

function addressListPieces(list: readonly Mailbox[]): string[] {
  const pieces: string[] = [];
  list.forEach((mailbox, index) => {
    const own = mailboxPieces(mailbox);
    if (index < list.length - 1) own[own.length - 1] += ',';
    pieces.push(...own);
  });
  return pieces;
}

/**
 * `Name: piece piece …` folded before a piece whenever the line would pass 78 characters. Pieces are
 * joined by one space, which is folding white space wherever the builder puts it.
 */
export function foldHeader(name: string, pieces: readonly string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const piece of pieces) {
    if (lineLength + 1 + piece.length > MAX_LINE && lineLength > name.length + 1) {
      out += `${CRLF} ${piece}`;
      lineLength = 1 + piece.length;
    } else {
      out += ` ${piece}`;
      lineLength += 1 + piece.length;
    }
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC: "Wed, 15 Jan 2025 09:30:00 +0000". */
export function formatMessageDate(epochMs: number): string {
  if (!Number.isFinite(epochMs)) fail(`Invalid message date: ${epochMs}`);
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * A deterministic Message-ID, `<32 hex chars.postroom@domain>`: the first 128 bits of SHA-256 over the
 * parts (joined with U+001F). Choose parts that identify one send of one row, e.g.
 * [spreadsheetId, jobId, rowKey, period, rowNumber], so a resumed job rebuilds the same id.
 */
export function makeMessageId(parts: readonly (string | number)[], domain: string): string {
  if (!parts.length) fail('makeMessageId needs at least one part.');
  if (!DOMAIN.test(domain)) fail(`Invalid Message-ID domain "${domain}".`);
  // A few dozen bytes per message: hashed here rather than by one more Utilities call per row.
  const digest = sha256Hex(utf8Encode(parts.map(String).join('\u001f')));
  return `<${digest.slice(0, 32)}.postroom@${domain}>`;
}

/** The domain part of an address ("a@b.fr" → "b.fr"), for makeMessageId. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

// ---------------------------------------------------------------- bodies

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text, CRLF line breaks, soft breaks at 76 characters. */
export function encodeQuotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const bytes = utf8Encode(line);
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const last = i === bytes.length - 1;
      let unit: string;
      if ((b === 0x20 || b === 0x09) && !last) unit = String.fromCharCode(b);
      else if (b >= 33 && b <= 126 && b !== 61) unit = String.fromCharCode(b);
      else unit = `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (current.length + unit.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += unit;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

/** Base64 of bytes in 76-character CRLF lines. */
/** Splits a long single-line string into lines of `width` characters (base64 bodies: 76, RFC 2045 §6.8). */
export function wrapLines(text: string, width = 76): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}

export function encodeBase64Lines(bytes: ByteSource): string {
  return wrapLines(base64Encode(bytes), 76).join(CRLF);
}

/** Size in bytes of base64 in 76-character CRLF lines for `n` input bytes (what an attachment weighs in the message). */
export function base64LinesSize(n: number): number {
  const chars = 4 * Math.ceil(n / 3);
  const lines = Math.ceil(chars / 76);
  return chars + 2 * Math.max(0, lines - 1);
}

// ---------------------------------------------------------------- file names

/**
 * An ASCII stand-in for a file name (the `filename=` fallback for clients without RFC 2231): accents
 * dropped, other non-ASCII and quotes replaced by "_", at most 60 characters (extension kept).
 */
export function asciiFilename(name: string): string {
  const stripped = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (stripped.length <= 60) return stripped;
  const dot = stripped.lastIndexOf('.');
  const ext = dot > 0 && stripped.length - dot <= 10 ? stripped.slice(dot) : '';
  return stripped.slice(0, 60 - ext.length) + ext;
}

/** RFC 2231 §7 attribute-char set: everything else is percent-encoded. */
function percentEncode2231(value: string): string[] {
  const units: string[] = [];
  for (const b of utf8Encode(value)) {
    const c = String.fromCharCode(b);
    units.push(/[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  return units;
}

/** `name="fallback"` and, for a non-ASCII or long name, `name*=UTF-8''…` (or `name*0*=`, `name*1*=`…). */
function fileNameParams(param: string, filename: string): string[] {
  const fallback = asciiFilename(filename);
  const params = [`${param}="${fallback}"`];
  if (fallback === filename) return params;
  const units = percentEncode2231(filename);
  const chunks: string[] = [];
  let chunk = '';
  for (const unit of units) {
    if (chunk.length + unit.length > 50) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += unit;
  }
  chunks.push(chunk);
  if (chunks.length === 1) params.push(`${param}*=UTF-8''${chunks[0]}`);
  else chunks.forEach((part, i) => params.push(`${param}*${i}*=${i === 0 ? "UTF-8''" : ''}${part}`));
  return params;
}

function withSemicolons(pieces: string[]): string[] {
  return pieces.map((piece, i) => (i < pieces.length - 1 ? `${piece};` : piece));
}

// ---------------------------------------------------------------- validation

const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

function checkMailboxes(field: string, list: readonly Mailbox[]): void {
  for (const mailbox of list) {
    const reason = checkAddress(mailbox.address);
    if (reason) fail(`Invalid ${field} address "${mailbox.address}": ${reason}`);
    if (hasLineBreak(mailbox.name)) fail(`Line break in a ${field} display name.`);
  }
}

function normaliseMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  if (!/^[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/.test(bare)) fail(`Invalid Message-ID "${id}".`);
  return `<${bare}>`;
}

// ---------------------------------------------------------------- message

/**
 * A text part. `last` marks a body that ends the whole message: the message's final CRLF would
 * otherwise become a trailing newline of the text, so a soft line break ("=") absorbs it. Inside a
 * multipart the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1), so none is needed.
 */
function bodyPart(type: 'plain' | 'html', content: string, last: boolean): string[] {
  return [
    `Content-Type: text/${type}; charset=UTF-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    encodeQuotedPrintable(content) + (last ? '=' : ''),
  ];
}

function attachmentPart(attachment: MessageAttachment): string[] {
  return [
    foldHeader('Content-Type', withSemicolons([attachment.mimeType, ...fileNameParams('name', attachment.filename)])),
    foldHeader('Content-Disposition', withSemicolons(['attachment', ...fileNameParams('filename', attachment.filename)])),
    'Content-Transfer-Encoding: base64',
    '',
    encodeBase64Lines(attachment.bytes),
  ];
}

function inlinePart(image: InlineImage): string[] {
  return [
    foldHeader('Content-Type', withSemicolons([image.mimeType, ...fileNameParams('name', image.filename)])),
    foldHeader('Content-Disposition', withSemicolons(['inline', ...fileNameParams('filename', image.filename)])),
    `Content-ID: <${image.contentId}>`,
    'Content-Transfer-Encoding: base64',
    '',
    encodeBase64Lines(image.bytes),
  ];
}

function multipart(boundary: string, parts: string[][]): string[] {
  const lines: string[] = [];
  for (const part of parts) lines.push(`--${boundary}`, ...part);
  lines.push(`--${boundary}--`);
  return lines;
}

/**
 * Builds the raw message. Throws PostroomError('INVALID_INPUT') on anything that would make a wrong
 * or unsafe message (the planner checks rows first; this is the last line of defence): no recipient,
 * an invalid address, a CR/LF in a header value, no body, a bad MIME type or Message-ID.
 */
export function buildMessage(input: MessageInput): string {
  const cc = input.cc ?? [];
  const bcc = input.bcc ?? [];
  const attachments = input.attachments ?? [];
  if (!input.to.length && !cc.length && !bcc.length) fail('A message needs at least one recipient.');
  checkMailboxes('From', [input.from]);
  checkMailboxes('To', input.to);
  checkMailboxes('Cc', cc);
  checkMailboxes('Bcc', bcc);
  if (input.replyTo) checkMailboxes('Reply-To', [input.replyTo]);
  if (hasLineBreak(input.subject)) fail('Line break in the subject.');
  const text = input.text ?? '';
  const html = input.html ?? '';
  if (!text && !html) fail('A message needs a text or an HTML body.');
  const inline = html ? (input.inline ?? []) : [];
  for (const image of inline) {
    if (!/^[\x21-\x3b\x3d\x3f-\x7e]+$/.test(image.contentId)) fail(`Invalid Content-ID "${image.contentId}".`);
  }
  for (const attachment of [...attachments, ...inline]) {
    if (!attachment.filename || hasLineBreak(attachment.filename)) fail(`Invalid attachment name "${attachment.filename}".`);
    if (!MIME_TYPE.test(attachment.mimeType)) fail(`Invalid MIME type "${attachment.mimeType}" for ${attachment.filename}.`);
  }
  const messageId = normaliseMessageId(input.messageId);

  const headers: string[] = [foldHeader('From', mailboxPieces(input.from))];
  if (input.to.length) headers.push(foldHeader('To', addressListPieces(input.to)));
  if (cc.length) headers.push(foldHeader('Cc', addressListPieces(cc)));
  if (bcc.length) headers.push(foldHeader('Bcc', addressListPieces(bcc)));
  if (input.replyTo) headers.push(foldHeader('Reply-To', mailboxPieces(input.replyTo)));
  headers.push(foldHeader('Subject', input.subject ? unstructuredPieces(input.subject) : []));
  headers.push(`Date: ${formatMessageDate(input.date)}`);
  headers.push(`Message-ID: ${messageId}`);
  for (const [name, value] of Object.entries(input.extraHeaders ?? {})) {
    if (!/^X-[A-Za-z0-9-]+$/.test(name)) fail(`Extra header "${name}" must be an X- header.`);
    if (!/^[\x20-\x7e]*$/.test(value)) fail(`Extra header ${name} must be printable ASCII on one line.`);
    headers.push(`${name}: ${value}`);
  }
  headers.push('MIME-Version: 1.0');

  // Boundaries come from the Message-ID: deterministic, and "=_" cannot occur in base64 or
  // quoted-printable content (QP writes "=" as "=3D"), so they never collide with a body.
  // An id's few bytes, hashed here for the same reason as in makeMessageId.
  const tag = sha256Hex(utf8Encode(messageId)).slice(0, 24);
  const altBoundary = `=_postroom_alt_${tag}`;
  const mixedBoundary = `=_postroom_mixed_${tag}`;

  const relatedBoundary = `=_postroom_rel_${tag}`;
  // With inline images the HTML travels with them in a multipart/related.
  const htmlPart = (last: boolean): string[] =>
    inline.length
      ? [
          foldHeader('Content-Type', ['multipart/related;', 'type="text/html";', `boundary="${relatedBoundary}"`]),
          '',
          ...multipart(relatedBoundary, [bodyPart('html', html, false), ...inline.map(inlinePart)]),
        ]
      : bodyPart('html', html, last);
  let body: string[];
  if (text && html) {
    body = [
      foldHeader('Content-Type', ['multipart/alternative;', `boundary="${altBoundary}"`]),
      '',
      ...multipart(altBoundary, [bodyPart('plain', text, false), htmlPart(false)]),
    ];
  } else {
    body = text ? bodyPart('plain', text, !attachments.length) : htmlPart(!attachments.length);
  }
  if (attachments.length) {
    body = [
      foldHeader('Content-Type', ['multipart/mixed;', `boundary="${mixedBoundary}"`]),
      '',
      ...multipart(mixedBoundary, [body, ...attachments.map(attachmentPart)]),
    ];
  }
  const raw = [...headers, ...body].join(CRLF) + CRLF;
  if (/[^\x00-\x7f]/.test(raw)) fail('Internal: the built message is not ASCII.');
  return raw;
}

/** Bytes of a built message (it is ASCII, so one byte per character). */
export function messageSize(raw: string): number {
  return raw.length;
}

export interface MessageSizeInput {
  /** Sum of UTF-8 bytes of all header values (subject, names, addresses, ids). */
  headerBytes: number;
  textBytes: number;
  htmlBytes: number;
  attachments: ReadonlyArray<{ name: string; size: number }>;
}

/**
 * An upper bound of the built message's size, from sizes alone (before any file is read): headers
 * at worst doubled by encoding plus 1 KB, bodies at worst tripled by quoted-printable (every byte
 * "=XX") plus soft breaks, attachments as base64 lines plus 1 KB of part headers each.
 */
export function estimateMessageSize(input: MessageSizeInput): number {
  const headers = 2 * input.headerBytes + 1024;
  const body = (bytes: number) => (bytes ? Math.ceil(bytes * 3 * (78 / 75)) + 256 : 0);
  let total = headers + body(input.textBytes) + body(input.htmlBytes) + 512;
  for (const attachment of input.attachments) {
    total += base64LinesSize(attachment.size) + 1024 + 9 * utf8Length(attachment.name);
  }
  return total;
}
