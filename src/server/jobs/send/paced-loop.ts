// The paced loop of one chunk: as long as the budget allows, (1) rows in doubt that have settled are
// checked in SENT before anything else; (2) the daily cap is read from the sent_at cells; (3) the
// rows the pacer can send before the group's send-by time are marked `sending` in one flushed write
// (with the previous group's results); (4) the group goes out in bursts built ahead of their slot;
// (5) each burst's answers are recorded. Waits for the pacer are spent finding the next rows' files.

import { dailyCapStatus, resumeRuleAtCap } from '../../domain/send/daily-cap';
import { SendPacer } from '../../domain/send/pacing';
import { finishProgress, pauseByUser, pauseForQuota, pauseForRate } from '../../domain/send/progress';
import type { SendRow } from '../../domain/send/send-list';
import { sendBurst, type BurstStop } from './burst-results';
import { isTransientFailure, prepareBurst, warmUp } from './burst';
import { checkpoint, saveAll, type SendContext } from './context';
import { GROUP_WINDOW_MS, INTENT_RETRY_MS, IN_DOUBT_SETTLE_MS, MAX_GROUP_ROWS, SEND_CHUNK_BUDGET_MS, batchReserve } from './constants';
import { applyControl } from './controls';
import { abandonGroup, groupSize, markGroup, type GroupHolder } from './group';
import { inDoubtWait, settledRows, verifyInDoubt } from './in-doubt';
import { timeOf } from './rows';
import type { SendControl } from '../../ports/send';

export interface ChunkOutcome {
  waitMs: number;
  more: boolean;
}

/** What one chunk's loop carries from step to step. */
interface Loop {
  s: SendContext;
  holder: GroupHolder;
  deadline: number;
  reserve: number;
  pacer: SendPacer;
  /** Rows in doubt whose check could not finish in this chunk (a read failed): left for the next one. */
  unverifiable: Set<SendRow>;
  /** Rows whose files were already looked up during a wait. */
  warmed: Set<SendRow>;
  /**
   * The pause / cancel request the chunk read just before the loop (undefined once used): the loop's
   * first check takes it instead of asking the store again a moment later; every later check asks.
   */
  controlAtStart: SendControl | null | undefined;
  /**
   * The first look in SENT may be served by the page asked ahead with the tab's read (SendLookahead):
   * it concludes only the rows settled when the tab was read (undefined once the first step is done).
   */
  firstLookAt: number | undefined;
}

/** A step either ends the chunk, or asks for the loop to go round again. */
type Step = ChunkOutcome | 'again';

/** Saves the pacer's windows into the job state (written with the next save) and ends the chunk. */
function end(loop: Loop, outcome: ChunkOutcome): ChunkOutcome {
  loop.s.job = { ...loop.s.job, pacer: loop.pacer.toState() };
  return outcome;
}

function sentTimes(s: SendContext): string[] {
  return s.table.rows.filter((row) => row.status === 'sent').map((row) => row.sentAt);
}

/** Waits; the chunk's control read is then too old to serve a check: the next one asks the store. */
function sleep(loop: Loop, ms: number): void {
  loop.controlAtStart = undefined;
  loop.s.deps.clock.sleep(ms);
}

/** A pause or cancel arrived: the group is abandoned and the control applied. */
function stopForControl(loop: Loop): Step | null {
  const { s } = loop;
  const known = loop.controlAtStart;
  loop.controlAtStart = undefined;
  const control = known !== undefined ? known : s.deps.state.readControl();
  if (!control) return null;
  abandonGroup(s, loop.holder);
  applyControl(s, control);
  return end(loop, {
    more: s.progress.state !== 'cancelled' && s.progress.state !== 'paused',
    waitMs: s.progress.state === 'running' ? IN_DOUBT_SETTLE_MS : 0,
  });
}

