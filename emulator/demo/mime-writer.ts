// A tiny RFC 5322 / MIME writer for the demo generator: builds real message bytes (CRLF lines,
// base64 wrapped at 76 columns, deterministic boundaries) from a tree of parts, with the three ways a
// file name reaches a header in the wild: plain, RFC 2231 (`filename*=UTF-8''…`) and RFC 2047
// encoded words (`filename="=?UTF-8?B?…?="`, not standard in parameters but what many clients send).
// RFC 5322 (message format), RFC 2045-2047 (MIME), RFC 2231 (parameter values).

export type FilenameStyle = 'plain' | 'rfc2231' | 'rfc2047';

export interface LeafPart {
  kind: 'leaf';
  contentType: string;
  body: Buffer;
  encoding?: 'base64' | 'quoted-printable' | '7bit' | '8bit';
  filename?: string;
  filenameStyle?: FilenameStyle;
  disposition?: 'attachment' | 'inline';
  contentId?: string;
  /** Extra Content-Type parameters (e.g. method=REQUEST for text/calendar). */
  typeParams?: Record<string, string>;
}

export interface MultiPart {
  kind: 'multi';
  subtype: 'mixed' | 'alternative' | 'related';
  parts: MimeNode[];
}

export interface MessagePart {
  kind: 'message';
  /** The complete bytes of the enclosed message (message/rfc822). */
  message: Buffer;
  filename?: string;
}

export type MimeNode = LeafPart | MultiPart | MessagePart;

export interface MessageHeaders {
  from: string;
  to: string;
  cc?: string;
  subject: string;
  date: Date;
  messageId: string;
  inReplyTo?: string;
  references?: string;
  authenticationResults?: string;
  extra?: Array<[string, string]>;
}

const CRLF = '\r\n';

/** RFC 2047 B-encoding when the text is not plain ASCII. */
export function encodeWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** RFC 2231 extended parameter value: UTF-8, percent-encoded. */
function rfc2231(text: string): string {
  return `UTF-8''${Array.from(Buffer.from(text, 'utf8'))
    .map((byte) =>
      /[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('')}`;
}

function filenameParam(name: string, attribute: 'name' | 'filename', style: FilenameStyle): string {
  if (style === 'rfc2231') return `${attribute}*=${rfc2231(name)}`;
  if (style === 'rfc2047') return `${attribute}="${encodeWord(name)}"`;
  return `${attribute}="${name.replace(/(["\\])/g, '\\$1')}"`;
}

function wrapBase64(bytes: Buffer): string {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines.join(CRLF);
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text, soft line breaks at 76 columns. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let encoded = '';
    for (const byte of Buffer.from(line, 'utf8')) {
      const char = String.fromCharCode(byte);
      encoded += (byte >= 33 && byte <= 126 && char !== '=') || byte === 32 ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    encoded = encoded.replace(/ $/, '=20');
    let rest = encoded;
    while (rest.length > 75) {
      let cut = 75;
      const escape = rest.lastIndexOf('=', cut - 1);
      if (escape > cut - 3) cut = escape;
      out.push(`${rest.slice(0, cut)}=`);
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out.join(CRLF);
}

/** RFC 5322 date-time in a fixed offset ("Thu, 08 Jan 2026 09:14:00 +0100"). */
export function formatRfc5322Date(date: Date, offsetMinutes = 60): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = Math.abs(offsetMinutes);
  return `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`;
}

class BoundaryCounter {
  private n = 0;
  constructor(private readonly seed: string) {}
  next(): string {
    this.n += 1;
    return `=_pr_${this.seed}_${this.n}`;
  }
}

function renderNode(node: MimeNode, boundaries: BoundaryCounter): string {
  if (node.kind === 'multi') {
    const boundary = boundaries.next();
    // Each rendered part ends with CRLF, which is the CRLF the next delimiter line starts with.
    const body = node.parts.map((part) => `--${boundary}${CRLF}${renderNode(part, boundaries)}`).join('');
    return `Content-Type: multipart/${node.subtype}; boundary="${boundary}"${CRLF}${CRLF}${body}--${boundary}--${CRLF}`;
  }
  if (node.kind === 'message') {
    const disposition = node.filename ? `Content-Disposition: attachment; filename="${node.filename}"${CRLF}` : '';
    return `Content-Type: message/rfc822${CRLF}${disposition}${CRLF}${node.message.toString('utf8')}`;
  }
  const style = node.filenameStyle ?? 'plain';
  const params = Object.entries(node.typeParams ?? {})
    .map(([key, value]) => `; ${key}=${value}`)
    .join('');
  const typeName = node.filename ? `; ${filenameParam(node.filename, 'name', style)}` : '';
  const lines = [`Content-Type: ${node.contentType}${params}${typeName}`];
  const encoding = node.encoding ?? 'base64';
  lines.push(`Content-Transfer-Encoding: ${encoding}`);
  if (node.disposition || node.filename) {
    const dispositionName = node.filename ? `; ${filenameParam(node.filename, 'filename', style)}` : '';
    lines.push(`Content-Disposition: ${node.disposition ?? 'attachment'}${dispositionName}`);
  }
  if (node.contentId) lines.push(`Content-ID: <${node.contentId}>`);
  const body =
    encoding === 'base64'
      ? wrapBase64(node.body)
      : encoding === 'quoted-printable'
        ? quotedPrintable(node.body.toString('utf8'))
        : node.body.toString('utf8').replace(/\r?\n/g, CRLF);
  return `${lines.join(CRLF)}${CRLF}${CRLF}${body}${CRLF}`;
}

/** The complete message bytes. */
export function writeMessage(headers: MessageHeaders, root: MimeNode, boundarySeed: string): Buffer {
  const lines: string[] = [];
  if (headers.authenticationResults) lines.push(`Authentication-Results: ${headers.authenticationResults}`);
  lines.push(`From: ${headers.from}`, `To: ${headers.to}`);
  if (headers.cc) lines.push(`Cc: ${headers.cc}`);
  lines.push(`Subject: ${encodeWord(headers.subject)}`, `Date: ${formatRfc5322Date(headers.date)}`, `Message-ID: <${headers.messageId}>`);
  if (headers.inReplyTo) lines.push(`In-Reply-To: <${headers.inReplyTo}>`);
  if (headers.references) lines.push(`References: ${headers.references}`);
  for (const [name, value] of headers.extra ?? []) lines.push(`${name}: ${value}`);
  lines.push('MIME-Version: 1.0');
  return Buffer.from(`${lines.join(CRLF)}${CRLF}${renderNode(root, new BoundaryCounter(boundarySeed))}`, 'utf8');
}

/** A text/plain UTF-8 part in quoted-printable. */
export function textPart(text: string): LeafPart {
  return { kind: 'leaf', contentType: 'text/plain; charset="UTF-8"', body: Buffer.from(text, 'utf8'), encoding: 'quoted-printable' };
}

/** A text/html UTF-8 part in quoted-printable. */
export function htmlPart(html: string): LeafPart {
  return { kind: 'leaf', contentType: 'text/html; charset="UTF-8"', body: Buffer.from(html, 'utf8'), encoding: 'quoted-printable' };
}

export function attachment(contentType: string, filename: string, body: Buffer, filenameStyle: FilenameStyle = 'plain'): LeafPart {
  return { kind: 'leaf', contentType, body, filename, filenameStyle, disposition: 'attachment', encoding: 'base64' };
}
