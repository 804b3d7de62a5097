// Gmail-API-shaped message fixtures (users.messages.get, format=full) for the collect domain tests:
// realistic header sets and MIME trees, bodies as web-safe base64 without padding as Gmail sends them.

import type { GmailHeader, GmailMessage, GmailMessagePart } from '../../../src/server/domain/collect';

export const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');

/** %PDF-… with an %%EOF trailer. */
export function pdfBytes(body = 'receipt'): Uint8Array {
  return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj <<>> endobj\n% ${body}\ntrailer <<>>\n%%EOF\n`, 'latin1'));
}
export const PNG_BYTES = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
  0x82,
]);
export const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

export const headers = (pairs: Record<string, string>): GmailHeader[] => Object.entries(pairs).map(([name, value]) => ({ name, value }));

let attachmentCounter = 0;
/** An ephemeral-looking attachment id, different every time (as Gmail's are). */
export const attachmentId = (): string => `ANGjdJ${(++attachmentCounter).toString(36)}_${'x'.repeat(40)}`;

export function textPart(partId: string, mimeType: 'text/plain' | 'text/html', text: string): GmailMessagePart {
  const bytes = Buffer.from(text, 'utf8');
  return {
    partId,
    mimeType,
    filename: '',
    headers: headers({ 'Content-Type': `${mimeType}; charset="UTF-8"`, 'Content-Transfer-Encoding': 'quoted-printable' }),
    body: { size: bytes.length, data: b64url(bytes) },
  };
}

export function filePart(
  partId: string,
  mimeType: string,
  filename: string,
  size: number,
  extra: { disposition?: string; contentType?: string; contentId?: string; gmailFilename?: string; data?: Uint8Array } = {},
): GmailMessagePart {
  const h: Record<string, string> = {
    'Content-Type': extra.contentType ?? `${mimeType}; name="${filename}"`,
    'Content-Disposition': extra.disposition ?? `attachment; filename="${filename}"`,
    'Content-Transfer-Encoding': 'base64',
  };
  if (extra.contentId) h['Content-ID'] = `<${extra.contentId}>`;
  return {
    partId,
    mimeType,
    filename: extra.gmailFilename ?? filename,
    headers: headers(h),
    body: extra.data ? { size: extra.data.length, data: b64url(extra.data) } : { size, attachmentId: attachmentId() },
  };
}

export function multipart(partId: string, subtype: string, parts: GmailMessagePart[]): GmailMessagePart {
  return {
    partId,
    mimeType: `multipart/${subtype}`,
    filename: '',
    headers: headers({ 'Content-Type': `multipart/${subtype}; boundary="000000000000${partId || 'root'}"` }),
    body: { size: 0 },
    parts,
  };
}

export const GMAIL_AUTH_PASS =
  'mx.google.com;\r\n       dkim=pass header.i=@fournisseur.fr header.s=s1 header.b=AbCdEf12;\r\n       spf=pass (google.com: domain of factures@fournisseur.fr designates 203.0.113.7 as permitted sender) smtp.mailfrom=factures@fournisseur.fr;\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=fournisseur.fr';

export function message(
  id: string,
  topHeaders: Record<string, string>,
  payload: GmailMessagePart,
  extra: Partial<GmailMessage> = {},
): GmailMessage {
  return {
    id,
    threadId: extra.threadId ?? id,
    labelIds: ['INBOX', 'UNREAD'],
    snippet: '',
    internalDate: '1738317600000', // 2025-01-31T10:00:00Z
    sizeEstimate: 12345,
    ...extra,
    payload: {
      ...payload,
      headers: [
        ...headers({
          'Delivered-To': 'compta@cabinet.fr',
          Received: 'by 2002:a05:6a10:1234 with SMTP id abc; Fri, 31 Jan 2025 02:00:00 -0800 (PST)',
          'Authentication-Results': GMAIL_AUTH_PASS,
          'MIME-Version': '1.0',
          Date: 'Fri, 31 Jan 2025 11:00:00 +0100',
          'Message-ID': `<${id}@mail.fournisseur.fr>`,
          From: 'Fournisseur SARL <factures@fournisseur.fr>',
          To: 'compta@cabinet.fr',
          Subject: 'Votre facture',
          ...topHeaders,
        }).filter((h) => h.value !== ''), // '' in topHeaders removes a default header
        ...(payload.headers ?? []),
      ],
    },
  };
}
