// The collect job (issue 4): Gmail attachments into Drive `incoming/` / `quarantine/` day folders, with
// a Receipts ledger, a JobRuns ledger, labels per message and a JSON Lines log. `collectFromGmail` is
// the ONLY implementation; the sidebar, the Gmail card, the time-driven trigger and the local CLI all
// call it through src/server/jobs/collect-entry.ts. It reaches the world through `CollectDeps` only.
//
// One run = a snapshot of the ids matching the query, handled oldest first, over as many executions as
// needed. One execution: lock → settings and checks (first execution) → JobRun row → snapshot → read
// the Receipts ledger ONCE → messages in batches (messages.get in parallel, attachments with the ids of
// that same get) and each batch in chunks: DECIDE (sha256, dedupe, classify, day folder, unique name
// reserved) → STORE the chunk's files (Drive REST uploads in parallel through FileStore.createFiles) →
// SETTLE each message in order from the real outcomes (rows, counts, labels) — until the time budget,
// the attachment limit or the end → COMMIT → finish the run, or leave it pending with a continuation
// trigger → one log write.
//
// Crash safety (an execution may die at any call; nothing after that call happens):
//   commit = (1) checkpoint "rows from R on may be mine" → (2) append the Receipts rows, flush →
//            (3) labels and read-marks (batchModify per label set) → (4) checkpoint the cursor.
//   - died before (2): files may be in Drive with no Receipt ("orphans"). The next execution sees the
//     run still marked in flight, so it is CAREFUL: it stores one file at a time, probing Drive by name
//     first and REUSING a file whose size and sha256 match; it also commits in smaller and smaller
//     batches until it gets through.
//   - died between (2) and (4): the rows from R on are this run's own; the messages are handled again,
//     their attachments are recognised by key (no download, counted as created, not as duplicates),
//     and the labels are applied. Labels go on only after the rows are flushed, so a labelled message
//     is always fully recorded.
// An upload is not idempotent. A failed one is an error of its message (not labelled, collected again
// by the next run, its name kept reserved in this execution); when it may have created its file all the
// same (5xx, network: `maybeCreated`), the orphan risk is recorded and the runs stay careful until one
// meets every message of its query without an error. Bytes whose upload failed are not stored under a
// later message of the same execution: that message waits too, so the file lands where an undisturbed
// run puts it.
// Dedupe keys on message id + part id and on sha256 (attachment ids are NOT stable across calls).

import { PostroomError } from '../domain/errors';
import type { Locale } from '../domain/i18n';
import {
  JOB_RUNS_TABLE,
  MAX_ATTACHMENTS_PER_RUN_CEILING,
  RECEIPTS_TABLE,
  ReceiptIndex,
  RunLog,
  STATE_FOLDER,
  LOGS_FOLDER,
  adviseSettings,
  appendJsonl,
  attachmentKey,
  checkDay,
  checkSettingsCoherence,
  classifyAttachment,
  classifySender,
  countQuarantine,
  countSkip,
  decodeInlineData,
  defaultCollectSettings,
  emptyMetrics,
  extensionForMimeType,
  formatCollectSummary,
  jobRunToRow,
  jobRunWithMetrics,
  logFileName,
  mergeMetrics,
  parseCollectSettings,
  receiptToRow,
  runStatus,
  sanitizeFileName,
  sha256Hex,
  storagePath,
  translateCollect,
  uniqueName,
  walkMessage,
  type AttachmentCandidate,
  type CollectMetrics,
  type CollectSettings,
  type CollectSummary,
  type GmailMessage,
  type JobRunRecord,
  type QuarantineReason,
  type ReceiptState,
  type RunStatus,
  type SkipReason,
  type WalkResult,
} from '../domain/collect';
import type { CellValue, Clock, CreateFileResult, FileStore, KeyValueStore, LedgerRow, LedgerStore, Lock, Scheduler, StoredFile } from '../ports';
import {
  SNAPSHOT_MAX_IDS,
  STATE_KEYS,
  clearRun,
  loadRunState,
  loadSnapshot,
  saveRunState,
  saveSnapshot,
  type LastRun,
  type LockHolder,
  type RunRequest,
  type RunState,
} from './collect-state';

// ---------------------------------------------------------------------------------------------
// Ports of this job

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

/** The mailbox as the collect job uses it (src/server/adapters/collect-gmail.ts over the Gmail REST API). */
export interface CollectMailbox {
  /** One page of ids matching `query` (newest first). */
  listMessageIds(query: string, pageToken: string | null, maxResults: number): { ids: string[]; nextPageToken: string | null };
  /** Full message resources, in parallel; one failure does not hide the others. */
  getMessages(ids: readonly string[]): Array<Fetched<GmailMessage>>;
  /** Attachment bytes by the ids of the SAME messages.get (they are not stable across calls). */
  getAttachments(refs: ReadonlyArray<{ messageId: string; attachmentId: string }>): Array<Fetched<Uint8Array>>;
  /** Label ids by name, creating missing labels. */
  ensureLabels(names: readonly string[]): Record<string, string>;
  /** Adds / removes labels on MESSAGES (not threads), batched. */
  modifyMessages(ids: readonly string[], add: readonly string[], remove: readonly string[]): void;
  /** Gmail API requests sent by this execution so far. */
  requestsSent(): number;
}

/** What checkSetup reads of the ledger spreadsheet, creating nothing. */
export interface LedgerProbe {
  /** null when no ledger spreadsheet exists yet (one is created on first use). */
  tabs(names: readonly string[]): Record<string, { exists: boolean; headers: string[] }> | null;
}

export interface CollectDeps {
  /** User properties (settings, run state, lock holder). */
  store: KeyValueStore;
  ledger: LedgerStore;
  ledgerProbe: LedgerProbe;
  files: FileStore;
  mail: CollectMailbox;
  lock: Lock;
  scheduler: Scheduler;
  clock: Clock;
  /** The day of an instant in the script's time zone, "YYYY-MM-DD" (Utilities.formatDate). */
  dayOf(ms: number): string;
  locale: Locale;
  /** Published add-on: schedules at most hourly. */
  addonMode: boolean;
}

// ---------------------------------------------------------------------------------------------
// Constants

/** The time-driven handler of the schedule, and the one-off continuation handler (distinct: see Scheduler.continueAfter). */
export const COLLECT_TRIGGER_HANDLER = 'runCollect';
export const COLLECT_CONTINUE_HANDLER = 'runCollectContinue';
export const JOB_LOG_NAME = 'collect_from_gmail';

