// A small RFC 5322 / MIME builder for the messages GmailApp.sendEmail and GmailApp.createDraft compose
// on the script's behalf (emulator code: Postroom's own builder lives in src/server/domain). Text parts are
// UTF-8 in base64; HTML makes a multipart/alternative; inline images a multipart/related; attachments a
// multipart/mixed with RFC 2231 file names; non-ASCII headers use RFC 2047 encoded words.
// https://developers.google.com/apps-script/reference/gmail/gmail-app#sendEmail(String,String,String,Object)

export interface BuiltAttachment {
  name: string;
  contentType: string;
  bytes: Uint8Array;
  contentId?: string;
}

export interface BuildOptions {
  from: string;
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  subject: string;
  textBody: string;
  htmlBody?: string;
  attachments?: BuiltAttachment[];
  inlineImages?: BuiltAttachment[];
  date: Date;
  messageId: string;
  /** Boundary seed, so that the bytes are reproducible. */
  seed: string;
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** RFC 2047 B-encoding of a header value when it is not plain ASCII. */
export function encodeHeaderWord(text: string): string {
  if (isAscii(text)) return text;
  const chunks: string[] = [];
  let current = '';
  for (const char of text) {
    if (Buffer.byteLength(current + char, 'utf8') > 45) {
      chunks.push(current);
      current = '';
    }
    current += char;
  }
  if (current) chunks.push(current);
  return chunks.map((chunk) => `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`).join(' ');
}

/** An address list with display names encoded when needed ("Zoë <z@x>" -> "=?UTF-8?B?…?= <z@x>"). */
function encodeAddressList(list: string): string {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(.*?)\s*<([^>]+)>$/.exec(entry);
      if (!match || match[1] === '') return entry;
      const name = match[1].replace(/^"|"$/g, '');
      return isAscii(name) ? `"${name.replace(/"/g, '\\"')}" <${match[2]}>` : `${encodeHeaderWord(name)} <${match[2]}>`;
    })
    .join(', ');
}

function base64Lines(bytes: Uint8Array): string {
  return (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

function fileNameParams(name: string): { type: string; disposition: string } {
  if (isAscii(name) && !/["\\]/.test(name)) return { type: `name="${name}"`, disposition: `filename="${name}"` };
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return { type: `name="${encodeHeaderWord(name)}"`, disposition: `filename*=UTF-8''${encoded}` };
}

function textPart(type: 'plain' | 'html', text: string): string {
  return [
    `Content-Type: text/${type}; charset="UTF-8"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(text, 'utf8')),
  ].join('\r\n');
}

function filePart(file: BuiltAttachment, inline: boolean): string {
  const params = fileNameParams(file.name);
  const lines = [
    `Content-Type: ${file.contentType}; ${params.type}`,
    `Content-Disposition: ${inline ? 'inline' : 'attachment'}; ${params.disposition}`,
  ];
  if (file.contentId) lines.push(`Content-ID: <${file.contentId}>`, `X-Attachment-Id: ${file.contentId}`);
  lines.push('Content-Transfer-Encoding: base64', '', base64Lines(file.bytes));
  return lines.join('\r\n');
}

function multipart(subtype: string, boundary: string, parts: string[]): string {
  return [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    '',
    ...parts.map((part) => `--${boundary}\r\n${part}`),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** RFC 5322 date in UTC ("Thu, 15 Jan 2026 08:00:00 +0000"). */
export function formatRfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** The full message bytes. */
export function buildMimeMessage(options: BuildOptions): Uint8Array {
  const headers = [
    'MIME-Version: 1.0',
    `Date: ${formatRfc5322Date(options.date)}`,
    `Message-ID: <${options.messageId}>`,
    `Subject: ${encodeHeaderWord(options.subject)}`,
    `From: ${encodeAddressList(options.from)}`,
  ];
  if (options.to) headers.push(`To: ${encodeAddressList(options.to)}`);
  if (options.cc) headers.push(`Cc: ${encodeAddressList(options.cc)}`);
  if (options.bcc) headers.push(`Bcc: ${encodeAddressList(options.bcc)}`);
  if (options.replyTo) headers.push(`Reply-To: ${encodeAddressList(options.replyTo)}`);
  const boundary = (kind: string): string => `000000000000${kind}${options.seed}`.slice(0, 40);

  let body =
    options.htmlBody !== undefined
      ? multipart('alternative', boundary('a'), [textPart('plain', options.textBody), textPart('html', options.htmlBody)])
      : textPart('plain', options.textBody);
  const inline = options.inlineImages ?? [];
  if (inline.length > 0) body = multipart('related', boundary('r'), [body, ...inline.map((image) => filePart(image, true))]);
  const attachments = options.attachments ?? [];
  if (attachments.length > 0) body = multipart('mixed', boundary('m'), [body, ...attachments.map((file) => filePart(file, false))]);
  return new Uint8Array(Buffer.from(`${headers.join('\r\n')}\r\n${body}`, 'utf8'));
}
