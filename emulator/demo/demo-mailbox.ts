// The demo mailbox of compta@opticiens-demo.fr, a French opticians' accounting team: 26 messages
// with invoices and receipts (PDF / PNG / JPEG) from whitelisted suppliers (factures@fournisseur-verre.fr,
// *@optique-lens.fr) and unknown senders, built from code (no stored bytes). It deliberately holds
// every case the collect job must handle: nested MIME with an inline signature image (Content-ID), a
// forwarded message (message/rfc822) carrying a PDF, the same PDF sent twice, a 0-byte file, a ".pdf"
// that is not a PDF, a declared type that lies, a Drive-link-only email, a calendar invite, RFC 2231 and
// RFC 2047 encoded file names with accents, a reply thread, and Authentication-Results that pass or
// fail (one forged whitelisted From).

import { makeJpeg, makePdf, makePng } from './binary-files';
import { attachment, htmlPart, textPart, writeMessage, type MessageHeaders, type MimeNode } from './mime-writer';

export const DEMO_USER = 'compta@opticiens-demo.fr';
export const DEMO_WHITELIST = ['factures@fournisseur-verre.fr', '@optique-lens.fr'];

export interface DemoMessage {
  /** File name of the .eml (sortable: 01-…). */
  name: string;
  bytes: Buffer;
  /** What the message is there to exercise (for humans and tests). */
  purpose: string;
}

const AUTH_HOST = 'mx.google.com';

function authPass(domain: string): string {
  return `${AUTH_HOST};\r\n       dkim=pass header.i=@${domain} header.s=mail header.b=AbCdEf12;\r\n       spf=pass (google.com: domain of factures@${domain} designates 192.0.2.10 as permitted sender) smtp.mailfrom=${domain};\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=${domain}`;
}

function authFail(domain: string): string {
  return `${AUTH_HOST};\r\n       dkim=fail header.i=@${domain};\r\n       spf=fail (google.com: domain of ${domain} does not designate 203.0.113.66 as permitted sender) smtp.mailfrom=${domain};\r\n       dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=${domain}`;
}

function authNone(domain: string): string {
  return `${AUTH_HOST};\r\n       spf=neutral (google.com: 198.51.100.7 is neither permitted nor denied by best guess record for domain of ${domain}) smtp.mailfrom=${domain}`;
}

/** A supplier invoice PDF. */
export function invoicePdf(supplier: string, number: string, amount: string, date: string): Buffer {
  return makePdf(
    [
      `${supplier}`,
      `Facture n° ${number}`,
      `Date : ${date}`,
      `Client : Opticiens Démo SARL`,
      `Montant TTC : ${amount} €`,
      'Paiement à 30 jours fin de mois.',
    ],
    `Facture ${number}`,
  );
}

const at = (iso: string) => new Date(iso);

const SIGNATURE_PNG = makePng(48, 16, [20, 90, 160], 'Signature Fournisseur Verre');
const FV_0012 = invoicePdf('Fournisseur Verre SAS', 'FV-2026-0012', '1 248,00', '05/01/2026');
const FV_0013 = invoicePdf('Fournisseur Verre SAS', 'FV-2026-0013', '386,40', '07/01/2026');

interface Spec {
  purpose: string;
  headers: MessageHeaders;
  root: MimeNode;
}

