// One execution's share of a collect run: the lock (with a holder record that tells "already running
// since …" from another job), a new run or the pending one continued, the crash markers checked, the
// JobRun row, the snapshot, the Receipts ledger read once, the messages, the commit, then the run left
// pending or finished. The log is written once, at the end, whatever happened.

import { RunLog, countSkip, translateCollect } from '../../domain/collect';
import { PostroomError, errorMessage, isExecutionOver } from '../../domain/errors';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import { appendFrom, commit } from './commit';
import { CAREFUL_COMMIT_EVERY, EXECUTION_LIMIT_MS, LOCK_WAIT_MS, MESSAGE_RETRY_EXECUTIONS, type CollectDeps } from './deps';
import { newExecution, type Execution } from './execution';
import { finishRun, handleFailure, leavePending, type CollectResult } from './finish';
import { parseCollectInput, type CollectInput } from './input';
import { leanLedger, readReceiptsRiding } from './lean-ledger';
import { stopsTheRun } from './mail';
import { storePlanned } from './planned';
import { processMessages, type StopReason } from './process';
import { readReceipts } from './receipts';
import { leaveForNextExecution, loadRunState, saveMany, type LockHolder, type RunState } from './run-state';
import { ensureSnapshot } from './snapshot';
import { ensureRootFolder } from './store';
import { ensureJobRunRow, startRun } from './start';
import { writeLog } from './write-log';

/**
 * Collects attachments (one execution's share of a run). A pending run is continued (with the options
 * it started with); otherwise a new run starts with `input`. Throws PostroomError ALREADY_RUNNING
 * ("already running since …"), SETUP_INCOMPLETE (naming the failing checks), INVALID_INPUT or
 * INVALID_SETTING; anything else that goes wrong is counted, logged and reported in the summary.
 */
export function collectFromGmail(deps: CollectDeps, rawInput?: unknown): CollectResult {
  const executionStart = deps.clock.now();
  const input = parseInput(deps, rawInput);
  const handle = deps.lock.tryAcquire(LOCK_WAIT_MS);
  if (!handle) throw refusalWhileLocked(deps);
  let closed = false;
  try {
    // The lock holder record (written with the in-flight mark) is read only while the lock is held, so
    // it is left in place at the end: no call is spent deleting it.
    const result = runExecution(deps, executionStart, loadRunState(deps.store), input);
    closed = !result.pending;
    return result;
  } finally {
    // A run just closed (its state cleared, its last durable step) ends the execution at once: the lock
    // goes with it (Apps Script releases a script's locks when it ends), so no call comes after the
    // close that could be cut short and make the caller start a new run. Otherwise released here.
    if (!closed) handle.release();
  }
}

/** Valid options cost no call; a refusal is said again in the user's language (reading it is a call). */
function parseInput(deps: Pick<CollectDeps, 'locale'>, rawInput: unknown): CollectInput {
  try {
    return parseCollectInput(rawInput);
  } catch {
    return parseCollectInput(rawInput, deps.locale);
  }
}

/**
 * The lock is LockService's user lock, which every Postroom job shares: the collect's own holder
 * record (written when it takes the lock, deleted when it lets go) tells a running collect ("already
 * running since …") from another job.
 */
function refusalWhileLocked(deps: Pick<CollectDeps, 'store' | 'clock' | 'locale'>): PostroomError {
  const holder = deps.store.get<LockHolder>(COLLECT_KEYS.lockHolder);
  if (holder && deps.clock.now() - holder.sinceMs < EXECUTION_LIMIT_MS) {
    const since = new Date(holder.sinceMs).toISOString();
    return new PostroomError('ALREADY_RUNNING', translateCollect(deps.locale, 'alreadyRunning', { since }), {
      sinceMs: holder.sinceMs,
      runId: holder.runId,
    });
  }
  return new PostroomError('ALREADY_RUNNING', translateCollect(deps.locale, 'otherJobRunning'), { sinceMs: null, runId: null });
}

/** A refused run (setup incomplete, bad settings) throws before it has a state: no log is written then. */
function runExecution(deps: CollectDeps, startedAt: number, existing: RunState | null, input: CollectInput): CollectResult {
  const state = existing ?? startRun(deps, input, new RunLog('', () => deps.clock.now()));
  const ex = newExecution(deps, startedAt, state, new RunLog(state.runId, () => deps.clock.now()));
  try {
    return continueRun(ex, existing !== null);
  } finally {
    writeLog(ex);
  }
}

