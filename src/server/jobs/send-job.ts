// The Send job: bulk invoice emails from the `Sends` tab, at the Gmail quota ceiling, exactly once,
// resumable across executions. Use cases `(deps, input) => result` over the ports of send-ports.ts:
//   planSendJob     validate the selected rows; invalid ones → failed (never sent), valid ones →
//                   queued with run_id / send_id, in ONE batched write; the job is `planned`.
//   startSendJob    plan if needed, then running, then a first chunk in the same execution.
//   runSendChunk    one execution's share of the work under a time budget (sidebar and trigger).
//   pause / resume / cancel, and viewSendProgress from the persisted state.
//
// Exactly once (the protocol, and why it is sound):
//   1. Intent first, per GROUP. Before any request of a group leaves, every row of the group is written
//      `sending` with attempts+1, the Message-ID built into its message, and attempt_at = the group's
//      SEND-BY time (now + GROUP_WINDOW_MS at most, never past the chunk's useful time), in ONE write,
//      flushed (SpreadsheetApp.flush). A group is as many due rows as the pacer can send before send-by
//      (pacer.capacity: ≤ 150 = one minute at the Gmail ceiling), capped by the daily cap. The results
//      of the previous group ride in the same write. Every message carries `X-Postroom-Send-Id:
//      <run_id>/<n>`. No request of a group starts after its send-by time: rows not attempted by then
//      (or when the chunk ends, a pause or cancel arrives, Gmail stops the job) go back to `queued`
//      in memory, as they were, and the next write says so (they were never sent: this execution knows).
//   2. The group goes out in bursts as the rate settings allow (maxPerSecond, maxPerMinute, batchSize,
//      units), each burst ONE fetchAll of messages.send, built ahead of its slot (attachments read in
//      parallel, MIME). 2xx → sent; a permanent 4xx → failed (Gmail's words on the row); 429 (not
//      executed) → queued with next_attempt_at; 5xx or no answer (the request MAY have been executed) →
//      stays `sending`: IN DOUBT, its attempt_at now the burst's real start. Results stay in memory
//      until the next group's write (or the end of the chunk, or a wait for retries); the progress and
//      pacer are saved after every burst (one properties write) for the live gauge.
//   3. No row in doubt is ever sent again before it is checked: once its request can no longer be in
//      flight (attempt_at + IN_DOUBT_SETTLE_MS; attempt_at is the send-by time, or the real start when
//      this execution recorded it), the job lists the SENT label newest first
//      (messages.list labelIds=SENT; the label listing, not the search index, which may lag) and reads
//      the X-Postroom-Send-Id / Message-ID of every message it does not already know (the sheet holds
//      the ids of the messages it recorded), down to the oldest attempt_at minus VERIFY_MARGIN_MS.
//      Found → sent with Gmail's ids; not found → the send never happened → queued again.
//   A kill at any instruction leaves each row in one of: pending/queued (nothing sent: sending it is
//   right), `sending` (checked before anything else happens to it: a row of a group whose request never
//   left is simply not found and queued again), sent/failed (final). A send can only happen after its
//   `sending` mark is durable and before its attempt_at, so no send escapes the check; a row is re-sent
//   only when the check proves its earlier attempt absent from SENT.
//   Assumptions about the real platform (the emulator honours them; FIDELITY notes): a messages.send
//   request that has not completed within IN_DOUBT_SETTLE_MS of its start never will; a message that
//   messages.send accepted appears under the SENT label (listing) by then, with its X- headers intact
//   (Gmail may replace Message-ID, so the X- header is what is matched first); SpreadsheetApp.flush
//   makes the sheet write durable before it returns.
//
// Progress: the sheet is the truth for counts; progress events are added once per row (bitmap in the
// job state), and the progress + job state are saved in one properties write after each sheet write and
// after each burst. The progress may so run ahead of the sheet: a new execution recounts from the sheet,
// and a row whose event is already recorded is counted again without a second event when it ends.

import { describeRowProblems, checkSendRow, planSend, toMessageInput, type AttachmentResolution, type PlannedSend, type SendFilter, type SendPlan } from '../domain/send/plan';
import { buildMessage, domainOf, makeMessageId } from '../domain/send/mime';
import { base64UrlEncode, utf8Encode } from '../domain/encoding';
import { SendPacer } from '../domain/send/pacing';
import { classifyOutcome, decideRetry, retryDelay } from '../domain/send/retry';
import { dailyCapStatus } from '../domain/send/daily-cap';
import {
  cancelProgress,
  createProgress,
  finishProgress,
  pauseByUser,
  pauseForQuota,
  pauseForRate,
  recordFailed,
  recordRetry,
  recordSent,
  resumeProgress,
  startProgress,
  viewProgress,
  type SendProgress,
  type SendProgressView,
} from '../domain/send/progress';
import { formatSheetTime, parseAttachmentRefs, parseSendRows, parseSheetTime, toSheetText, type SendRow, type SendStatus } from '../domain/send/send-list';
import type { SendSettings } from '../domain/send/settings';
import { PostroomError, errorMessage } from '../domain/errors';
import type { Locale } from '../domain/i18n';
import type { CellValue, LockHandle } from '../ports';
import type { LoadOutcome, SendDeps, SendControl } from './send-ports';
import { createJobState, isCounted, makeRunId, makeSendId, markCounted, sendIndexOf, type SendJobState } from './send-state';

/** One chunk's time budget: 4.5 of the 6 minutes of an execution. */
export const SEND_CHUNK_BUDGET_MS = 270_000;
/**
 * Time a batch may still need after the budget check (preparing + sending + writing): 45 s of a
 * trigger's or the sidebar's 4.5-minute budget, half of a shorter one (a card action's 20 s).
 */
