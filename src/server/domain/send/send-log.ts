// The lasting send log: every event of a send (not only the last 20 the progress keeps), one JSON object
// per line in `Postroom/logs/send-YYYY-MM-DD.jsonl` (the day of the event in the script's time zone),
// read back by getSendLog(runId) for History. Records are data (a kind and its numbers, addresses and
// ids), rendered at read time in the reader's language with the seed's own lines:
//   start     "Début de l'envoi de 500 emails"
//   progress  "Progression : 50/500 emails envoyés (12.5 emails/s, temps restant estimé : 36 s)"
//   sent      "Email envoyé (ID : 18d2abc123def456) à client@example.com"
//   end       "Envoi terminé : 498 succès, 2 erreurs sur 500 emails (temps total : 42.3 s, moyenne : 11.8 emails/s)"
// Untrusted strings (addresses, Gmail's error words) are JSON values only, so no line can be forged.
// A record has a stable `id` (run, kind, row, attempt): an execution killed after writing its lines and
// before saving its state writes some of them again, and the reader keeps one of each.

import { defineMessages, type Locale } from '../i18n';

export type SendLogLevel = 'info' | 'success' | 'error';

export type SendLogRecord =
  | { kind: 'start'; total: number }
  | { kind: 'scheduled'; runAt: number; label: string }
  | { kind: 'progress'; done: number; total: number; ratePerSec: number; etaMs: number | null }
  | { kind: 'sent'; row: number; gmailId: string; recipients: string[]; key: string }
  | { kind: 'failed'; row: number; key: string; error: string }
  | { kind: 'retry'; row: number; key: string; error: string; delayMs: number }
  | { kind: 'bounced'; row: number; key: string; recipient: string; reason: string }
  | { kind: 'duplicate'; row: number; of: number }
  | { kind: 'paused'; reason: string }
  | { kind: 'resumed' }
  | { kind: 'cancelled'; sent: number; remaining: number }
  | { kind: 'end'; sent: number; failed: number; total: number; totalMs: number; ratePerSec: number }
  | { kind: 'test'; row: number; gmailId: string; to: string };

export type SendLogEntry = SendLogRecord & { id: string; runId: string; at: number; level: SendLogLevel };

export interface SendLogLine {
  at: number;
  level: SendLogLevel;
  text: string;
}

const en = {
  start: 'Starting to send {total} emails',
  scheduled: '{label}',
  progress: 'Progress: {done}/{total} emails sent ({rate} emails/s, estimated time left: {eta})',
  progressNoEta: 'Progress: {done}/{total} emails sent ({rate} emails/s)',
  sent: 'Email sent (ID: {gmailId}) to {recipients}',
  failed: 'Email of row {row} ({key}) NOT sent: {error}',
  retry: 'Email {key} will be retried in {seconds} s ({error})',
  bounced: 'Email of row {row} ({key}) bounced: {recipient} — {reason}',
  duplicate: 'Row {row} not sent: duplicate of row {of}',
  paused: 'Send paused: {reason}',
  resumed: 'Send resumed',
  cancelled: 'Send cancelled: {sent} sent, {remaining} not sent',
  end: 'Send finished: {sent} succeeded, {failed} error(s) out of {total} emails (total time: {time}, average: {rate} emails/s)',
  test: 'Test of row {row} sent (ID: {gmailId}) to {to}',
};

const translateLog = defineMessages<keyof typeof en>({
  en,
  fr: {
    start: 'Début de l’envoi de {total} emails',
    scheduled: '{label}',
    progress: 'Progression : {done}/{total} emails envoyés ({rate} emails/s, temps restant estimé : {eta})',
    progressNoEta: 'Progression : {done}/{total} emails envoyés ({rate} emails/s)',
    sent: 'Email envoyé (ID : {gmailId}) à {recipients}',
    failed: 'Email de la ligne {row} ({key}) NON envoyé : {error}',
    retry: 'Email {key} : nouvel essai dans {seconds} s ({error})',
    bounced: 'Email de la ligne {row} ({key}) revenu en erreur : {recipient} — {reason}',
    duplicate: 'Ligne {row} non envoyée : doublon de la ligne {of}',
    paused: 'Envoi en pause : {reason}',
    resumed: 'Envoi repris',
    cancelled: 'Envoi annulé : {sent} envoyé(s), {remaining} non envoyé(s)',
    end: 'Envoi terminé : {sent} succès, {failed} erreur(s) sur {total} emails (temps total : {time}, moyenne : {rate} emails/s)',
    test: 'Test de la ligne {row} envoyé (ID : {gmailId}) à {to}',
  },
});

const LEVELS: Record<SendLogRecord['kind'], SendLogLevel> = {
  start: 'info',
  scheduled: 'info',
  progress: 'info',
  sent: 'success',
  failed: 'error',
  retry: 'info',
  bounced: 'error',
  duplicate: 'error',
  paused: 'info',
  resumed: 'info',
  cancelled: 'info',
  end: 'success',
  test: 'success',
};

const MAX_TEXT = 500;

