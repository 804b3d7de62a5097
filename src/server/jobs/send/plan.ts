// Planning a run: the selected rows are validated (attachments checked on Drive for a while, the rest
// checked again before each send); invalid ones are failed with their reasons (never sent), valid
// ones queued with run_id / send_id. The caller writes the table and saves the job state.

import type { Locale } from '../../domain/i18n';
import { createJobState, makeRunId, makeSendId, markCounted, type SendJobState } from '../../domain/send/job-state';
import { describeRowProblems, planSend, type AttachmentResolution, type PlannedSend, type SendFilter, type SendPlan } from '../../domain/send/plan';
import { createProgress, recordFailed, type SendProgress, type SendProgressView } from '../../domain/send/progress';
import type { SendRow } from '../../domain/send/send-list';
import type { SendSettings } from '../../domain/send/settings';
import { viewOf } from './context';
import { PLAN_ATTACHMENT_BUDGET_MS } from './constants';
import type { SendDeps } from './deps';
import { attachmentNames } from './rows';
import type { SendTableModel } from './table';

export interface PlanResult {
  runId: string;
  counts: SendPlan['counts'];
  /** Rows that will be sent (sheet row numbers). */
  ready: Array<{ rowNumber: number; key: string; period: string; recipients: number; attachments: string[] }>;
  /** Rows failed at planning, with the reasons in the reader's locale. */
  invalid: Array<{ rowNumber: number; key: string; period: string; reason: string }>;
  ignored: Array<{ rowNumber: number; key: string; reason: string }>;
  /** Rows whose attachments were not checked for lack of time (they are checked before sending). */
  uncheckedAttachments: number;
  progress: SendProgressView;
}

/** A resolver that checks attachments on Drive until `deadline`, then defers the rest to send time. */
function budgetedResolver(deps: SendDeps, settings: SendSettings, deadline: number, unchecked: { n: number }) {
  return (row: SendRow, refs: Parameters<SendDeps['attachments']['resolve']>[1]): AttachmentResolution => {
    if (deps.clock.now() >= deadline) {
      unchecked.n++;
      return { found: [], missing: [] };
    }
    return deps.attachments.resolve(row, refs, settings.attachmentsFolder);
  };
}

/** Plans `filter` into the table (in memory): a new run id, its job state and its progress. */
export function planInto(deps: SendDeps, locale: Locale, filter: SendFilter, table: SendTableModel, settings: SendSettings): { plan: SendPlan; job: SendJobState; progress: SendProgress } {
  const now = deps.clock.now();
  // No send is active while planning, so a `queued` row belongs to no live run (a plan whose state
  // was never saved: killed between the sheet write and the properties write): it is pending again.
  for (const row of table.rows) {
    if (row.status === 'queued') {
      row.status = 'pending';
      row.statusText = 'pending';
    }
  }
  const unchecked = { n: 0 };
  const plan = planSend(table.rows, filter, { settings, resolveAttachments: budgetedResolver(deps, settings, now + PLAN_ATTACHMENT_BUDGET_MS, unchecked) });
  const runId = makeRunId(now, deps.random);
  const byRow = new Map(table.rows.map((row) => [row.rowNumber, row]));
  const invalidRows = new Set(plan.invalid.map((r) => r.rowNumber));
  const selected = [...plan.ready.map((r) => r.rowNumber), ...plan.invalid.map((r) => r.rowNumber)].sort((a, b) => a - b);
  let progress = createProgress(runId, selected.length, now);
  let job = createJobState(runId, plan.filter, selected.length, now);
  job.uncheckedAttachments = unchecked.n;
  const problems = new Map(plan.invalid.map((r) => [r.rowNumber, r.problems]));
  const counted: number[] = [];
  selected.forEach((rowNumber, index) => {
    const row = byRow.get(rowNumber) as SendRow;
    const sendId = makeSendId(runId, index + 1);
    if (invalidRows.has(rowNumber)) {
      const reason = describeRowProblems(problems.get(rowNumber) ?? [], locale);
      table.set(row, { status: 'failed', error: reason, runId, sendId, attemptAt: '', nextAttemptAt: '' });
      progress = recordFailed(progress, { key: row.key, files: attachmentNames(row), error: reason }, now);
      counted.push(index + 1);
    } else {
      table.set(row, { status: 'queued', error: '', runId, sendId, attemptAt: '', nextAttemptAt: '', rfc822MessageId: '' });
    }
  });
  job = markCounted(job, counted);
  return { plan, job, progress };
}

/** Rows a planned (not started) run had queued go back to pending. */
export function releasePlanned(table: SendTableModel, job: SendJobState): void {
  for (const row of table.ofRun(job.runId)) {
    if (row.status === 'queued') table.set(row, { status: 'pending', runId: '', sendId: '' });
  }
}

export function toPlanResult(deps: SendDeps, plan: SendPlan, job: SendJobState, progress: SendProgress, locale: Locale, table: SendTableModel): PlanResult {
  const byRow = new Map(table.rows.map((row) => [row.rowNumber, row]));
  return {
    runId: job.runId,
    counts: plan.counts,
    ready: plan.ready.map((p: PlannedSend) => ({ rowNumber: p.rowNumber, key: p.key, period: p.period, recipients: p.recipientCount, attachments: attachmentNames(byRow.get(p.rowNumber) as SendRow) })),
    invalid: plan.invalid.map((r) => ({ rowNumber: r.rowNumber, key: r.key, period: r.period, reason: describeRowProblems(r.problems, locale) })),
    ignored: plan.ignored.map((r) => ({ rowNumber: r.rowNumber, key: r.key, reason: describeRowProblems(r.problems, locale) })),
    uncheckedAttachments: job.uncheckedAttachments,
    progress: viewOf(deps, progress, locale) as SendProgressView,
  };
}