const BATCH_RESERVE_MS = 45_000;
function batchReserve(budgetMs: number): number {
  return Math.min(BATCH_RESERVE_MS, Math.floor(budgetMs / 2));
}
/** A request with no answer is assumed finished (executed or not) this long after it started. */
export const IN_DOUBT_SETTLE_MS = 120_000;
/** Verification looks this much further back than the oldest attempt (clock skew with Gmail). */
export const VERIFY_MARGIN_MS = 10 * 60_000;
/** Time spent checking attachments while planning; the rest are checked before each send. */
export const PLAN_ATTACHMENT_BUDGET_MS = 60_000;
/** The time-driven handler that continues a send (src/server/jobs/send-entry.ts). */
export const SEND_CONTINUATION_HANDLER = 'runSendContinuation';
/** A safety trigger set at the start of every chunk: if the execution dies, this one continues. */
const SAFETY_CONTINUATION_MS = 7 * 60_000;
/** Pause when Gmail reports its daily sending limit without saying until when. */
const DAILY_LIMIT_FALLBACK_MS = 60 * 60_000;
/** A group of rows marked `sending` together covers at most this much time of sending. */
export const GROUP_WINDOW_MS = 60_000;
/** And at most this many rows (a minute at the Gmail ceiling: 15,000 units / 100 per send). */
export const MAX_GROUP_ROWS = 150;
const LOCK_WAIT_MS = 500;
const SENT_PAGE_SIZE = 100;

export interface ContinueResult {
  progress: SendProgressView | null;
  /** True while the job has work left (the sidebar calls continueSend again after waitMs). */
  more: boolean;
  /** How long the caller should wait before calling continueSend again. */
  waitMs: number;
  /** Another execution holds the lock: nothing was done, call again later. */
  busy: boolean;
  /** A pause or cancel asked while a chunk ran, not applied yet. */
  pendingControl: SendControl['action'] | null;
}

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

// ------------------------------------------------------------------------------------ the table

type RowChange = Partial<{
  status: SendStatus;
  attempts: number;
  sentAt: string;
  messageId: string;
  threadId: string;
  error: string;
  rfc822MessageId: string;
  attemptAt: string;
  nextAttemptAt: string;
  runId: string;
  sendId: string;
}>;

const CHANGE_COLUMNS: Record<keyof RowChange, string> = {
  status: 'status',
  attempts: 'attempts',
  sentAt: 'sent_at',
  messageId: 'message_id',
  threadId: 'thread_id',
  error: 'error',
  rfc822MessageId: 'rfc822_message_id',
  attemptAt: 'attempt_at',
  nextAttemptAt: 'next_attempt_at',
  runId: 'run_id',
  sendId: 'send_id',
};

/** The Sends tab in memory for one execution: rows, and the changes not yet written. */
class SendTableModel {
  readonly rows: SendRow[];
  private readonly dirty = new Map<number, Record<string, CellValue>>();
  private unflushed = false;

  constructor(private readonly deps: SendDeps) {
    const values = deps.sheet.read();
    this.rows = parseSendRows(values, { timeZoneOffsetMinutes: (d) => deps.sheet.timeZoneOffsetMinutes(d) }).rows;
  }

  ofRun(runId: string): SendRow[] {
    return this.rows.filter((row) => row.runId === runId);
  }

  set(row: SendRow, change: RowChange): void {
    const cells = this.dirty.get(row.rowNumber) ?? {};
    for (const [key, value] of Object.entries(change) as Array<[keyof RowChange, string | number]>) {
      const column = CHANGE_COLUMNS[key];
      if (key === 'status') {
        row.status = value as SendStatus;
        row.statusText = value as string;
      } else {
        (row as unknown as Record<string, unknown>)[key] = value;
      }
      cells[column] = typeof value === 'string' && key === 'error' ? toSheetText(value) : value;
    }
    this.dirty.set(row.rowNumber, cells);
  }

  get pending(): number {
    return this.dirty.size;
  }

  /**
   * One batched write of every change so far; `flush` makes it durable before what follows (skipped
   * when nothing was written since the last flush).
   */
  commit(flush: boolean): void {
    if (this.dirty.size) {
      const updates = [...this.dirty.entries()].sort((a, b) => a[0] - b[0]).map(([rowNumber, values]) => ({ rowNumber, values }));
      this.dirty.clear();
      this.deps.sheet.write(updates);
      this.unflushed = true;
    }
    if (flush && this.unflushed) {
      this.deps.sheet.flush();
      this.unflushed = false;
    }
  }
}

// ------------------------------------------------------------------------------------ helpers

function attachmentNames(row: SendRow): string[] {
  return parseAttachmentRefs(row.attachments).map((ref) => (ref.kind === 'name' ? ref.name : ref.raw.replace(/^.*\/d\/([^/?]+).*$/, '$1')));
}

