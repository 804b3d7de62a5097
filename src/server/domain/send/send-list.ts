// The `Sends` tab: one row per invoice email. This module knows its columns, reads the output of
// Range.getValues() (cells are string, number, boolean, Date or '') into typed rows, and formats the
// values the job writes back. Columns are matched by normalised header (case, spaces, hyphens and
// accents ignored: "Sent At", "sent-at" and "SENT_AT" are one column), so users may reorder columns
// and add their own; every column is also a template placeholder.
// https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()
//
// Columns the user fills:
//   key          the invoice's key (the seeds' CCT; a "cct" header is read as key too)
//   period       (or "période") YYYY-MM (a Date cell becomes YYYY-MM; "2025-1", "01/2025", "2025-01-31" are accepted)
//   to, cc, bcc  addresses separated by "," or ";" (display names allowed)
//   attachments  Drive file ids, Drive URLs, or file names in the attachments folder; "," ";" or newline
//   subject      optional: replaces settings.subjectTemplate for this row (placeholders allowed)
//   body         optional: replaces the text and HTML templates; the row is sent as plain text
// Columns Postroom writes:
//   status       pending ('' reads as pending) | queued | sending | drafted | sent | failed | skipped
//                (queued: selected by a planned or running send; sending: the send call may have gone
//                out, so the row is IN DOUBT until the job has checked the Sent mailbox)
//   attempts     number of send attempts made
//   sent_at      when Gmail accepted the message (ISO 8601 UTC text)
//   message_id   Gmail message id; thread_id: Gmail thread id
//   error        the last error, in words, when status is failed (or the reason of a retry)
// Internal columns for exactly-once sending (written by the job before the send call, so that a
// resumed execution can tell "sent" from "not sent" after being killed between two calls):
//   rfc822_message_id  the Message-ID header built into the message (makeMessageId)
//   draft_id           the Gmail draft id when the job uses drafts.create + drafts.send
//   attempt_at         when the current attempt started (ISO 8601 UTC); with status `sending`,
//                      a row whose attempt_at is older than an execution's life must be checked in
//                      Sent before any new attempt
//   next_attempt_at    earliest time of the next retry (ISO 8601 UTC), '' when none is scheduled
//   run_id             the send job (run) that selected the row
//   send_id            "<run_id>/<n>": written into the message as X-Postroom-Send-Id, so the job can
//                      find the Sent copy of an attempt whose answer it never saw

import { PostroomError } from '../errors';
import type { Locale } from '../i18n';
import { sendJobMessage } from './job-messages';