/** Checks settled rows in doubt (their units count against the pacer). */
function checkSettled(loop: Loop, settled: SendRow[]): void {
  const { s, pacer } = loop;
  const before = s.deps.mail.usage().units;
  if (!verifyInDoubt(s, settled, true)) for (const row of settled) if (row.status === 'sending') loop.unverifiable.add(row);
  pacer.spendUnits(s.deps.mail.usage().units - before, s.deps.clock.now());
}

/** Nothing due now: the run ends, waits for retries or rows in doubt, or hands over to a later chunk. */
function waitForWork(loop: Loop, queued: SendRow[], inDoubt: SendRow[], now: number): Step {
  const { s } = loop;
  if (!queued.length && !inDoubt.length && loop.unverifiable.size) return end(loop, { more: true, waitMs: 60_000 });
  if (!queued.length && !inDoubt.length) {
    s.progress = finishProgress(s.progress, now);
    return end(loop, { more: false, waitMs: 0 });
  }
  const nextRetry = queued.length ? Math.min(...queued.map((row) => timeOf(row.nextAttemptAt) ?? now)) - now : Infinity;
  const doubtWait = inDoubt.length ? inDoubtWait(inDoubt, now) : Infinity;
  const wait = Math.max(1, Math.min(nextRetry, doubtWait));
  if (now + wait > loop.deadline) return end(loop, { more: true, waitMs: wait });
  // Results so far are written before a wait for retries or rows in doubt. With none (the sheet has
  // nothing to write), the state is not saved either: what it would add (this execution's counters,
  // the progress recounted from the sheet) the next save carries, or the next execution recounts.
  end(loop, { more: true, waitMs: 0 });
  if (s.table.pending) checkpoint(s);
  sleep(loop, wait);
  // Rows a cut-short execution left in doubt (no outcome recorded) have settled: the next execution
  // looks in SENT with its read of the tab, in the same call (SendLookahead), so that even one cut
  // short after a few calls concludes them and sends; this one hands over. (Rows whose call ended
  // with an error are looked up here: that is the common case under faults, and costs no execution.)
  const orphaned = inDoubt.some((row) => !row.error);
  if (orphaned && doubtWait > 0 && doubtWait <= nextRetry) return end(loop, { more: true, waitMs: 0 });
  return 'again';
}

/** The pacer allows nothing now: end the chunk, pause for a rate block, or wait (finding files). */
function waitForSlot(loop: Loop, slot: ReturnType<SendPacer['nextSlot']>, due: SendRow[], now: number): Step {
  const { s, deadline, reserve } = loop;
  if (now + slot.waitMs > deadline - reserve && slot.limitedBy !== 'blocked') {
    // The wait would end past this chunk's useful time: end now, so the next execution spends the
    // wait on its own start (reading the tab, finding files) instead of sleeping here.
    return end(loop, { more: true, waitMs: 0 });
  }
  if (slot.limitedBy === 'blocked' && now + slot.waitMs > deadline) {
    s.progress = pauseForRate(s.progress, now + slot.waitMs, now);
    return end(loop, { more: true, waitMs: slot.waitMs });
  }
  const wakeAt = now + Math.min(slot.waitMs, Math.max(1, deadline - now));
  // The wait is spent finding the next group's files on Drive (listing the folder), not after it.
  warmUp(s, due.slice(0, MAX_GROUP_ROWS), wakeAt, loop.warmed);
  sleep(loop, Math.max(1, wakeAt - s.deps.clock.now()));
  return 'again';
}

/**
 * At the daily cap: a group's worth of slots that frees within this chunk's useful time is waited for
 * here (finding files meanwhile), as a wait for the pacer is; a later one pauses the job until then.
 */
function waitForCap(loop: Loop, resumeAt: number, sentToday: number, due: SendRow[], now: number): Step {
  const { s, deadline, reserve } = loop;
  if (resumeAt <= deadline - reserve) {
    warmUp(s, due.slice(0, MAX_GROUP_ROWS), resumeAt, loop.warmed);
    sleep(loop, Math.max(1, resumeAt - s.deps.clock.now()));
    return 'again';
  }
  s.progress = pauseForQuota(s.progress, { resumeAt, sentToday, cap: s.settings.dailyCap }, now);
  return end(loop, { more: true, waitMs: resumeAt - now });
}

