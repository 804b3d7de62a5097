// Planning a send, before anything leaves: select the rows (pending and failed ones, filtered by key
// and period `YYYY-MM`), then validate every selected row completely, so that a bad row fails
// with a clear reason and never reaches Gmail: addresses, ≤ 100 recipients, every placeholder filled,
// no CR/LF in any header value, attachments found, and the message within Gmail's size limit.
//
// Size: Gmail's 25 MB limit applies to the message as sent, and attachments travel base64-encoded
// (4/3, plus CRLF every 76 characters: ×1.368), so 25 MB of PDFs do NOT fit. The plan checks an upper
// bound of the encoded message (estimateMessageSize) against 25,000,000 bytes, i.e. about 18 MB of
// files. (The Gmail API's own upload limit for messages.send is 35 MB; the 25 MB product limit is the
// stricter one, and it is what recipients' servers commonly accept.)
// https://developers.google.com/apps-script/guides/services/quotas (attachments per message)
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send (35 MB upload)

import { localizedError, type Translator } from '../errors';
import type { Locale, Params } from '../i18n';
import { countRecipients, hasLineBreak, MAX_RECIPIENTS_PER_MESSAGE, parseAddressList, parseMailbox, type Mailbox } from './addresses';
import { utf8Length, type ByteSource } from '../encoding';
import { translateSend, type SendMessageKey } from './messages';
import { translateSendJob, type SendJobMessageKey } from './job-messages';
import { estimateMessageSize, type MessageInput } from './mime';
import { parseAttachmentRefs, parsePeriod, type AttachmentRef, type SendRow, type SendStatus } from './send-list';
import type { SendSettings } from './settings';
import { renderTemplate, type TemplateProblem } from './template';
import { findDuplicates } from './duplicates';

/** Upper bound of an encoded message, in bytes (Gmail: 25 MB per message). */
export const MAX_MESSAGE_BYTES = 25_000_000;

export interface SendFilter {
  /** Only rows with this key (CCT), case-insensitive. */
  key?: string;
  /** Only rows of this period (YYYY-MM; "2025-1" and "01/2025" accepted). */
  period?: string;
  /** At most this many ready rows in the plan (the rest are `deferred`). */
  max?: number;
  /**
   * Duplicates (same recipients, attachments and rendered subject as an earlier row) the user
   * confirmed: all of them (true) or these sheet row numbers. Unconfirmed duplicates fail at planning.
   */
  confirmDuplicates?: boolean | number[];
}

export interface ResolvedAttachment {
  /** Drive file id. */
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  mimeType: string;
}

export interface AttachmentResolution {
  found: ResolvedAttachment[];
  /** The references (as written) that matched no file. */
  missing: string[];
  /** Other problems of the references (a pattern matching no file or several). */
  problems?: RowProblem[];
}

export interface PlanContext {
  settings: SendSettings;
  /**
   * Finds the row's files on Drive (ids directly, names in settings.attachmentsFolder). Called only
   * for rows that list attachments, with the references already parsed.
   */
  resolveAttachments(row: SendRow, refs: readonly AttachmentRef[]): AttachmentResolution;
  /** The whole tab, when `rows` is a piece of it: duplicates are looked for among all its rows. */
  duplicateScope?: readonly SendRow[];
}

export type RowProblemCode =
  | 'missingKey'
  | 'invalidPeriod'
  | 'noRecipient'
  | 'invalidAddress'
  | 'tooManyRecipients'
  | 'lineBreak'
  | 'unknownPlaceholder'
  | 'emptyPlaceholder'
  | 'emptySubject'
  | 'emptyBody'
  | 'attachmentMissing'
  | 'tooLarge'
  | 'unknownStatus'
  | 'patternNoMatch'
  | 'patternSeveral'
  | 'patternPlaceholder'
  | 'duplicate';

/** Why a row cannot be sent, as data; describeRowProblem renders it in a locale. */
export interface RowProblem {
  code: RowProblemCode;
  params: Params;
}

