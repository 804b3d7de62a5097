// The paced loop of one chunk: as long as the budget allows, (1) the daily cap is read from the sent_at
// cells; (2) the rows the pacer can send before the group's send-by time are marked `sending` in one
// flushed write (with the previous group's results); (3) the group goes out in bursts built ahead of
// their slot; (4) each burst's answers are recorded. Rows in doubt are looked for in SENT when the
// pacer has to wait anyway (or nothing else is due), in one look for all of them: those settled are
// concluded, those of this chunk's bursts found are recorded (the others give their slot back); a row
// settled long ago is checked at once. The rest of a wait is spent finding the next rows' files.

import { dailyCapStatus, resumeRuleAtCap } from '../../domain/send/daily-cap';
import { SendPacer } from '../../domain/send/pacing';
import { finishProgress, pauseByUser, pauseForQuota, pauseForRate } from '../../domain/send/progress';
import type { SendRow } from '../../domain/send/send-list';
import { sendBurst, type BurstStop } from './burst-results';
import { isTransientFailure, prepareBurst, warmUp, type Warmed } from './burst';
import { checkpoint, saveAll, type SendContext } from './context';
import {
  END_GROUP_WINDOW_MS,
  FULL_BURST_WAIT_MS,
  GROUP_WINDOW_MS,
  INTENT_RETRY_MS,
  IN_DOUBT_SETTLE_MS,
  LOOK_IDLE_MS,
  LOOK_OVERDUE_MS,
  LOOK_RETRY_MS,
  MAX_GROUP_ROWS,
  TAIL_RESERVE_MS,
  TAIL_ROWS,
  SEND_CHUNK_BUDGET_MS,
  batchReserve,
} from './constants';
import { applyControl } from './controls';
import { abandonGroup, groupSize, markGroup, type GroupHolder } from './group';
import { inDoubtWait, settledRows, settlesAt, verifyInDoubt } from './in-doubt';
import { timeOf } from './rows';
import { safetyAfterBurst } from './run-record';
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
  /** Rows in doubt whose check could not finish (a read failed) → when the look is tried again. */
  unverifiable: Map<SendRow, number>;
  /** Rows whose files were already found (and maybe read) during a wait. */
  warmed: Map<SendRow, Warmed>;
  /** Rows this chunk's bursts left in doubt, not looked for in SENT yet → when their burst started. */
  unlooked: Map<SendRow, number>;
  /** Per row, the attachment reads that failed in this chunk (burst.ts readFailed). */
  readFailures: Map<SendRow, number>;
  /** The rows in doubt of this step (not of the open group, not unverifiable). */
  inDoubt: SendRow[];
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

