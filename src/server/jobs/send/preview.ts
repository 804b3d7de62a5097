// Read-only look at one row of the Sends tab as the send would build it: the same checks and the same
// rendering as planning (checkSendRow: templates, addresses, attachments found on Drive), nothing
// written, nothing sent. The sidebar shows it before "Envoyer" (subject, recipients, text and HTML,
// attachment names), or the row's problems in the reader's words.

import { checkSendRow, describeRowProblem, type AttachmentResolution } from '../../domain/send/plan';
import { parseSendRows, type AttachmentRef, type SendRow } from '../../domain/send/send-list';
import type { Mailbox } from '../../domain/send/addresses';
import type { SendSettings } from '../../domain/send/settings';
import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import type { CellValue } from '../../ports/ledger';

/** What the preview reads: the send job's sheet and attachment adapters, its settings, the sender. */
export interface SendPreviewDeps {
  sheet: { read(): CellValue[][]; timeZoneOffsetMinutes(date: Date): number };
  attachments: { resolve(row: SendRow, refs: readonly AttachmentRef[], folder: string): AttachmentResolution };
  settings(): SendSettings;
  sender: { address: string };
}

export interface SendRowPreview {
  rowNumber: number;
  key: string;
  period: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  /** '' when the message has no text part. */
  text: string;
  /** The HTML part's source ('' when none); the sidebar shows it as text. */
  html: string;
  attachments: Array<{ name: string; size: number }>;
  /** Why the row would fail (empty when it is ready). */
  problems: string[];
}

function mailboxText(m: Mailbox): string {
  return m.name ? `${m.name} <${m.address}>` : m.address;
}

/**
 * The preview of row `rowNumber` (a sheet row number), or of the first row a plan would pick (pending
 * or failed, then queued) matching the key / period filter when no row number is given. Null when
 * no row matches.
 */
export function previewSendRowJob(
  deps: SendPreviewDeps,
  request: { rowNumber?: number | null; key?: string; period?: string },
  locale: Locale,
): SendRowPreview | null {
  const settings = deps.settings();
  const rows = parseSendRows(deps.sheet.read(), { timeZoneOffsetMinutes: (d) => deps.sheet.timeZoneOffsetMinutes(d) }).rows;
  let row: SendRow | undefined;
  if (request.rowNumber !== undefined && request.rowNumber !== null) {
    row = rows.find((candidate) => candidate.rowNumber === request.rowNumber);
    if (!row)
      throw new PostroomError(
        'NOT_FOUND',
        locale === 'fr' ? `Aucune ligne ${request.rowNumber} dans l’onglet Sends.` : `No row ${request.rowNumber} in the Sends tab.`,
      );
  } else {
    const key = (request.key ?? '').trim().toLowerCase();
    const period = (request.period ?? '').trim();
    const matching = rows.filter((r) => (!key || r.key.toLowerCase() === key) && (!period || r.period === period));
    row =
      matching.find((r) => r.status === 'pending' || r.status === 'failed') ?? matching.find((r) => r.status === 'queued') ?? matching[0];
  }
  if (!row) return null;
  const checked = checkSendRow(row, {
    settings,
    resolveAttachments: (r, refs) => deps.attachments.resolve(r, refs, settings.attachmentsFolder),
  });
  const from = mailboxText({ name: settings.senderName, address: deps.sender.address });
  if ('problems' in checked) {
    return {
      rowNumber: row.rowNumber,
      key: row.key,
      period: row.period,
      from,
      to: [],
      cc: [],
      bcc: [],
      replyTo: settings.replyTo || null,
      subject: '',
      text: '',
      html: '',
      attachments: [],
      problems: checked.problems.map((problem) => describeRowProblem(problem, locale)),
    };
  }
  const p = checked.planned;
  return {
    rowNumber: p.rowNumber,
    key: p.key,
    period: p.period,
    from,
    to: p.to.map(mailboxText),
    cc: p.cc.map(mailboxText),
    bcc: p.bcc.map(mailboxText),
    replyTo: p.replyTo ? mailboxText(p.replyTo) : null,
    subject: p.subject,
    text: p.text,
    html: p.html,
    attachments: p.attachments.map((a) => ({ name: a.name, size: a.size })),
    problems: [],
  };
}
