// MIME parsing for the emulated Gmail: raw RFC 5322 / MIME bytes -> a part tree, and that tree -> the
// `payload` the Gmail API returns (partId "" for the root, "0", "1", "1.0"..., mimeType, filename decoded
// from Content-Disposition filename / Content-Type name with RFC 2231 and RFC 2047, headers, body.size,
// body.data as base64url or body.attachmentId). A forwarded message/rfc822 part is expanded: its one
// child is the encapsulated message (partId "<id>.0") with that message's own headers and parts.
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages#MessagePart
// Node-side emulator code: it uses Buffer and libmime (charsets, encoded words, RFC 2231 parameters).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const libmime = require('libmime') as LibmimeApi;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const libcharset = require('libmime/lib/charset') as { decode(buffer: Buffer, charset: string): string };

interface LibmimeApi {
  decodeWords(value: string): string;
  parseHeaderValue(value: string): { value: string; params: Record<string, string> };
}

export interface MimeHeader {
  name: string;
  /** Unfolded, as in the bytes (encoded words still encoded). */
  raw: string;
}

export interface MimeNode {
  headers: MimeHeader[];
  /** Lower-case "type/subtype"; text/plain when absent (message/rfc822 inside multipart/digest). */
  mimeType: string;
  params: Record<string, string>;
  disposition: string | null;
  filename: string;
  contentId: string | null;
  transferEncoding: string;
  /** The body after Content-Transfer-Encoding decoding (for a leaf). */
  body: Uint8Array;
  children: MimeNode[];
  /** The encapsulated message of a message/rfc822 part. */
  embedded: MimeNode | null;
}

export interface GmailHeader {
  name: string;
  value: string;
}

export interface GmailPartBody {
  size: number;
  data?: string;
  attachmentId?: string;
}

export interface GmailPayload {
  partId: string;
  mimeType: string;
  filename: string;
  headers: GmailHeader[];
  body: GmailPartBody;
  parts?: GmailPayload[];
}

const MAX_DEPTH = 50;

// ---- bytes and base64url ----------------------------------------------------------------------

export function bytesToBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function binaryToBytes(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

export function utf8Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** base64url with `=` padding, as the Gmail API returns `raw` and `body.data`. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Decodes base64url or standard base64, padded or not. Throws on characters outside both alphabets. */
export function fromBase64Url(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) throw new Error('Invalid base64 data');
  return new Uint8Array(Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

// ---- headers ----------------------------------------------------------------------------------

/** Splits raw bytes into the header block and the body (after the first empty line). */
function splitHeadBody(binary: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(binary);
  if (!match) {
    // No empty line: everything is header if it looks like headers, else everything is body.
    return /^[!-9;-~]+:/.test(binary) ? { head: binary, body: '' } : { head: '', body: binary };
  }
  return { head: binary.slice(0, match.index), body: binary.slice(match.index + match[0].length) };
}

function parseHeaderBlock(head: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].raw += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), raw: line.slice(colon + 1).replace(/^[ \t]+/, '') });
  }
  return headers;
}

/** A header value as a script sees it: 8-bit bytes read as UTF-8, RFC 2047 encoded words decoded. */
export function decodeHeaderValue(raw: string): string {
  const text = Buffer.from(raw, 'latin1').toString('utf8');
  return text.includes('=?') ? libmime.decodeWords(text) : text;
}

export function findHeader(headers: MimeHeader[], name: string): MimeHeader | undefined {
  const lower = name.toLowerCase();
  return headers.find((header) => header.name.toLowerCase() === lower);
}

/** The decoded value of the first header `name`, or '' (as GmailMessage.getHeader does). */
export function headerValue(node: MimeNode, name: string): string {
  const header = findHeader(node.headers, name);
  return header ? decodeHeaderValue(header.raw) : '';
}

/** A parameter value already read as UTF-8 (libmime decodes RFC 2231); RFC 2047 words decoded too. */
function decodeParam(value: string | undefined): string {
  if (!value) return '';
  return value.includes('=?') ? libmime.decodeWords(value) : value;
}