/** Marks the execution in flight, noticing when the previous one died (then: careful, smaller commits). */
function markInFlight(ex: Execution, resumed: boolean): void {
  const { deps, state } = ex;
  if (state.inFlight) {
    // The previous execution of this run died (killed, or past its deadline) before its end.
    ex.careful = true;
    state.commitEvery = state.commitEvery ? Math.max(1, Math.floor(state.commitEvery / 2)) : CAREFUL_COMMIT_EVERY;
    ex.log.warn('run.recovering', { commitEvery: state.commitEvery, cursor: state.cursor });
  } else if (state.commitEvery !== null) ex.careful = true;
  if (!ex.careful && deps.store.get<boolean>(COLLECT_KEYS.orphanRisk)) ex.careful = true;
  // (Not once the close has begun: no file is stored any more, and the close clears the flag only once.)
  const orphanRisk = state.inFlight && !state.closing && !deps.store.get<boolean>(COLLECT_KEYS.orphanRisk);
  const wasInFlight = state.inFlight;
  const commitEveryBefore = state.commitEvery;
  const appendFromBefore = state.pendingAppendFrom;
  const zoneKnown = !deps.scriptTimeZone || Boolean(state.timeZone);
  state.inFlight = true;
  // Receipts already read (a run under way): the row this execution's appends start from rides on this
  // write, so the commit appends without a write of its own first (see commit.ts).
  if (ex.receiptsRead && !state.request.dryRun) {
    state.pendingAppendFrom = appendFrom(ex);
    ex.appendFromSaved = true;
  }
  state.executions += 1;
  // The run's time zone rides on this write (read once per run): no execution reads it later, between
  // its message reads and its first folder or file.
  if (deps.scriptTimeZone && !state.timeZone) state.timeZone = deps.scriptTimeZone();
  // The previous execution died and the store already says all this write would (in flight, the
  // smallest commits, the orphan risk, where rows start): no write, one call fewer before the first
  // durable step of a run that keeps being cut short. The count of executions and the lock holder ride
  // on the next write of the state.
  const unchanged =
    wasInFlight &&
    zoneKnown &&
    commitEveryBefore === 1 &&
    state.commitEvery === 1 &&
    !orphanRisk &&
    state.pendingAppendFrom === appendFromBefore;
  if (unchanged) {
    ex.log.info(resumed ? 'run.resumed' : 'run.started', {
      dryRun: state.request.dryRun,
      query: state.query,
      limit: state.request.limit,
      execution: state.executions,
    });
    return;
  }
  // One write: the run in flight, the lock's holder (for "already running since …"), the orphan risk.
  saveMany(deps.store, {
    [COLLECT_KEYS.run]: state,
    [COLLECT_KEYS.lockHolder]: { sinceMs: ex.startedAt, runId: state.runId } satisfies LockHolder,
    ...(orphanRisk ? { [COLLECT_KEYS.orphanRisk]: true } : {}),
  });
  ex.log.info(resumed ? 'run.resumed' : 'run.started', {
    dryRun: state.request.dryRun,
    query: state.query,
    limit: state.request.limit,
    execution: state.executions,
  });
}

/** The run's setup steps, as `state.retrying` names them when they failed and were left for the next execution. */
const SETUP = '(setup)';

function continueRun(ex: Execution, resumed: boolean): CollectResult {
  const { state } = ex;
  // A run under way with messages left reads the Receipts ledger BEFORE its in-flight mark, so that one
  // write also records where this execution's rows will start: one call fewer before its first rows.
  if (state.snapshotSize !== null && state.cursor < state.snapshotSize) {
    // A file decided and not known to be stored is stored first, in few calls (see planned.ts).
    storePlanned(ex);
    // After a crash, through the Sheets API in the fetchAll of the first messages (lean-ledger.ts).
    const lean = leanLedger(ex) ? ensureSnapshot(ex) : null;
    const riding = lean ? readReceiptsRiding(ex, lean) : 'not';
    // A read that may work later: this execution stops here, the next one reads again.
    if (riding === 'later' && lean) {
      // Marked first, so that a previous execution's death is not forgotten (careful, orphan risk).
      markInFlight(ex, resumed);
      return leavePending(ex, lean);
    }
    if (riding === 'not') readReceipts(ex);
    ex.receiptsRead = true;
  }
  markInFlight(ex, resumed);
  let ids: string[];
  try {
    ensureJobRunRow(ex);
    ids = ensureSnapshot(ex);
    ensureRootFolder(ex);
  } catch (error) {
    // Drive, Gmail or Sheets did not answer a setup step: the run goes on in its next execution (a few
    // times in a row at most, then the error is the execution's as before).
    if (isExecutionOver(error) || stopsTheRun(error) || !leaveForNextExecution(state, SETUP, MESSAGE_RETRY_EXECUTIONS)) throw error;
    ex.log.warn('run.setup_retried_later', { reason: errorMessage(error) });
    return leavePending(ex, []);
  }
  if (state.retrying?.messageId === SETUP) delete state.retrying;
  ex.cursor = state.cursor;
  ex.handled = state.handled;

  let stop: StopReason = 'end';
  let failure: unknown = null;
  try {
    stop = processMessages(ex, ids);
    commit(ex);
  } catch (error) {
    failure = error;
  }
  if (failure !== null) return handleFailure(ex, failure, ids);
  if (stop === 'budget' || stop === 'retry') return leavePending(ex, ids);
  if (stop === 'limit') {
    const left = ids.length - ex.cursor;
    countSkip(state.metrics, 'over_run_limit', left);
    ex.log.info('run.limit_reached', { limit: state.request.limit, messagesLeft: left });
  }
  return finishRun(ex, stop !== 'end');
}
