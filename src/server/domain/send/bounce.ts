// Reading delivery-failure notices (bounces) back from the mailbox, so a row whose message could not be
// delivered becomes `bounced` with the recipient and the server's reason.
//
// Standard notices are RFC 3464 DSNs: a multipart/report; report-type=delivery-status holding a
// human-readable part, a message/delivery-status part (one block of per-message fields, then one block
// per recipient: Final-Recipient, Action, Status, Diagnostic-Code, Remote-MTA) and the returned message
// (message/rfc822) or only its headers (text/rfc822-headers). Gmail, Postfix, Exchange and Sendmail
// write these. Some servers still write plain-text notices (qmail's "Hi. This is the qmail-send
// program", Exim's "This message was created automatically by mail delivery software" with an
// X-Failed-Recipients header): they are read by their sender (mailer-daemon / postmaster), their
// subject and the addresses and SMTP replies in their text.
// A notice refers to the message Postroom sent by that message's X-Postroom-Send-Id header (kept in
// the returned copy; Gmail may rewrite the Message-ID on send) or its Message-ID.
// https://www.rfc-editor.org/rfc/rfc3464  https://www.rfc-editor.org/rfc/rfc3463 (status codes)

import { headerText, leaves, parseHeaderBlock, parseRawMessage, partText, rawHeader, type RawHeader, type RawPart } from './raw-mime';

export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | '';

export interface BounceRecipient {
  /** The address that could not be reached (lower-case). */
  recipient: string;
  action: DsnAction;
  /** RFC 3463 status "5.1.1", '' when unknown. */
  status: string;
  /** The remote server's words, "550 5.1.1 <x@y.fr>: Recipient address rejected: User unknown". */
  diagnostic: string;
  remoteMta: string;
}

export interface BounceReport {
  /** 'dsn' for an RFC 3464 report, 'text' for a plain-text notice read by its words. */
  kind: 'dsn' | 'text';
  reportingMta: string;
  /** Every recipient the notice reports on (see permanentFailures for the ones that bounced). */
  recipients: BounceRecipient[];
  /** What the notice says of the message it returns. */
  original: { messageId: string; sendId: string; subject: string; to: string };
}

const DAEMON_SENDER = /(^|[<\s"])(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const DAEMON_NAME = /mail delivery (sub)?system|mail administrator/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery status notification|delivery (has )?failed|delivery failure|failure notice|returned mail|returned to sender|mail delivery failed|non remis|non distribu|échec de (la )?(remise|distribution)|unzustellbar|nicht zustellbar/i;

/** "rfc822; a@b.fr" → "a@b.fr" (lower-case, brackets dropped). */
function addressOfTyped(value: string): string {
  const semi = value.indexOf(';');
  const address = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '');
  return address.toLowerCase();
}

/** "smtp; 550 5.1.1 …" → "550 5.1.1 …". */
function stripType(value: string): string {
  const semi = value.indexOf(';');
  return (semi >= 0 && /^[A-Za-z-]+$/.test(value.slice(0, semi).trim()) ? value.slice(semi + 1) : value).replace(/\s+/g, ' ').trim();
}

/** The blocks of a message/delivery-status body: the per-message fields, then one per recipient. */
function deliveryStatusBlocks(text: string): RawHeader[][] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => parseHeaderBlock(block))
    .filter((headers) => headers.length > 0);
}