/** With no group open: the next group's intent, made durable (or the reason there is none). */
function startGroup(loop: Loop, runRows: SendRow[], inDoubt: SendRow[], now: number): Step | 'group' {
  const { s, deadline, reserve, pacer } = loop;
  const queued = runRows.filter((row) => row.status === 'queued');
  const due = queued.filter((row) => (timeOf(row.nextAttemptAt) ?? 0) <= now);
  if (!due.length) return waitForWork(loop, queued, inDoubt, now);
  const rule = resumeRuleAtCap(s.settings.dailyCap, MAX_GROUP_ROWS, queued.length);
  const cap = dailyCapStatus(sentTimes(s), now, s.settings.dailyCap, rule);
  if (cap.remaining === 0 && cap.resumeAt !== null) return waitForCap(loop, cap.resumeAt, cap.sentInWindow, due, now);
  if (now >= deadline - reserve) return end(loop, { more: true, waitMs: 0 });
  const slot = pacer.nextSlot(now);
  if (slot.allowed === 0) return waitForSlot(loop, slot, due, now);
  // Intent for a whole group: every row the pacer can send before `sendBy` is `sending` (durable, one
  // write, with the previous group's results) before any of its requests leaves.
  const sendBy = Math.max(now, Math.min(now + GROUP_WINDOW_MS, deadline - reserve));
  const size = groupSize(pacer, now, sendBy, cap.remaining, due.length);
  loop.holder.current = markGroup(s, due.slice(0, Math.max(1, size)), sendBy);
  end(loop, { more: true, waitMs: 0 });
  // The intent is written now and made durable before the group's first request (burstOfGroup): a
  // REST write goes out with the first burst's files, one call. The job state (counters, pacer,
  // progress) is saved after the group's first burst, as after every burst; killed before, the next
  // execution recounts the progress from the sheet.
  s.table.commit(false);
  return 'group';
}

/** After a burst whose answers stop the job: a quota pause, or a stop with Gmail's words. */
function stopAfterBurst(loop: Loop, stop: BurstStop, now: number): ChunkOutcome {
  const { s } = loop;
  abandonGroup(s, loop.holder);
  if (stop.kind === 'daily') {
    const capNow = dailyCapStatus(sentTimes(s), now, s.settings.dailyCap);
    s.progress = pauseForQuota(s.progress, { resumeAt: stop.until, sentToday: capNow.sentInWindow, cap: s.settings.dailyCap }, now);
    return { more: true, waitMs: stop.until - now };
  }
  s.job = { ...s.job, lastError: stop.message };
  s.progress = pauseByUser(s.progress, `Gmail: ${stop.message}`, now);
  return { more: false, waitMs: 0 };
}