/** Work stops being taken on after 4.5 minutes of an execution's 6 (the rest is for the commit). */
export const EXECUTION_BUDGET_MS = 270_000;
export const LOCK_WAIT_MS = 1000;
export const MESSAGE_BATCH = 25;
/** Largest total of attachment bytes fetched in one fetchAll. */
export const DOWNLOAD_BATCH_BYTES = 30 * 1024 * 1024;
export const LIST_PAGE_SIZE = 500;
export const CONTINUE_AFTER_MS = 60_000;
/** First commit size after a crash; halved at each further crash, down to 1 message. */
export const CAREFUL_COMMIT_EVERY = 16;

// ---------------------------------------------------------------------------------------------
// Input

export interface CollectInput {
  dryRun?: boolean;
  maxItems?: number;
  /** YYYY-MM-DD: only messages received on or after this day. */
  since?: string;
}

/** Validates what a caller (sidebar JSON, CLI) passed; throws INVALID_INPUT naming the field. */
export function parseCollectInput(input: unknown): CollectInput {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new PostroomError('INVALID_INPUT', 'collect options must be an object such as {"dryRun": true}');
  const record = input as Record<string, unknown>;
  const out: CollectInput = {};
  for (const key of Object.keys(record)) {
    if (!['dryRun', 'maxItems', 'since'].includes(key)) throw new PostroomError('INVALID_INPUT', `${key}: not a collect option (dryRun, maxItems, since)`);
  }
  if (record.dryRun !== undefined && record.dryRun !== null) {
    if (typeof record.dryRun !== 'boolean') throw new PostroomError('INVALID_INPUT', 'dryRun: must be true or false');
    out.dryRun = record.dryRun;
  }
  if (record.maxItems !== undefined && record.maxItems !== null && record.maxItems !== '') {
    const n = record.maxItems;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_ATTACHMENTS_PER_RUN_CEILING) {
      throw new PostroomError('INVALID_INPUT', `maxItems: must be a whole number from 1 to ${MAX_ATTACHMENTS_PER_RUN_CEILING}`);
    }
    out.maxItems = n;
  }
  if (record.since !== undefined && record.since !== null && record.since !== '') {
    if (typeof record.since !== 'string') throw new PostroomError('INVALID_INPUT', 'since: must be a day such as 2026-01-31');
    try {
      out.since = checkDay(record.since.trim());
    } catch {
      throw new PostroomError('INVALID_INPUT', `since: "${record.since}" is not a day in the form YYYY-MM-DD`);
    }
  }
  return out;
}

/** The Gmail query of a run: the settings' query, and `after:YYYY/MM/DD` for `since` (https://support.google.com/mail/answer/7190). */
export function buildQuery(query: string, since: string | null): string {
  return since ? `${query} after:${since.replace(/-/g, '/')}` : query;
}

// ---------------------------------------------------------------------------------------------
// Settings

export function loadCollectSettings(deps: Pick<CollectDeps, 'store' | 'addonMode'>): CollectSettings {
  const raw = deps.store.get<unknown>(STATE_KEYS.settings);
  return parseCollectSettings(raw ?? {}, { addonMode: deps.addonMode });
}

export interface SettingsView {
  settings: CollectSettings;
  /** True when nothing is stored yet (the defaults are shown). */
  defaults: boolean;
  addonMode: boolean;
  advice: string[];
}

export function getCollectSettings(deps: Pick<CollectDeps, 'store' | 'addonMode'>): SettingsView {
  const stored = deps.store.get<unknown>(STATE_KEYS.settings);
  const settings = parseCollectSettings(stored ?? {}, { addonMode: deps.addonMode });
  return { settings, defaults: stored === null, addonMode: deps.addonMode, advice: adviseSettings(settings) };
}

/**
 * Validates and stores settings (a partial object is merged over the stored ones), then installs or
 * removes the time-driven trigger as `schedule` says (none while `enabled` is false). An invalid value
 * throws INVALID_SETTING naming the key, and nothing is stored.
 */
export function saveCollectSettings(deps: Pick<CollectDeps, 'store' | 'addonMode' | 'scheduler'>, input: unknown): SettingsView {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new PostroomError('INVALID_SETTING', 'settings: must be an object of collect settings');
  }
  const stored = deps.store.get<Record<string, unknown>>(STATE_KEYS.settings) ?? {};
  const merged = { ...stored, ...(input as Record<string, unknown>) };
  const settings = parseCollectSettings(merged, { addonMode: deps.addonMode });
  const schedule = settings.enabled ? settings.schedule : { kind: 'off' as const };
  try {
    deps.scheduler.schedule(COLLECT_TRIGGER_HANDLER, schedule);
  } catch (error) {
    // The platform has the last word on what a deployment may schedule (add-ons: at most hourly).
    throw new PostroomError('INVALID_SETTING', `schedule: ${errorMessage(error)}`, { key: 'schedule' });
  }
  deps.store.set(STATE_KEYS.settings, settings);
  return { settings, defaults: false, addonMode: deps.addonMode, advice: adviseSettings(settings) };
}

// ---------------------------------------------------------------------------------------------
// checkSetup

export interface SetupCheck {
  /** Stable id: "settings", "folder.incoming", "ledger.Receipts", "trigger"… */
  id: string;
  ok: boolean;
  /** A failing blocking check stops a run. */
  blocking: boolean;
  detail: string;
}

export interface SetupReport {
  ok: boolean;
  checks: SetupCheck[];
  advice: string[];
}

export function folderPaths(settings: Pick<CollectSettings, 'rootFolder'>): Record<'root' | 'incoming' | 'quarantine' | 'logs', string[]> {
  return {
    root: [settings.rootFolder],
    incoming: [settings.rootFolder, STATE_FOLDER.ingested],
    quarantine: [settings.rootFolder, STATE_FOLDER.quarantined],
    logs: [settings.rootFolder, LOGS_FOLDER],
  };
}

/**
 * The checks of seed §1.4 / §9: settings valid and coherent, folders present (or to be created),
 * ledger tabs present (or to be created, with any missing column added), the trigger installed as
 * configured. Reads only: it creates nothing. `settings` is the stored settings unless given.
 */
