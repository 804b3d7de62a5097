// Helpers of the gateway conformance suite: the harness bundled once with esbuild, a fresh emulated
// workspace per test with a known mailbox (hand-written RFC 5322 messages: RFC 2047 subjects,
// ISO-8859-1 and Windows-1252 bodies, a PDF attachment, an inline logo), and `run(kind, op, ...args)`
// executing one gateway operation as one Apps Script execution.

import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

let bundle: string | null = null;

/** The harness and the real adapters it imports, as one Apps Script-compatible script. */
export function harnessSource(): string {
  bundle ??= buildSync({
    entryPoints: [join(__dirname, 'harness.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    charset: 'utf8',
    define: { __POSTROOM_VERSION__: '"test"' },
    logLevel: 'silent',
  }).outputFiles[0].text;
  return bundle;
}

export type Kind = 'rest' | 'advanced';
export const KINDS: Kind[] = ['rest', 'advanced'];

export interface RunResult {
  kind: Kind;
  result: any;
  /** What the gateway says it spent. */
  usage: { calls: number; units: number };
  /** What the emulator counted for that execution: Gmail API calls (REST or Advanced) and quota units. */
  emulator: { calls: number; units: number; fetchAll: number };
}

export const SUPPLIER = 'factures@fournisseur-verre.fr';
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
}

const wrap = (bytes: Buffer): string => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n');

/** A supplier's invoice: RFC 2047 subject, ISO-8859-1 text, Windows-1252 HTML, inline logo, PDF. */
export function invoiceEml(n: number, user: string): Buffer {
  return crlf(`From: =?UTF-8?Q?Verrerie_Fran=C3=A7aise?= <${SUPPLIER}>
To: ${user}
Subject: =?ISO-8859-1?Q?Facture_n=B0${n}_re=E7ue?=
Date: ${new Date(Date.UTC(2026, 0, 5, 8) + n * 3600_000).toUTCString()}
Message-ID: <invoice-${n}@fournisseur-verre.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

Voici la facture n=B0${n}, r=E9gl=E9e =E0 r=E9ception.
--alt
Content-Type: text/html; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

<p>Total : 120 =80 =96 merci</p>
--alt--
--rel
Content-Type: image/png
Content-ID: <logo@verre>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

${wrap(PNG)}
--rel--
--mix
Content-Type: application/pdf; name="facture-${n}.pdf"
Content-Disposition: attachment; filename*=UTF-8''facture%20n%C2%B0${n}.pdf
Content-Transfer-Encoding: base64

${wrap(PDF)}
--mix--
`);
}

/** A plain message to send (base64url of its bytes), with the exactly-once header. */
export function rawToSend(to: string, sendId: string): string {
  const text = crlf(`From: me@cabinet-durand.fr
To: ${to}
Subject: =?UTF-8?Q?Votre_facture_=E2=80=93_janvier?=
X-Postroom-Send-Id: ${sendId}
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Bonjour,
`);
  return text.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface World {
  workspace: Workspace;
  runner: Runner;
  user: string;
  /** Gmail ids of the imported invoices, oldest first. */
  invoices: string[];
  run(kind: Kind | 'settings', operation: string, ...args: unknown[]): RunResult;
}

/** A fresh workspace with `count` invoices in INBOX, unread. Two worlds built alike hold the same ids. */
export function makeWorld(count = 3): World {
  const workspace = Workspace.create();
  const user = workspace.session.userEmail;
  const invoices = Array.from({ length: count }, (_, i) => workspace.mailbox.importRaw(new Uint8Array(invoiceEml(i + 1, user))).id);
  const runner = new Runner(workspace, { source: harnessSource(), sidebarPath: null });
  return {
    workspace,
    runner,
    user,
    invoices,
    run(kind, operation, ...args) {
      const outcome = runner.invoke('gatewayRun', [kind, operation, JSON.stringify(args)], 'cli');
      if (outcome.outcome !== 'completed')
        throw new Error(`${kind} ${operation}: ${outcome.outcome} ${outcome.error?.message ?? ''}\n${outcome.error?.stack ?? ''}`);
      const calls = Object.entries(outcome.counts.calls);
      const count = (prefix: string) => calls.filter(([method]) => method.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
      return {
        ...(JSON.parse(String(outcome.value)) as Omit<RunResult, 'emulator'>),
        emulator: { calls: count('Gmail.'), units: outcome.counts.gmailUnits, fetchAll: count('UrlFetchApp.fetchAll') },
      };
    },
  };
}