/** A row that passed every check, with everything the message builder needs except file bytes. */
export interface PlannedSend {
  rowNumber: number;
  key: string;
  period: string;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo: Mailbox | null;
  subject: string;
  /** '' when the message has no text part. */
  text: string;
  /** '' when the message has no HTML part. */
  html: string;
  attachments: ResolvedAttachment[];
  recipientCount: number;
  /** Upper bound of the encoded message, in bytes. */
  estimatedSize: number;
  /** Attempts already made (a failed row being retried). */
  attempts: number;
  previousStatus: SendStatus;
}

export interface RejectedRow {
  rowNumber: number;
  key: string;
  period: string;
  problems: RowProblem[];
}

export interface SendPlan {
  filter: { key: string; period: string; max: number | null };
  /** Rows to send, in sheet order (at most filter.max). */
  ready: PlannedSend[];
  /** Selected rows that fail a check: the job marks them `failed` with the reasons. */
  invalid: RejectedRow[];
  /** Matching rows never selected because their status cell is not a known status. */
  ignored: RejectedRow[];
  counts: {
    /** Data rows in the tab. */
    rows: number;
    /** Rows matching the key and period filters, whatever their status. */
    matching: number;
    /** Matching rows in status pending or failed. */
    selected: number;
    ready: number;
    invalid: number;
    /** Valid rows left out by `max`. */
    deferred: number;
    /** Matching rows by status ('unknown' for unrecognised status cells). */
    byStatus: Record<SendStatus | 'unknown', number>;
    /** Ready rows failed as duplicates of an earlier row (among `invalid`). */
    duplicates: number;
  };
}

/** One problem in words, in the reader's locale. */
export function describeRowProblem(problem: RowProblem, locale: Locale): string {
  const params: Params = { ...problem.params };
  if (typeof params.where === 'string') params.where = translateSend(locale, `where.${params.where}` as SendMessageKey);
  // The reason is said again from the cell's text, in the reader's language (stored English otherwise).
  if (problem.code === 'invalidAddress' && typeof params.input === 'string') {
    const again = parseMailbox(params.input, locale);
    if ('problem' in again) params.detail = again.problem;
  }
  if (problem.code === 'invalidPeriod' && typeof params.input === 'string' && params.input !== '') {
    params.detail = parsePeriod(params.input, { locale }).problem ?? params.detail;
  }
  return translateSend(locale, `reason.${problem.code}` as SendMessageKey, params);
}

/** All problems of a row joined for its `error` cell. */
export function describeRowProblems(problems: readonly RowProblem[], locale: Locale): string {
  return problems.map((problem) => describeRowProblem(problem, locale)).join(' ; ');
}

/** A translator of the filter's period refusal: the problem itself is said in each language. */
function periodRefusal(text: string): Translator<SendJobMessageKey> {
  return (locale, key, params = {}) => translateSendJob(locale, key, { ...params, problem: parsePeriod(text, { locale }).problem ?? '' });
}

/** The filter checked and trimmed; a bad period or max is refused in both languages (localizedError). */
export function normaliseFilter(filter: SendFilter): SendPlan['filter'] {
  const key = (filter.key ?? '').trim();
  let period = '';
  if (filter.period !== undefined && filter.period.trim() !== '') {
    const text = filter.period.trim();
    const parsed = parsePeriod(text);
    if (parsed.problem) throw localizedError('INVALID_INPUT', periodRefusal(text), 'filter.period');
    period = parsed.period;
  }
  let max: number | null = null;
  if (filter.max !== undefined && filter.max !== null) {
    if (!Number.isInteger(filter.max) || filter.max < 1)
      throw localizedError('INVALID_INPUT', translateSendJob, 'filter.max', { got: String(filter.max) });
    max = filter.max;
  }
  return { key, period, max };
}

function templateProblems(problems: readonly TemplateProblem[], where: string): RowProblem[] {
  return problems.map((p) => ({
    code: p.kind === 'unknown' ? 'unknownPlaceholder' : 'emptyPlaceholder',
    params: { name: p.placeholder, where },
  }));
}

function addressField(field: 'to' | 'cc' | 'bcc', cell: string, problems: RowProblem[]): Mailbox[] {
  if (hasLineBreak(cell)) {
    problems.push({ code: 'lineBreak', params: { field } });
    return [];
  }
  const parsed = parseAddressList(cell);
  for (const p of parsed.problems) problems.push({ code: 'invalidAddress', params: { field, input: p.input, detail: p.reason } });
  return parsed.mailboxes;
}