// bounced: sent, then a delivery-failure notice came back for one of its recipients (the error column
// holds the recipient and the server's reason); never selected again by a plan.
export const SEND_STATUSES = ['pending', 'queued', 'sending', 'drafted', 'sent', 'failed', 'skipped', 'bounced'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

/** The tab's name. */
export const SEND_SHEET_NAME = 'Sends';

/** Columns the job writes; a user-made tab missing some gets them appended (see planHeaderRow). */
export const SEND_WRITTEN_COLUMNS = [
  'status',
  'attempts',
  'sent_at',
  'message_id',
  'thread_id',
  'error',
  'rfc822_message_id',
  'draft_id',
  'attempt_at',
  'next_attempt_at',
  'run_id',
  'send_id',
] as const;

/** The columns of a new `Sends` tab, in order: what the user fills, then what the job writes. */
export const SEND_HEADERS = ['key', 'period', 'to', 'cc', 'bcc', 'attachments', 'subject', 'body', ...SEND_WRITTEN_COLUMNS] as const;
export type SendColumn = (typeof SEND_HEADERS)[number];

/** Columns written as plain text (number format "@") because their content comes from users or Gmail. */
export const SEND_TEXT_COLUMNS = [
  'key',
  'period',
  'to',
  'cc',
  'bcc',
  'attachments',
  'subject',
  'body',
  'error',
  'message_id',
  'thread_id',
  'rfc822_message_id',
  'draft_id',
  'sent_at',
  'attempt_at',
  'next_attempt_at',
  'run_id',
  'send_id',
] as const satisfies readonly SendColumn[];

/** Other header spellings read as a Postroom column. */
const HEADER_ALIASES: Readonly<Record<string, SendColumn>> = { cct: 'key', periode: 'period' };

/**
 * A header or placeholder name as a comparable key: lowercase, accents removed, runs of spaces,
 * hyphens and dots become "_", ends trimmed. "Sent At" → "sent_at", "Période" → "periode".
 */
export function normalizeColumnName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s\-.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A send-list row, typed. Every cell is also in `fields` (normalised header → text) for templates. */
export interface SendRow {
  /** 1-based row number in the sheet (the header is row 1). */
  rowNumber: number;
  key: string;
  /** YYYY-MM, or '' when the cell is empty or not a period (see periodProblem). */
  period: string;
  /** Set when the period cell holds something that is not a month. */
  periodProblem: string | null;
  to: string;
  cc: string;
  bcc: string;
  attachments: string;
  subject: string;
  body: string;
  /** null when the status cell holds a word Postroom does not know (the row is never selected). */
  status: SendStatus | null;
  /** The status cell as written. */
  statusText: string;
  attempts: number;
  sentAt: string;
  messageId: string;
  threadId: string;
  error: string;
  rfc822MessageId: string;
  draftId: string;
  attemptAt: string;
  nextAttemptAt: string;
  runId: string;
  sendId: string;
  /** Every column by normalised header, as text (Dates as YYYY-MM-DD, `period` as YYYY-MM). */
  fields: Record<string, string>;
}

export interface ParseSendRowsOptions {
  /** The language of the errors about the tab itself (default English). */
  locale?: Locale;
  /**
   * The spreadsheet time zone's offset from UTC, in minutes, at a given instant (Paris in winter: 60).
   * getValues() returns a date cell as the instant of its local midnight in the spreadsheet's time
   * zone; the adapter can answer with Utilities.formatDate(date, tz, 'Z'). Without it, a Date is
   * rounded to the nearest UTC midnight, which is right for every zone within ±12 h of UTC.
   */
  timeZoneOffsetMinutes?: (date: Date) => number;
}

export interface SendTable {
  /** Headers as written in the sheet. */
  headers: string[];
  /** Normalised column name (aliases resolved) → 0-based column index. */
  columns: Record<string, number>;
  rows: SendRow[];
}

/** The calendar date of a Date cell in the sheet's zone, as [year, month 1-12, day]. */
function calendarDate(date: Date, options: ParseSendRowsOptions): [number, number, number] {
  const ms = options.timeZoneOffsetMinutes
    ? date.getTime() + options.timeZoneOffsetMinutes(date) * 60_000
    : Math.round(date.getTime() / 86_400_000) * 86_400_000;
  const local = new Date(ms);
  return [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A cell as text: numbers keep their digits (123 → "123", no "123.0"), Dates become YYYY-MM-DD. */
export function cellText(value: unknown, options: ParseSendRowsOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const [y, m, d] = calendarDate(value, options);
    return `${y}-${pad2(m)}-${pad2(d)}`;
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

/**
 * A period cell as YYYY-MM. Accepts a Date, "2025-01", "2025-1", "2025/01", "01/2025", "1-2025" and
 * "2025-01-31" (any day). Returns { period: '' } for an empty cell and a problem (in options.locale, else English) for anything else.
 */
export function parsePeriod(value: unknown, options: ParseSendRowsOptions = {}): { period: string; problem: string | null } {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { period: '', problem: sendJobMessage(options.locale ?? 'en', 'period.invalidDate') };
    const [y, m] = calendarDate(value, options);
    return { period: `${y}-${pad2(m)}`, problem: null };
  }
  const text = cellText(value, options);
  if (!text) return { period: '', problem: null };
  let match = /^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?$/.exec(text);
  let year: number;
  let month: number;
  if (match) {
    year = Number(match[1]);
    month = Number(match[2]);
  } else {
    match = /^(\d{1,2})[-/.](\d{4})$/.exec(text);
    if (!match) return { period: '', problem: sendJobMessage(options.locale ?? 'en', 'period.notAPeriod', { text }) };
    year = Number(match[2]);
    month = Number(match[1]);
  }
  if (month < 1 || month > 12) return { period: '', problem: sendJobMessage(options.locale ?? 'en', 'period.noMonth', { text, month }) };
  return { period: `${year}-${pad2(month)}`, problem: null };
}

/** A status cell: '' is pending; unknown words give null (case and spaces ignored). */
export function parseStatus(value: unknown): SendStatus | null {
  const text = cellText(value).toLowerCase();
  if (text === '') return 'pending';
  return (SEND_STATUSES as readonly string[]).includes(text) ? (text as SendStatus) : null;
}

/** Maps headers to column indexes; throws on a duplicate column or a missing `to` column. */
export function indexSendHeaders(headerRow: readonly unknown[], locale: Locale = 'en'): Record<string, number> {
  const columns: Record<string, number> = {};
  headerRow.forEach((cell, index) => {
    const raw = normalizeColumnName(cellText(cell));
    if (!raw) return;
    const name = HEADER_ALIASES[raw] ?? raw;
    if (name in columns) {
      throw new PostroomError(
        'INVALID_INPUT',
        sendJobMessage(locale, 'tab.twoColumns', { tab: SEND_SHEET_NAME, name, a: columns[name] + 1, b: index + 1 }),
      );
    }
    columns[name] = index;
  });
  if (!('to' in columns)) throw new PostroomError('INVALID_INPUT', sendJobMessage(locale, 'tab.noTo', { tab: SEND_SHEET_NAME }));
  return columns;
}

/** The header row to write: the existing headers plus any missing SEND_HEADERS appended in order. */
export function planHeaderRow(existing: readonly unknown[]): { headers: string[]; added: string[] } {
  const headers = existing.map((cell) => cellText(cell));
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  const present = new Set(headers.map((h) => HEADER_ALIASES[normalizeColumnName(h)] ?? normalizeColumnName(h)));
  const added = SEND_HEADERS.filter((h) => !present.has(h));
  return { headers: [...headers, ...added], added };
}

/**
 * Reads getValues() output (first row = headers) into rows. Blank rows are dropped; row numbers stay
 * those of the sheet. Throws PostroomError('INVALID_INPUT') when the header row is unusable.
 */
export function parseSendRows(values: readonly (readonly unknown[])[], options: ParseSendRowsOptions = {}): SendTable {
  if (!values.length)
    throw new PostroomError('INVALID_INPUT', sendJobMessage(options.locale ?? 'en', 'tab.empty', { tab: SEND_SHEET_NAME }));
  const headers = values[0].map((cell) => cellText(cell));
  const columns = indexSendHeaders(values[0], options.locale);
  // Header names are normalised once, and each cell read as text once (a tab may hold 100,000 rows).
  const names = headers.map((header) => {
    const name = normalizeColumnName(header);
    return name ? { name, canonical: HEADER_ALIASES[name] ?? name } : null;
  });
  const rows: SendRow[] = [];
  for (let r = 1; r < values.length; r++) {
    const cells = values[r];
    const texts = headers.map((_, index) => cellText(cells[index], options));
    if (texts.every((text) => text === '') && cells.every((cell) => cellText(cell) === '')) continue;
    const get = (column: string) => (column in columns ? (texts[columns[column]] ?? '') : '');
    const periodCell = 'period' in columns ? cells[columns.period] : '';
    const { period, problem } = parsePeriod(periodCell, options);
    // Every column under its own name and, for an aliased one, under the canonical name too; the
    // period column holds the normalised YYYY-MM when it is one.
    const fields: Record<string, string> = {};
    names.forEach((entry, index) => {
      if (!entry) return;
      const value = entry.canonical === 'period' && period ? period : texts[index];
      fields[entry.name] = value;
      fields[entry.canonical] = value;
    });
    const statusText = get('status');
    const attempts = Number(get('attempts') || 0);
    rows.push({
      rowNumber: r + 1,
      key: get('key'),
      period,
      periodProblem: problem,
      to: get('to'),
      cc: get('cc'),
      bcc: get('bcc'),
      attachments: get('attachments'),
      subject: get('subject'),
      body: get('body'),
      status: parseStatus(statusText),
      statusText,
      attempts: Number.isFinite(attempts) && attempts >= 0 ? Math.floor(attempts) : 0,
      sentAt: get('sent_at'),
      messageId: get('message_id'),
      threadId: get('thread_id'),
      error: get('error'),
      rfc822MessageId: get('rfc822_message_id'),
      draftId: get('draft_id'),
      attemptAt: get('attempt_at'),
      nextAttemptAt: get('next_attempt_at'),
      runId: get('run_id'),
      sendId: get('send_id'),
      fields,
    });
  }
  return { headers, columns, rows };
}

/** One reference in the attachments cell: a Drive file id (from an id or a URL) or a file name. */
export type AttachmentRef = { kind: 'id'; id: string; raw: string } | { kind: 'name'; name: string; raw: string };

/** A bare token that looks like a Drive file id: 25+ URL-safe characters and no dot. */
const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;

/**
 * Parses the attachments cell. Items are separated by ",", ";" or a newline (so a file name cannot
 * contain those). Drive URLs (https://drive.google.com/file/d/<id>/view, …/open?id=<id>,
 * docs.google.com/…/d/<id>) and bare ids give `id`; anything else is a file name to find in the
 * attachments folder. A resolver that finds no file by id may still try the token as a name.
 */
export function parseAttachmentRefs(cell: string): AttachmentRef[] {
  const refs: AttachmentRef[] = [];
  for (const item of cell.split(/[,;\r\n]+/)) {
    const raw = item.trim();
    if (!raw) continue;
    const path = /^https?:\/\/(?:drive|docs)\.google\.com\/.*?\/d\/([A-Za-z0-9_-]+)/.exec(raw);
    const query = /^https?:\/\/(?:drive|docs)\.google\.com\/.*[?&]id=([A-Za-z0-9_-]+)/.exec(raw);
    if (path) refs.push({ kind: 'id', id: path[1], raw });
    else if (query) refs.push({ kind: 'id', id: query[1], raw });
    else if (DRIVE_ID.test(raw)) refs.push({ kind: 'id', id: raw, raw });
    else refs.push({ kind: 'name', name: raw, raw });
  }
  return refs;
}

/**
 * Text safe to write into a Sheets cell from untrusted content (a Gmail error, a file name): a value
 * that Sheets would read as a formula (=, +, -, @ first) gets a leading apostrophe, and it is capped
 * at Sheets' 50,000 characters per cell. https://support.google.com/docs/answer/37603
 */
export function toSheetText(value: string): string {
  const capped = value.length > 50_000 ? value.slice(0, 49_999) + '…' : value;
  return /^[=+\-@]/.test(capped) ? `'${capped}` : capped;
}

/** An instant as the ISO 8601 UTC text written in sent_at / attempt_at / next_attempt_at. */
export function formatSheetTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * A time cell back to epoch ms: ISO text, a Date (if the sheet converted the text) or epoch ms.
 * Returns null for '' and for anything unreadable.
 */
export function parseSheetTime(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !value.trim()) return null;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