/** The rows of the run queued and due at `now`, in the order they are sent. */
function dueRows(s: SendContext, now: number): SendRow[] {
  return s.table.ofRun(s.job.runId).filter((row) => row.status === 'queued' && (timeOf(row.nextAttemptAt) ?? 0) <= now);
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

/**
 * One look in SENT for the rows in doubt that it can tell something about: those settled (found →
 * sent, not found → queued again) and those of this chunk's bursts not looked for yet (found → sent,
 * not found → their pacer slot is given back: their request failed, it is not one of the minute's
 * sends; should Gmail have counted it, it answers 429 with a Retry-After and the pacer holds, a row
 * never in doubt: the refund risks a 429, not a duplicate). Its units count against the pacer. False
 * when there was nothing to look for.
 */
function lookInSent(loop: Loop, now: number): boolean {
  const { s, pacer } = loop;
  // Settled before the listing starts: only then does a row's absence prove it was not sent.
  const settled = new Set(settledRows(loop.inDoubt, now));
  const rows = loop.inDoubt.filter((row) => settled.has(row) || loop.unlooked.has(row));
  if (!rows.length) return false;
  const before = s.deps.mail.usage().units;
  const complete = verifyInDoubt(s, rows, (row) => settled.has(row));
  const checked = s.deps.clock.now();
  pacer.spendUnits(s.deps.mail.usage().units - before, checked);
  if (!complete) for (const row of settled) if (row.status === 'sending') loop.unverifiable.set(row, checked + LOOK_RETRY_MS);
  for (const row of rows) {
    const takenAt = loop.unlooked.get(row);
    if (takenAt === undefined) continue;
    loop.unlooked.delete(row);
    if (complete && row.status !== 'sent') pacer.refund(takenAt, checked);
  }
  return true;
}

/** Nothing due now: the run ends, waits for retries or rows in doubt, or hands over to a later chunk. */
function waitForWork(loop: Loop, queued: SendRow[], inDoubt: SendRow[], now: number): Step {
  const { s } = loop;
  if (lookInSent(loop, now)) return 'again';
  const lookAgain = [...loop.unverifiable].filter(([row]) => row.status === 'sending').map(([, at]) => at);
  if (!queued.length && !inDoubt.length && !lookAgain.length) {
    s.progress = finishProgress(s.progress, now);
    return end(loop, { more: false, waitMs: 0 });
  }
  const nextRetry = queued.length ? Math.min(...queued.map((row) => timeOf(row.nextAttemptAt) ?? now)) - now : Infinity;
  const nextLook = lookAgain.length ? Math.min(...lookAgain) - now : Infinity;
  const doubtWait = inDoubt.length ? inDoubtWait(inDoubt, now) : Infinity;
  const wait = Math.max(1, Math.min(nextRetry, nextLook, doubtWait));
  if (now + wait > loop.deadline) return end(loop, { more: true, waitMs: wait });
  // Results so far are written before a wait for retries or rows in doubt. With none (the sheet has
  // nothing to write), the state is not saved either: what it would add (this execution's counters,
  // the progress recounted from the sheet) the next save carries, or the next execution recounts.
  end(loop, { more: true, waitMs: 0 });
  if (s.table.pending) checkpoint(s);
  // The wait ends at the instant computed before the checkpoint, not that long after it.
  sleep(loop, Math.max(1, now + wait - s.deps.clock.now()));
  // Rows a cut-short execution left in doubt (no outcome recorded) have settled: the next execution
  // looks in SENT with its read of the tab, in the same call (SendLookahead), so that even one cut
  // short after a few calls concludes them and sends; this one hands over. (Rows whose call ended
  // with an error are looked up here: that is the common case under faults, and costs no execution.)
  const orphaned = inDoubt.some((row) => !row.error);
  if (orphaned && doubtWait > 0 && doubtWait <= nextRetry) return end(loop, { more: true, waitMs: 0 });
  return 'again';
}

/** The pacer allows nothing now: end the chunk, pause for a rate block, or wait (finding files). */
function waitForSlot(loop: Loop, slot: ReturnType<SendPacer['nextSlot']>, due: SendRow[], capRemaining: number, now: number): Step {
  const { s, deadline, reserve, pacer } = loop;
  if (slot.waitMs >= LOOK_IDLE_MS && lookInSent(loop, now)) return 'again';
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
  // The wait is spent finding the next rows' files on Drive (listing the folder), not after it, and
  // reading those of the group that will start when it ends (no more: a file read for a row this
  // execution does not send is read again by the next).
  const next = groupSize(pacer, wakeAt, Math.min(wakeAt + GROUP_WINDOW_MS, deadline - reserve), capRemaining, due.length);
  warmUp(s, due.slice(0, MAX_GROUP_ROWS), wakeAt, loop.warmed, next);
  sleep(loop, Math.max(1, wakeAt - s.deps.clock.now()));
  return 'again';
}

/**
 * At the daily cap: a group's worth of slots that frees within this chunk's useful time is waited for
 * here (finding files meanwhile), as a wait for the pacer is; a later one pauses the job until then.
 */
function waitForCap(loop: Loop, resumeAt: number, sentToday: number, due: SendRow[], now: number): Step {
  const { s, deadline, reserve } = loop;
  if (lookInSent(loop, now)) return 'again';
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
  const { s, deadline, pacer } = loop;
  const queued = runRows.filter((row) => row.status === 'queued');
  // The last few rows (retries, at the end of the list) need seconds, not a batch's reserve: sent here
  // rather than by a next execution that would read the tab again first.
  const reserve = queued.length <= TAIL_ROWS ? Math.min(loop.reserve, TAIL_RESERVE_MS) : loop.reserve;
  const due = queued.filter((row) => (timeOf(row.nextAttemptAt) ?? 0) <= now);
  if (!due.length) return waitForWork(loop, queued, inDoubt, now);
  const rule = resumeRuleAtCap(s.settings.dailyCap, MAX_GROUP_ROWS, queued.length);
  const cap = dailyCapStatus(sentTimes(s), now, s.settings.dailyCap, rule);
  if (cap.remaining === 0 && cap.resumeAt !== null) return waitForCap(loop, cap.resumeAt, cap.sentInWindow, due, now);
  if (now >= deadline - reserve) return end(loop, { more: true, waitMs: 0 });
  const slot = pacer.nextSlot(now);
  if (slot.allowed === 0) return waitForSlot(loop, slot, due, cap.remaining, now);
  // Intent for a whole group: every row the pacer can send before `sendBy` is `sending` (durable, one
  // write, with the previous group's results) before any of its requests leaves.
  // Near the end of the list a group covers less time, so that a row queued again (a retry) joins the
  // next group soon instead of waiting for a minute's group to end.
  const window = queued.length <= MAX_GROUP_ROWS ? END_GROUP_WINDOW_MS : GROUP_WINDOW_MS;
  const sendBy = Math.max(now, Math.min(now + window, deadline - reserve));
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
  const burstSize = Math.min(s.settings.maxPerSecond, s.settings.batchSize);
  if (group.prepared.length < burstSize && group.pending.length > group.prepared.length) {
    // The next burst's messages (or the rest of it, after a burst that took part of them), so that it
    // goes out full. The rows prepared are always the first of `pending`.
    const rows = group.pending.slice(group.prepared.length, burstSize);
    group.prepared = group.prepared.concat(
      prepareBurst(
        s,
        rows.map((p) => p.row),
        loop.readFailures,
      ),
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
    else if (slot.waitMs < LOOK_IDLE_MS) sleep(loop, slot.waitMs);
    else if (!lookInSent(loop, now)) {
      // A wait for the minute's window: spent reading the files of the group's next bursts (and
      // finding those of the rows due after it).
      const wakeAt = now + slot.waitMs;
      const inGroup = new Set(group.pending.map((p) => p.row));
      const next = [...inGroup, ...dueRows(s, now).filter((row) => !inGroup.has(row))];
      warmUp(s, next.slice(0, MAX_GROUP_ROWS), wakeAt, loop.warmed, inGroup.size);
      sleep(loop, Math.max(1, wakeAt - s.deps.clock.now()));
    }
    return 'again';
  }
  if (slot.allowed < group.prepared.length) {
    // Room for only some of the messages ready: when room for all of them comes soon, a full burst
    // then, not a small one now and the rest a call later.
    const wait = pacer.waitForRoom(group.prepared.length, now, FULL_BURST_WAIT_MS);
    if (wait !== null && wait > 0 && now + wait <= group.sendBy) {
      sleep(loop, wait);
      return 'again';
    }
  }
  // No request of a group leaves before its intent is durable.
  if (!commitIntent(loop)) return end(loop, { more: true, waitMs: INTENT_RETRY_MS });
  const burst = group.prepared.slice(0, slot.allowed);
  group.prepared = group.prepared.slice(burst.length);
  const inBurst = new Set(burst.map((item) => item.row));
  group.pending = group.pending.filter((p) => !inBurst.has(p.row));
  if (!group.pending.length) holder.current = null;
  pacer.take(burst.length, now);
  const { stop, now: after, doubtful } = sendBurst(s, pacer, burst, now);
  for (const row of doubtful) loop.unlooked.set(row, now);
  end(loop, { more: true, waitMs: 0 });
  if (stop) return stopAfterBurst(loop, stop, after);
  // The live gauge: the progress (and the pacer) after every burst, one properties write. The sheet
  // catches up with the next group's write; progress counts follow the sheet on the next start.
  // Under an add-on's hourly net, the quicker safety trigger follows the first burst (saved with it).
  safetyAfterBurst(s);
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
  // Rows in doubt (a row of the current group that was not attempted yet is not in doubt: this
  // execution knows) are looked for when the pacer waits anyway; one settled long ago is checked now.
  // The look only learns what happened and starts nothing, so it comes before the pause / cancel
  // check, which guards what the job starts (a group's intent, its sends): one control read per step
  // that starts something, not one more for the look.
  const inDoubt = runRows.filter((row) => row.status === 'sending' && !((loop.unverifiable.get(row) ?? 0) > now) && !marked.has(row));
  loop.inDoubt = inDoubt;
  // Near the end of the list (less than a group's worth due), a settled row is checked at once: its
  // retry may be what the run waits for.
  const nearEnd = runRows.filter((row) => row.status === 'queued').length <= MAX_GROUP_ROWS;
  const overdueAfter = nearEnd ? 0 : LOOK_OVERDUE_MS;
  // The first look may be served by the SENT page asked ahead with the tab's read: only rows settled
  // when the tab was read count as settled for it (SendLookahead).
  const firstLookAt = loop.firstLookAt;
  loop.firstLookAt = undefined;
  const lookAt = firstLookAt ?? now;
  const looked = inDoubt.some((row) => settlesAt(row) + overdueAfter <= lookAt) && lookInSent(loop, lookAt);
  if (firstLookAt !== undefined) s.deps.lookahead?.endSentListing();
  if (looked) return 'again';
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
    unverifiable: new Map(),
    warmed: new Map(),
    unlooked: new Map(),
    readFailures: new Map(),
    inDoubt: [],
    controlAtStart,
    firstLookAt: s.readAt,
  };
  let outcome: Step = 'again';
  while (outcome === 'again') outcome = step(loop);
  abandonGroup(s, loop.holder);
  return outcome;
}