/** Validates one row; returns the planned send or its problems. */
export function checkSendRow(row: SendRow, context: PlanContext): { planned: PlannedSend } | { problems: RowProblem[] } {
  const { settings } = context;
  const problems: RowProblem[] = [];
  if (!row.key) problems.push({ code: 'missingKey', params: {} });
  else if (hasLineBreak(row.key)) problems.push({ code: 'lineBreak', params: { field: 'key' } });
  if (row.periodProblem) problems.push({ code: 'invalidPeriod', params: { detail: row.periodProblem, input: row.fields.period ?? '' } });

  const before = problems.length;
  const to = addressField('to', row.to, problems);
  if (!to.length && problems.length === before) problems.push({ code: 'noRecipient', params: {} });
  const cc = addressField('cc', row.cc, problems);
  const bcc = addressField('bcc', row.bcc, problems);
  const recipientCount = countRecipients(to, cc, bcc);
  if (recipientCount > MAX_RECIPIENTS_PER_MESSAGE) {
    problems.push({ code: 'tooManyRecipients', params: { count: recipientCount, max: MAX_RECIPIENTS_PER_MESSAGE } });
  }
  let replyTo: Mailbox | null = null;
  if (settings.replyTo) {
    const parsed = parseMailbox(settings.replyTo);
    if ('mailbox' in parsed) replyTo = parsed.mailbox;
    else problems.push({ code: 'invalidAddress', params: { field: 'replyTo', input: settings.replyTo, detail: parsed.problem } });
  }

  const subjectSource = row.subject || settings.subjectTemplate;
  const subject = renderTemplate(subjectSource, row.fields, 'text');
  problems.push(...templateProblems(subject.problems, 'subject'));
  if (subject.ok && hasLineBreak(subject.text)) problems.push({ code: 'lineBreak', params: { field: 'subject' } });
  if (subject.ok && !subject.text.trim()) problems.push({ code: 'emptySubject', params: {} });

  let text = '';
  let html = '';
  if (row.body) {
    const body = renderTemplate(row.body, row.fields, 'text');
    problems.push(...templateProblems(body.problems, 'body'));
    text = body.text;
  } else {
    if (settings.textTemplate.trim()) {
      const rendered = renderTemplate(settings.textTemplate, row.fields, 'text');
      problems.push(...templateProblems(rendered.problems, 'text'));
      text = rendered.text;
    }
    if (settings.htmlTemplate.trim()) {
      const rendered = renderTemplate(settings.htmlTemplate, row.fields, 'html');
      problems.push(...templateProblems(rendered.problems, 'html'));
      html = rendered.text;
    }
  }
  if (!text.trim() && !html.trim()) problems.push({ code: 'emptyBody', params: {} });

  let attachments: ResolvedAttachment[] = [];
  const refs = parseAttachmentRefs(row.attachments);
  if (refs.length) {
    const resolution = context.resolveAttachments(row, refs);
    for (const name of resolution.missing) problems.push({ code: 'attachmentMissing', params: { name } });
    problems.push(...(resolution.problems ?? []));
    attachments = resolution.found;
    for (const file of attachments) {
      if (hasLineBreak(file.name))
        problems.push({ code: 'lineBreak', params: { field: `attachment name "${file.name.replace(/[\r\n]+/g, ' ')}"` } });
    }
  }

  const mailboxBytes = (list: readonly Mailbox[]) => list.reduce((sum, m) => sum + utf8Length(m.name) + m.address.length + 4, 0);
  const estimatedSize = estimateMessageSize({
    headerBytes:
      utf8Length(subject.text) +
      utf8Length(settings.senderName) +
      mailboxBytes(to) +
      mailboxBytes(cc) +
      mailboxBytes(bcc) +
      mailboxBytes(replyTo ? [replyTo] : []) +
      200,
    textBytes: utf8Length(text),
    htmlBytes: utf8Length(html),
    attachments: attachments.map((a) => ({ name: a.name, size: a.size })),
  });
  if (estimatedSize > MAX_MESSAGE_BYTES) {
    problems.push({ code: 'tooLarge', params: { size: (estimatedSize / 1_000_000).toFixed(1), max: MAX_MESSAGE_BYTES / 1_000_000 } });
  }

  if (problems.length) return { problems };
  return {
    planned: {
      rowNumber: row.rowNumber,
      key: row.key,
      period: row.period,
      to,
      cc,
      bcc,
      replyTo,
      subject: subject.text,
      text,
      html,
      attachments,
      recipientCount,
      estimatedSize,
      attempts: row.attempts,
      previousStatus: row.status ?? 'pending',
    },
  };
}

