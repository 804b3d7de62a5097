// Quotas of the emulated workspace, measured on the virtual clock: Gmail API quota units per user per
// minute (sliding 60 s window), Gmail API messages sent per day, MailApp/GmailApp recipients per day and
// UrlFetch calls per day (rolling 24 h windows). Each limit throws the platform's own message when it
// is exceeded; views (Gmail REST, Advanced service, GmailApp, UrlFetchApp) turn a QuotaExceededError
// into their own error shape. Remaining values feed MailApp.getRemainingDailyQuota.
// Sources: https://developers.google.com/workspace/gmail/api/reference/quota (15,000 units / user / min,
// reason userRateLimitExceeded), https://developers.google.com/apps-script/guides/services/quotas
// (recipients 100 / 1,500 per day, UrlFetch 20,000 / 100,000 per day),
// https://support.google.com/a/answer/166852 (Gmail sending limits: 2,000 messages per day).

import type { VirtualClock } from './execution';

export type QuotaKind = 'gmailUnitsPerMinute' | 'gmailMessagesPerDay' | 'recipientsPerDay' | 'urlFetchPerDay';

export interface QuotaLimits {
  gmailUnitsPerMinute: number;
  gmailMessagesPerDay: number;
  recipientsPerDay: number;
  urlFetchPerDay: number;
}

export interface QuotaOptions {
  /** Google Workspace account (true) or consumer gmail.com account (false). */
  workspace: boolean;
  /** Overrides, for tests that want a small ceiling. */
  limits?: Partial<QuotaLimits>;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * 60_000;

/** The message each quota throws in Apps Script / the Gmail API. */
export const QUOTA_MESSAGES: Record<QuotaKind, string> = {
  gmailUnitsPerMinute: 'User-rate limit exceeded',
  // The Gmail API answers 429 userRateLimitExceeded for the daily sending limit too ("(Mail sending)").
  gmailMessagesPerDay: 'User-rate limit exceeded (Mail sending)',
  recipientsPerDay: 'Service invoked too many times for one day: email.',
  urlFetchPerDay: 'Service invoked too many times for one day: urlfetch.',
};

/** Thrown when a call would exceed a quota. `retryAfterMs`: when the window frees enough room. */
export class QuotaExceededError extends Error {
  constructor(
    readonly quota: QuotaKind,
    readonly retryAfterMs: number,
  ) {
    super(QUOTA_MESSAGES[quota]);
    this.name = 'Error';
  }
}

/** A sliding window of (time, amount) events over `windowMs`. */
class SlidingWindow {
  private events: Array<{ at: number; amount: number }> = [];
  private sum = 0;
  constructor(readonly windowMs: number) {}

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.events.length && this.events[drop].at <= now - this.windowMs) {
      this.sum -= this.events[drop].amount;
      drop += 1;
    }
    if (drop > 0) this.events.splice(0, drop);
  }

  used(now: number): number {
    this.prune(now);
    return this.sum;
  }

  /** Milliseconds until `needed` more fits under `limit` (0 if it fits now). */
  waitFor(now: number, needed: number, limit: number): number {
    this.prune(now);
    let excess = this.sum + needed - limit;
    if (excess <= 0) return 0;
    for (const event of this.events) {
      excess -= event.amount;
      if (excess <= 0) return event.at + this.windowMs - now;
    }
    return this.windowMs;
  }

  add(now: number, amount: number): void {
    if (amount <= 0) return;
    this.events.push({ at: now, amount });
    this.sum += amount;
  }
}

export class Quotas {
  readonly limits: QuotaLimits;
  private readonly windows: Record<QuotaKind, SlidingWindow> = {
    gmailUnitsPerMinute: new SlidingWindow(MINUTE_MS),
    gmailMessagesPerDay: new SlidingWindow(DAY_MS),
    recipientsPerDay: new SlidingWindow(DAY_MS),
    urlFetchPerDay: new SlidingWindow(DAY_MS),
  };

  constructor(
    private readonly clock: VirtualClock,
    readonly options: QuotaOptions = { workspace: false },
  ) {
    this.limits = {
      gmailUnitsPerMinute: 15_000,
      gmailMessagesPerDay: 2_000,
      recipientsPerDay: options.workspace ? 1_500 : 100,
      urlFetchPerDay: options.workspace ? 100_000 : 20_000,
      ...options.limits,
    };
  }

  /** Takes `amount` from a quota, or throws QuotaExceededError and takes nothing. */
  consume(quota: QuotaKind, amount: number): void {
    const now = this.clock.now();
    const window = this.windows[quota];
    const wait = window.waitFor(now, amount, this.limits[quota]);
    if (wait > 0) throw new QuotaExceededError(quota, wait);
    window.add(now, amount);
  }

  remaining(quota: QuotaKind): number {
    return Math.max(0, this.limits[quota] - this.windows[quota].used(this.clock.now()));
  }

  /** Gmail API quota units (Advanced service and REST): 15,000 per user per minute. */
  consumeGmailUnits(units: number): void {
    this.consume('gmailUnitsPerMinute', units);
  }

  /** One message sent through the Gmail API (messages.send, drafts.send). */
  consumeGmailMessage(): void {
    this.consume('gmailMessagesPerDay', 1);
  }

  /** Recipients of one MailApp/GmailApp send. */
  consumeRecipients(count: number): void {
    this.consume('recipientsPerDay', count);
  }

  consumeUrlFetch(): void {
    this.consume('urlFetchPerDay', 1);
  }

  /** MailApp.getRemainingDailyQuota(). */
  remainingRecipients(): number {
    return this.remaining('recipientsPerDay');
  }

  remainingUrlFetch(): number {
    return this.remaining('urlFetchPerDay');
  }

  remainingGmailUnits(): number {
    return this.remaining('gmailUnitsPerMinute');
  }

  remainingGmailMessages(): number {
    return this.remaining('gmailMessagesPerDay');
  }
}