export function checkSetup(deps: Pick<CollectDeps, 'store' | 'addonMode' | 'files' | 'ledgerProbe' | 'scheduler'>, given?: CollectSettings): SetupReport {
  const checks: SetupCheck[] = [];
  let settings: CollectSettings | null = given ?? null;
  if (!settings) {
    try {
      settings = loadCollectSettings(deps);
    } catch (error) {
      checks.push({ id: 'settings', ok: false, blocking: true, detail: errorMessage(error) });
    }
  }
  if (settings) {
    const problems = checkSettingsCoherence(settings, { addonMode: deps.addonMode });
    checks.push({ id: 'settings', ok: problems.length === 0, blocking: true, detail: problems.length ? problems.join('; ') : 'valid and coherent' });
    for (const [name, path] of Object.entries(folderPaths(settings))) {
      const present = deps.files.findFolder(path) !== null;
      checks.push({ id: `folder.${name}`, ok: true, blocking: true, detail: `${path.join('/')}: ${present ? 'present' : 'will be created on the first run'}` });
    }
  }
  const tabs = deps.ledgerProbe.tabs([RECEIPTS_TABLE.name, JOB_RUNS_TABLE.name]);
  for (const spec of [RECEIPTS_TABLE, JOB_RUNS_TABLE]) {
    const tab = tabs?.[spec.name];
    let detail: string;
    if (!tabs) detail = 'no ledger spreadsheet yet: a "Postroom" spreadsheet will be created on the first run';
    else if (!tab?.exists) detail = `tab "${spec.name}" will be created on the first run`;
    else {
      const missing = spec.headers.filter((header) => !tab.headers.includes(header));
      detail = missing.length ? `tab "${spec.name}": columns ${missing.join(', ')} will be added` : `tab "${spec.name}" present`;
    }
    checks.push({ id: `ledger.${spec.name}`, ok: true, blocking: true, detail });
  }
  if (settings) {
    const expected = settings.enabled && settings.schedule.kind !== 'off' ? 1 : 0;
    const installed = deps.scheduler.installed(COLLECT_TRIGGER_HANDLER);
    const want = expected ? `one ${describeSchedule(settings)} trigger` : 'no trigger';
    checks.push({
      id: 'trigger',
      ok: installed === expected,
      // A schedule out of step does not make a manual run wrong; saving the settings repairs it.
      blocking: false,
      detail: installed === expected ? `${want} installed, as configured` : `${want} expected, ${installed} installed: save the settings to repair`,
    });
  }
  return { ok: checks.every((check) => check.ok || !check.blocking), checks, advice: settings ? adviseSettings(settings) : [] };
}

function describeSchedule(settings: CollectSettings): string {
  const s = settings.schedule;
  if (s.kind === 'everyMinutes') return `every-${s.minutes}-minutes`;
  if (s.kind === 'daily') return `daily-at-${s.hour}h`;
  return s.kind;
}

// ---------------------------------------------------------------------------------------------
// Status

export interface CollectStatus {
  /** Set while an execution holds the collect lock. */
  running: { sinceMs: number } | null;
  /** A run waiting for its next execution. */
  pending: { runId: string; startedAtMs: number; dryRun: boolean; cursor: number; total: number | null; metrics: CollectMetrics; text: string } | null;
  lastRun: LastRun | null;
}

export function getCollectStatus(deps: Pick<CollectDeps, 'store' | 'lock' | 'locale' | 'clock'>): CollectStatus {
  const handle = deps.lock.tryAcquire(0);
  let running: CollectStatus['running'] = null;
  if (handle) handle.release();
  else {
    const holder = deps.store.get<LockHolder>(STATE_KEYS.lockHolder);
    // Locked by another Postroom job when the collect has no holder record.
    if (holder) running = { sinceMs: holder.sinceMs };
  }
  const state = loadRunState(deps.store);
  return {
    running,
    pending: state
      ? {
          runId: state.runId,
          startedAtMs: state.startedAtMs,
          dryRun: state.request.dryRun,
          cursor: state.cursor,
          total: state.snapshotSize,
          metrics: state.metrics,
          text: formatCollectSummary(deps.locale, state.metrics, { dryRun: state.request.dryRun, pending: true }),
        }
      : null,
    lastRun: deps.store.get<LastRun>(STATE_KEYS.lastRun),
  };
}

// ---------------------------------------------------------------------------------------------
// The run

export type CollectResult = CollectSummary & {
  /** The one-line FR / EN summary. */
  text: string;
  /** Executions this run has taken so far. */
  executions: number;
};

/**
 * Collects attachments (one execution's share of a run). A pending run is continued (with the options
 * it started with); otherwise a new run starts with `input`. Throws PostroomError ALREADY_RUNNING
 * ("already running since …"), SETUP_INCOMPLETE (naming the failing checks), INVALID_INPUT or
 * INVALID_SETTING; anything else that goes wrong is counted, logged and reported in the summary.
 */
export function collectFromGmail(deps: CollectDeps, rawInput?: unknown): CollectResult {
  const executionStart = deps.clock.now();
  const input = parseCollectInput(rawInput);
  const handle = deps.lock.tryAcquire(LOCK_WAIT_MS);
  if (!handle) throw refusalWhileLocked(deps);
  try {
    const state = loadRunState(deps.store);
    deps.store.set(STATE_KEYS.lockHolder, { sinceMs: executionStart, runId: state?.runId ?? null } satisfies LockHolder);
    try {
      return new CollectExecution(deps, executionStart).run(state, input);
    } finally {
      deps.store.delete(STATE_KEYS.lockHolder);
    }
  } finally {
    handle.release();
  }
}

/** An execution lasts at most 6 minutes: a holder record older than that is not holding the lock. */
const EXECUTION_LIMIT_MS = 6 * 60_000;

/**
 * The lock is LockService's user lock, which every Postroom job shares: the collect's own holder
 * record (written when it takes the lock, deleted when it lets go) tells a running collect ("already
 * running since …") from another job.
 */
function refusalWhileLocked(deps: Pick<CollectDeps, 'store' | 'clock' | 'locale'>): PostroomError {
  const holder = deps.store.get<LockHolder>(STATE_KEYS.lockHolder);
  if (holder && deps.clock.now() - holder.sinceMs < EXECUTION_LIMIT_MS) {
    const since = new Date(holder.sinceMs).toISOString();
    return new PostroomError('ALREADY_RUNNING', translateCollect(deps.locale, 'alreadyRunning', { since }), { sinceMs: holder.sinceMs, runId: holder.runId });
  }
  return new PostroomError('ALREADY_RUNNING', translateCollect(deps.locale, 'otherJobRunning'), { sinceMs: null, runId: null });
}

interface MessagePlan {
  id: string;
  fetchError: string | null;
  walk: WalkResult | null;
}

interface PendingLabels {
  imported: boolean;
  quarantine: boolean;
}

type AttachmentResult = 'imported' | 'quarantined' | 'skipped' | 'error' | 'deferred';

/** A message of a chunk, decided; `attachments` settle after the chunk's files are stored (null: nothing to settle). */
interface MessageDecision {
  plan: MessagePlan;
  weight: number;
  attachments: Array<() => AttachmentResult> | null;
}

/** A file decided for a chunk, stored by storeFiles; `result` is its real outcome. */
interface PendingUpload {
  folderId: string;
  /** "incoming/2026-01-05": the key of the names taken in that folder. */
  folderKey: string;
  base: string;
  name: string;
  content: Uint8Array;
  mimeType: string;
  sha: string;
  result: CreateFileResult | null;
}

