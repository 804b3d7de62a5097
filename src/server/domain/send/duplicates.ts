// Duplicates in the send list: two rows with the same recipients (To, Cc and Bcc, in any order and
// case), the same attachments (as written in the cell, in any order) and the same rendered subject
// would send the same invoice twice. At planning, a selected row that repeats an EARLIER row of the
// tab (whatever that row's status: a row already sent counts) is flagged "doublon de la ligne 12" /
// "duplicate of row 12" and not sent, unless the user confirmed it (all duplicates, or by row
// number). The check is pure and cheap: no Drive lookup, only the cells and the subject template.

import { defineMessages, type Locale } from '../i18n';
import { parseAddressList } from './addresses';
import { parseAttachmentRefs, type SendRow } from './send-list';
import { renderTemplate } from './template';

export interface DuplicateFlag {
  rowNumber: number;
  /** The earlier row it repeats. */
  of: number;
}

/** The user's confirmation: true for every duplicate, or the row numbers confirmed. */
export type DuplicateConfirmation = boolean | readonly number[];

const en = { duplicate: 'duplicate of row {of} (same recipients, attachments and subject): confirm to send it anyway' };
const translateDuplicates = defineMessages<keyof typeof en>({
  en,
  fr: { duplicate: 'doublon de la ligne {of} (mêmes destinataires, pièces jointes et objet) : confirmez pour l’envoyer quand même' },
});

export function describeDuplicate(flag: Pick<DuplicateFlag, 'of'>, locale: Locale): string {
  return translateDuplicates(locale, 'duplicate', { of: flag.of });
}

/** The comparison key of a row, or null when it cannot be compared (no recipient, subject not renderable). */
export function duplicateKey(row: SendRow, subjectTemplate: string): string | null {
  const recipients = ['to', 'cc', 'bcc']
    .flatMap((field) =>
      parseAddressList(row[field as 'to' | 'cc' | 'bcc']).mailboxes.map(
        (m) => `${field === 'to' ? 'to' : 'cc'}:${m.address.toLowerCase()}`,
      ),
    )
    .sort();
  if (!recipients.length) return null;
  const subject = renderTemplate(row.subject || subjectTemplate, row.fields, 'text');
  if (!subject.ok) return null;
  const attachments = parseAttachmentRefs(row.attachments)
    .map((ref) => (ref.kind === 'id' ? `id:${ref.id}` : `name:${ref.name}`))
    .sort();
  return JSON.stringify([recipients, attachments, subject.text.trim().replace(/\s+/g, ' ')]);
}

/**
 * The selected rows that repeat an earlier row of the tab. `rows` is the whole tab (every status but
 * `skipped`); `selected` the row numbers the plan would send. Confirmed rows are not flagged.
 */
export function findDuplicates(
  rows: readonly SendRow[],
  selected: ReadonlySet<number>,
  subjectTemplate: string,
  confirmed: DuplicateConfirmation = false,
): DuplicateFlag[] {
  if (confirmed === true) return [];
  const confirmedRows = new Set(Array.isArray(confirmed) ? confirmed : []);
  const firstRow = new Map<string, number>();
  const flags: DuplicateFlag[] = [];
  const ordered = [...rows].sort((a, b) => a.rowNumber - b.rowNumber);
  for (const row of ordered) {
    if (row.status === 'skipped' || row.status === null) continue;
    const key = duplicateKey(row, subjectTemplate);
    if (key === null) continue;
    const first = firstRow.get(key);
    if (first === undefined) {
      firstRow.set(key, row.rowNumber);
      continue;
    }
    if (selected.has(row.rowNumber) && !confirmedRows.has(row.rowNumber)) flags.push({ rowNumber: row.rowNumber, of: first });
  }
  return flags;
}
