// A small reader of raw RFC 5322 / MIME messages (the bytes of Gmail `format=raw`), for the two things
// the send extras read back from Gmail: a draft used as a template (its bodies, inline images and
// attachments) and a delivery-failure notice (its message/delivery-status and returned-message parts).
// Multipart bodies are split on their boundary (RFC 2046 §5.1.1), leaves are decoded from base64 or
// quoted-printable, text is decoded from its charset, message/rfc822 parts are parsed as the message they
// hold. Header values are unfolded; RFC 2047 words are decoded only by `headerText`. It never throws on a
// strange message: a part it cannot split stays a leaf.

import { base64Decode, latin1Decode } from '../encoding';

/** Decodes a part's base64 body: the platform's for a draft's attachments; the default (small notices) JavaScript. */
export type Base64Decoder = (text: string) => Uint8Array;
import { decodeBytes, decodeEncodedWords, parseHeaderValue } from '../collect/text-codecs';

export interface RawHeader {
  name: string;
  /** Unfolded, as in the bytes (encoded words still encoded). */
  value: string;
}

export interface RawPart {
  headers: RawHeader[];
  /** Lower-case "type/subtype" (text/plain when absent; message/rfc822 in a multipart/digest). */
  mimeType: string;
  params: Record<string, string>;
  disposition: string | null;
  /** Decoded file name ('' when none). */
  filename: string;
  /** Content-ID without angle brackets, '' when none. */
  contentId: string;
  /** The decoded body of a leaf (empty for a multipart). */
  body: Uint8Array;
  children: RawPart[];
  /** The message held by a message/rfc822 (or message/global) part. */
  embedded: RawPart | null;
}

const MAX_DEPTH = 20;

/** Bytes (or a binary string, one char per byte) as a binary string. */
function toBinary(input: Uint8Array | string): string {
  return typeof input === 'string' ? input : latin1Decode(input);
}

function binaryBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Splits "headers CRLF CRLF body" (a message with no blank line is all headers). */
function splitHead(text: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text, body: '' };
  return { head: text.slice(0, match.index), body: text.slice(match.index + match[0].length) };
}

/** Unfolded header fields, in order. */
export function parseHeaderBlock(head: string): RawHeader[] {
  const headers: RawHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** The first header of that name (case-insensitive), raw; '' when absent. */
export function rawHeader(headers: readonly RawHeader[], name: string): string {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value ?? '';
}

/** A header as text: RFC 2047 words decoded (8-bit bytes read as UTF-8). */
export function headerText(headers: readonly RawHeader[], name: string): string {
  const raw = rawHeader(headers, name);
  return decodeEncodedWords(/[\x80-\xff]/.test(raw) ? decodeBytes(binaryBytes(raw), 'utf-8') : raw);
}

function decodeQuotedPrintable(text: string): Uint8Array {
  const out: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i];
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(soft.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeTransfer(body: string, encoding: string, decodeBase64: Base64Decoder): Uint8Array {
  if (encoding === 'base64') {
    try {
      return decodeBase64(body.replace(/[^A-Za-z0-9+/=_-]/g, ''));
    } catch {
      return binaryBytes(body);
    }
  }
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return binaryBytes(body);
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\r\n'));
      current = null;
      break;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
      continue;
    }
    if (current) current.push(line);
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

function parsePart(text: string, depth: number, defaultType: string, decodeBase64: Base64Decoder): RawPart {
  const { head, body } = splitHead(text);
  const headers = parseHeaderBlock(head);
  const type = parseHeaderValue(rawHeader(headers, 'Content-Type'));
  const mimeType = type.value || defaultType;
  const dispositionHeader = rawHeader(headers, 'Content-Disposition');
  const disposition = dispositionHeader ? parseHeaderValue(dispositionHeader) : null;
  const filename = decodeEncodedWords(disposition?.params.filename ?? type.params.name ?? '');
  const part: RawPart = {
    headers,
    mimeType,
    params: type.params,
    disposition: disposition?.value ?? null,
    filename,
    contentId: rawHeader(headers, 'Content-ID').trim().replace(/^<|>$/g, ''),
    body: new Uint8Array(0),
    children: [],
    embedded: null,
  };
  const encoding = rawHeader(headers, 'Content-Transfer-Encoding').trim().toLowerCase();
  if (mimeType.startsWith('multipart/') && type.params.boundary && depth < MAX_DEPTH) {
    const childType = mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    part.children = splitMultipart(body, type.params.boundary).map((chunk) => parsePart(chunk, depth + 1, childType, decodeBase64));
    return part;
  }
  part.body = decodeTransfer(body, encoding, decodeBase64);
  if ((mimeType === 'message/rfc822' || mimeType === 'message/global') && depth < MAX_DEPTH) {
    part.embedded = parsePart(latin1Decode(part.body), depth + 1, 'text/plain', decodeBase64);
  }
  return part;
}

/**
 * Parses a raw message (bytes, or a binary string with one char per byte). Base64 bodies go through
 * `decodeBase64`: JavaScript by default, which is right for a delivery notice's few lines of text.
 */
export function parseRawMessage(input: Uint8Array | string, decodeBase64: Base64Decoder = base64Decode): RawPart {
  return parsePart(toBinary(input), 0, 'text/plain', decodeBase64);
}

/** A leaf's body as text in its charset (UTF-8 when none is given). */
export function partText(part: RawPart): string {
  return decodeBytes(part.body, part.params.charset ?? 'utf-8');
}

/** Every leaf of the tree in order; a message/rfc822 part is a leaf here (its message is `embedded`). */
export function leaves(part: RawPart): RawPart[] {
  if (!part.children.length) return [part];
  return part.children.flatMap(leaves);
}