class CollectExecution {
  private log: RunLog;
  private runId = '';
  private state!: RunState;
  private settings!: CollectSettings;
  /** Metrics of the work done since the last commit. */
  private current: CollectMetrics = emptyMetrics();
  private handledSinceCommit = 0;
  private rows: Array<Record<string, CellValue>> = [];
  private labels = new Map<string, PendingLabels>();
  private cursor = 0;
  /** Attachments counted toward the run's limit, up to the cursor. */
  private handled = 0;
  private lastCommitAt: number;
  private requestsAtLastCommit = 0;
  private index = new ReceiptIndex();
  /** Receipts rows appended by an execution that died before its checkpoint, by key (removed once counted). */
  private ownRows = new Map<string, Record<string, CellValue>>();
  private ownFrom: number | null = null;
  /** Names taken in each folder ("incoming/2026-01-05"), from the ledger and this execution. */
  private names = new Map<string, Set<string>>();
  private receiptRows = 0;
  private careful = false;
  /** Files decided for the current chunk, not stored yet, and the same by sha256. */
  private pendingUploads: PendingUpload[] = [];
  private pendingBySha = new Map<string, PendingUpload>();
  /** sha256 of the files whose store failed in this execution. */
  private failedShas = new Set<string>();
  private orphanRiskMarked = false;
  private labelIds: Record<string, string> | null = null;

  constructor(
    private readonly deps: CollectDeps,
    private readonly startedAt: number,
  ) {
    this.lastCommitAt = startedAt;
    this.log = new RunLog('', () => deps.clock.now());
  }

  run(existing: RunState | null, input: CollectInput): CollectResult {
    const { deps } = this;
    try {
      this.state = existing ?? this.startRun(input);
      this.settings = this.state.settings;
      this.runId = this.state.runId;
      this.log = new RunLog(this.runId, () => deps.clock.now());
      return this.continueRun(existing !== null);
    } finally {
      this.writeLog();
    }
  }

  // ---- run start ------------------------------------------------------------------------------

  private startRun(input: CollectInput): RunState {
    const { deps } = this;
    const settings = loadCollectSettings(deps);
    const report = checkSetup(deps, settings);
    const failing = report.checks.filter((check) => !check.ok && check.blocking);
    if (failing.length) {
      this.log.error('run.refused', { reason: failing.map((check) => `${check.id}: ${check.detail}`).join(' | ') });
      throw new PostroomError('SETUP_INCOMPLETE', `Collect cannot start: ${failing.map((check) => `${check.id} — ${check.detail}`).join('; ')}`, { checks: failing });
    }
    const request: RunRequest = {
      dryRun: input.dryRun ?? settings.dryRun,
      limit: Math.min(input.maxItems ?? settings.maxAttachmentsPerRun, settings.maxAttachmentsPerRun),
      since: input.since ?? null,
    };
    const startedAtMs = deps.clock.now();
    const state: RunState = {
      version: 1,
      runId: `collect-${new Date(startedAtMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`,
      startedAtMs,
      request,
      settings,
      query: buildQuery(settings.query, request.since),
      jobRunRow: null,
      snapshotSize: null,
      snapshotChunks: 0,
      cursor: 0,
      handled: 0,
      metrics: emptyMetrics(),
      executions: 0,
      inFlight: false,
      commitEvery: null,
      pendingAppendFrom: null,
    };
    // Saved before the JobRun row, so the row can be found again by run id (never written twice).
    saveRunState(deps.store, state);
    return state;
  }

  // ---- one execution of the run -----------------------------------------------------------------

  private continueRun(resumed: boolean): CollectResult {
    const { deps, state } = this;
    if (state.inFlight) {
      // The previous execution of this run died (killed, or past its deadline) before its end.
      this.careful = true;
      state.commitEvery = state.commitEvery ? Math.max(1, Math.floor(state.commitEvery / 2)) : CAREFUL_COMMIT_EVERY;
      if (!deps.store.get<boolean>(STATE_KEYS.orphanRisk)) deps.store.set(STATE_KEYS.orphanRisk, true);
      this.log.warn('run.recovering', { commitEvery: state.commitEvery, cursor: state.cursor });
    } else if (state.commitEvery !== null) this.careful = true;
    if (!this.careful && deps.store.get<boolean>(STATE_KEYS.orphanRisk)) this.careful = true;
    state.inFlight = true;
    state.executions += 1;
    saveRunState(deps.store, state);
    this.log.info(resumed ? 'run.resumed' : 'run.started', {
      dryRun: state.request.dryRun,
      query: state.query,
      limit: state.request.limit,
      execution: state.executions,
    });

    this.ensureJobRunRow();
    const ids = this.ensureSnapshot();
    this.readReceipts();
    this.cursor = state.cursor;
    this.handled = state.handled;

    let stop: 'budget' | 'limit' | 'end' = 'end';
    let failure: unknown = null;
    try {
      stop = this.processMessages(ids);
      this.commit();
    } catch (error) {
      failure = error;
    }
    if (failure !== null) return this.handleFailure(failure, ids);
    if (stop === 'budget') return this.leavePending(ids);
    if (stop === 'limit') {
      const left = ids.length - this.cursor;
      countSkip(state.metrics, 'over_run_limit', left);
      this.log.info('run.limit_reached', { limit: state.request.limit, messagesLeft: left });
    }
    return this.finishRun(stop === 'end' ? false : true);
  }

  private timeUp(): boolean {
    return this.deps.clock.now() - this.startedAt >= EXECUTION_BUDGET_MS;
  }

  private ensureJobRunRow(): void {
    const { deps, state } = this;
    if (state.jobRunRow !== null) return;
    const table = deps.ledger.table(JOB_RUNS_TABLE);
    const found = table.readAll().find((row) => String(row.values.run_id) === state.runId);
    if (found) state.jobRunRow = found.rowNumber;
    else {
      const [rowNumber] = table.append([jobRunToRow(this.jobRunRecord('running', null))]);
      deps.ledger.flush();
      state.jobRunRow = rowNumber;
    }
    saveRunState(deps.store, state);
  }

  private jobRunRecord(status: RunStatus, finishedAtMs: number | null, metrics: CollectMetrics = this.state.metrics, summary = ''): JobRunRecord {
    const base: JobRunRecord = {
      runId: this.state.runId,
      job: 'collect',
      status,
      startedAtMs: this.state.startedAtMs,
      finishedAtMs,
      durationSec: 0,
      emailsScanned: 0,
      attachmentsSeen: 0,
      attachmentsDownloaded: 0,
      receiptsCreated: 0,
      duplicatesSkipped: 0,
      quarantined: 0,
      errorsCount: 0,
      gmailApiCalls: 0,
      logUrl: '',
      summary,
    };
    return jobRunWithMetrics(base, metrics);
  }