function parseAction(value: string): DsnAction {
  const word = value.trim().toLowerCase().split(/\s/)[0] ?? '';
  return (['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const).find((a) => a === word) ?? '';
}

function findPart(part: RawPart, test: (p: RawPart) => boolean): RawPart | null {
  if (test(part)) return part;
  for (const child of part.children) {
    const found = findPart(child, test);
    if (found) return found;
  }
  return null;
}

/** Headers of the returned message: message/rfc822, text/rfc822-headers, or message/rfc822-headers. */
function returnedHeaders(root: RawPart): RawHeader[] | null {
  const returned = findPart(
    root,
    (p) => p !== root && (p.mimeType === 'message/rfc822' || p.mimeType === 'message/global') && p.embedded !== null,
  );
  if (returned?.embedded) return returned.embedded.headers;
  const headersOnly = findPart(
    root,
    (p) => p.mimeType === 'text/rfc822-headers' || p.mimeType === 'message/rfc822-headers' || p.mimeType === 'message/global-headers',
  );
  if (headersOnly) return parseHeaderBlock(partText(headersOnly).replace(/^\s+/, ''));
  return null;
}

/** Header lines quoted in a plain-text notice ("--- Below this line is a copy of the message."). */
function quotedHeader(text: string, name: string): string {
  const match = new RegExp(`^[ \\t>]*${name}:[ \\t]*(.+)$`, 'mi').exec(text);
  return match ? match[1].trim() : '';
}

function original(root: RawPart, bodyText: string): BounceReport['original'] {
  const headers = returnedHeaders(root);
  if (headers) {
    return {
      messageId: rawHeader(headers, 'Message-ID').trim(),
      sendId: rawHeader(headers, 'X-Postroom-Send-Id').trim(),
      subject: headerText(headers, 'Subject'),
      to: headerText(headers, 'To'),
    };
  }
  return {
    messageId: (/<[^<>\s]+>/.exec(quotedHeader(bodyText, 'Message-ID')) ?? [''])[0],
    sendId: (quotedHeader(bodyText, 'X-Postroom-Send-Id').split(/\s/)[0] ?? '').trim(),
    subject: quotedHeader(bodyText, 'Subject'),
    to: quotedHeader(bodyText, 'To'),
  };
}

/** The RFC 3463 status inside an SMTP reply ("550 5.1.1 …" → "5.1.1"), '' when none. */
export function statusOfReply(reply: string): string {
  return (/\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply) ?? ['', ''])[1];
}

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;

/**
 * Recipients of a plain-text notice: the X-Failed-Recipients header (Exim), else the addresses the
 * text puts in angle brackets at the start of a line (qmail "<a@b.fr>:", Postfix "<a@b.fr>: host …"),
 * each with the first SMTP reply (a 4xx/5xx code) that follows it.
 */
function textRecipients(headers: readonly RawHeader[], text: string, ownAddress: string): BounceRecipient[] {
  const found = new Map<string, BounceRecipient>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex((line) =>
    /^-+ ?(below this line|original message|this is a copy)|^------ This is a copy of the message/i.test(line.trim()),
  );
  const noticeLines = cut >= 0 ? lines.slice(0, cut) : lines;
  const replyAfter = (start: number): string => {
    for (let i = start; i < Math.min(noticeLines.length, start + 12); i++) {
      const match = /\b([45]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3}\b)?.*$/.exec(noticeLines[i]);
      if (match) return match[0].replace(/\s+/g, ' ').trim();
    }
    return '';
  };
  const add = (address: string, lineIndex: number) => {
    const recipient = address.toLowerCase();
    if (recipient === ownAddress || DAEMON_SENDER.test(`<${recipient}`) || found.has(recipient)) return;
    const diagnostic = lineIndex >= 0 ? replyAfter(lineIndex) : '';
    found.set(recipient, {
      recipient,
      action: 'failed',
      status: statusOfReply(diagnostic) || (diagnostic.startsWith('4') ? '4.0.0' : '5.0.0'),
      diagnostic,
      remoteMta: '',
    });
  };
  const failedHeader = rawHeader(headers, 'X-Failed-Recipients');
  for (const address of failedHeader.match(EMAIL) ?? []) {
    const index = noticeLines.findIndex((line) => line.toLowerCase().includes(address.toLowerCase()));
    add(address, index);
  }
  if (!found.size) {
    noticeLines.forEach((line, index) => {
      const match = /^\s*<([^<>\s]+@[^<>\s]+)>:?/.exec(line) ?? /^\s{1,4}([^<>\s:]+@[^<>\s:]+)\s*$/.exec(line);
      if (match) add(match[1], index);
    });
  }
  return [...found.values()];
}

/** True when the message looks like a notice from a mail server (DSN or a daemon's text). */
export function looksLikeBounce(headers: readonly RawHeader[], root: RawPart): boolean {
  if (root.mimeType === 'multipart/report' && (root.params['report-type'] ?? '').toLowerCase() === 'delivery-status') return true;
  if (findPart(root, (p) => p.mimeType === 'message/delivery-status' || p.mimeType === 'message/global-delivery-status')) return true;
  const from = headerText(headers, 'From');
  const daemon = DAEMON_SENDER.test(from) || DAEMON_NAME.test(from) || rawHeader(headers, 'Return-Path').trim() === '<>';
  return (daemon && BOUNCE_SUBJECT.test(headerText(headers, 'Subject'))) || rawHeader(headers, 'X-Failed-Recipients') !== '';
}

/**
 * Reads a notice. Returns null when the message is not a delivery notice. `ownAddress` (the account's
 * address) is never taken for a failed recipient in a plain-text notice.
 */
export function parseBounce(raw: Uint8Array | string, ownAddress = ''): BounceReport | null {
  const root = parseRawMessage(raw);
  const headers = root.headers;
  if (!looksLikeBounce(headers, root)) return null;
  const textParts = leaves(root).filter((p) => p.mimeType === 'text/plain');
  const bodyText = textParts.map(partText).join('\n');
  const status = findPart(root, (p) => p.mimeType === 'message/delivery-status' || p.mimeType === 'message/global-delivery-status');
  if (status) {
    const [perMessage, ...perRecipient] = deliveryStatusBlocks(partText(status));
    const recipients = perRecipient
      .filter((block) => rawHeader(block, 'Final-Recipient') || rawHeader(block, 'Original-Recipient'))
      .map((block) => ({
        recipient: addressOfTyped(rawHeader(block, 'Final-Recipient') || rawHeader(block, 'Original-Recipient')),
        action: parseAction(rawHeader(block, 'Action')),
        status: rawHeader(block, 'Status').trim().split(/\s/)[0] ?? '',
        diagnostic: stripType(rawHeader(block, 'Diagnostic-Code')),
        remoteMta: stripType(rawHeader(block, 'Remote-MTA')),
      }));
    return {
      kind: 'dsn',
      reportingMta: stripType(rawHeader(perMessage ?? [], 'Reporting-MTA')),
      recipients,
      original: original(root, bodyText),
    };
  }
  const recipients = textRecipients(headers, bodyText, ownAddress.toLowerCase());
  if (!recipients.length) return null;
  return { kind: 'text', reportingMta: '', recipients, original: original(root, bodyText) };
}

/** The recipients that will never receive the message: Action failed, or a 5.x.x status. */
export function permanentFailures(report: BounceReport): BounceRecipient[] {
  return report.recipients.filter((r) => r.action === 'failed' || (r.action === '' && r.status.startsWith('5')));
}

/** The reason in the server's words for the row's error cell: the diagnostic, else the status. */
export function bounceReason(recipient: BounceRecipient): string {
  const text = recipient.diagnostic || (recipient.status ? `status ${recipient.status}` : '');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
