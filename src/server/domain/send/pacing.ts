// Pacing sends at the Gmail quota ceiling without tripping it. Four limits hold at once:
// - a token bucket on Gmail quota units: 15,000 units per user per minute, refilled continuously
//   (250 units/s), where messages.send costs 100 (other calls can be charged with spendUnits);
//   https://developers.google.com/gmail/api/reference/quota
// - maxPerSecond: sends started within any 1,000 ms sliding window;
// - maxPerMinute: sends started within any 60,000 ms sliding window (≤ 150 = 15,000 / 100), and the
//   units of the window (sends and the other calls charged with spendUnits) ≤ 15,000, as Gmail counts;
// - batchSize + pauseBetweenBatchesMs: after every batchSize sends, a pause (the
//   users' "delay between batches").
// Deterministic: time is always passed in (no Date.now here). The state is plain JSON (about 2 KB at
// 150 sends / min), so a job stores it with its progress and the next execution continues the same
// windows: a new execution 5 s later must not believe the minute is fresh.

import type { SendSettings } from './settings';

/** Gmail API per-user rate limit, in quota units per minute. */
export const GMAIL_USER_UNITS_PER_MINUTE = 15_000;
/** Quota units of one users.messages.send (drafts.send costs the same). */
export const MESSAGES_SEND_UNITS = 100;

export interface PacerLimits {
  maxPerSecond: number;
  maxPerMinute: number;
  batchSize: number;
  pauseBetweenBatchesMs: number;
  /** Units refilled per minute (default 15,000). */
  unitsPerMinute?: number;
  /** Bucket capacity in units (default: one minute's worth). */
  burstUnits?: number;
  /** Units per send (default 100). */
  unitsPerSend?: number;
}

/** The persisted pacer, as plain JSON. */
export interface PacerState {
  /** Units in the bucket at `unitsAt` (may be negative after spendUnits). */
  units: number;
  unitsAt: number;
  /** Start times of the sends of the last 60 s, ascending. */
  recent: number[];
  /**
   * Other Gmail calls of the last 60 s (the look in SENT: messages.list, messages.get), as [time,
   * units], ascending: with the sends they make the 60-s window of units Gmail enforces. Absent in a
   * state saved before it was kept.
   */
  other?: Array<[number, number]>;
  /** Sends taken in the current batch. */
  batchUsed: number;
  /** When the batch that filled last was taken (for finishBatch), or null. */
  batchFilledAt: number | null;
  /** No send before this instant (batch pause). */
  pauseUntil: number;
  /** No send before this instant (Gmail said 429 / Retry-After). */
  blockedUntil: number;
}

export interface Slot {
  /** How many sends may start now (0 when waitMs > 0). */
  allowed: number;
  /** When allowed is 0: how long until at least one may start. */
  waitMs: number;
  /** Which limit is binding (for logs and the progress view). */
  limitedBy: 'none' | 'blocked' | 'batchPause' | 'units' | 'perSecond' | 'perMinute';
}

const SECOND = 1_000;
const MINUTE = 60_000;

export class SendPacer {
  private readonly limits: Required<PacerLimits>;
  private state: PacerState;

  constructor(limits: PacerLimits, state?: PacerState | null, now = 0) {
    const unitsPerMinute = limits.unitsPerMinute ?? GMAIL_USER_UNITS_PER_MINUTE;
    this.limits = {
      ...limits,
      unitsPerMinute,
      burstUnits: limits.burstUnits ?? unitsPerMinute,
      unitsPerSend: limits.unitsPerSend ?? MESSAGES_SEND_UNITS,
    };
    this.state = state
      ? { ...state, recent: [...state.recent], other: [...(state.other ?? [])] }
      : {
          units: this.limits.burstUnits,
          unitsAt: now,
          recent: [],
          other: [],
          batchUsed: 0,
          batchFilledAt: null,
          pauseUntil: 0,
          blockedUntil: 0,
        };
  }

  /** A pacer for the Send settings (their rate keys). */
  static fromSettings(
    settings: Pick<SendSettings, 'maxPerSecond' | 'maxPerMinute' | 'batchSize' | 'pauseBetweenBatchesMs'>,
    state?: PacerState | null,
    now = 0,
  ): SendPacer {
    return new SendPacer(
      {
        maxPerSecond: settings.maxPerSecond,
        maxPerMinute: settings.maxPerMinute,
        batchSize: settings.batchSize,
        pauseBetweenBatchesMs: settings.pauseBetweenBatchesMs,
      },
      state,
      now,
    );
  }

