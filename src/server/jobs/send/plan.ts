// Planning a run, in pieces: the tab's rows are examined PLAN_PIECE_ROWS at a time; in each piece the
// selected rows are validated (attachments found on Drive; those not checked for lack of time are
// checked again before each send), invalid ones failed with their reasons (never sent), valid ones
// queued with run_id / send_id; then the piece is written (flushed) and the job state saved with the
// cursor. A plan interrupted (a killed execution, the execution's planning budget spent) keeps what it
// validated, and the next execution goes on from the cursor. Send ids number the selected rows in
// sheet order across pieces.

import type { Locale } from '../../domain/i18n';
import { PostroomError } from '../../domain/errors';
import {
  createJobState,
  makeRunId,
  makeSendId,
  markCounted,
  MAX_RUN_ROWS,
  type PlanCounts,
  type SendJobState,
} from '../../domain/send/job-state';
import { sendJobMessage } from '../../domain/send/job-messages';
import { describeRowProblems, planSend, type AttachmentResolution, type SendFilter, type SendPlan } from '../../domain/send/plan';
import { createProgress, recordFailed, type SendProgress, type SendProgressView } from '../../domain/send/progress';
import type { SendRow } from '../../domain/send/send-list';
import type { SendSettings } from '../../domain/send/settings';
import { isTransientFailure } from './burst';
import { viewOf } from './context';
import { PLAN_ATTACHMENT_BUDGET_MS, PLAN_BUDGET_MS, PLAN_PIECE_ROWS, PLAN_ROWS_PER_EXECUTION } from './constants';
import type { SendDeps } from './deps';
import { attachmentNames } from './rows';
import type { SendTableModel } from './table';

export interface PlanResult {
  runId: string;
  counts: SendPlan['counts'];
  /** Rows that will be sent (sheet row numbers), planned in this execution. */
  ready: Array<{ rowNumber: number; key: string; period: string; recipients: number; attachments: string[] }>;
  /** Rows failed at planning in this execution, with the reasons in the reader's locale. */
  invalid: Array<{ rowNumber: number; key: string; period: string; reason: string }>;
  ignored: Array<{ rowNumber: number; key: string; reason: string }>;
  /** Rows whose attachments were not checked for lack of time (they are checked before sending). */
  uncheckedAttachments: number;
  /** False while rows remain to be planned (call planSend or startSend again: it goes on). */
  complete: boolean;
  progress: SendProgressView;
}

/** A plan being made: its job state and progress, and what this execution planned. */
export interface PlanWork {
  job: SendJobState;
  progress: SendProgress;
  planned: { ready: PlanResult['ready']; invalid: PlanResult['invalid']; ignored: PlanResult['ignored'] };
}

/** A resolver that checks attachments on Drive until `deadline`, then defers the rest to send time. */
function budgetedResolver(deps: SendDeps, settings: SendSettings, deadline: number, unchecked: { n: number }) {
  return (row: SendRow, refs: Parameters<SendDeps['attachments']['resolve']>[1]): AttachmentResolution => {
    if (deps.clock.now() >= deadline) {
      unchecked.n++;
      return { found: [], missing: [] };
    }
    try {
      return deps.attachments.resolve(row, refs, settings.attachmentsFolder);
    } catch (error) {
      // Drive could not be read for now: the row's files are checked before its send instead.
      if (!isTransientFailure(error)) throw error;
      unchecked.n++;
      return { found: [], missing: [] };
    }
  };
}

function emptyCounts(): PlanCounts {
  return { rows: 0, matching: 0, selected: 0, ready: 0, invalid: 0, deferred: 0, byStatus: {}, duplicates: 0 };
}

