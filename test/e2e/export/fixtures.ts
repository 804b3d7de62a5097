// Messages for the export e2e tests, as real RFC 5322 bytes: most built by nodemailer's MailComposer
// (a real composer, installed with mailparser), and two written by hand where MailComposer always
// writes UTF-8: an ISO-8859-1 quoted-printable message (subject in RFC 2047 Q encoding) and a
// Windows-1252 one with the euro sign. Together: accents in subjects and bodies, Latin-1 QP,
// multipart/alternative, attachments and an inline image, several recipients.

import { makePdf, makePng } from '../../../emulator/demo/binary-files';

interface ComposerOptions {
  from: string;
  to: string | string[];
  cc?: string | string[];
  subject: string;
  text?: string;
  html?: string;
  date: Date;
  messageId: string;
  attachments?: Array<{
    filename: string;
    content: Buffer;
    contentType: string;
    cid?: string;
    contentDisposition?: 'attachment' | 'inline';
  }>;
  textEncoding?: 'quoted-printable' | 'base64';
}

const MailComposer = require('nodemailer/lib/mail-composer') as new (options: ComposerOptions) => {
  compile(): { build(): Promise<Buffer> };
};

export function compose(options: ComposerOptions): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

const day = (n: number, hour = 9) => new Date(Date.UTC(2026, 0, n, hour, 0, 0));

/** Latin-1 quoted-printable, written by hand (bytes 0xE9 = é, 0xE8 = è, 0xE0 = à). */
export function latin1QuotedPrintable(): Buffer {
  return Buffer.from(
    [
      'From: =?ISO-8859-1?Q?Ren=E9e_Ch=E2telain?= <renee@verrerie.fr>',
      'To: compta@opticiens-demo.fr',
      'Subject: =?ISO-8859-1?Q?Relev=E9_de_d=E9cembre_=E0_r=E9gler?=',
      'Date: Fri, 09 Jan 2026 10:15:00 +0100',
      'Message-ID: <latin1-qp@verrerie.fr>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Bonjour,',
      '',
      'Voici le relev=E9 de d=E9cembre : 1 250,00 EUR =E0 r=E9gler avant le 31.',
      'Tr=E8s cordialement, Ren=E9e',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

/** Windows-1252 8bit body with the euro sign (0x80) and typographic quotes (0x93 0x94). */
export function windows1252(): Buffer {
  const head = [
    'From: Atelier Lunettes <atelier@lunettes.fr>',
    'To: compta@opticiens-demo.fr',
    'Subject: =?windows-1252?Q?Avoir_=96_=80_rembours=E9s?=',
    'Date: Sat, 10 Jan 2026 08:00:00 +0100',
    'Message-ID: <cp1252@lunettes.fr>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=windows-1252',
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  const body = Buffer.from([
    ...Buffer.from('Avoir de 30 '),
    0x80,
    ...Buffer.from(' pour la monture '),
    0x93,
    ...Buffer.from('Azur'),
    0x94,
    ...Buffer.from('.\r\n'),
  ]);
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export async function fixtureMessages(): Promise<Buffer[]> {
  const pdf = makePdf(['Facture F-2026-001', 'Montant TTC : 1 234,56 €']);
  const logo = makePng(8, 8, [200, 30, 30], 'logo');
  return [
    await compose({
      from: 'Élodie Fournier <elodie@fournisseur-verre.fr>',
      to: ['compta@opticiens-demo.fr', 'Gérard Ménard <gerard@opticiens-demo.fr>'],
      cc: 'direction@opticiens-demo.fr',
      subject: 'Facture n°2026-001 — verres progressifs, échéance reçue',
      text: 'Bonjour,\n\nVeuillez trouver ci-joint la facture n°2026-001 (1 234,56 €).\nÀ bientôt, Élodie',
      html: '<p>Bonjour,</p><p>Veuillez trouver ci-joint la <b>facture n°2026-001</b> (1 234,56 €).</p><p>À bientôt, Élodie</p>',
      date: day(5),
      messageId: '<f2026-001@fournisseur-verre.fr>',
      attachments: [{ filename: 'Facture F-2026-001.pdf', content: pdf, contentType: 'application/pdf' }],
    }),
    await compose({
      from: 'Montures Paris <billing@montures-paris.fr>',
      to: 'compta@opticiens-demo.fr',
      subject: 'Lettre d’information : nouveautés été',
      html: '<p>Découvrez nos montures <img src="cid:logo@montures"> été 2026.</p>',
      text: 'Découvrez nos montures été 2026.',
      date: day(6),
      messageId: '<newsletter@montures-paris.fr>',
      attachments: [{ filename: 'logo.png', content: logo, contentType: 'image/png', cid: 'logo@montures' }],
    }),
    await compose({
      from: 'compta@opticiens-demo.fr',
      to: ['a@x.fr', 'b@y.fr', 'Chloé <c@z.fr>'],
      subject: 'Plain ASCII only',
      text: 'Just text, no accents.',
      date: day(7),
      messageId: '<ascii@opticiens-demo.fr>',
    }),
    await compose({
      from: 'Optique Lens <compta@optique-lens.fr>',
      to: 'compta@opticiens-demo.fr',
      subject: 'Reçu — quoted-printable UTF-8 : ça coûte 15 €',
      text: 'Une ligne très longue pour forcer le découpage quoted-printable : ' + 'é'.repeat(60) + ' fin.',
      textEncoding: 'quoted-printable',
      date: day(8),
      messageId: '<qp-utf8@optique-lens.fr>',
      attachments: [{ filename: 'reçu n°12.pdf', content: makePdf(['Reçu 12']), contentType: 'application/pdf' }],
    }),
    latin1QuotedPrintable(),
    windows1252(),
  ];
}