function clip(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** The record's stable identity within its run (see the top comment). */
function recordId(record: SendLogRecord, at: number): string {
  switch (record.kind) {
    case 'sent':
    case 'failed':
    case 'duplicate':
      return `${record.kind}:${record.row}`;
    case 'bounced':
      return `bounced:${record.row}:${record.recipient}`;
    case 'retry':
      return `retry:${record.key}:${at}`;
    case 'test':
      return `test:${record.gmailId}`;
    case 'progress':
      return `progress:${record.done}`;
    case 'start':
    case 'end':
    case 'cancelled':
      return record.kind;
    default:
      return `${record.kind}:${at}`;
  }
}

/** A record stamped for the file: its run, time, level and id; strings clipped to 500 characters. */
export function makeLogEntry(runId: string, at: number, record: SendLogRecord): SendLogEntry {
  const clipped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    clipped[name] = typeof value === 'string' ? clip(value) : Array.isArray(value) ? value.slice(0, 5).map((v) => clip(String(v))) : value;
  }
  return { ...(clipped as SendLogRecord), id: recordId(record, at), runId, at, level: LEVELS[record.kind] };
}

/** The log file of a day ("2026-03-29" → "send-2026-03-29.jsonl"). */
export function sendLogFileName(day: string): string {
  return `send-${day}.jsonl`;
}

/** Entries as JSON Lines (each ends with "\n"). */
export function toJsonl(entries: readonly SendLogEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/** The entries of one run from JSON Lines text: unreadable lines skipped, repeated ids kept once, in time order. */
export function readRunEntries(text: string, runId: string): SendLogEntry[] {
  const seen = new Set<string>();
  const entries: SendLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a line cut by a killed write: the rest of the file still reads
    }
    const entry = value as Partial<SendLogEntry>;
    if (!entry || entry.runId !== runId || typeof entry.at !== 'number' || typeof entry.kind !== 'string' || typeof entry.id !== 'string')
      continue;
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    entries.push(entry as SendLogEntry);
  }
  return entries.sort((a, b) => a.at - b.at);
}

/** "42.3 s", "3 min 05 s", "1 h 02 min". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms / 1000);
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function formatRate(perSec: number, locale: Locale): string {
  const text = (Math.round(perSec * 10) / 10).toFixed(1);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

/** One entry in words, in the reader's language. */
export function renderLogEntry(entry: SendLogEntry, locale: Locale): SendLogLine {
  const t = (key: keyof typeof en, params: Record<string, string | number>) => translateLog(locale, key, params);
  const elapsed = (ms: number) => (locale === 'fr' ? formatElapsed(ms).replace('.', ',') : formatElapsed(ms));
  let text: string;
  switch (entry.kind) {
    case 'start':
      text = t('start', { total: entry.total });
      break;
    case 'scheduled':
      text = t('scheduled', { label: entry.label });
      break;
    case 'progress':
      text =
        entry.etaMs === null
          ? t('progressNoEta', { done: entry.done, total: entry.total, rate: formatRate(entry.ratePerSec, locale) })
          : t('progress', { done: entry.done, total: entry.total, rate: formatRate(entry.ratePerSec, locale), eta: elapsed(entry.etaMs) });
      break;
    case 'sent':
      text = t('sent', { gmailId: entry.gmailId, recipients: entry.recipients.join(', ') });
      break;
    case 'failed':
      text = t('failed', { row: entry.row, key: entry.key, error: entry.error });
      break;
    case 'retry':
      text = t('retry', { row: entry.row, key: entry.key, error: entry.error, seconds: Math.ceil(entry.delayMs / 1000) });
      break;
    case 'bounced':
      text = t('bounced', { row: entry.row, key: entry.key, recipient: entry.recipient, reason: entry.reason });
      break;
    case 'duplicate':
      text = t('duplicate', { row: entry.row, of: entry.of });
      break;
    case 'paused':
      text = t('paused', { reason: entry.reason });
      break;
    case 'resumed':
      text = t('resumed', {});
      break;
    case 'cancelled':
      text = t('cancelled', { sent: entry.sent, remaining: entry.remaining });
      break;
    case 'end':
      text = t('end', {
        sent: entry.sent,
        failed: entry.failed,
        total: entry.total,
        time: elapsed(entry.totalMs),
        rate: formatRate(entry.ratePerSec, locale),
      });
      break;
    case 'test':
      text = t('test', { row: entry.row, gmailId: entry.gmailId, to: entry.to });
      break;
  }
  return { at: entry.at, level: entry.level, text };
}

/**
 * Whether a progress line is due after `done` of `total` (previously `before`): every tenth of the
 * send, and at least every 50 emails, as the seed's "Progression : 50/500".
 */
export function progressDue(before: number, done: number, total: number): boolean {
  if (done <= before || done >= total) return false;
  const step = Math.max(1, Math.min(50, Math.ceil(total / 10)));
  return Math.floor(done / step) > Math.floor(before / step);
}

/** The progress record at `done` of `total`, from the send's start time. */
export function progressRecord(done: number, total: number, startedAt: number, now: number): SendLogRecord {
  const seconds = Math.max(0.001, (now - startedAt) / 1000);
  const ratePerSec = done / seconds;
  return { kind: 'progress', done, total, ratePerSec, etaMs: ratePerSec > 0 ? Math.round(((total - done) / ratePerSec) * 1000) : null };
}

/** The end record: total time from the start and the average rate. */
export function endRecord(counts: { sent: number; failed: number; total: number }, startedAt: number, now: number): SendLogRecord {
  const totalMs = Math.max(0, now - startedAt);
  return { kind: 'end', ...counts, totalMs, ratePerSec: totalMs > 0 ? (counts.sent * 1000) / totalMs : 0 };
}