  /** Lists the query's ids once per run (oldest first), and saves them before any work. */
  private ensureSnapshot(): string[] {
    const { deps, state } = this;
    if (state.snapshotSize !== null) return loadSnapshot(deps.store, state.snapshotChunks, state.snapshotSize);
    const ids: string[] = [];
    let pageToken: string | null = null;
    let truncated = false;
    do {
      const page = deps.mail.listMessageIds(state.query, pageToken, LIST_PAGE_SIZE);
      for (const id of page.ids) if (!ids.includes(id)) ids.push(id);
      pageToken = page.nextPageToken;
      if (ids.length >= SNAPSHOT_MAX_IDS) {
        truncated = pageToken !== null || ids.length > SNAPSHOT_MAX_IDS;
        break;
      }
    } while (pageToken);
    // Gmail lists newest first; a backlog is handled in the order it arrived. Past the cap, the
    // newest wait for the next run.
    const snapshot = ids.slice(0, SNAPSHOT_MAX_IDS).reverse();
    state.snapshotChunks = saveSnapshot(deps.store, snapshot);
    state.snapshotSize = snapshot.length;
    saveRunState(deps.store, state);
    this.log.info('run.snapshot', { messages: snapshot.length, truncated });
    return snapshot;
  }

  /** Reads the Receipts ledger ONCE: the dedupe index, the names taken per folder, this run's own rows. */
  private readReceipts(): void {
    const rows: LedgerRow[] = this.deps.ledger.table(RECEIPTS_TABLE).readAll();
    this.receiptRows = rows.length;
    this.index = ReceiptIndex.fromRows(rows.map((row) => row.values));
    const from = this.state.pendingAppendFrom;
    this.ownFrom = from;
    for (const row of rows) {
      const path = String(row.values.storage_path ?? '');
      const slash = path.lastIndexOf('/');
      if (slash > 0) this.takenNames(path.slice(0, slash)).add(path.slice(slash + 1));
      if (from !== null && row.rowNumber >= from) this.ownRows.set(String(row.values.attachment_key), row.values);
    }
    if (this.ownRows.size) this.log.warn('run.own_rows_found', { rows: this.ownRows.size, fromRow: from });
  }

  private takenNames(folder: string): Set<string> {
    let names = this.names.get(folder);
    if (!names) {
      names = new Set();
      this.names.set(folder, names);
    }
    return names;
  }

  // ---- messages -------------------------------------------------------------------------------

  /**
   * Messages in batches of MESSAGE_BATCH (one messages.get fetchAll, one download pass), each batch in
   * chunks (the whole batch, or `commitEvery` messages while recovering): DECIDE every attachment of
   * the chunk (dedupe, classify, folder and unique name), STORE the chunk's files (in parallel, or one
   * by one with an orphan probe when careful), then SETTLE each message in order from the real
   * outcomes (rows, counts, labels). The time budget and the run's limit are checked per message while
   * deciding; what was decided is always stored and settled before stopping.
   */
  private processMessages(ids: string[]): 'budget' | 'limit' | 'end' {
    const { deps, state } = this;
    while (this.cursor < ids.length) {
      if (this.timeUp()) return 'budget';
      const batchIds = ids.slice(this.cursor, this.cursor + MESSAGE_BATCH);
      const fetched = deps.mail.getMessages(batchIds);
      const plans: MessagePlan[] = batchIds.map((id, i) => {
        const reply = fetched[i];
        if (!reply.ok) return { id, fetchError: reply.error, walk: null };
        return { id, fetchError: null, walk: walkMessage(reply.value) };
      });
      const bytes = this.download(plans);
      let next = 0;
      while (next < plans.length) {
        const room = state.commitEvery !== null ? Math.max(1, state.commitEvery - this.handledSinceCommit) : plans.length;
        const decided: MessageDecision[] = [];
        let handledAhead = this.handled;
        let stop: 'budget' | 'limit' | null = null;
        while (next < plans.length && decided.length < room) {
          if (this.timeUp()) {
            stop = 'budget';
            break;
          }
          const plan = plans[next];
          const weight = plan.walk?.candidates.length ?? 0;
          if (weight > 0 && handledAhead > 0 && handledAhead + weight > state.request.limit) {
            stop = 'limit';
            break;
          }
          decided.push(this.decideMessage(plan, bytes, weight));
          handledAhead += weight;
          next += 1;
          if (handledAhead >= state.request.limit && this.cursor + decided.length < ids.length) {
            stop = 'limit';
            break;
          }
        }
        this.storeFiles();
        for (const decision of decided) {
          this.settleMessage(decision);
          this.handled += decision.weight;
          this.cursor += 1;
          this.handledSinceCommit += 1;
        }
        if (state.commitEvery !== null && this.handledSinceCommit >= state.commitEvery) this.commit();
        if (stop) return stop;
      }
    }
    return 'end';
  }

