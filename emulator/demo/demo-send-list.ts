// The demo send list: the invoices Opticiens Démo SARL sends its own customers for January 2026,
// as a CSV (key, period, to, cc, attachments, plus name and amount for the template) with the PDFs it
// names, all generated. Twelve rows; two are invalid on purpose: row "C-1008" has a malformed address
// and row "C-1011" names a PDF that does not exist.

import { makePdf } from './binary-files';

export interface DemoSendRow {
  key: string;
  period: string;
  to: string;
  cc: string;
  /** File names separated by ";" (resolved in the send-list folder). */
  attachments: string;
  name: string;
  amount: string;
}

export const DEMO_SEND_COLUMNS = ['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount'] as const;

const CUSTOMERS: Array<[string, string, string, string]> = [
  ['C-1001', 'Clinique Saint-Luc', 'achats@clinique-saint-luc.fr', '1 240,00'],
  ['C-1002', 'Mutuelle Horizon', 'factures@mutuelle-horizon.fr', '860,50'],
  ['C-1003', 'Lycée Jean Moulin', 'intendance@lycee-jean-moulin.fr', '312,00'],
  ['C-1004', 'Ehpad Les Tilleuls', 'direction@ehpad-tilleuls.fr', '2 045,75'],
  ['C-1005', 'Cabinet Ophtalmo Lyon', 'secretariat@ophtalmo-lyon.fr', '98,00'],
  ['C-1006', 'Mairie de Villeurbanne', 'comptabilite@mairie-villeurbanne.fr', '4 300,00'],
  ['C-1007', 'Association Vue pour Tous', 'tresorier@vuepourtous.org', '150,00'],
  ['C-1008', 'Garage Martin', 'garage.martin@@exemple', '75,20'],
  ['C-1009', 'Pharmacie du Centre', 'pharmacie.centre@exemple.fr', '430,10'],
  ['C-1010', 'Entreprise Bâtisseurs', 'compta@batisseurs-sa.fr', '1 980,00'],
  ['C-1011', 'Crèche Les Lutins', 'contact@creche-lutins.fr', '64,00'],
  ['C-1012', 'Théâtre des Célestins', 'admin@theatre-celestins.fr', '720,00'],
];

export const DEMO_PERIOD = '2026-01';

/** The rows, in order. */
export function demoSendRows(): DemoSendRow[] {
  return CUSTOMERS.map(([key, name, to, amount], index) => {
    const invoice = `F-${DEMO_PERIOD}-${key}.pdf`;
    let attachments = invoice;
    if (key === 'C-1004') attachments = `${invoice};CGV-2026.pdf`;
    if (key === 'C-1011') attachments = `F-${DEMO_PERIOD}-${key}-MANQUANT.pdf`;
    return {
      key,
      period: DEMO_PERIOD,
      to,
      cc: index % 4 === 1 ? 'direction@opticiens-demo.fr' : '',
      attachments,
      name,
      amount,
    };
  });
}

function csvField(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 CSV (comma-separated, CRLF), UTF-8. */
export function demoSendCsv(): string {
  const lines = [DEMO_SEND_COLUMNS.join(',')];
  for (const row of demoSendRows()) lines.push(DEMO_SEND_COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The PDFs the list refers to (not the missing one), by file name. */
export function demoSendFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const row of demoSendRows()) {
    if (row.key === 'C-1011') continue;
    const invoice = `F-${DEMO_PERIOD}-${row.key}.pdf`;
    files.set(
      invoice,
      makePdf([
        'Opticiens Démo SARL',
        `Facture ${DEMO_PERIOD}-${row.key}`,
        `Client : ${row.name}`,
        `Période : janvier 2026`,
        `Montant TTC : ${row.amount} €`,
      ]),
    );
  }
  files.set('CGV-2026.pdf', makePdf(['Opticiens Démo SARL', 'Conditions générales de vente 2026']));
  return files;
}