/** Parses a structured header (Content-Type, Content-Disposition) read as UTF-8. */
function parseStructured(raw: string): { value: string; params: Record<string, string> } {
  return libmime.parseHeaderValue(Buffer.from(raw, 'latin1').toString('utf8'));
}

// ---- bodies -----------------------------------------------------------------------------------

function decodeQuotedPrintable(binary: string): Uint8Array {
  const text = binary.replace(/[ \t]+(\r?\n)/g, '$1').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(char & 0xff);
    }
  }
  return new Uint8Array(out);
}

function decodeTransfer(binary: string, encoding: string): Uint8Array {
  switch (encoding) {
    case 'base64':
      return new Uint8Array(Buffer.from(binary.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
    case 'quoted-printable':
      return decodeQuotedPrintable(binary);
    default:
      return binaryToBytes(binary);
  }
}

/** The text of a text/* leaf, decoded from its charset (UTF-8 by default). */
export function decodeText(node: MimeNode): string {
  const charset = node.params.charset || 'utf-8';
  try {
    return libcharset.decode(Buffer.from(node.body), charset);
  } catch {
    // An unknown charset name: Gmail shows the bytes as UTF-8; so do we (documented in FIDELITY).
    return Buffer.from(node.body).toString('utf8');
  }
}

// ---- the tree ---------------------------------------------------------------------------------

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = `--${boundary}`;
  const lines = body.split(/(\r?\n)/);
  // Rebuild with line terminators so that part bodies keep their exact bytes.
  let current: string[] | null = null;
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i];
    const eol = lines[i + 1] ?? '';
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) {
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
        const text = current.join('');
        parts.push(text.replace(/\r?\n$/, ''));
      }
      if (trimmed === `${delimiter}--`) return parts;
      current = [];
      continue;
    }
    if (current) current.push(line, eol);
  }
  if (current) parts.push(current.join('').replace(/\r?\n$/, ''));
  return parts;
}

function parseNode(binary: string, defaultType: string, depth: number): MimeNode {
  const { head, body } = splitHeadBody(binary);
  const headers = parseHeaderBlock(head);
  const contentTypeHeader = findHeader(headers, 'content-type');
  const contentType = contentTypeHeader ? parseStructured(contentTypeHeader.raw) : { value: defaultType, params: {} };
  let mimeType = (contentType.value || defaultType).toLowerCase().trim();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mimeType)) mimeType = 'text/plain';
  const dispositionHeader = findHeader(headers, 'content-disposition');
  const disposition = dispositionHeader ? parseStructured(dispositionHeader.raw) : null;
  const filename = decodeParam(disposition?.params.filename) || decodeParam(contentType.params.name);
  const contentIdHeader = findHeader(headers, 'content-id');
  const encodingHeader = findHeader(headers, 'content-transfer-encoding');
  const transferEncoding = encodingHeader ? encodingHeader.raw.trim().toLowerCase() : '7bit';
  const node: MimeNode = {
    headers,
    mimeType,
    params: Object.fromEntries(Object.entries(contentType.params).map(([key, value]) => [key.toLowerCase(), decodeParam(value)])),
    disposition: disposition ? disposition.value.toLowerCase().trim() : null,
    filename,
    contentId: contentIdHeader ? contentIdHeader.raw.trim().replace(/^<|>$/g, '') : null,
    transferEncoding,
    body: new Uint8Array(0),
    children: [],
    embedded: null,
  };
  if (mimeType.startsWith('multipart/') && node.params.boundary && depth < MAX_DEPTH) {
    const childDefault = mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    node.children = splitMultipart(body, node.params.boundary).map((part) => parseNode(part, childDefault, depth + 1));
    return node;
  }
  if (mimeType.startsWith('multipart/')) node.mimeType = 'text/plain'; // no boundary: Gmail shows it as text
  node.body = decodeTransfer(body, transferEncoding);
  if (mimeType === 'message/rfc822' && depth < MAX_DEPTH) {
    node.embedded = parseNode(bytesToBinary(node.body), 'text/plain', depth + 1);
  }
  return node;
}

/** Parses raw message bytes into a MIME tree. Never throws on malformed input: Gmail shows what it can. */
export function parseMime(bytes: Uint8Array): MimeNode {
  return parseNode(bytesToBinary(bytes), 'text/plain', 0);
}