  /** A copy of the state, to persist. */
  toState(): PacerState {
    return { ...this.state, recent: [...this.state.recent], other: [...(this.state.other ?? [])] };
  }

  private refill(now: number): void {
    const s = this.state;
    if (now > s.unitsAt) {
      s.units = Math.min(this.limits.burstUnits, s.units + ((now - s.unitsAt) * this.limits.unitsPerMinute) / MINUTE);
      s.unitsAt = now;
    }
    while (s.recent.length && s.recent[0] <= now - MINUTE) s.recent.shift();
    const other = (s.other ??= []);
    while (other.length && other[0][0] <= now - MINUTE) other.shift();
  }

  /** Units of the last 60 s (sends and other calls) as Gmail's per-minute window counts them. */
  private unitsInMinute(now: number): number {
    const sends = this.inWindow(now, MINUTE) * this.limits.unitsPerSend;
    return sends + (this.state.other ?? []).filter(([at]) => at > now - MINUTE).reduce((sum, [, units]) => sum + units, 0);
  }

  /** Time until the 60-s window of units has room for one more send. */
  private unitsWindowWait(now: number): number {
    const l = this.limits;
    const events: Array<[number, number]> = [
      ...this.state.recent.filter((t) => t > now - MINUTE).map((t): [number, number] => [t, l.unitsPerSend]),
      ...(this.state.other ?? []).filter(([at]) => at > now - MINUTE),
    ].sort((a, b) => a[0] - b[0]);
    let used = events.reduce((sum, [, units]) => sum + units, 0);
    for (const [at, units] of events) {
      if (used + l.unitsPerSend <= l.unitsPerMinute) break;
      used -= units;
      if (used + l.unitsPerSend <= l.unitsPerMinute) return at + MINUTE - now;
    }
    return 0;
  }

  private inWindow(now: number, windowMs: number): number {
    let count = 0;
    for (let i = this.state.recent.length - 1; i >= 0 && this.state.recent[i] > now - windowMs; i--) count++;
    return count;
  }

  /** Time until the window holds fewer than `max` sends. */
  private windowWait(now: number, windowMs: number, max: number): number {
    const inside = this.state.recent.filter((t) => t > now - windowMs);
    if (inside.length < max) return 0;
    return inside[inside.length - max] + windowMs - now;
  }

  /** How many sends may start at `now`, or how long to wait. Does not change the state. */
  nextSlot(now: number): Slot {
    this.refill(now);
    const s = this.state;
    const l = this.limits;
    if (now < s.blockedUntil) return { allowed: 0, waitMs: s.blockedUntil - now, limitedBy: 'blocked' };
    if (now < s.pauseUntil) return { allowed: 0, waitMs: s.pauseUntil - now, limitedBy: 'batchPause' };
    const byUnits = Math.max(0, Math.floor(s.units / l.unitsPerSend));
    const bySecond = Math.max(0, l.maxPerSecond - this.inWindow(now, SECOND));
    const byMinute = Math.max(0, l.maxPerMinute - this.inWindow(now, MINUTE));
    const byUnitsWindow = Math.max(0, Math.floor((l.unitsPerMinute - this.unitsInMinute(now)) / l.unitsPerSend));
    // Batches matter for the pause between them: with none, a burst is not cut at a batch's end.
    const byBatch = l.pauseBetweenBatchesMs > 0 ? l.batchSize - s.batchUsed : l.batchSize;
    const allowed = Math.min(byUnits, bySecond, byMinute, byUnitsWindow, byBatch);
    if (allowed > 0) return { allowed, waitMs: 0, limitedBy: 'none' };
    const waits: Array<[Slot['limitedBy'], number]> = [
      ['units', byUnits > 0 ? 0 : Math.ceil(((l.unitsPerSend - s.units) * MINUTE) / l.unitsPerMinute)],
      ['perSecond', this.windowWait(now, SECOND, l.maxPerSecond)],
      ['perMinute', this.windowWait(now, MINUTE, l.maxPerMinute)],
      ['units', byUnitsWindow > 0 ? 0 : this.unitsWindowWait(now)],
    ];
    let worst: [Slot['limitedBy'], number] = ['units', 0];
    for (const wait of waits) if (wait[1] > worst[1]) worst = wait;
    return { allowed: 0, waitMs: Math.max(1, worst[1]), limitedBy: worst[0] };
  }

