// What the export reads of a Gmail API message resource (format=full), over the mail domain's one
// reader (domain/mail/message-view.ts: decoded headers, text and HTML bodies in their charset,
// attachments with their inline flag), plus what an export also needs: each attachment's Content-ID
// and inlined bytes, and the charset of a body Gmail moved behind an attachment id (very large text
// parts), for the job to fetch and decode with `decodeBody`.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages#MessagePart

import { decodeBytes, parseHeaderValue } from '../collect/text-codecs';
import { headerValue, type GmailMessage, type GmailMessagePart } from '../collect/mime-walk';
import { readMessageView as readMailView } from '../mail/message-view';

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

function partsById(root: GmailMessagePart | undefined): Map<string, GmailMessagePart> {
  const out = new Map<string, GmailMessagePart>();
  const visit = (part: GmailMessagePart | undefined, depth: number) => {
    if (!part || typeof part !== 'object' || depth > 40) return;
    if (typeof part.partId === 'string') out.set(part.partId, part);
    if (Array.isArray(part.parts)) for (const child of part.parts) visit(child, depth + 1);
  };
  visit(root, 0);
  return out;
}

/** Decodes a text body's bytes from its charset; CRLF line ends become LF. */
export function decodeBody(bytes: Uint8Array, charset: string): string {
  return decodeBytes(bytes, charset || 'utf-8').replace(/\r\n/g, '\n');
}

const lf = (text: string | null) => (text === null ? null : text.replace(/\r\n/g, '\n'));

export function readMessageView(message: GmailMessage): MessageView {
  const mail = readMailView(message);
  const parts = partsById(message && typeof message === 'object' ? message.payload : undefined);
  const headersOf = (partId: string) => parts.get(partId)?.headers ?? [];
  return {
    id: mail.id,
    threadId: mail.threadId,
    labelIds: mail.labelIds,
    snippet: mail.snippet,
    internalDateMs: mail.internalDate,
    sizeEstimate: typeof message?.sizeEstimate === 'number' ? message.sizeEstimate : 0,
    headers: mail.headers,
    plain: lf(mail.text),
    html: lf(mail.html),
    attachments: mail.attachments.map((a) => {
      const body = parts.get(a.partId)?.body;
      const contentId = headerValue(headersOf(a.partId), 'Content-ID').trim().replace(/^<|>$/g, '');
      return {
        partId: a.partId,
        filename: a.filename,
        mimeType: a.mimeType,
        size: a.size,
        inline: a.inline,
        contentId: contentId || null,
        attachmentId: a.attachmentId,
        data: a.attachmentId === null && typeof body?.data === 'string' ? body.data : null,
      };
    }),
    pendingBodies: mail.bodiesToFetch.map((b) => ({
      kind: b.mimeType === 'text/html' ? ('html' as const) : ('plain' as const),
      partId: b.partId,
      attachmentId: b.attachmentId,
      charset: parseHeaderValue(headerValue(headersOf(b.partId), 'Content-Type')).params.charset ?? 'utf-8',
    })),
  };
}