  /** Which attachments need their bytes: new keys worth fetching, by the ids of this same get. */
  private download(plans: MessagePlan[]): Map<string, Fetched<Uint8Array>> {
    const wanted: Array<{ key: string; messageId: string; attachmentId: string; size: number }> = [];
    for (const plan of plans) {
      if (!plan.walk) continue;
      const sender = classifySender(plan.walk.message.from.address, plan.walk.message.auth, this.settings);
      if (sender.verdict === 'skip') continue;
      for (const candidate of plan.walk.candidates) {
        const key = attachmentKey(plan.id, candidate.partId);
        if (!candidate.attachmentId || this.ownRows.has(key) || this.index.check(key) !== 'new') continue;
        const pre = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: candidate.size }, this.settings);
        if (!pre.fetchBytes) continue;
        wanted.push({ key, messageId: plan.id, attachmentId: candidate.attachmentId, size: candidate.size });
      }
    }
    const out = new Map<string, Fetched<Uint8Array>>();
    let start = 0;
    while (start < wanted.length) {
      let end = start;
      let total = 0;
      while (end < wanted.length && (end === start || total + wanted[end].size <= DOWNLOAD_BATCH_BYTES)) total += wanted[end++].size;
      const slice = wanted.slice(start, end);
      const replies = this.deps.mail.getAttachments(slice.map(({ messageId, attachmentId }) => ({ messageId, attachmentId })));
      slice.forEach((item, i) => out.set(item.key, replies[i]));
      start = end;
    }
    return out;
  }

  /** Message-level checks and counts, and the decision for each attachment (settled after the store). */
  private decideMessage(plan: MessagePlan, bytes: Map<string, Fetched<Uint8Array>>, weight: number): MessageDecision {
    const m = this.current;
    const { log } = this;
    const decision: MessageDecision = { plan, weight, attachments: null };
    m.emailsScanned += 1;
    if (!plan.walk) {
      m.errorsCount += 1;
      log.error('message.fetch_failed', { messageId: plan.id, reason: plan.fetchError ?? '' });
      return decision;
    }
    const walk = plan.walk;
    for (const [reason, count] of Object.entries(walk.skipped)) countSkip(m, reason as SkipReason, count ?? 0);
    for (const problem of walk.problems) log.warn('message.mime_problem', { messageId: plan.id, reason: problem });
    if (walk.driveLinks.length) log.info('message.drive_links', { messageId: plan.id, links: walk.driveLinks.length });
    const from = walk.message.from;
    const sender = classifySender(from.address, walk.message.auth, this.settings);
    if (sender.verdict === 'skip') {
      countSkip(m, 'sender_not_allowed');
      log.info('message.skipped', { messageId: plan.id, reason: sender.reason, sender: from.address, attachments: walk.candidates.length });
      return decision;
    }
    const senderQuarantine = sender.verdict === 'quarantine' ? sender : null;
    if (senderQuarantine) log.warn('message.sender_not_authenticated', { messageId: plan.id, sender: from.address, reason: senderQuarantine.detail });
    decision.attachments = walk.candidates.map((candidate) => this.decideAttachment(plan, candidate, bytes, senderQuarantine ? senderQuarantine.detail : null));
    return decision;
  }

  /** Rows, counts and labels of one message from the real outcomes of its attachments. */
  private settleMessage(decision: MessageDecision): void {
    if (!decision.attachments) return;
    const { plan } = decision;
    const labels: PendingLabels = { imported: false, quarantine: false };
    let failed = false;
    for (const settle of decision.attachments) {
      const result = settle();
      if (result === 'error' || result === 'deferred') failed = true;
      else if (result === 'imported') labels.imported = true;
      else if (result === 'quarantined') labels.quarantine = true;
    }
    if (failed) {
      this.log.warn('message.not_labelled', { messageId: plan.id, reason: 'an attachment could not be handled; the message is tried again next run' });
      return;
    }
    if (labels.imported || labels.quarantine) this.labels.set(plan.id, labels);
  }

  /**
   * Everything about one attachment that needs no write: counted and logged now; its row (if any) is
   * recorded when settled, in message order. A file to store becomes a PendingUpload of the chunk.
   */
  private decideAttachment(
    plan: MessagePlan,
    candidate: AttachmentCandidate,
    bytes: Map<string, Fetched<Uint8Array>>,
    senderNotAuthenticated: string | null,
  ): () => AttachmentResult {
    const m = this.current;
    const walk = plan.walk as WalkResult;
    const key = attachmentKey(plan.id, candidate.partId);
    const fields = { messageId: plan.id, partId: candidate.partId, filename: candidate.filename };
    m.attachmentsSeen += 1;

    const own = this.ownRows.get(key);
    if (own) {
      this.ownRows.delete(key);
      // Recorded by this run's execution that died before its checkpoint: counted as it was done.
      if (String(own.sha256 ?? '')) m.attachmentsDownloaded += 1;
      this.log.info('attachment.recovered', { ...fields, state: String(own.state) });
      if (String(own.state) === 'quarantined') {
        countQuarantine(m, String(own.reason ?? '').split(':')[0] as QuarantineReason);
        return () => 'quarantined';
      }
      m.receiptsCreated += 1;
      return () => 'imported';
    }
    if (this.index.check(key) !== 'new') {
      m.duplicatesSkipped += 1;
      this.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_key' });
      return () => 'imported';
    }
    const pre = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: candidate.size }, this.settings);
    if (pre.verdict === 'skip') {
      countSkip(m, pre.reason as SkipReason);
      this.log.info('attachment.skipped', { ...fields, reason: pre.reason });
      return () => 'skipped';
    }
    if (!pre.fetchBytes) {
      // 0 bytes or over maxSizeBytes: quarantined on Gmail's size, without a download or a file.
      const reason = pre.reason as QuarantineReason;
      countQuarantine(m, reason);
      this.log.warn('attachment.quarantined', { ...fields, reason, detail: pre.detail, stored: false });
      return () => {
        this.record(plan, candidate, key, { state: 'quarantined', reason: `${reason}: ${pre.detail}`, sha: '', file: null, mimeType: pre.mimeType, size: candidate.size });
        return 'quarantined';
      };
    }

    let content: Uint8Array;
    if (candidate.attachmentId) {
      const reply = bytes.get(key);
      if (!reply || !reply.ok) {
        m.errorsCount += 1;
        this.log.error('attachment.download_failed', { ...fields, reason: reply && !reply.ok ? reply.error : 'not downloaded' });
        return () => 'error';
      }
      content = reply.value;
    } else content = decodeInlineData(candidate);
    m.attachmentsDownloaded += 1;
    const sha = sha256Hex(content);
    if (this.index.check(key, sha) === 'duplicate_sha256') {
      m.duplicatesSkipped += 1;
      this.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_sha256', sha256: sha });
      return () => 'imported';
    }
    const original = this.pendingBySha.get(sha);
    if (original) {
      // The same bytes are being stored for an earlier attachment of this chunk: a duplicate once that
      // file is stored; if it is not, this message waits for the next run with it.
      return () => {
        if (original.result?.ok) {
          m.duplicatesSkipped += 1;
          this.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_sha256', sha256: sha });
          return 'imported';
        }
        this.log.warn('attachment.deferred', { ...fields, reason: 'the same bytes could not be stored for an earlier attachment', sha256: sha });
        return 'deferred';
      };
    }
    if (this.failedShas.has(sha)) {
      // Storing these bytes failed earlier in this execution: they are stored under that earlier
      // message when it is tried again (oldest first), not under this one.
      this.log.warn('attachment.deferred', { ...fields, reason: 'the same bytes could not be stored for an earlier attachment', sha256: sha });
      return () => 'deferred';
    }
    const checked = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: content.length, bytes: content }, this.settings);
    if (checked.verdict === 'skip') {
      countSkip(m, checked.reason as SkipReason);
      return () => 'skipped';
    }
    let state: ReceiptState = 'ingested';
    let reason: QuarantineReason | null = null;
    let detail = '';
    if (senderNotAuthenticated !== null) {
      state = 'quarantined';
      reason = 'sender_not_authenticated';
      detail = senderNotAuthenticated;
    } else if (checked.verdict === 'quarantine') {
      state = 'quarantined';
      reason = checked.reason as QuarantineReason;
      detail = checked.detail;
    }
    const day = this.deps.dayOf(walk.message.internalDateMs ?? this.deps.clock.now());
    let upload: PendingUpload;
    try {
      upload = this.planFile(state, day, candidate, content, checked.mimeType, sha);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      m.errorsCount += 1;
      this.log.error('attachment.store_failed', { ...fields, reason: errorMessage(error) });
      return () => 'error';
    }
    return () => {
      const result = upload.result;
      if (!result || !result.ok) {
        m.errorsCount += 1;
        this.log.error('attachment.store_failed', {
          ...fields,
          reason: result ? result.error : 'not stored',
          maybeCreated: result ? result.maybeCreated : false,
          path: storagePath(state, day, upload.name),
        });
        return 'error';
      }
      const file = { id: result.file.id, url: result.file.url, path: storagePath(state, day, upload.name) };
      this.record(plan, candidate, key, { state, reason: reason ? `${reason}: ${detail}` : '', sha, file, mimeType: checked.mimeType, size: content.length });
      if (state === 'quarantined') {
        countQuarantine(m, reason as QuarantineReason);
        this.log.warn('attachment.quarantined', { ...fields, reason, detail, path: file.path, sha256: sha });
        return 'quarantined';
      }
      m.receiptsCreated += 1;
      this.log.info('attachment.ingested', { ...fields, path: file.path, sha256: sha, size: content.length, sender: walk.message.from.address });
      return 'imported';
    };
  }

  private record(
    plan: MessagePlan,
    candidate: AttachmentCandidate,
    key: string,
    outcome: { state: ReceiptState; reason: string; sha: string; file: { id: string; url: string; path: string } | null; mimeType: string; size: number },
  ): void {
    const message = (plan.walk as WalkResult).message;
    this.index.add(key, outcome.sha);
    if (this.state.request.dryRun) return;
    this.rows.push(
      receiptToRow({
        source: 'gmail',
        gmailMessageId: plan.id,
        attachmentKey: key,
        originalFilename: candidate.filename,
        contentType: outcome.mimeType,
        filesize: outcome.size,
        sha256: outcome.sha,
        storagePath: outcome.file?.path ?? '',
        driveFileId: outcome.file?.id ?? '',
        driveUrl: outcome.file?.url ?? '',
        sender: message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address,
        subject: message.subject,
        receivedAtMs: message.internalDateMs ?? this.deps.clock.now(),
        state: outcome.state,
        reason: outcome.reason,
      }),
    );
  }

  /**
   * The file an attachment becomes: its day folder and a unique sanitised name, RESERVED now (even if
   * the upload then fails, so no other file of this execution takes a name an in-doubt upload may
   * hold). Nothing is overwritten. A dry run gets its path and is stored as already done.
   */
  private planFile(state: ReceiptState, day: string, candidate: AttachmentCandidate, content: Uint8Array, mimeType: string, sha: string): PendingUpload {
    const ext = extensionForMimeType(mimeType);
    const base = sanitizeFileName(candidate.filename, ext ? `attachment.${ext}` : 'attachment');
    const folderKey = `${STATE_FOLDER[state]}/${day}`;
    const taken = this.takenNames(folderKey);
    const name = uniqueName(base, taken);
    taken.add(name);
    const upload: PendingUpload = { folderId: '', folderKey, base, name, content, mimeType, sha, result: null };
    if (this.state.request.dryRun) upload.result = { ok: true, file: { id: '', name, url: '', size: content.length, mimeType } };
    else {
      upload.folderId = this.deps.files.ensureFolder([this.settings.rootFolder, STATE_FOLDER[state], day]);
      this.pendingUploads.push(upload);
    }
    this.pendingBySha.set(sha, upload);
    return upload;
  }

  /**
   * Stores the chunk's files: all at once through FileStore.createFiles (parallel uploads), or, while
   * careful (after a crash or an upload in doubt), one by one after probing Drive for an orphan of the
   * same name, size and sha256 to reuse. An upload that may have created its file all the same
   * (`maybeCreated`) makes the next runs careful until a run ends clean, so the orphan is reused then.
   */
  private storeFiles(): void {
    const uploads = this.pendingUploads;
    this.pendingUploads = [];
    this.pendingBySha = new Map();
    if (!uploads.length) return;
    if (this.careful) {
      for (const upload of uploads) {
        try {
          upload.result = { ok: true, file: this.storeCarefully(upload) };
        } catch (error) {
          if (isExecutionOver(error)) throw error;
          upload.result = { ok: false, error: errorMessage(error), maybeCreated: true };
        }
      }
    } else {
      const results = this.deps.files.createFiles(uploads.map(({ folderId, name, content, mimeType }) => ({ folderId, name, bytes: content, mimeType })));
      uploads.forEach((upload, i) => (upload.result = results[i]));
    }
    let inDoubt = 0;
    for (const upload of uploads) {
      const result = upload.result as CreateFileResult;
      if (result.ok) continue;
      this.failedShas.add(upload.sha);
      if (result.maybeCreated) inDoubt += 1;
    }
    if (inDoubt && !this.orphanRiskMarked) {
      this.deps.store.set(STATE_KEYS.orphanRisk, true);
      this.orphanRiskMarked = true;
      this.log.warn('run.uploads_in_doubt', { files: inDoubt, reason: 'the next runs probe Drive before creating these files again' });
    }
  }

  /** After a crash a file may be in Drive that no Receipt records: reuse it if it is these bytes. */
  private storeCarefully(upload: PendingUpload): StoredFile {
    const { deps } = this;
    const taken = this.takenNames(upload.folderKey);
    for (;;) {
      const existing = deps.files.findFileByName(upload.folderId, upload.name);
      if (!existing) return deps.files.createFile(upload.folderId, upload.name, upload.content, upload.mimeType);
      if (existing.size === upload.content.length && sha256Hex(existing.bytes()) === upload.sha) {
        this.log.info('file.reused', { filename: upload.name, path: `${upload.folderKey}/${upload.name}` });
        return { id: existing.id, name: upload.name, url: existing.url, size: upload.content.length, mimeType: upload.mimeType };
      }
      // Another file holds the name: take the next free one.
      upload.name = uniqueName(upload.base, taken);
      taken.add(upload.name);
    }
  }

  // ---- commit ---------------------------------------------------------------------------------

  /** Rows recorded and flushed, then labels, then the cursor: see the file comment. */
  private commit(): void {
    const { deps, state } = this;
    const dryRun = state.request.dryRun;
    if (!dryRun && this.rows.length) {
      // Rows from here on are this run's until the checkpoint below (or from earlier, while rows an
      // execution that died appended are still to be met again).
      state.pendingAppendFrom = this.ownRows.size && this.ownFrom !== null ? this.ownFrom : this.receiptRows + 2;
      saveRunState(deps.store, state);
      deps.ledger.table(RECEIPTS_TABLE).append(this.rows);
      deps.ledger.flush();
      this.receiptRows += this.rows.length;
    }
    if (!dryRun && this.labels.size) this.applyLabels();
    const now = deps.clock.now();
    const requests = deps.mail.requestsSent();
    this.current.gmailApiCalls += requests - this.requestsAtLastCommit;
    this.current.durationSec += (now - this.lastCommitAt) / 1000;
    this.requestsAtLastCommit = requests;
    this.lastCommitAt = now;
    state.metrics = mergeMetrics(state.metrics, this.current);
    state.cursor = this.cursor;
    state.handled = this.handled;
    state.pendingAppendFrom = this.ownRows.size ? this.ownFrom : null;
    saveRunState(deps.store, state);
    this.current = emptyMetrics();
    this.rows = [];
    this.labels = new Map();
    this.handledSinceCommit = 0;
  }

  private applyLabels(): void {
    const { settings } = this;
    const groups = new Map<string, { add: string[]; ids: string[] }>();
    const names: string[] = [];
    if (settings.applyLabels) names.push(settings.labelImported, settings.labelQuarantine);
    if (names.length && !this.labelIds) this.labelIds = this.deps.mail.ensureLabels(names);
    for (const [messageId, wanted] of this.labels) {
      const add: string[] = [];
      if (settings.applyLabels && wanted.imported) add.push((this.labelIds as Record<string, string>)[settings.labelImported]);
      if (settings.applyLabels && wanted.quarantine) add.push((this.labelIds as Record<string, string>)[settings.labelQuarantine]);
      const key = add.join(',');
      const group = groups.get(key) ?? { add, ids: [] };
      group.ids.push(messageId);
      groups.set(key, group);
    }
    const remove = settings.markAsRead ? ['UNREAD'] : [];
    for (const { add, ids } of groups.values()) {
      try {
        this.deps.mail.modifyMessages(ids, add, remove);
        this.log.info('messages.labelled', { messages: ids.length, labels: add.join(','), markAsRead: settings.markAsRead });
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        // The rows are recorded: the next run finds the keys and labels these messages then.
        this.current.errorsCount += 1;
        this.log.error('messages.label_failed', { messages: ids.length, reason: errorMessage(error) });
      }
    }
  }

  // ---- end of an execution --------------------------------------------------------------------

  private leavePending(ids: string[]): CollectResult {
    const { deps, state } = this;
    state.inFlight = false;
    saveRunState(deps.store, state);
    try {
      deps.scheduler.continueAfter(COLLECT_CONTINUE_HANDLER, CONTINUE_AFTER_MS);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      this.log.warn('run.continuation_not_scheduled', { reason: errorMessage(error) });
    }
    this.log.info('run.paused', { cursor: state.cursor, messages: ids.length });
    return this.result('running', null, true);
  }

  private finishRun(limitReached: boolean, aborted = false): CollectResult {
    const { deps, state } = this;
    const finishedAt = deps.clock.now();
    const status = runStatus(state.metrics, { dryRun: state.request.dryRun, aborted });
    const logPath = this.logPath();
    const text = formatCollectSummary(deps.locale, state.metrics, { dryRun: state.request.dryRun });
    this.log.info('run.finished', { status, summary: text, executions: state.executions });
    this.writeLog();
    const logUrl = this.logUrl ?? '';
    if (state.jobRunRow !== null) {
      const record = { ...this.jobRunRecord(status, finishedAt, state.metrics, text), logUrl };
      const table = deps.ledger.table(JOB_RUNS_TABLE);
      table.readAll();
      table.update([{ rowNumber: state.jobRunRow, values: jobRunToRow(record) }]);
      deps.ledger.flush();
    }
    const result = this.result(status, finishedAt, false, logUrl);
    deps.store.set(STATE_KEYS.lastRun, { ...result, logPath } satisfies LastRun);
    clearRun(deps.store, state);
    // Orphans are no longer possible once a run has met every message of its query without an error
    // (an upload in doubt, or any failed message, is tried again by the next run: careful until then).
    if (!limitReached && !state.request.dryRun && state.metrics.errorsCount === 0) deps.store.delete(STATE_KEYS.orphanRisk);
    if (deps.scheduler.installed(COLLECT_CONTINUE_HANDLER) > 0) deps.scheduler.schedule(COLLECT_CONTINUE_HANDLER, { kind: 'off' });
    return result;
  }

  /**
   * An error that is not a refusal: what was done is committed when possible; a transient error
   * leaves the run pending for the next execution, anything else ends it as failed / partial.
   */
  private handleFailure(error: unknown, ids: string[]): CollectResult {
    if (isExecutionOver(error)) throw error;
    const { state } = this;
    this.log.error('run.error', { reason: errorMessage(error) });
    this.current.errorsCount += 1;
    try {
      this.commit();
    } catch (again) {
      if (isExecutionOver(again)) throw again;
      this.log.error('run.commit_failed', { reason: errorMessage(again) });
      state.metrics = mergeMetrics(state.metrics, this.current);
      this.current = emptyMetrics();
    }
    const transient = error instanceof PostroomError && (error.code === 'TRANSIENT' || error.code === 'QUOTA');
    if (transient && this.cursor < ids.length) return this.leavePending(ids);
    return this.finishRun(false, true);
  }

  private logPath(): string {
    return `${LOGS_FOLDER}/${logFileName(this.deps.dayOf(this.deps.clock.now()))}`;
  }

  private logUrl: string | null = null;
  private logWritten = false;

  /** ONE write per execution: the day's JSON Lines file, read and rewritten with this execution's lines. */
  private writeLog(): void {
    if (this.logWritten) return;
    const { deps } = this;
    const lines = this.log.drain();
    // A refused run (no run state) writes nothing anywhere: the refusal goes back to the caller.
    if (!lines.length || !this.state) return;
    const settings = this.settings;
    this.logWritten = true;
    try {
      const folderId = deps.files.ensureFolder([settings.rootFolder, LOGS_FOLDER]);
      const name = logFileName(deps.dayOf(deps.clock.now()));
      const existing = deps.files.readTextFile(folderId, name) ?? '';
      const stored = deps.files.writeTextFile(folderId, name, appendJsonl(existing, lines), 'application/x-ndjson');
      this.logUrl = stored.url;
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      console.error(`Postroom collect: the log could not be written (${errorMessage(error)})`);
    }
  }

  private result(status: RunStatus, finishedAtMs: number | null, pending: boolean, logUrl = ''): CollectResult {
    const { state } = this;
    return {
      runId: state.runId,
      status,
      dryRun: state.request.dryRun,
      metrics: state.metrics,
      startedAtMs: state.startedAtMs,
      finishedAtMs,
      pending,
      logPath: this.logPath(),
      logUrl,
      text: formatCollectSummary(this.deps.locale, state.metrics, { dryRun: state.request.dryRun, pending }),
      executions: state.executions,
    };
  }
}

/**
 * The message of anything thrown. Not `instanceof Error`: an error may come from another realm (the
 * emulator's services run outside the script's context), and a plain object with a message is fine.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}

/**
 * True for the error a service throws once the execution is over (6-minute deadline, kill): nothing
 * can be written any more, so it must propagate, never be counted and carried on from.
 */
export function isExecutionOver(error: unknown): boolean {
  const message = errorMessage(error);
  return /Exceeded maximum execution time|Execution killed/i.test(message);
}

export { defaultCollectSettings };
