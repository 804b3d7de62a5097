// Test helpers for the emulated Gmail: a fresh workspace (clock, accounting, fault plan, quotas, mailbox,
// the three Gmail views and UrlFetchApp with the Gmail REST route) and real .eml fixtures built here as
// bytes (nested multipart, inline image with Content-ID, forwarded message/rfc822, RFC 2231 and RFC 2047
// names), plus a typed handle on mailparser to read what was sent.

import { Accounting, Execution, FaultPlan, ServiceContext, VirtualClock, type FaultOptions } from '../../../emulator/runtime/execution';
import { Quotas, type QuotaOptions } from '../../../emulator/runtime/quotas';
import { createGmailGlobals } from '../../../emulator/gmail';
import { Mailbox } from '../../../emulator/gmail/mailbox';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';

export const USER = 'compta@cabinet-durand.fr';
export const TOKEN = 'ya29.test-token';

export interface World {
  clock: VirtualClock;
  accounting: Accounting;
  ctx: ServiceContext;
  quotas: Quotas;
  mailbox: Mailbox;
  globals: ReturnType<typeof createGmailGlobals>;
  UrlFetchApp: ReturnType<typeof createUrlFetchApp>;
  /** Starts an execution (so that kills and deadlines apply). */
  startExecution(kind?: 'trigger' | 'card'): Execution;
}

export function makeWorld(options: { faults?: FaultOptions; quotas?: Partial<QuotaOptions> } = {}): World {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan(options.faults ?? {}));
  const quotas = new Quotas(clock, { workspace: false, ...options.quotas });
  const mailbox = new Mailbox({ userEmail: USER, now: () => clock.now() });
  const globals = createGmailGlobals({ mailbox, ctx, quotas, oauthToken: TOKEN });
  const UrlFetchApp = createUrlFetchApp(ctx, quotas, globals.gmailRestRoutes);
  let executions = 0;
  return {
    clock,
    accounting,
    ctx,
    quotas,
    mailbox,
    globals,
    UrlFetchApp,
    startExecution(kind = 'trigger') {
      executions += 1;
      const execution = new Execution(executions, executions, kind, 'test', clock.now());
      ctx.execution = execution;
      return execution;
    },
  };
}

export function crlf(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8'));
}

export const PNG_BYTES = new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
export const PDF_BYTES = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1'));
export const JPEG_BYTES = new Uint8Array(Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'));

const b64 = (bytes: Uint8Array): string =>
  (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\n');

/** multipart/mixed > (related > (alternative > plain, html), inline png), RFC 2231 pdf, forwarded rfc822. */
export function nestedEml(): Uint8Array {
  return crlf(`Received: from mx.fournisseur.fr by mx.google.com
From: =?UTF-8?Q?Zo=C3=AB_Martin?= <zoe@fournisseur.fr>
To: Compta <${USER}>
Cc: archive@cabinet-durand.fr
Subject: =?UTF-8?B?RmFjdHVyZSBuwrA0MiDigJMgcmXDp3U=?=
Date: Tue, 13 Jan 2026 10:00:00 +0100
Message-ID: <nested-1@fournisseur.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-b"

This is a multi-part message in MIME format.
--mixed-b
Content-Type: multipart/related; boundary="related-b"

--related-b
Content-Type: multipart/alternative; boundary="alt-b"

--alt-b
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Bonjour, voici la facture. Montant d=C3=BB : 120 EUR. R=C3=A9f=C3=A9rence=
 INV-2026-042.
--alt-b
Content-Type: text/html; charset=UTF-8

<p>Bonjour, voici la <b>facture</b>.</p><img src="cid:logo@fournisseur">
--alt-b--
--related-b
Content-Type: image/png
Content-ID: <logo@fournisseur>
Content-Transfer-Encoding: base64

${b64(PNG_BYTES)}
--related-b--
--mixed-b
Content-Type: application/pdf; name="recu.pdf"
Content-Disposition: attachment; filename*=UTF-8''Re%C3%A7u.pdf
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--mixed-b
Content-Type: message/rfc822

From: Paul <paul@client.fr>
To: zoe@fournisseur.fr
Subject: Commande initiale
Date: Mon, 12 Jan 2026 09:00:00 +0100
Message-ID: <orig-7@client.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner-b"

--inner-b
Content-Type: text/plain; charset=UTF-8

Voici le bon de commande.
--inner-b
Content-Type: image/jpeg; name="=?UTF-8?Q?photo_=C3=A9t=C3=A9.jpg?="
Content-Disposition: attachment
Content-Transfer-Encoding: base64

${b64(JPEG_BYTES)}
--inner-b--

--mixed-b--
`);
}

export interface SimpleMail {
  id: string;
  from: string;
  to: string;
  cc?: string;
  subject: string;
  date: string;
  body: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  extraHeaders?: string;
}

/** A small text/plain message. */
export function simpleEml(mail: SimpleMail): Uint8Array {
  const lines = [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    ...(mail.cc ? [`Cc: ${mail.cc}`] : []),
    `Subject: ${mail.subject}`,
    `Date: ${mail.date}`,
    `Message-ID: ${mail.messageId ?? `<${mail.id}@example.org>`}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references ? [`References: ${mail.references}`] : []),
    ...(mail.extraHeaders ? [mail.extraHeaders] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    mail.body,
    '',
  ];
  return crlf(lines.join('\n'));
}

/** A message with one attachment of the given name and bytes. */
export function attachmentEml(subject: string, filename: string, bytes: Uint8Array, date = 'Wed, 14 Jan 2026 09:00:00 +0000'): Uint8Array {
  return crlf(`From: Fournisseur <factures@fournisseur.fr>
To: ${USER}
Subject: ${subject}
Date: ${date}
Message-ID: <${subject.replace(/\W+/g, '-')}@fournisseur.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="att-b"

--att-b
Content-Type: text/plain; charset=UTF-8

Veuillez trouver ci-joint ${filename}.
--att-b
Content-Type: application/octet-stream; name="${filename}"
Content-Disposition: attachment; filename="${filename}"
Content-Transfer-Encoding: base64

${b64(bytes)}
--att-b--
`);
}

export interface ParsedMail {
  subject?: string;
  text?: string;
  html?: string | false;
  messageId?: string;
  from?: { value: Array<{ address?: string; name: string }> };
  to?: { value: Array<{ address?: string; name: string }> } | Array<{ value: Array<{ address?: string; name: string }> }>;
  cc?: { value: Array<{ address?: string; name: string }> };
  bcc?: { value: Array<{ address?: string; name: string }> };
  replyTo?: { value: Array<{ address?: string; name: string }> };
  attachments: Array<{ filename?: string; contentType: string; content: Buffer; contentId?: string; contentDisposition?: string }>;
}

// mailparser ships no types; this is the slice the tests read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mailparser = require('mailparser') as { simpleParser(source: Buffer): Promise<ParsedMail> };

export function parseWithMailparser(bytes: Uint8Array): Promise<ParsedMail> {
  return mailparser.simpleParser(Buffer.from(bytes));
}

export function toBase64Url(bytes: Uint8Array, pad = true): string {
  const text = Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return pad ? text : text.replace(/=+$/, '');
}

export function fromSigned(bytes: number[]): Uint8Array {
  return new Uint8Array(bytes.map((value) => value & 0xff));
}