function recipientsOf(row: SendRow): string[] {
  return row.to
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function isFinalState(p: SendProgress | null): boolean {
  return !p || p.state === 'done' || p.state === 'cancelled';
}

function timeOf(text: string): number | null {
  return text ? parseSheetTime(text) : null;
}

interface Session {
  deps: SendDeps;
  settings: SendSettings;
  table: SendTableModel;
  job: SendJobState;
  progress: SendProgress;
  locale: Locale;
  startedAt: number;
  /** Job counters as stored when the session opened, and the transport's usage then. */
  base: { calls: number; units: number; usageCalls: number; usageUnits: number };
}

/** Gmail calls and units of the run so far (stored counters plus this execution's). */
function runUsage(s: Session): { calls: number; units: number } {
  const usage = s.deps.transport.usage();
  return { calls: s.base.calls + usage.calls - s.base.usageCalls, units: s.base.units + usage.units - s.base.usageUnits };
}

/** Records in the progress every final row of the run whose result is not there yet (sheet order). */
function reconcile(s: Session): void {
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
  let p: SendProgress = { ...s.progress, sent: Math.max(0, sent - missingSent), failed: Math.max(0, failed - (missing.length - missingSent)) };
  for (const { row } of missing) {
    p = row.status === 'sent' ? recordSent(p, { key: row.key, files: attachmentNames(row), recipients: recipientsOf(row) }, s.deps.clock.now()) : recordFailed(p, { key: row.key, files: attachmentNames(row), error: row.error }, s.deps.clock.now());
  }
  s.progress = p;
  s.job = markCounted(s.job, missing.map((m) => m.n));
}

function markSent(s: Session, row: SendRow, ids: { id: string; threadId: string; at: number }): void {
  s.table.set(row, { status: 'sent', messageId: ids.id, threadId: ids.threadId, sentAt: formatSheetTime(ids.at), error: '', nextAttemptAt: '' });
  countResult(s, row);
}

function markFailed(s: Session, row: SendRow, error: string): void {
  s.table.set(row, { status: 'failed', error, nextAttemptAt: '' });
  countResult(s, row);
}

function countResult(s: Session, row: SendRow): void {
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

function saveAll(s: Session): void {
  const usage = runUsage(s);
  s.job = { ...s.job, gmailCalls: usage.calls, gmailUnits: usage.units };
  s.deps.state.save(s.job, s.progress);
}

/** Writes the sheet (flushed), then the job state and progress. */
function checkpoint(s: Session): void {
  s.table.commit(true);
  saveAll(s);
}

function withLock<T>(deps: SendDeps, busy: () => T, run: () => T): T {
  const handle: LockHandle | null = deps.lock.tryAcquire(LOCK_WAIT_MS);
  if (!handle) return busy();
  try {
    return run();
  } finally {
    handle.release();
  }
}

function openSession(deps: SendDeps, locale: Locale): Session | null {
  const { job, progress } = deps.state.load();
  if (!job || !progress) return null;
  const settings = deps.settings();
  const table = new SendTableModel(deps);
  const usage = deps.transport.usage();
  const s: Session = {
    deps,
    settings,
    table,
    job: { ...job, executions: job.executions + 1 },
    progress,
    locale,
    startedAt: deps.clock.now(),
    base: { calls: job.gmailCalls, units: job.gmailUnits, usageCalls: usage.calls, usageUnits: usage.units },
  };
  reconcile(s);
  return s;
}

export function viewOf(deps: SendDeps, progress: SendProgress | null, locale: Locale): SendProgressView | null {
  return progress ? viewProgress(progress, locale, { now: deps.clock.now() }) : null;
}

// ------------------------------------------------------------------------------------ planning

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

function planInto(deps: SendDeps, locale: Locale, filter: SendFilter, table: SendTableModel, settings: SendSettings): { plan: SendPlan; job: SendJobState; progress: SendProgress } {
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
function releasePlanned(table: SendTableModel, job: SendJobState): void {
  for (const row of table.ofRun(job.runId)) {
    if (row.status === 'queued') table.set(row, { status: 'pending', runId: '', sendId: '' });
  }
}

function toPlanResult(deps: SendDeps, plan: SendPlan, job: SendJobState, progress: SendProgress, locale: Locale, table: SendTableModel): PlanResult {
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

function refuseIfActive(progress: SendProgress | null): void {
  if (progress && (progress.state === 'running' || progress.state === 'paused' || progress.state === 'paused-quota')) {
    throw new PostroomError('ALREADY_RUNNING', `A send is already in progress (${progress.jobId}, ${progress.state}): continue, pause or cancel it first.`, { runId: progress.jobId });
  }
}

function alreadyRunning(): never {
  throw new PostroomError('ALREADY_RUNNING', 'A send is already running in another execution; try again in a moment.');
}

/**
 * Plans a send: selects pending and failed rows (filters by key, period, max), fails the invalid ones
 * with their reasons and queues the others, in one batched write. Replaces an earlier planned run.
 */
export function planSendJob(deps: SendDeps, filter: SendFilter, locale: Locale): PlanResult {
  return withLock(deps, alreadyRunning, () => {
    const stored = deps.state.load();
    refuseIfActive(stored.progress);
    const settings = deps.settings();
    const table = new SendTableModel(deps);
    if (stored.job && stored.progress?.state === 'planned') releasePlanned(table, stored.job);
    const { plan, job, progress } = planInto(deps, locale, filter, table, settings);
    table.commit(true);
    deps.state.save(job, progress);
    deps.state.clearControl();
    return toPlanResult(deps, plan, job, progress, locale, table);
  });
}

/**
 * Starts a send: the planned run (when no filter is given, or the same filter), or a new plan; then
 * sends a first chunk in this execution. Refuses while another send is in progress.
 */
export function startSendJob(deps: SendDeps, filter: SendFilter | null, locale: Locale): ContinueResult {
  return withLock(deps, alreadyRunning, () => {
    const stored = deps.state.load();
    refuseIfActive(stored.progress);
    const settings = deps.settings();
    let job = stored.job;
    let progress = stored.progress;
    const samePlan = job && progress?.state === 'planned' && filter === null;
    if (!samePlan) {
      const table = new SendTableModel(deps);
      if (job && progress?.state === 'planned') releasePlanned(table, job);
      ({ job, progress } = planInto(deps, locale, filter ?? {}, table, settings));
      table.commit(true);
    }
    const now = deps.clock.now();
    progress = startProgress(progress as SendProgress, now);
    job = { ...(job as SendJobState), startedAt: now };
    deps.state.save(job, progress);
    deps.state.clearControl();
    return chunk(deps, locale);
  });
}

// ------------------------------------------------------------------------------------ verification

/**
 * Checks the rows in doubt against the SENT label: a row whose send id (or Message-ID) is found is
 * sent. When `conclusive` (the attempts are older than IN_DOUBT_SETTLE_MS, so no request can still be
 * in flight), a row not found is proven not sent and goes back to the queue; otherwise it stays in
 * doubt. Returns false when the check could not finish (a read failed): nothing is concluded then.
 */
function verifyInDoubt(s: Session, rows: SendRow[], conclusive: boolean): boolean {
  if (!rows.length) return true;
  const { transport } = s.deps;
  const wantedBySendId = new Map(rows.map((row) => [row.sendId, row]));
  const wantedByMessageId = new Map(rows.filter((row) => row.rfc822MessageId).map((row) => [row.rfc822MessageId, row]));
  const known = new Map<string, number>();
  for (const row of s.table.rows) {
    if (row.status === 'sent' && row.messageId) known.set(row.messageId, timeOf(row.sentAt) ?? Number.MAX_SAFE_INTEGER);
  }
  const oldest = Math.min(...rows.map((row) => timeOf(row.attemptAt) ?? 0));
  const threshold = oldest - VERIFY_MARGIN_MS;
  const found = new Map<SendRow, { id: string; threadId: string; at: number }>();
  let pageToken: string | null = null;
  let complete = true;
  for (;;) {
    const page = transport.listSent(pageToken, SENT_PAGE_SIZE);
    if (!page) {
      complete = false;
      break;
    }
    const unknown = page.ids.filter((id) => !known.has(id));
    const facts = unknown.length ? transport.getSentFacts(unknown) : [];
    let reachedOld = false;
    for (const id of page.ids) {
      const at = known.get(id);
      if (at !== undefined && at < threshold) reachedOld = true;
    }
    facts.forEach((fact) => {
      if (!fact) {
        complete = false;
        return;
      }
      if (fact.internalDate < threshold) reachedOld = true;
      const row = (fact.sendId && wantedBySendId.get(fact.sendId)) || (fact.messageId && wantedByMessageId.get(fact.messageId)) || null;
      if (row && !found.has(row)) found.set(row, { id: fact.id, threadId: fact.threadId, at: fact.internalDate });
    });
    if (found.size === rows.length || reachedOld || !page.nextPageToken) break;
    pageToken = page.nextPageToken;
  }
  const now = s.deps.clock.now();
  for (const row of rows) {
    const hit = found.get(row);
    if (hit) {
      markSent(s, row, hit);
    } else if (complete && conclusive) {
      // Proven not sent: the attempt never reached Gmail (or Gmail refused it without a trace).
      if (row.attempts > s.settings.maxRetries) markFailed(s, row, row.error || 'No answer from Gmail');
      else s.table.set(row, { status: 'queued', nextAttemptAt: formatSheetTime(Math.max(now, timeOf(row.nextAttemptAt) ?? now)) });
    }
  }
  return complete;
}

// ------------------------------------------------------------------------------------ one chunk

interface Prepared {
  row: SendRow;
  raw: string;
}

/**
 * Rows marked `sending` in one write, sent in bursts until `sendBy`. `pending`: not attempted yet, in
 * order; `prepared`: the next burst's messages, built (its rows are the first of `pending`).
 */
interface SendGroup {
  pending: Array<{ row: SendRow; before: RowChange }>;
  prepared: Prepared[];
  /** No request of the group starts after this instant (written as the rows' attempt_at). */
  sendBy: number;
}

/** The Message-ID of a row's message: the same for every attempt, known before the message is built. */
function messageIdOf(s: Session, row: SendRow): string {
  return makeMessageId([s.job.runId, row.sendId], domainOf(s.deps.sender.address));
}

/**
 * Marks the rows `sending` (in memory; the caller writes and flushes): attempts + 1, the Message-ID,
 * and attempt_at = `sendBy`, the latest instant any of their requests may start, so that a row left
 * `sending` by a killed execution is checked only once its request, sent at any time up to sendBy,
 * cannot be in flight any more (attempt_at + IN_DOUBT_SETTLE_MS).
 */
function markGroup(s: Session, rows: readonly SendRow[], sendBy: number): SendGroup {
  const attemptAt = formatSheetTime(sendBy);
  const pending = rows.map((row) => {
    const before: RowChange = { status: 'queued', attempts: row.attempts, attemptAt: row.attemptAt, rfc822MessageId: row.rfc822MessageId, error: row.error, nextAttemptAt: row.nextAttemptAt };
    s.table.set(row, { status: 'sending', attempts: row.attempts + 1, attemptAt, rfc822MessageId: messageIdOf(s, row), error: '', nextAttemptAt: '' });
    return { row, before };
  });
  return { pending, prepared: [], sendBy };
}

/** An attempt that failed before its request left (an attachment could not be read): retried or failed. */
function failAttempt(s: Session, row: SendRow, error: string, retry: boolean, now: number): void {
  if (!retry || row.attempts > s.settings.maxRetries) {
    markFailed(s, row, retry ? `${error} — gave up after ${row.attempts} attempt(s)` : error);
    return;
  }
  const delayMs = retryDelay(row.attempts - 1, s.settings, { random: s.deps.random });
  s.table.set(row, { status: 'queued', error, nextAttemptAt: formatSheetTime(now + delayMs) });
  s.progress = recordRetry(s.progress, { key: row.key, error, delayMs }, now);
}

/**
 * Builds the messages of a burst: each row checked again (addresses, placeholders, attachments found),
 * the attachments' bytes read in parallel (one loadAll for the burst; a file shared by rows is read
 * once), the MIME built. A row that cannot be built fails (or, for a read that may work later, goes back
 * to the queue with a delay); it is not sent.
 */
function prepareBurst(s: Session, rows: readonly SendRow[]): Prepared[] {
  const settings = s.settings;
  const checked: Array<{ row: SendRow; planned: PlannedSend }> = [];
  for (const row of rows) {
    const result = checkSendRow(row, {
      settings,
      resolveAttachments: (r, refs) => s.deps.attachments.resolve(r, refs, settings.attachmentsFolder),
    });
    if ('problems' in result) markFailed(s, row, describeRowProblems(result.problems, s.locale));
    else checked.push({ row, planned: result.planned });
  }
  const ids = [...new Set(checked.flatMap((c) => c.planned.attachments.map((a) => a.id)))];
  const loaded = new Map<string, LoadOutcome>();
  if (ids.length) s.deps.attachments.loadAll(ids).forEach((outcome, i) => loaded.set(ids[i], outcome));
  const now = s.deps.clock.now();
  const sender = s.deps.sender.address;
  const prepared: Prepared[] = [];
  for (const { row, planned } of checked) {
    const failed = planned.attachments.map((a) => loaded.get(a.id)).find((outcome) => !outcome || !outcome.ok);
    if (failed !== undefined) {
      if (failed && !failed.ok) failAttempt(s, row, failed.error, failed.retry, now);
      else throw new PostroomError('INTERNAL', `No read outcome for an attachment of row ${row.rowNumber}`);
      continue;
    }
    const bytesOf = (a: { id: string }) => (loaded.get(a.id) as Extract<LoadOutcome, { ok: true }>).file.bytes;
    try {
      const input = toMessageInput(planned, { name: settings.senderName, address: sender }, messageIdOf(s, row), now, bytesOf, {
        'X-Postroom-Send-Id': row.sendId,
      });
      prepared.push({ row, raw: base64UrlEncode(utf8Encode(buildMessage(input)), { pad: true }) });
    } catch (error) {
      if (error instanceof PostroomError && error.code === 'INVALID_INPUT') {
        markFailed(s, row, error.message);
        continue;
      }
      throw error;
    }
  }
  return prepared;
}

interface ChunkOutcome {
  waitMs: number;
  more: boolean;
}

function scheduleContinuation(s: Session, delayMs: number): void {
  s.deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, Math.max(60_000, delayMs));
}

function stopContinuation(deps: SendDeps): void {
  deps.scheduler.schedule(SEND_CONTINUATION_HANDLER, { kind: 'off' });
}

function recordRun(s: Session): void {
  const p = s.progress;
  const now = s.deps.clock.now();
  const { calls, units } = runUsage(s);
  s.deps.jobRuns.record({
    runId: s.job.runId,
    status: p.state === 'cancelled' ? 'cancelled' : p.failed ? 'done_with_errors' : 'done',
    startedAt: p.startedAt ?? s.job.createdAt,
    finishedAt: p.finishedAt ?? now,
    total: p.total,
    sent: p.sent,
    failed: p.failed,
    gmailCalls: calls,
    summary: `${p.sent} sent, ${p.failed} failed, ${Math.max(0, p.total - p.sent - p.failed)} not sent of ${p.total}; ${s.job.executions} execution(s); ${units} Gmail units; transport ${s.deps.transport.kind}`,
  });
}

/** Applies a pause or cancel asked by the user. Returns true when the chunk must stop. */
function applyControl(s: Session, control: SendControl): boolean {
  const now = s.deps.clock.now();
  if (control.action === 'pause') {
    if (s.progress.state === 'running' || s.progress.state === 'paused-quota') s.progress = pauseByUser(s.progress, control.by, now);
    s.deps.state.clearControl();
    return true;
  }
  // Cancel: queued rows go back to pending; rows in doubt are checked first (they may have gone out).
  const runRows = s.table.ofRun(s.job.runId);
  for (const row of runRows) if (row.status === 'queued') s.table.set(row, { status: 'pending', runId: '', sendId: '', nextAttemptAt: '' });
  const inDoubt = runRows.filter((row) => row.status === 'sending');
  const settled = inDoubt.filter((row) => (timeOf(row.attemptAt) ?? 0) + IN_DOUBT_SETTLE_MS <= now);
  if (settled.length === inDoubt.length && verifyInDoubt(s, inDoubt, true)) {
    for (const row of inDoubt) if (row.status === 'queued') s.table.set(row, { status: 'pending', runId: '', sendId: '', nextAttemptAt: '' });
    s.progress = cancelProgress(s.progress, now);
    s.deps.state.clearControl();
  }
  return true;
}

function inDoubtWait(rows: SendRow[], now: number): number {
  return Math.max(0, Math.min(...rows.map((row) => (timeOf(row.attemptAt) ?? 0) + IN_DOUBT_SETTLE_MS)) - now);
}

/** The work loop of one execution. Assumes the lock is held. */
function runLoop(s: Session): ChunkOutcome {
  const group: GroupHolder = { current: null };
  const outcome = workLoop(s, group);
  // Rows of a group that were never attempted go back to the queue (in memory: the chunk's final write).
  abandonGroup(s, group);
  return outcome;
}

interface GroupHolder {
  current: SendGroup | null;
}

/** Puts the rows of the group that were never attempted back as they were before the group's mark. */
function abandonGroup(s: Session, holder: GroupHolder): void {
  const group = holder.current;
  holder.current = null;
  if (!group) return;
  for (const { row, before } of group.pending) s.table.set(row, before);
}

/**
 * Finds the files of rows about to be sent (the adapter keeps what it found for the execution), until
 * `until`: a wait for the pacer is spent on the Drive listing instead of the next burst.
 */
function warmUp(s: Session, rows: readonly SendRow[], until: number, warmed: Set<SendRow>): void {
  for (const row of rows) {
    if (s.deps.clock.now() >= until) return;
    if (warmed.has(row)) continue;
    warmed.add(row);
    const refs = parseAttachmentRefs(row.attachments);
    if (refs.length) s.deps.attachments.resolve(row, refs, s.settings.attachmentsFolder);
  }
}

/** The size of the next group: what the pacer allows until `sendBy`, the daily cap, the rows due. */
function groupSize(pacer: SendPacer, now: number, sendBy: number, capRemaining: number, due: number): number {
  return Math.min(MAX_GROUP_ROWS, capRemaining, due, pacer.capacity(now, sendBy - now, MAX_GROUP_ROWS));
}

function workLoop(s: Session, holder: GroupHolder): ChunkOutcome {
  const { deps, settings } = s;
  const budget = deps.budgetMs ?? SEND_CHUNK_BUDGET_MS;
  const deadline = s.startedAt + budget;
  const reserve = batchReserve(budget);
  const pacer = SendPacer.fromSettings(settings, s.job.pacer, deps.clock.now());
  /** Rows in doubt whose check could not finish in this chunk (a read failed): left for the next one. */
  const unverifiable = new Set<SendRow>();
  const persistPacer = () => {
    s.job = { ...s.job, pacer: pacer.toState() };
  };
  const pendingRows = () => new Set(holder.current?.pending.map((p) => p.row) ?? []);
  const warmed = new Set<SendRow>();

  for (;;) {
    let now = deps.clock.now();
    const control = deps.state.readControl();
    if (control) {
      abandonGroup(s, holder);
      applyControl(s, control);
      persistPacer();
      return { more: s.progress.state !== 'cancelled' && s.progress.state !== 'paused', waitMs: s.progress.state === 'running' ? IN_DOUBT_SETTLE_MS : 0 };
    }
    const runRows = s.table.ofRun(s.job.runId);
    const marked = pendingRows();
    // 1. Rows in doubt whose request cannot be in flight any more are checked before anything else
    //    (a row of the current group that was not attempted yet is not in doubt: this execution knows).
    const inDoubt = runRows.filter((row) => row.status === 'sending' && !unverifiable.has(row) && !marked.has(row));
    const settled = inDoubt.filter((row) => (timeOf(row.attemptAt) ?? 0) + IN_DOUBT_SETTLE_MS <= now);
    if (settled.length) {
      const before = deps.transport.usage().units;
      if (!verifyInDoubt(s, settled, true)) for (const row of settled) if (row.status === 'sending') unverifiable.add(row);
      pacer.spendUnits(deps.transport.usage().units - before, deps.clock.now());
      continue;
    }
    if (!holder.current) {
      const queued = runRows.filter((row) => row.status === 'queued');
      const due = queued.filter((row) => (timeOf(row.nextAttemptAt) ?? 0) <= now);
      if (!due.length) {
        if (!queued.length && !inDoubt.length && unverifiable.size) {
          persistPacer();
          return { more: true, waitMs: 60_000 };
        }
        if (!queued.length && !inDoubt.length) {
          s.progress = finishProgress(s.progress, now);
          persistPacer();
          return { more: false, waitMs: 0 };
        }
        const nextRetry = queued.length ? Math.min(...queued.map((row) => timeOf(row.nextAttemptAt) ?? now)) - now : Infinity;
        const wait = Math.max(1, Math.min(nextRetry, inDoubt.length ? inDoubtWait(inDoubt, now) : Infinity));
        if (now + wait > deadline) {
          persistPacer();
          return { more: true, waitMs: wait };
        }
        // Results so far are written before a wait for retries or rows in doubt.
        persistPacer();
        checkpoint(s);
        deps.clock.sleep(wait);
        continue;
      }
      // 2. The daily cap, from the sent_at cells of the whole tab.
      const cap = dailyCapStatus(
        s.table.rows.filter((row) => row.status === 'sent').map((row) => row.sentAt),
        now,
        settings.dailyCap,
      );
      if (cap.remaining === 0 && cap.resumeAt !== null) {
        s.progress = pauseForQuota(s.progress, { resumeAt: cap.resumeAt, sentToday: cap.sentInWindow, cap: settings.dailyCap }, now);
        persistPacer();
        return { more: true, waitMs: cap.resumeAt - now };
      }
      if (now >= deadline - reserve) {
        persistPacer();
        return { more: true, waitMs: 0 };
      }
      const slot = pacer.nextSlot(now);
      if (slot.allowed === 0) {
        if (now + slot.waitMs > deadline - reserve && slot.limitedBy !== 'blocked') {
          // The wait would end past this chunk's useful time: end now, so the next execution spends the
          // wait on its own start (reading the tab, finding files) instead of sleeping here.
          persistPacer();
          return { more: true, waitMs: 0 };
        }
        if (slot.limitedBy === 'blocked' && now + slot.waitMs > deadline) {
          s.progress = pauseForRate(s.progress, now + slot.waitMs, now);
          persistPacer();
          return { more: true, waitMs: slot.waitMs };
        }
        const wakeAt = now + Math.min(slot.waitMs, Math.max(1, deadline - now));
        // The wait is spent finding the next group's files on Drive (listing the folder), not after it.
        warmUp(s, due.slice(0, MAX_GROUP_ROWS), wakeAt, warmed);
        deps.clock.sleep(Math.max(1, wakeAt - deps.clock.now()));
        continue;
      }
      // 3. Intent for a whole group: every row the pacer can send before `sendBy` is `sending` (durable,
      //    one write, with the previous group's results) before any of its requests leaves.
      const sendBy = Math.max(now, Math.min(now + GROUP_WINDOW_MS, deadline - reserve));
      const size = groupSize(pacer, now, sendBy, cap.remaining, due.length);
      holder.current = markGroup(s, due.slice(0, Math.max(1, size)), sendBy);
      persistPacer();
      checkpoint(s);
    }
    // 4. A burst of the current group: built ahead of the pacer's slot (Drive reads and MIME while the
    //    per-second window frees), no more than one slot can take, then sent when the slot opens.
    const group = holder.current;
    if (!group.prepared.length) {
      const rows = group.pending.slice(0, Math.min(settings.maxPerSecond, settings.batchSize));
      group.prepared = prepareBurst(s, rows.map((p) => p.row));
      // Rows that could not be built are final, or queued again with a delay: out of the group.
      const built = new Set(group.prepared.map((item) => item.row));
      const dropped = new Set(rows.filter((p) => !built.has(p.row)).map((p) => p.row));
      group.pending = group.pending.filter((p) => !dropped.has(p.row));
      if (!group.pending.length) {
        holder.current = null;
        continue;
      }
      now = deps.clock.now();
    }
    const slot = pacer.nextSlot(now);
    if (slot.allowed === 0 || now > group.sendBy) {
      if (now + slot.waitMs > group.sendBy) {
        // The rest of the group cannot go out before its send-by time: it is queued again and the next
        // group marks it afresh (a row is never sent after the time its mark announced).
        abandonGroup(s, holder);
        continue;
      }
      deps.clock.sleep(slot.waitMs);
      continue;
    }
    const burst = group.prepared.slice(0, slot.allowed);
    group.prepared = group.prepared.slice(burst.length);
    const inBurst = new Set(burst.map((item) => item.row));
    group.pending = group.pending.filter((p) => !inBurst.has(p.row));
    if (!group.pending.length) holder.current = null;
    pacer.take(burst.length, now);
    // 5. One parallel call.
    const burstAt = formatSheetTime(now);
    const outcomes = deps.transport.send(burst.map((item) => item.raw));
    now = deps.clock.now();
    pacer.finishBatch(now);
    // 6. Results, in memory: written with the next group's intent, or at the end of the chunk.
    let pause: { until: number; kind: 'daily' | 'stop'; message: string } | null = null;
    burst.forEach((item, index) => {
      const outcome = outcomes[index];
      const row = item.row;
      // The request started now, not when the group was marked: rows left in doubt settle from here.
      s.table.set(row, { attemptAt: burstAt });
      const decision = decideRetry(outcome, row.attempts, settings, now, { random: deps.random });
      const classified = classifyOutcome(outcome, now);
      switch (decision.action) {
        case 'done': {
          const json = (outcome.json ?? {}) as { id?: string; threadId?: string };
          markSent(s, row, { id: String(json.id ?? ''), threadId: String(json.threadId ?? ''), at: now });
          break;
        }
        case 'fail':
          if (classified.maybeExecuted) s.table.set(row, { error: decision.message, nextAttemptAt: '' });
          else markFailed(s, row, decision.message);
          break;
        case 'retry':
          if (decision.maybeExecuted) {
            s.table.set(row, { error: decision.message, nextAttemptAt: formatSheetTime(now + decision.delayMs) });
          } else {
            s.table.set(row, { status: 'queued', error: decision.message, nextAttemptAt: formatSheetTime(now + decision.delayMs) });
          }
          if (decision.rateLimited) pacer.block(now + decision.delayMs, now);
          s.progress = recordRetry(s.progress, { key: row.key, error: decision.message, delayMs: decision.delayMs }, now);
          break;
        case 'pauseDaily':
          s.table.set(row, { status: 'queued', attempts: Math.max(0, row.attempts - 1), error: decision.message });
          pause = { until: now + (decision.retryAfterMs ?? DAILY_LIMIT_FALLBACK_MS), kind: 'daily', message: decision.message };
          break;
        case 'stopJob':
          s.table.set(row, { status: 'queued', attempts: Math.max(0, row.attempts - 1), error: decision.message });
          pause = { until: 0, kind: 'stop', message: decision.message };
          break;
      }
    });
    // Rows without an answer (a network error fails the whole fetchAll, though most requests went
    // through): those already in SENT are recorded now; the others wait until they can be concluded.
    const doubtful = burst.map((item) => item.row).filter((row) => row.status === 'sending');
    if (doubtful.length) {
      const before = deps.transport.usage().units;
      verifyInDoubt(s, doubtful, false);
      pacer.spendUnits(deps.transport.usage().units - before, deps.clock.now());
    }
    persistPacer();
    const stop = pause as { until: number; kind: 'daily' | 'stop'; message: string } | null;
    if (stop) {
      abandonGroup(s, holder);
      if (stop.kind === 'daily') {
        const capNow = dailyCapStatus(s.table.rows.filter((row) => row.status === 'sent').map((row) => row.sentAt), now, settings.dailyCap);
        s.progress = pauseForQuota(s.progress, { resumeAt: stop.until, sentToday: capNow.sentInWindow, cap: settings.dailyCap }, now);
        return { more: true, waitMs: stop.until - now };
      }
      s.job = { ...s.job, lastError: stop.message };
      s.progress = pauseByUser(s.progress, `Gmail: ${stop.message}`, now);
      return { more: false, waitMs: 0 };
    }
    // The live gauge: the progress (and the pacer) after every burst, one properties write. The sheet
    // catches up with the next group's write; progress counts follow the sheet on the next start.
    saveAll(s);
  }
}

/** One chunk (the lock is held): reconcile, apply control, resume a quota pause when due, work. */
function chunk(deps: SendDeps, locale: Locale): ContinueResult {
  const s = openSession(deps, locale);
  if (!s) return { progress: null, more: false, waitMs: 0, busy: false, pendingControl: null };
  const finish = (outcome: ChunkOutcome): ContinueResult => {
    checkpoint(s);
    const state = s.progress.state;
    if (state === 'done' || state === 'cancelled') {
      recordRun(s);
      stopContinuation(deps);
    } else if (state === 'paused') {
      stopContinuation(deps);
    } else {
      scheduleContinuation(s, outcome.waitMs);
    }
    return { progress: viewOf(deps, s.progress, locale), more: outcome.more && state !== 'paused', waitMs: outcome.waitMs, busy: false, pendingControl: deps.state.readControl()?.action ?? null };
  };
  if (isFinalState(s.progress)) {
    return { progress: viewOf(deps, s.progress, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
  }
  const control = deps.state.readControl();
  if (s.progress.state === 'paused' && !control) {
    s.table.commit(false);
    return { progress: viewOf(deps, s.progress, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
  }
  if (s.progress.state === 'planned') {
    return { progress: viewOf(deps, s.progress, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
  }
  // If this execution dies, a trigger still continues the job.
  scheduleContinuation(s, SAFETY_CONTINUATION_MS);
  if (s.progress.state === 'paused-quota' && !control) {
    const now = deps.clock.now();
    if (s.progress.resumeAt !== null && now < s.progress.resumeAt) return finish({ more: true, waitMs: s.progress.resumeAt - now });
    s.progress = resumeProgress(s.progress, now);
  }
  if (control && (s.progress.state === 'paused' || s.progress.state === 'paused-quota')) {
    applyControl(s, control);
    const after: string = s.progress.state;
    return finish({ more: after !== 'cancelled' && after !== 'paused', waitMs: IN_DOUBT_SETTLE_MS });
  }
  return finish(runLoop(s));
}

// ------------------------------------------------------------------------------------ api

/** Continues the send in this execution (sidebar and trigger). Never throws for a busy lock. */
export function continueSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return withLock(
    deps,
    () => ({ progress: viewOf(deps, deps.state.load().progress, locale), more: true, waitMs: 5_000, busy: true, pendingControl: deps.state.readControl()?.action ?? null }),
    () => chunk(deps, locale),
  );
}

function requestControl(deps: SendDeps, action: SendControl['action'], locale: Locale): ContinueResult {
  const { progress } = deps.state.load();
  if (!progress || isFinalState(progress)) {
    throw new PostroomError('NOT_FOUND', 'No send in progress.');
  }
  if (action === 'pause' && progress.state !== 'running' && progress.state !== 'paused-quota') {
    throw new PostroomError('INVALID_INPUT', `Cannot pause a send that is ${progress.state}.`);
  }
  if (progress.state === 'planned') {
    // Nothing was sent: cancelling a plan releases its rows at once.
    return withLock(deps, alreadyRunning, () => {
      const { job } = deps.state.load();
      const table = new SendTableModel(deps);
      if (job) releasePlanned(table, job);
      table.commit(true);
      const cancelled = cancelProgress(progress, deps.clock.now());
      if (job) deps.state.save(job, cancelled);
      return { progress: viewOf(deps, cancelled, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
    });
  }
  deps.state.writeControl({ action, by: deps.user, at: deps.clock.now() });
  return continueSendJob(deps, locale);
}

/** Pauses the send (applied at once, or by the running chunk at its next batch). */
export function pauseSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return requestControl(deps, 'pause', locale);
}

/** Cancels the send: queued rows go back to pending; rows in doubt are checked in Sent first. */
export function cancelSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return requestControl(deps, 'cancel', locale);
}

/** Resumes a paused send and continues it in this execution. */
export function resumeSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return withLock(deps, alreadyRunning, () => {
    const { job, progress } = deps.state.load();
    if (!job || !progress || (progress.state !== 'paused' && progress.state !== 'paused-quota')) {
      throw new PostroomError('INVALID_INPUT', `There is no paused send to resume${progress ? ` (the send is ${progress.state})` : ''}.`);
    }
    deps.state.save(job, resumeProgress(progress, deps.clock.now()));
    deps.state.clearControl();
    return chunk(deps, locale);
  });
}

/** The persisted progress in the reader's locale (no lock, no sheet read). */
export function viewSendProgress(deps: SendDeps, locale: Locale): { progress: SendProgressView | null; pendingControl: SendControl['action'] | null } {
  return { progress: viewOf(deps, deps.state.load().progress, locale), pendingControl: deps.state.readControl()?.action ?? null };
}

export { errorMessage };