function specs(): Spec[] {
  const user = DEMO_USER;
  const list: Spec[] = [];
  const add = (purpose: string, headers: Omit<MessageHeaders, 'to'> & { to?: string }, root: MimeNode) =>
    list.push({ purpose, headers: { to: user, ...headers }, root });

  add(
    'whitelisted invoice, PDF, SPF/DKIM pass',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Facture FV-2026-0012',
      date: at('2026-01-05T08:12:00Z'),
      messageId: 'fv-2026-0012@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Bonjour,\n\nVeuillez trouver ci-joint notre facture FV-2026-0012.\n\nCordialement,\nService facturation'),
        attachment('application/pdf', 'FV-2026-0012.pdf', FV_0012),
      ],
    },
  );
  add(
    'nested MIME: mixed > related > alternative (text + html) + inline signature PNG (Content-ID), and a PDF',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Facture FV-2026-0013',
      date: at('2026-01-07T09:30:00Z'),
      messageId: 'fv-2026-0013@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        {
          kind: 'multi',
          subtype: 'related',
          parts: [
            {
              kind: 'multi',
              subtype: 'alternative',
              parts: [
                textPart('Bonjour,\n\nNotre facture FV-2026-0013 est jointe.\n\n-- \nFournisseur Verre SAS'),
                htmlPart(
                  '<p>Bonjour,</p><p>Notre facture <b>FV-2026-0013</b> est jointe.</p><p>--<br><img src="cid:signature-fv@fournisseur-verre.fr" alt="Fournisseur Verre"></p>',
                ),
              ],
            },
            {
              kind: 'leaf',
              contentType: 'image/png',
              body: SIGNATURE_PNG,
              filename: 'signature.png',
              disposition: 'inline',
              contentId: 'signature-fv@fournisseur-verre.fr',
            },
          ],
        },
        attachment('application/pdf', 'FV-2026-0013.pdf', FV_0013),
      ],
    },
  );
  add(
    'reply in the FV-2026-0013 thread, no attachment',
    {
      from: 'Opticiens Démo Compta <compta@opticiens-demo.fr>',
      to: 'factures@fournisseur-verre.fr',
      subject: 'Re: Facture FV-2026-0013',
      date: at('2026-01-07T14:02:00Z'),
      messageId: 'reply-fv-0013@opticiens-demo.fr',
      inReplyTo: 'fv-2026-0013@fournisseur-verre.fr',
      references: '<fv-2026-0013@fournisseur-verre.fr>',
    },
    textPart('Bien reçu, merci. Règlement prévu le 31/01.'),
  );
  add(
    'duplicate: the same FV-2026-0012 PDF bytes sent again in a reminder',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Rappel : Facture FV-2026-0012',
      date: at('2026-01-12T07:45:00Z'),
      messageId: 'fv-2026-0012-rappel@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Rappel : la facture FV-2026-0012 ci-jointe arrive à échéance.'),
        attachment('application/pdf', 'FV-2026-0012.pdf', FV_0012),
      ],
    },
  );
  add(
    'forged whitelisted From: SPF and DKIM fail (to quarantine)',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'URGENT facture impayée',
      date: at('2026-01-13T03:11:00Z'),
      messageId: '8f3a1c.urgent@mailer.example.net',
      authenticationResults: authFail('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Merci de régler immédiatement la facture ci-jointe sur le nouveau RIB.'),
        attachment('application/pdf', 'facture-urgente.pdf', invoicePdf('Fournisseur Verre SAS', 'FV-9999', '9 870,00', '13/01/2026')),
      ],
    },
  );
  add(
    'optique-lens receipt as PNG',
    {
      from: 'Optique Lens <contact@optique-lens.fr>',
      subject: 'Votre reçu de paiement',
      date: at('2026-01-06T10:00:00Z'),
      messageId: 'recu-5521@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Merci pour votre paiement. Reçu en pièce jointe.'),
        attachment('image/png', 'recu-5521.png', makePng(120, 60, [250, 250, 240], 'Recu 5521 Optique Lens')),
      ],
    },
  );
  add(
    'optique-lens scanned receipt as JPEG',
    {
      from: 'Optique Lens Comptabilité <compta@optique-lens.fr>',
      subject: 'Ticket de caisse 2026-01-08',
      date: at('2026-01-08T16:20:00Z'),
      messageId: 'ticket-20260108@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Ticket scanné ci-joint.'),
        attachment('image/jpeg', 'ticket-2026-01-08.jpg', makeJpeg(64, 96, 'Ticket de caisse Optique Lens 2026-01-08')),
      ],
    },
  );
  add(
    'RFC 2231 file name with accents',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Reçu décembre',
      date: at('2025-12-30T11:00:00Z'),
      messageId: 'recu-decembre@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Votre reçu du mois de décembre.'),
        attachment(
          'application/pdf',
          'reçu décembre 2025.pdf',
          invoicePdf('Optique Lens', 'OL-2025-1287', '452,10', '30/12/2025'),
          'rfc2231',
        ),
      ],
    },
  );
  add(
    'RFC 2047 encoded file name and subject with accents',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Facture été – régularisation',
      date: at('2026-01-09T08:05:00Z'),
      messageId: 'facture-ete@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Régularisation de la facture d’été.'),
        attachment('application/pdf', 'Facture été 2025.pdf', invoicePdf('Optique Lens', 'OL-2025-0713', '78,00', '09/01/2026'), 'rfc2047'),
      ],
    },
  );
  add(
    'forwarded message (message/rfc822) containing a PDF, from a colleague',
    {
      from: 'Marie Dupont <marie.dupont@opticiens-demo.fr>',
      subject: 'Fwd: Facture Optique Lens OL-2026-0042',
      date: at('2026-01-10T09:12:00Z'),
      messageId: 'fwd-ol-0042@opticiens-demo.fr',
      authenticationResults: authPass('opticiens-demo.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Pour la compta, voir la facture transférée.\nMarie'),
        {
          kind: 'message',
          filename: 'Facture Optique Lens.eml',
          message: writeMessage(
            {
              from: 'Optique Lens <factures@optique-lens.fr>',
              to: 'marie.dupont@opticiens-demo.fr',
              subject: 'Facture OL-2026-0042',
              date: at('2026-01-09T17:40:00Z'),
              messageId: 'ol-2026-0042@optique-lens.fr',
            },
            {
              kind: 'multi',
              subtype: 'mixed',
              parts: [
                textPart('Veuillez trouver la facture OL-2026-0042.'),
                attachment('application/pdf', 'OL-2026-0042.pdf', invoicePdf('Optique Lens', 'OL-2026-0042', '1 020,00', '09/01/2026')),
              ],
            },
            'fwd-inner',
          ),
        },
      ],
    },
  );
  add(
    'a 0-byte attachment',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Relevé de compte janvier',
      date: at('2026-01-11T06:30:00Z'),
      messageId: 'releve-janvier@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [textPart('Relevé joint.'), attachment('application/pdf', 'releve-janvier.pdf', Buffer.alloc(0))],
    },
  );
  add(
    'a corrupt file: ".pdf" holding HTML, not a PDF',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Facture FV-2026-0456',
      date: at('2026-01-12T12:00:00Z'),
      messageId: 'fv-2026-0456@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Facture jointe.'),
        attachment(
          'application/pdf',
          'FV-2026-0456.pdf',
          Buffer.from('<html><body>Erreur 500 : document indisponible</body></html>\n', 'utf8'),
        ),
      ],
    },
  );
  add(
    'a declared type that lies: PDF bytes sent as application/octet-stream',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Facture OL-2026-0051',
      date: at('2026-01-13T10:10:00Z'),
      messageId: 'ol-2026-0051@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Facture OL-2026-0051.'),
        attachment('application/octet-stream', 'OL-2026-0051.pdf', invoicePdf('Optique Lens', 'OL-2026-0051', '233,33', '13/01/2026')),
      ],
    },
  );
  add(
    'a PNG named .jpg and declared image/jpeg',
    {
      from: 'Optique Lens <contact@optique-lens.fr>',
      subject: 'Photo du ticket',
      date: at('2026-01-13T15:55:00Z'),
      messageId: 'photo-ticket@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [textPart('Photo du ticket.'), attachment('image/jpeg', 'ticket-photo.jpg', makePng(40, 80, [230, 230, 230], 'Ticket photo'))],
    },
  );
  add(
    'several attachments in one message (2 PDFs and a PNG)',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Factures de décembre (3 documents)',
      date: at('2026-01-02T09:00:00Z'),
      messageId: 'fv-decembre-lot@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Ci-joint les factures de décembre et le bon de livraison.'),
        attachment('application/pdf', 'FV-2025-0981.pdf', invoicePdf('Fournisseur Verre SAS', 'FV-2025-0981', '640,00', '15/12/2025')),
        attachment('application/pdf', 'FV-2025-0994.pdf', invoicePdf('Fournisseur Verre SAS', 'FV-2025-0994', '95,50', '22/12/2025')),
        attachment('image/png', 'bon-livraison-1204.png', makePng(90, 120, [255, 255, 255], 'Bon de livraison 1204')),
      ],
    },
  );
  add(
    'Drive link only, no attachment',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Votre facture est disponible',
      date: at('2026-01-14T08:00:00Z'),
      messageId: 'lien-drive-0060@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'alternative',
      parts: [
        textPart(
          'Votre facture OL-2026-0060 est disponible :\nhttps://drive.google.com/file/d/1DemoOnlyNotARealFileId0060/view?usp=sharing',
        ),
        htmlPart(
          '<p>Votre facture OL-2026-0060 est disponible : <a href="https://drive.google.com/file/d/1DemoOnlyNotARealFileId0060/view?usp=sharing">ouvrir dans Drive</a></p>',
        ),
      ],
    },
  );
  add(
    'a calendar invite (text/calendar + invite.ics) from an unknown sender',
    {
      from: 'Cabinet Expertise <rdv@cabinet-expertise.fr>',
      subject: 'Invitation : Clôture comptable 2025 @ jeu. 22 janv. 2026 10:00',
      date: at('2026-01-08T13:00:00Z'),
      messageId: 'invite-cloture@cabinet-expertise.fr',
      authenticationResults: authNone('cabinet-expertise.fr'),
    },
    (() => {
      const ics = [
        'BEGIN:VCALENDAR',
        'PRODID:-//Postroom demo//FR',
        'VERSION:2.0',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:cloture-2025@cabinet-expertise.fr',
        'DTSTAMP:20260108T130000Z',
        'DTSTART:20260122T090000Z',
        'DTEND:20260122T103000Z',
        'SUMMARY:Clôture comptable 2025',
        `ORGANIZER:mailto:rdv@cabinet-expertise.fr`,
        `ATTENDEE;RSVP=TRUE:mailto:${DEMO_USER}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      return {
        kind: 'multi' as const,
        subtype: 'mixed' as const,
        parts: [
          {
            kind: 'multi' as const,
            subtype: 'alternative' as const,
            parts: [
              textPart('Vous êtes invité(e) : Clôture comptable 2025, jeudi 22 janvier 2026 10:00.'),
              {
                kind: 'leaf' as const,
                contentType: 'text/calendar; charset="UTF-8"',
                typeParams: { method: 'REQUEST' },
                body: Buffer.from(ics, 'utf8'),
                encoding: '7bit' as const,
              },
            ],
          },
          attachment('application/ics', 'invite.ics', Buffer.from(ics, 'utf8')),
        ],
      };
    })(),
  );
  add(
    'unknown sender with a PDF catalogue, SPF fail',
    {
      from: 'Promo Lunettes <promo@promo-lunettes.biz>',
      subject: 'Catalogue 2026 -50% !!!',
      date: at('2026-01-04T22:10:00Z'),
      messageId: 'cat-2026@promo-lunettes.biz',
      authenticationResults: authFail('promo-lunettes.biz'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Découvrez notre catalogue.'),
        attachment('application/pdf', 'catalogue-2026.pdf', makePdf(['Promo Lunettes', 'Catalogue 2026', '-50% sur toutes les montures'])),
      ],
    },
  );
  add(
    'unknown sender with an invoice (not whitelisted), auth pass',
    {
      from: 'Transports Rapides <facturation@transports-rapides.fr>',
      subject: 'Facture TR-88812 livraison',
      date: at('2026-01-09T12:30:00Z'),
      messageId: 'tr-88812@transports-rapides.fr',
      authenticationResults: authPass('transports-rapides.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Facture de transport jointe.'),
        attachment('application/pdf', 'TR-88812.pdf', invoicePdf('Transports Rapides', 'TR-88812', '54,00', '09/01/2026')),
      ],
    },
  );
  add(
    'newsletter without attachment',
    {
      from: 'Actu Optique <newsletter@actu-optique.fr>',
      subject: 'Les tendances montures 2026',
      date: at('2026-01-03T07:00:00Z'),
      messageId: 'nl-2026-01@actu-optique.fr',
      authenticationResults: authPass('actu-optique.fr'),
    },
    htmlPart('<h1>Tendances 2026</h1><p>Les montures en acétate reviennent.</p>'),
  );
  add(
    'older whitelisted invoice (November) for date filters',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Facture FV-2025-0877',
      date: at('2025-11-20T09:00:00Z'),
      messageId: 'fv-2025-0877@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Facture de novembre.'),
        attachment('application/pdf', 'FV-2025-0877.pdf', invoicePdf('Fournisseur Verre SAS', 'FV-2025-0877', '310,00', '20/11/2025')),
      ],
    },
  );
  add(
    'whitelisted invoice with a Cc and an uppercase extension',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      cc: 'direction@opticiens-demo.fr',
      subject: 'Facture OL-2026-0033',
      date: at('2026-01-05T15:00:00Z'),
      messageId: 'ol-2026-0033@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Facture OL-2026-0033.'),
        attachment('application/pdf', 'OL-2026-0033.PDF', invoicePdf('Optique Lens', 'OL-2026-0033', '1 499,90', '05/01/2026')),
      ],
    },
  );
  add(
    'same file name as another invoice but different bytes',
    {
      from: 'Optique Lens <factures@optique-lens.fr>',
      subject: 'Facture corrigée OL-2026-0033',
      date: at('2026-01-06T09:00:00Z'),
      messageId: 'ol-2026-0033-v2@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Version corrigée (montant rectifié).'),
        attachment('application/pdf', 'OL-2026-0033.PDF', invoicePdf('Optique Lens', 'OL-2026-0033', '1 459,90', '06/01/2026')),
      ],
    },
  );
  add(
    'a file name with characters Drive and Windows dislike',
    {
      from: 'Fournisseur Verre <factures@fournisseur-verre.fr>',
      subject: 'Avoir AV-2026/003',
      date: at('2026-01-14T10:45:00Z'),
      messageId: 'av-2026-003@fournisseur-verre.fr',
      authenticationResults: authPass('fournisseur-verre.fr'),
    },
    {
      kind: 'multi',
      subtype: 'mixed',
      parts: [
        textPart('Avoir sur la facture FV-2026-0012.'),
        attachment(
          'application/pdf',
          'Avoir AV:2026/003 <final>.pdf',
          invoicePdf('Fournisseur Verre SAS', 'AV-2026-003', '-120,00', '14/01/2026'),
        ),
      ],
    },
  );
  add(
    'a single-part message whose whole body is a PDF',
    {
      from: 'Optique Lens <noreply@optique-lens.fr>',
      subject: 'Document OL-2026-0070',
      date: at('2026-01-14T18:00:00Z'),
      messageId: 'ol-2026-0070@optique-lens.fr',
      authenticationResults: authPass('optique-lens.fr'),
    },
    attachment('application/pdf', 'OL-2026-0070.pdf', invoicePdf('Optique Lens', 'OL-2026-0070', '12,00', '14/01/2026')),
  );
  add(
    'a personal message to the team, no attachment',
    {
      from: 'Jean Martin <jean.martin@opticiens-demo.fr>',
      subject: 'Pot de départ vendredi',
      date: at('2026-01-14T11:20:00Z'),
      messageId: 'pot-depart@opticiens-demo.fr',
      authenticationResults: authPass('opticiens-demo.fr'),
    },
    textPart('Bonjour à tous, pot de départ vendredi à 17 h. Jean'),
  );
  return list;
}

/** The demo messages, oldest first by list order; deterministic bytes. */
export function generateDemoMailbox(): DemoMessage[] {
  return specs().map((spec, index) => {
    const number = String(index + 1).padStart(2, '0');
    const slug = spec.headers.messageId
      .split('@')[0]
      .replace(/[^a-z0-9]+/gi, '-')
      .slice(0, 40);
    return { name: `${number}-${slug}.eml`, bytes: writeMessage(spec.headers, spec.root, `m${number}`), purpose: spec.purpose };
  });
}