function addCounts(a: PlanCounts, b: SendPlan['counts']): PlanCounts {
  const byStatus = { ...a.byStatus };
  for (const [status, n] of Object.entries(b.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
  return {
    rows: a.rows + b.rows,
    matching: a.matching + b.matching,
    selected: a.selected + b.selected,
    ready: a.ready + b.ready,
    invalid: a.invalid + b.invalid,
    deferred: a.deferred + b.deferred,
    byStatus,
    duplicates: (a.duplicates ?? 0) + (b.duplicates ?? 0),
  };
}

/** A new plan for `filter`: a run id, an empty job state (cursor at the first row) and its progress. */
export function newPlan(deps: SendDeps, filter: SendFilter, table: SendTableModel, autoStart: boolean): PlanWork {
  const now = deps.clock.now();
  const runId = makeRunId(now, deps.random);
  // The filter is checked (and normalised) before anything is written.
  const normalised = planSend([], filter, { settings: deps.settings(), resolveAttachments: () => ({ found: [], missing: [] }) }).filter;
  const confirm = filter.confirmDuplicates === undefined ? {} : { confirmDuplicates: filter.confirmDuplicates };
  const job: SendJobState = {
    ...createJobState(runId, normalised, 0, now),
    plan: { cursor: 0, counts: emptyCounts(), autoStart, ...confirm },
  };
  return { job, progress: createProgress(runId, 0, now), planned: { ready: [], invalid: [], ignored: [] } };
}

/** Plans one piece of rows from the cursor into the table (in memory) and the work's job / progress. */
function planPiece(
  deps: SendDeps,
  locale: Locale,
  work: PlanWork,
  table: SendTableModel,
  settings: SendSettings,
  resolver: ReturnType<typeof budgetedResolver>,
): void {
  const plan = work.job.plan!;
  const from = plan.cursor ?? table.rows.length;
  const slice = table.rows.slice(from, from + PLAN_PIECE_ROWS);
  // A piece written but whose state was not saved (a kill in between) is planned again the same way:
  // its queued rows are pending again (no send is active while planning), numbered from the saved total.
  for (const row of slice) {
    if (row.status === 'queued') {
      row.status = 'pending';
      row.statusText = 'pending';
    }
  }
  const { filter } = work.job;
  const max = filter.max === null ? undefined : Math.max(0, filter.max - plan.counts.ready);
  // Duplicates are looked for over the whole tab (an earlier row may be in an earlier piece).
  const piece =
    max === 0
      ? null
      : planSend(
          slice,
          { key: filter.key || undefined, period: filter.period || undefined, max, confirmDuplicates: plan.confirmDuplicates },
          { settings, resolveAttachments: resolver, duplicateScope: table.rows },
        );
  const now = deps.clock.now();
  const runId = work.job.runId;
  let { job, progress } = work;
  if (piece) {
    const selected = [...piece.ready.map((r) => r.rowNumber), ...piece.invalid.map((r) => r.rowNumber)].sort((a, b) => a - b);
    if (job.total + selected.length > MAX_RUN_ROWS)
      throw new PostroomError('INVALID_INPUT', sendJobMessage(locale, 'tooManyRows', { max: MAX_RUN_ROWS }));
    const byRow = new Map(slice.map((row) => [row.rowNumber, row]));
    const problems = new Map(piece.invalid.map((r) => [r.rowNumber, r.problems]));
    const ready = new Map(piece.ready.map((p) => [p.rowNumber, p]));
    const counted: number[] = [];
    progress = { ...progress, total: progress.total + selected.length };
    job = { ...job, total: job.total + selected.length };
    selected.forEach((rowNumber, i) => {
      const row = byRow.get(rowNumber) as SendRow;
      const n = job.total - selected.length + i + 1;
      const sendId = makeSendId(runId, n);
      const rowProblems = problems.get(rowNumber);
      if (rowProblems) {
        const reason = describeRowProblems(rowProblems, locale);
        table.set(row, { status: 'failed', error: reason, runId, sendId, attemptAt: '', nextAttemptAt: '' });
        progress = recordFailed(progress, { key: row.key, files: attachmentNames(row), error: reason }, now);
        counted.push(n);
        work.planned.invalid.push({ rowNumber, key: row.key, period: row.period, reason });
      } else {
        table.set(row, { status: 'queued', error: '', runId, sendId, attemptAt: '', nextAttemptAt: '', rfc822MessageId: '' });
        work.planned.ready.push({
          rowNumber,
          key: row.key,
          period: row.period,
          recipients: ready.get(rowNumber)?.recipientCount ?? 0,
          attachments: attachmentNames(row),
        });
      }
    });
    job = markCounted(job, counted);
    for (const r of piece.ignored)
      work.planned.ignored.push({ rowNumber: r.rowNumber, key: r.key, reason: describeRowProblems(r.problems, locale) });
  }
  const next = from + PLAN_PIECE_ROWS;
  const counts = piece ? addCounts(plan.counts, piece.counts) : plan.counts;
  job = { ...job, plan: { ...plan, cursor: next >= table.rows.length || max === 0 ? null : next, counts } };
  work.job = job;
  work.progress = progress;
}

/**
 * Plans pieces from the cursor until the plan is whole or this execution's share is done; each piece
 * is written (flushed) and the state saved before the next, so nothing validated is lost.
 */
export function continuePlan(deps: SendDeps, locale: Locale, work: PlanWork, table: SendTableModel, settings: SendSettings): void {
  const start = deps.clock.now();
  const unchecked = { n: 0 };
  const resolver = budgetedResolver(deps, settings, start + PLAN_ATTACHMENT_BUDGET_MS, unchecked);
  let examined = 0;
  while (
    work.job.plan &&
    work.job.plan.cursor !== null &&
    examined < PLAN_ROWS_PER_EXECUTION &&
    deps.clock.now() - start < PLAN_BUDGET_MS
  ) {
    const before = work.job.plan.cursor;
    planPiece(deps, locale, work, table, settings, resolver);
    examined += PLAN_PIECE_ROWS;
    work.job = { ...work.job, uncheckedAttachments: work.job.uncheckedAttachments + unchecked.n };
    unchecked.n = 0;
    table.commit(true);
    deps.state.save(work.job, work.progress);
    if (work.job.plan?.cursor === before) break;
  }
}

/** Whether the plan still has rows to examine. */
export function planIncomplete(job: SendJobState | null): boolean {
  return Boolean(job?.plan && job.plan.cursor !== null);
}

/** Rows a planned (not started) run had queued go back to pending. */
export function releasePlanned(table: SendTableModel, job: SendJobState): void {
  for (const row of table.ofRun(job.runId)) {
    if (row.status === 'queued') table.set(row, { status: 'pending', runId: '', sendId: '' });
  }
}

export function toPlanResult(deps: SendDeps, work: PlanWork, locale: Locale): PlanResult {
  const counts = work.job.plan?.counts ?? emptyCounts();
  return {
    runId: work.job.runId,
    counts: counts as SendPlan['counts'],
    ready: work.planned.ready,
    invalid: work.planned.invalid,
    ignored: work.planned.ignored,
    uncheckedAttachments: work.job.uncheckedAttachments,
    complete: !planIncomplete(work.job),
    progress: viewOf(deps, work.progress, locale) as SendProgressView,
  };
}
