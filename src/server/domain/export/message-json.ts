// One exported message: exactly the seed's structure ("Message-ID" = Gmail's message id, "Thread-ID",
// "Labels", "Date" as RFC 2822, "From", "To", "Subject" decoded, "Body" {plain, html}, "Attachments"
// [{id, filename, mimeType, size}], "Snippet"), plus extra keys where useful ("Cc", "Reply-To",
// "RFC822-Message-ID", "Internal-Date", "Size-Estimate", and per attachment "inline", "contentId" and,
// when the bytes were stored, "file"). Attachment "id" is Gmail's part id: the API's attachmentId
// changes at every read and could not be used to fetch the file later.

import type { MessageView } from './message-view';

export interface ExportedAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  inline: boolean;
  contentId?: string;
  /** The Drive file name of the stored bytes (includeAttachments). */
  file?: string;
  /** Why the bytes could not be stored (includeAttachments). */
  error?: string;
}

export interface ExportedMessage {
  'Message-ID': string;
  'Thread-ID': string;
  Labels: string[];
  Date: string;
  From: string;
  To: string;
  Subject: string;
  Body: { plain: string; html: string | null };
  Attachments: ExportedAttachment[];
  Snippet: string;
  Cc?: string;
  'Reply-To'?: string;
  'RFC822-Message-ID': string;
  'Internal-Date': string | null;
  'Size-Estimate': number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** An instant as an RFC 2822 date in UTC: "Mon, 05 Jan 2026 09:00:00 +0000". */
export function rfc2822(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export function toExportedMessage(view: MessageView): ExportedMessage {
  const h = view.headers;
  const message: ExportedMessage = {
    'Message-ID': view.id,
    'Thread-ID': view.threadId,
    Labels: view.labelIds,
    Date: (h.date ?? '').trim() || (view.internalDateMs === null ? '' : rfc2822(view.internalDateMs)),
    From: h.from ?? '',
    To: h.to ?? '',
    Subject: h.subject ?? '',
    Body: { plain: view.plain ?? '', html: view.html },
    Attachments: view.attachments.map((a) => ({
      id: a.partId,
      filename: a.filename,
      mimeType: a.mimeType,
      size: a.size,
      inline: a.inline,
      ...(a.contentId ? { contentId: a.contentId } : {}),
    })),
    Snippet: view.snippet,
    'RFC822-Message-ID': h['message-id'] ?? '',
    'Internal-Date': view.internalDateMs === null ? null : new Date(view.internalDateMs).toISOString(),
    'Size-Estimate': view.sizeEstimate,
  };
  if (h.cc) message.Cc = h.cc;
  if (h['reply-to']) message['Reply-To'] = h['reply-to'];
  return message;
}
