// What the export reads of a Gmail API message resource (`users.messages.get`, format=full): the
// top-level headers (RFC 2047 decoded), the text and HTML bodies decoded from their charset (Gmail
// gives `body.data` after the transfer encoding is undone, in the part's own charset: UTF-8,
// ISO-8859-1, Windows-1252…), and the attachments (every leaf that is a file, inline images marked).
// A body Gmail moved behind an attachment id (very large text parts) is reported in `pendingBodies`,
// for the job to fetch and decode with `decodeBody`. Never throws on a strange tree.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages#MessagePart

import { base64Decode } from '../encoding';
import { decodeBytes, decodeEncodedWords, parseHeaderValue } from '../collect/text-codecs';
import type { GmailMessage, GmailMessagePart } from '../collect/mime-walk';

export interface ViewAttachment {
  /** Gmail's part id ("1", "2.1"): stable, unlike attachmentId. */
  partId: string;
  filename: string;
  mimeType: string;
  /** Decoded bytes, as Gmail reports them. */
  size: number;
  inline: boolean;
  contentId: string | null;
  /** Ephemeral id for attachments.get (only valid with the same messages.get). */
  attachmentId: string | null;
  /** Base64url content when Gmail inlined the bytes. */
  data: string | null;
}

export interface PendingBody {
  kind: 'plain' | 'html';
  partId: string;
  attachmentId: string;
  charset: string;
}

export interface MessageView {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  internalDateMs: number | null;
  sizeEstimate: number;
  /** First occurrence of each header, by lower-case name, RFC 2047 decoded and unfolded. */
  headers: Record<string, string>;
  plain: string | null;
  html: string | null;
  attachments: ViewAttachment[];
  pendingBodies: PendingBody[];
}

const MAX_DEPTH = 40;
const MAX_PARTS = 2000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function partHeaders(part: GmailMessagePart): Array<{ name: string; value: string }> {
  return Array.isArray(part.headers) ? part.headers.filter((h) => isRecord(h) && typeof h.name === 'string' && typeof h.value === 'string') : [];
}

function header(part: GmailMessagePart, name: string): string {
  return partHeaders(part).find((h) => h.name.toLowerCase() === name)?.value ?? '';
}

/** Unfolds and decodes a header value (Gmail already decodes; decoding again is harmless on decoded text). */
export function cleanHeader(value: string): string {
  const unfolded = value.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded.includes('=?') ? decodeEncodedWords(unfolded) : unfolded;
}

/** Decodes a text body's bytes from its charset; CRLF line ends become LF. */
export function decodeBody(bytes: Uint8Array, charset: string): string {
  return decodeBytes(bytes, charset || 'utf-8').replace(/\r\n/g, '\n');
}

function dataBytes(data: string): Uint8Array | null {
  try {
    return base64Decode(data);
  } catch {
    return null;
  }
}

export function readMessageView(message: GmailMessage): MessageView {
  const headers: Record<string, string> = {};
  const root = isRecord(message.payload) ? (message.payload as GmailMessagePart) : null;
  if (root) {
    for (const h of partHeaders(root)) {
      const key = h.name.toLowerCase();
      if (!(key in headers)) headers[key] = cleanHeader(h.value);
    }
  }
  const view: MessageView = {
    id: String(message.id),
    threadId: String(message.threadId ?? ''),
    labelIds: Array.isArray(message.labelIds) ? message.labelIds.map(String) : [],
    snippet: typeof message.snippet === 'string' ? message.snippet : '',
    internalDateMs: message.internalDate !== undefined && /^\d+$/.test(String(message.internalDate)) ? Number(message.internalDate) : null,
    sizeEstimate: typeof message.sizeEstimate === 'number' ? message.sizeEstimate : 0,
    headers,
    plain: null,
    html: null,
    attachments: [],
    pendingBodies: [],
  };
  if (!root) return view;
  let seen = 0;
  const visit = (part: GmailMessagePart, depth: number): void => {
    if (depth > MAX_DEPTH || ++seen > MAX_PARTS || !isRecord(part)) return;
    const mimeType = String(part.mimeType ?? 'text/plain').toLowerCase();
    const children = Array.isArray(part.parts) ? part.parts : [];
    const disposition = parseHeaderValue(header(part, 'content-disposition'));
    const contentType = parseHeaderValue(header(part, 'content-type'));
    const filename = cleanHeader(String(part.filename ?? '') || disposition.params.filename || contentType.params.name || '');
    const body = isRecord(part.body) ? part.body : {};
    // A forwarded message is one attachment (the .eml), as mail clients show it; its insides are its own.
    if (mimeType === 'message/rfc822') {
      view.attachments.push(attachmentOf(part, filename || 'message.eml', mimeType, disposition.value === 'inline'));
      return;
    }
    if (mimeType.startsWith('multipart/') || children.length) {
      for (const child of children) visit(child, depth + 1);
      return;
    }
    const isBody = (mimeType === 'text/plain' || mimeType === 'text/html') && !filename && disposition.value !== 'attachment';
    const kind = mimeType === 'text/html' ? 'html' : 'plain';
    if (isBody && view[kind] === null && !view.pendingBodies.some((p) => p.kind === kind)) {
      const charset = contentType.params.charset ?? 'utf-8';
      if (typeof body.data === 'string') {
        const bytes = dataBytes(body.data);
        view[kind] = bytes ? decodeBody(bytes, charset) : '';
      } else if (typeof body.attachmentId === 'string') {
        view.pendingBodies.push({ kind, partId: String(part.partId ?? ''), attachmentId: body.attachmentId, charset });
      } else view[kind] = '';
      return;
    }
    if (isBody) return; // a second text part of the same kind (rare): the first one is the body
    const contentId = header(part, 'content-id').trim().replace(/^<|>$/g, '') || null;
    const inline = disposition.value === 'inline' || (disposition.value === '' && contentId !== null);
    view.attachments.push(attachmentOf(part, filename, mimeType, inline, contentId));
  };
  visit(root, 0);
  return view;
}

function attachmentOf(part: GmailMessagePart, filename: string, mimeType: string, inline: boolean, contentId: string | null = null): ViewAttachment {
  const body = isRecord(part.body) ? part.body : {};
  return {
    partId: String(part.partId ?? ''),
    filename,
    mimeType,
    size: typeof body.size === 'number' ? body.size : 0,
    inline,
    contentId,
    attachmentId: typeof body.attachmentId === 'string' ? body.attachmentId : null,
    data: typeof body.data === 'string' ? body.data : null,
  };
}
