// One execution's view of the running send (the `SendContext`): deps, settings, the table, the job
// record and progress as loaded, and how results are counted and saved. Opening a context reconciles
// the progress with the sheet (the sheet is the truth for counts).

import type { Locale } from '../../domain/i18n';
import { isCounted, markCounted, sendIndexOf, type SendJobState } from '../../domain/send/job-state';
import { recordFailed, recordSent, viewProgress, type SendProgress, type SendProgressView } from '../../domain/send/progress';
import { formatSheetTime, type SendRow } from '../../domain/send/send-list';
import type { SendSettings } from '../../domain/send/settings';
import type { SendDeps } from './deps';
import { attachmentNames, isFinalState, recipientsOf } from './rows';
import { SendTableModel } from './table';

export interface SendContext {
  deps: SendDeps;
  settings: SendSettings;
  table: SendTableModel;
  job: SendJobState;
  progress: SendProgress;
  locale: Locale;
  startedAt: number;
  /**
   * When the tab was read: a look in SENT asked ahead with that read (SendLookahead) was answered after
   * this instant, so it may conclude the rows in doubt that had settled by then, and no others.
   */
  readAt: number;
  /** Job counters as stored when the context opened, and the gateway's usage then. */
  base: { calls: number; units: number; usageCalls: number; usageUnits: number };
}

/**
 * The user's locale, or how to find it once the state is loaded (a continuing execution takes the one
 * the user's properties keep, read with the state: no call of its own).
 */
export type LocaleSource = Locale | (() => Locale);

/** The context of the stored send, reconciled with the sheet; null when no send is stored. */
export function openContext(
  deps: SendDeps,
  localeSource: LocaleSource,
  read?: SendTableModel,
  beforeRead?: (job: SendJobState, progress: SendProgress) => SendJobState,
): SendContext | null {
  const loaded = deps.state.load();
  if (!loaded.job || !loaded.progress) return null;
  const progress = loaded.progress;
  const job = beforeRead ? beforeRead(loaded.job, progress) : loaded.job;
  const locale = typeof localeSource === 'function' ? localeSource() : localeSource;
  const settings = deps.settings();
  // The tab as this execution already read it (a start that just planned), or read now, with the reads
  // the first step will likely want (one call).
  const readAt = deps.clock.now();
  // A run that ended has nothing left in the tab: not read (an execution that only owes its JobRuns
  // row spends its few calls on that).
  const ended = isFinalState(progress);
  if (!read && !ended) deps.lookahead?.begin({ sentListing: progress.state === 'running' });
  const table = read ?? (ended ? SendTableModel.unread(deps.sheet) : new SendTableModel(deps.sheet, locale));
  const usage = deps.mail.usage();
  const s: SendContext = {
    deps,
    settings,
    table,
    job: { ...job, executions: job.executions + 1 },
    progress,
    locale,
    startedAt: deps.clock.now(),
    readAt,
    base: { calls: job.gmailCalls, units: job.gmailUnits, usageCalls: usage.calls, usageUnits: usage.units },
  };
  if (!ended) reconcile(s);
  return s;
}

/** Gmail calls and units of the run so far (stored counters plus this execution's). */
export function runUsage(s: SendContext): { calls: number; units: number } {
  const usage = s.deps.mail.usage();
  return { calls: s.base.calls + usage.calls - s.base.usageCalls, units: s.base.units + usage.units - s.base.usageUnits };
}

/** Records in the progress every final row of the run whose result is not there yet (sheet order). */
function reconcile(s: SendContext): void {
  const runRows = s.table.ofRun(s.job.runId);
  let sent = 0;
  let failed = 0;
  const missing: Array<{ row: SendRow; n: number }> = [];
  for (const row of runRows) {
    if (row.status !== 'sent' && row.status !== 'failed') continue;
    if (row.status === 'sent') sent++;
    else failed++;
    const n = sendIndexOf(row.sendId, s.job.runId);
    if (n !== null && !isCounted(s.job, n)) missing.push({ row, n });
  }
  const missingSent = missing.filter((m) => m.row.status === 'sent').length;
  let p: SendProgress = {
    ...s.progress,
    sent: Math.max(0, sent - missingSent),
    failed: Math.max(0, failed - (missing.length - missingSent)),
  };
  for (const { row } of missing) {
    p =
      row.status === 'sent'
        ? recordSent(p, { key: row.key, files: attachmentNames(row), recipients: recipientsOf(row) }, s.deps.clock.now())
        : recordFailed(p, { key: row.key, files: attachmentNames(row), error: row.error }, s.deps.clock.now());
  }
  s.progress = p;
  s.job = markCounted(
    s.job,
    missing.map((m) => m.n),
  );
}

export function markSent(s: SendContext, row: SendRow, ids: { id: string; threadId: string; at: number }): void {
  s.table.set(row, {
    status: 'sent',
    messageId: ids.id,
    threadId: ids.threadId,
    sentAt: formatSheetTime(ids.at),
    error: '',
    nextAttemptAt: '',
  });
  countResult(s, row);
}

export function markFailed(s: SendContext, row: SendRow, error: string): void {
  s.table.set(row, { status: 'failed', error, nextAttemptAt: '' });
  countResult(s, row);
}

function countResult(s: SendContext, row: SendRow): void {
  const n = sendIndexOf(row.sendId, s.job.runId);
  if (n === null) return;
  if (isCounted(s.job, n)) {
    // Its event is in the progress already, but the sheet had lost its result (the progress is saved
    // after each burst, the sheet with each group): reconcile counted from the sheet, so count it again.
    s.progress = row.status === 'sent' ? { ...s.progress, sent: s.progress.sent + 1 } : { ...s.progress, failed: s.progress.failed + 1 };
    return;
  }
  const now = s.deps.clock.now();
  s.progress =
    row.status === 'sent'
      ? recordSent(s.progress, { key: row.key, files: attachmentNames(row), recipients: recipientsOf(row) }, now)
      : recordFailed(s.progress, { key: row.key, files: attachmentNames(row), error: row.error }, now);
  s.job = markCounted(s.job, [n]);
}

/** The job state (with the run's usage) and the progress, in one properties write. */
export function saveAll(s: SendContext): void {
  const usage = runUsage(s);
  s.job = { ...s.job, gmailCalls: usage.calls, gmailUnits: usage.units };
  s.deps.state.save(s.job, s.progress);
}

/** Writes the sheet (flushed), then the job state and progress. */
export function checkpoint(s: SendContext): void {
  s.table.commit(true);
  saveAll(s);
}

export function viewOf(deps: SendDeps, progress: SendProgress | null, locale: Locale): SendProgressView | null {
  return progress ? viewProgress(progress, locale, { now: deps.clock.now() }) : null;
}
