// Delivery-failure notices composed as real mail servers write them, for the emulated mailbox (an
// address set to bounce gets one after a send) and for tests. Styles:
//   gmail    Gmail's mailer-daemon: "Delivery Status Notification (Failure)", multipart/report with a
//            text/plain and text/html explanation, message/delivery-status, and the returned message's
//            headers as text/rfc822-headers (what Gmail sends when the original had attachments).
//   postfix  Postfix bounce(8): "Undelivered Mail Returned to Sender" from MAILER-DAEMON, multipart/report
//            with notification, message/delivery-status (Reporting-MTA dns; X-Postfix-Queue-ID …) and the
//            whole returned message as message/rfc822.
//   exchange Microsoft Exchange / Outlook: "Undeliverable: <subject>" from postmaster@, multipart/report
//            with text/plain, message/delivery-status and message/rfc822.
//   qmail    qmail-send's plain-text notice (no DSN): "failure notice", "<a@b>:" then the remote reply,
//            then "--- Below this line is a copy of the message." and the message.
//   exim     Exim's plain-text notice with the X-Failed-Recipients header and the returned message.
//   delayed  An RFC 3464 "Action: delayed" warning (4.4.7): NOT a bounce; readers must ignore it.
// https://www.rfc-editor.org/rfc/rfc3464 (fields and the sample reports of its appendix)

import { bytesToBinary, binaryToBytes, parseMime, headerValue } from './mime';

export type DsnStyle = 'gmail' | 'postfix' | 'exchange' | 'qmail' | 'exim' | 'delayed';