/** A burst of the open group: built ahead of the pacer's slot, no more than one slot can take, sent. */
function burstOfGroup(loop: Loop, now: number): Step {
  const { s, holder, pacer } = loop;
  const group = holder.current!;
  if (!group.prepared.length) {
    const rows = group.pending.slice(0, Math.min(s.settings.maxPerSecond, s.settings.batchSize));
    group.prepared = prepareBurst(
      s,
      rows.map((p) => p.row),
    );
    // Rows that could not be built are final, or queued again with a delay: out of the group.
    const built = new Set(group.prepared.map((item) => item.row));
    const dropped = new Set(rows.filter((p) => !built.has(p.row)).map((p) => p.row));
    group.pending = group.pending.filter((p) => !dropped.has(p.row));
    if (!group.pending.length) {
      holder.current = null;
      return 'again';
    }
    now = s.deps.clock.now();
  }
  const slot = pacer.nextSlot(now);
  if (slot.allowed === 0 || now > group.sendBy) {
    // The rest of the group cannot go out before its send-by time: it is queued again and the next
    // group marks it afresh (a row is never sent after the time its mark announced).
    if (now + slot.waitMs > group.sendBy) abandonGroup(s, holder);
    else sleep(loop, slot.waitMs);
    return 'again';
  }
  // No request of a group leaves before its intent is durable.
  if (!commitIntent(loop)) return end(loop, { more: true, waitMs: INTENT_RETRY_MS });
  const burst = group.prepared.slice(0, slot.allowed);
  group.prepared = group.prepared.slice(burst.length);
  const inBurst = new Set(burst.map((item) => item.row));
  group.pending = group.pending.filter((p) => !inBurst.has(p.row));
  if (!group.pending.length) holder.current = null;
  pacer.take(burst.length, now);
  const { stop, now: after } = sendBurst(s, pacer, burst, now);
  end(loop, { more: true, waitMs: 0 });
  if (stop) return stopAfterBurst(loop, stop, after);
  // The live gauge: the progress (and the pacer) after every burst, one properties write. The sheet
  // catches up with the next group's write; progress counts follow the sheet on the next start.
  saveAll(s);
  return 'again';
}

/**
 * Makes the sheet's writes so far (the group's intent) durable. False when the sheet could not be
 * written (after the adapter's retries): the group is abandoned, nothing of it is sent; rows whose
 * intent did reach the sheet are in doubt for the next execution, which finds them not sent.
 */
function commitIntent(loop: Loop): boolean {
  const group = loop.holder.current;
  if (!group || group.durable) return true;
  try {
    loop.s.table.commit(true);
    group.durable = true;
    return true;
  } catch (error) {
    if (!isTransientFailure(error)) throw error;
    abandonGroup(loop.s, loop.holder);
    return false;
  }
}

/** One round of the loop. */
function step(loop: Loop): Step {
  const { s, holder } = loop;
  const now = s.deps.clock.now();
  const runRows = s.table.ofRun(s.job.runId);
  const marked = new Set(holder.current?.pending.map((p) => p.row) ?? []);
  // Rows in doubt whose request cannot be in flight any more are checked before anything else (a row
  // of the current group that was not attempted yet is not in doubt: this execution knows). The
  // check only learns what happened and starts nothing, so it comes before the pause / cancel check,
  // which guards what the job starts (a group's intent, its sends): one control read per step that
  // starts something, not one more for the look.
  const inDoubt = runRows.filter((row) => row.status === 'sending' && !loop.unverifiable.has(row) && !marked.has(row));
  const firstLookAt = loop.firstLookAt;
  loop.firstLookAt = undefined;
  const settled = settledRows(inDoubt, firstLookAt ?? now);
  if (settled.length) checkSettled(loop, settled);
  if (firstLookAt !== undefined) s.deps.lookahead?.endSentListing();
  if (settled.length) return 'again';
  const controlled = stopForControl(loop);
  if (controlled) return controlled;
  if (!holder.current) {
    const started = startGroup(loop, runRows, inDoubt, now);
    if (started !== 'group') return started;
  }
  return burstOfGroup(loop, now);
}

/** The work loop of one execution (the lock is held). Rows of a group never attempted go back to the queue. */
export function runLoop(s: SendContext, controlAtStart?: SendControl | null): ChunkOutcome {
  const budget = s.deps.budgetMs ?? SEND_CHUNK_BUDGET_MS;
  const loop: Loop = {
    s,
    holder: { current: null },
    deadline: s.startedAt + budget,
    reserve: batchReserve(budget),
    pacer: SendPacer.fromSettings(s.settings, s.job.pacer, s.deps.clock.now()),
    unverifiable: new Set(),
    warmed: new Set(),
    controlAtStart,
    firstLookAt: s.readAt,
  };
  let outcome: Step = 'again';
  while (outcome === 'again') outcome = step(loop);
  abandonGroup(s, loop.holder);
  return outcome;
}