/** Whether a leaf is delivered as an attachment by the Gmail API (attachmentId instead of data). */
export function isAttachmentPart(node: MimeNode): boolean {
  if (node.mimeType.startsWith('multipart/') || node.mimeType === 'message/rfc822') return false;
  return node.filename !== '' || !node.mimeType.startsWith('text/');
}

/** Whether an attachment part is an inline image (GmailApp getAttachments includeInlineImages). */
export function isInlineImage(node: MimeNode): boolean {
  if (!node.mimeType.startsWith('image/')) return false;
  if (node.disposition === 'inline') return true;
  return node.disposition === null && node.contentId !== null;
}

export interface LeafVisit {
  node: MimeNode;
  partId: string;
  /** True inside a forwarded message/rfc822. */
  embedded: boolean;
}

function childPartId(parent: string, index: number): string {
  return parent === '' ? String(index) : `${parent}.${index}`;
}

/** Every leaf with its Gmail partId, depth-first in document order. */
export function visitLeaves(root: MimeNode): LeafVisit[] {
  const out: LeafVisit[] = [];
  const walk = (node: MimeNode, partId: string, embedded: boolean): void => {
    if (node.children.length > 0) {
      node.children.forEach((child, index) => walk(child, childPartId(partId, index), embedded));
    } else if (node.embedded) {
      walk(node.embedded, childPartId(partId, 0), true);
    } else {
      out.push({ node, partId, embedded });
    }
  };
  walk(root, '', false);
  return out;
}

/** The node at a Gmail partId, or null. */
export function findPart(root: MimeNode, partId: string): MimeNode | null {
  if (partId === '') return root;
  let node: MimeNode | null = root;
  for (const piece of partId.split('.')) {
    if (!node) return null;
    const index = Number(piece);
    if (node.children.length > 0) node = node.children[index] ?? null;
    else if (node.embedded && index === 0) node = node.embedded;
    else return null;
  }
  return node;
}

/** The text/plain and text/html bodies of the message (not of forwarded messages). */
export function messageBodies(root: MimeNode): { plain: string | null; html: string | null } {
  let plain: string | null = null;
  let html: string | null = null;
  for (const { node, embedded } of visitLeaves(root)) {
    if (embedded || isAttachmentPart(node) || node.disposition === 'attachment') continue;
    if (node.mimeType === 'text/plain' && plain === null) plain = decodeText(node);
    if (node.mimeType === 'text/html' && html === null) html = decodeText(node);
  }
  return { plain, html };
}

/** Text of an HTML body for search and snippets (tags dropped, common entities decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Gmail's snippet: the start of the body text, whitespace collapsed, HTML-escaped, ~200 chars. */
export function snippetOf(root: MimeNode): string {
  const { plain, html } = messageBodies(root);
  const text = (plain ?? (html !== null ? htmlToText(html) : '')).replace(/\s+/g, ' ').trim();
  return text
    .slice(0, 200)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Issues an attachment id for a part (the caller decides how ids live and expire). */
export type AttachmentIdIssuer = (partId: string, node: MimeNode) => string;

/** The Gmail API `payload` of a parsed message (format=full). */
export function toGmailPayload(root: MimeNode, issueAttachmentId: AttachmentIdIssuer): GmailPayload {
  const build = (node: MimeNode, partId: string): GmailPayload => {
    const payload: GmailPayload = {
      partId,
      mimeType: node.mimeType,
      filename: node.filename,
      headers: node.headers.map((header) => ({ name: header.name, value: decodeHeaderValue(header.raw) })),
      body: { size: 0 },
    };
    if (node.children.length > 0) {
      payload.parts = node.children.map((child, index) => build(child, childPartId(partId, index)));
    } else if (node.embedded) {
      payload.parts = [build(node.embedded, childPartId(partId, 0))];
    } else if (isAttachmentPart(node)) {
      payload.body = { size: node.body.length, attachmentId: issueAttachmentId(partId, node) };
    } else {
      payload.body = node.body.length > 0 ? { size: node.body.length, data: toBase64Url(node.body) } : { size: 0 };
    }
    return payload;
  };
  return build(root, '');
}