export interface DsnOptions {
  style: DsnStyle;
  /** The mailbox the notice is sent to (the original sender). */
  to: string;
  /** The recipient that failed. */
  recipient: string;
  /** The returned message's exact bytes. */
  original: Uint8Array;
  /** Epoch ms of the notice. */
  date: number;
  /** RFC 3463 status (default 5.1.1: no such user). */
  status?: string;
  /** The remote server's reply (default a 550 "user unknown" in that server's words). */
  diagnostic?: string;
  /** A unique token for the notice's Message-ID and boundary. */
  token: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The returned message's header block (up to the first blank line), CRLF lines. */
function headerBlock(original: Uint8Array): string {
  const text = bytesToBinary(original);
  const end = text.search(/\r?\n\r?\n/);
  return (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n/g, '\r\n');
}

function originalText(original: Uint8Array): string {
  return bytesToBinary(original)
    .replace(/\r?\n/g, '\r\n')
    .replace(/(\r\n)+$/, '');
}

function defaultDiagnostic(style: DsnStyle, recipient: string, status: string): string {
  const domain = domainOf(recipient);
  switch (style) {
    case 'gmail':
      return `smtp; 550 ${status} The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser a1-20020a05600c000100b00400000000000si1234567wmq.101 - gsmtp`;
    case 'exchange':
      return `smtp; 550 ${status} RESOLVER.ADR.RecipNotFound; not found`;
    case 'delayed':
      return `smtp; 451 4.4.7 Message delayed: mx.${domain} did not answer`;
    default:
      return `smtp; 550 ${status} <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`;
  }
}

/** Composes the notice's raw bytes. */
export function composeDsn(options: DsnOptions): Uint8Array {
  const { style, recipient, to, token } = options;
  const status = options.status ?? (style === 'delayed' ? '4.4.7' : '5.1.1');
  const diagnostic = options.diagnostic ?? defaultDiagnostic(style, recipient, status);
  const reply = diagnostic.replace(/^smtp;\s*/i, '');
  const tree = parseMime(options.original);
  const subject = headerValue(tree, 'Subject');
  const date = rfc5322Date(options.date);
  const boundary = `=_dsn_${token}`;
  const remote = `mx.${domainOf(recipient)}`;
  const lines: string[] = [];

  if (style === 'qmail') {
    lines.push(
      `Return-Path: <>`,
      `Date: ${date}`,
      `From: MAILER-DAEMON@mail.qmail-host.example`,
      `To: ${to}`,
      `Subject: failure notice`,
      `Message-ID: <${token}.qmail@mail.qmail-host.example>`,
      '',
      'Hi. This is the qmail-send program at mail.qmail-host.example.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      `<${recipient}>:`,
      `${remote} said: ${reply}`,
      '',
      '--- Below this line is a copy of the message.',
      '',
      originalText(options.original),
    );
    return binaryToBytes(lines.join('\r\n') + '\r\n');
  }

  if (style === 'exim') {
    lines.push(
      `Return-Path: <>`,
      `Date: ${date}`,
      `From: Mail Delivery System <Mailer-Daemon@relay.exim-host.example>`,
      `To: ${to}`,
      `Subject: Mail delivery failed: returning message to sender`,
      `Message-ID: <${token}.exim@relay.exim-host.example>`,
      `X-Failed-Recipients: ${recipient}`,
      `Auto-Submitted: auto-replied`,
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      `  ${recipient}`,
      `    host ${remote} [192.0.2.25]`,
      `    SMTP error from remote mail server after RCPT TO:<${recipient}>:`,
      `    ${reply}`,
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      originalText(options.original),
    );
    return binaryToBytes(lines.join('\r\n') + '\r\n');
  }

  const reporting =
    style === 'gmail' ? 'mx.google.com' : style === 'exchange' ? 'AM0PR01MB1234.eurprd01.prod.outlook.com' : 'smtp.postfix-host.example';
  const fromHeader =
    style === 'gmail'
      ? 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'
      : style === 'exchange'
        ? 'postmaster@outlook.com'
        : 'MAILER-DAEMON@smtp.postfix-host.example (Mail Delivery System)';
  const subjectHeader =
    style === 'gmail'
      ? 'Delivery Status Notification (Failure)'
      : style === 'exchange'
        ? `Undeliverable: ${subject}`
        : style === 'delayed'
          ? 'Delivery Status Notification (Delay)'
          : 'Undelivered Mail Returned to Sender';
  const human =
    style === 'delayed'
      ? [`Delivery to the following recipient has been delayed:`, '', `     ${recipient}`, '', `Message will be retried for 2 more day(s).`]
      : style === 'gmail'
        ? [
            `** Address not found **`,
            '',
            `Your message wasn't delivered to ${recipient} because the address couldn't be found, or is unable to receive mail.`,
            '',
            'The response from the remote server was:',
            reply,
          ]
        : [
            `This is the mail system at host ${reporting}.`,
            '',
            "I'm sorry to have to inform you that your message could not",
            'be delivered to one or more recipients.',
            '',
            `<${recipient}>: host ${remote} said: ${reply}`,
          ];
  const action = style === 'delayed' ? 'delayed' : 'failed';
  const returnHeadersOnly = style === 'gmail' || style === 'delayed';

  lines.push(
    `Return-Path: <>`,
    `Date: ${date}`,
    `From: ${fromHeader}`,
    `To: ${to}`,
    `Subject: ${subjectHeader}`,
    `Message-ID: <${token}.dsn@${reporting}>`,
    `Auto-Submitted: auto-replied`,
    `MIME-Version: 1.0`,
    `Content-Type: multipart/report; report-type=delivery-status;`,
    `\tboundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Description: Notification',
    '',
    ...human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    `Reporting-MTA: dns; ${reporting}`,
    ...(style === 'postfix' ? [`X-Postfix-Queue-ID: 4B${token.slice(0, 8).toUpperCase()}`, `X-Postfix-Sender: rfc822; ${to}`] : []),
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Remote-MTA: dns; ${remote}`,
    `Diagnostic-Code: ${diagnostic.length > 70 ? diagnostic.replace(/^(.{1,70}) /, '$1\r\n ') : diagnostic}`,
    ...(action === 'delayed' ? [`Will-Retry-Until: ${rfc5322Date(options.date + 2 * 86_400_000)}`] : []),
    '',
    `--${boundary}`,
    ...(returnHeadersOnly
      ? ['Content-Type: text/rfc822-headers', '', headerBlock(options.original)]
      : ['Content-Type: message/rfc822', 'Content-Description: Undelivered Message', '', originalText(options.original)]),
    '',
    `--${boundary}--`,
  );
  return binaryToBytes(lines.join('\r\n') + '\r\n');
}