  /**
   * How many sends could start between `now` and `now + horizonMs` (both included) if each started as
   * soon as the limits allow, at most `max`. Does not change the state. It is an upper bound: real sends
   * take time, and their pause between batches starts when they come back (finishBatch), not at once.
   * The Send job sizes a group of rows marked `sending` together with it.
   */
  capacity(now: number, horizonMs: number, max = Number.POSITIVE_INFINITY): number {
    const sim = new SendPacer(this.limits, this.state, now);
    const end = now + Math.max(0, horizonMs);
    let t = now;
    let n = 0;
    while (n < max && t <= end) {
      const slot = sim.nextSlot(t);
      if (slot.allowed > 0) {
        const k = Math.min(slot.allowed, max - n);
        sim.take(k, t);
        sim.finishBatch(t);
        n += k;
      } else {
        t += slot.waitMs;
      }
    }
    return n;
  }

  /**
   * How long from `now` until `n` sends may start at once, looking at most `maxWaitMs` ahead (in steps
   * of `stepMs`), or null when not within that time. Does not change the state. A burst smaller than
   * the messages ready costs a whole call's latency for a few sends: waiting a moment for room for all
   * of them keeps the bursts full.
   */
  waitForRoom(n: number, now: number, maxWaitMs: number, stepMs = 50): number | null {
    const sim = new SendPacer(this.limits, this.state, now);
    for (let t = now; t <= now + maxWaitMs;) {
      const slot = sim.nextSlot(t);
      if (slot.allowed >= n) return t - now;
      t += slot.allowed > 0 ? stepMs : Math.max(stepMs, slot.waitMs);
    }
    return null;
  }

  /**
   * Records `n` sends started at `now`. Throws when more than nextSlot(now).allowed: the caller
   * must ask first. When the batch fills, the pause between batches starts.
   */
  take(n: number, now: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`take(${n}): expected a whole number ≥ 0`);
    if (n === 0) return;
    const slot = this.nextSlot(now);
    if (n > slot.allowed) throw new RangeError(`take(${n}) at ${now}: only ${slot.allowed} allowed (${slot.limitedBy})`);
    const s = this.state;
    s.units -= n * this.limits.unitsPerSend;
    for (let i = 0; i < n; i++) s.recent.push(now);
    s.batchUsed += n;
    if (s.batchUsed >= this.limits.batchSize) {
      s.batchUsed = 0;
      s.batchFilledAt = now;
      s.pauseUntil = Math.max(s.pauseUntil, now + this.limits.pauseBetweenBatchesMs);
    }
  }

  /**
   * Starts the pause between batches from `now` (when the filled batch's requests came back) rather
   * than from when they were taken. No effect if no batch filled since the last call.
   */
  finishBatch(now: number): void {
    const s = this.state;
    if (s.batchFilledAt === null) return;
    s.pauseUntil = Math.max(s.pauseUntil, now + this.limits.pauseBetweenBatchesMs);
    s.batchFilledAt = null;
  }

  /**
   * Gives back the slot of a send taken at `takenAt` that Gmail refused without running it (429 rate
   * limit): it counts in neither window nor the bucket, so a refused request does not idle the pacer.
   */
  refund(takenAt: number, now: number): void {
    const s = this.state;
    const index = s.recent.lastIndexOf(takenAt);
    if (index < 0) return;
    s.recent.splice(index, 1);
    this.refill(now);
    s.units = Math.min(this.limits.burstUnits, s.units + this.limits.unitsPerSend);
  }

  /** Charges other Gmail calls (drafts.create 10, messages.get 5…) to the same bucket. */
  spendUnits(units: number, now: number): void {
    this.refill(now);
    this.state.units -= units;
    if (units > 0) (this.state.other ??= []).push([now, units]);
  }

  /**
   * Gmail answered 429 / rate limit: nothing starts before `until`, and the bucket is emptied (Gmail
   * counted more than we did, so we assume a fresh start from zero).
   */
  block(until: number, now: number, emptyBucket = true): void {
    this.refill(now);
    this.state.blockedUntil = Math.max(this.state.blockedUntil, until);
    if (emptyBucket) this.state.units = Math.min(this.state.units, 0);
  }
}