/**
 * Plans a send over the parsed rows: filters by key and period, selects pending and failed rows,
 * validates each of them, and caps the ready rows at `max`. Pure: the only outside call is
 * context.resolveAttachments. Throws PostroomError('INVALID_INPUT') on a malformed filter.
 */
export function planSend(rows: readonly SendRow[], filter: SendFilter, context: PlanContext): SendPlan {
  const normalised = normaliseFilter(filter);
  const byStatus: SendPlan['counts']['byStatus'] = {
    pending: 0,
    queued: 0,
    sending: 0,
    drafted: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    bounced: 0,
    unknown: 0,
  };
  const ready: PlannedSend[] = [];
  const invalid: RejectedRow[] = [];
  const ignored: RejectedRow[] = [];
  let matching = 0;
  let selected = 0;
  let deferred = 0;
  for (const row of rows) {
    if (normalised.key && row.key.toLowerCase() !== normalised.key.toLowerCase()) continue;
    if (normalised.period && row.period !== normalised.period) continue;
    matching++;
    if (row.status === null) {
      byStatus.unknown++;
      ignored.push({
        rowNumber: row.rowNumber,
        key: row.key,
        period: row.period,
        problems: [{ code: 'unknownStatus', params: { status: row.statusText } }],
      });
      continue;
    }
    byStatus[row.status]++;
    if (row.status !== 'pending' && row.status !== 'failed') continue;
    selected++;
    const checked = checkSendRow(row, context);
    if ('problems' in checked) {
      invalid.push({ rowNumber: row.rowNumber, key: row.key, period: row.period, problems: checked.problems });
    } else if (normalised.max !== null && ready.length >= normalised.max) {
      deferred++;
    } else {
      ready.push(checked.planned);
    }
  }
  // Rows repeating an earlier row of the tab fail, unless the user confirmed them.
  const duplicates = findDuplicates(
    context.duplicateScope ?? rows,
    new Set(ready.map((p) => p.rowNumber)),
    context.settings.subjectTemplate,
    filter.confirmDuplicates ?? false,
  );
  for (const flag of duplicates) {
    const index = ready.findIndex((p) => p.rowNumber === flag.rowNumber);
    const [planned] = ready.splice(index, 1);
    invalid.push({
      rowNumber: planned.rowNumber,
      key: planned.key,
      period: planned.period,
      problems: [{ code: 'duplicate', params: { of: flag.of } }],
    });
  }
  invalid.sort((a, b) => a.rowNumber - b.rowNumber);
  return {
    filter: normalised,
    ready,
    invalid,
    ignored,
    counts: {
      rows: rows.length,
      matching,
      selected,
      ready: ready.length,
      invalid: invalid.length,
      deferred,
      byStatus,
      duplicates: duplicates.length,
    },
  };
}

/**
 * The builder's input for a planned row, once the job has the sender, the Message-ID it recorded and
 * the files' bytes (`bytesOf(id)`, e.g. Drive blob bytes, signed or not).
 */
export function toMessageInput(
  planned: PlannedSend,
  sender: { name: string; address: string },
  messageId: string,
  date: number,
  bytesOf: (attachment: ResolvedAttachment) => ByteSource,
  extraHeaders?: Readonly<Record<string, string>>,
): MessageInput {
  return {
    from: sender,
    to: planned.to,
    cc: planned.cc,
    bcc: planned.bcc,
    replyTo: planned.replyTo,
    subject: planned.subject,
    text: planned.text || undefined,
    html: planned.html || undefined,
    attachments: planned.attachments.map((a) => ({ filename: a.name, mimeType: a.mimeType, bytes: bytesOf(a) })),
    messageId,
    date,
    extraHeaders,
  };
}
