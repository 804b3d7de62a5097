// What to do with the answer of a Gmail REST call: classify it (success, transient, permanent for the
// row, daily sending limit, or an authorisation problem that stops the whole job), and for transient
// errors compute the next delay: retryDelayMs × retryBackoff^k, capped at maxRetryDelayMs, with full
// or equal jitter from an injected random function, and never sooner than Retry-After.
// https://developers.google.com/gmail/api/guides/handle-errors
// The classification itself is shared with the mail gateway: domain/mail/google-outcome.ts.

import { classifyOutcome, type HttpOutcome } from '../mail/google-outcome';
import type { MailError } from '../mail-errors';
import type { SendSettings } from './settings';

export { classifyOutcome, parseGoogleError } from '../mail/google-outcome';
export type { ClassifiedOutcome, GoogleError, HttpOutcome, OutcomeKind } from '../mail/google-outcome';

export type JitterMode = 'none' | 'full' | 'equal';

export interface RetryOptions {
  /** A random number in [0, 1), injected (Math.random in production, seeded in tests). */
  random: () => number;
  /** Default 'equal': half the delay fixed, half random. */
  jitter?: JitterMode;
}

export type RetryDecision =
  | { action: 'done' }
  | {
      action: 'retry';
      delayMs: number;
      message: string;
      rateLimited: boolean;
      maybeExecuted: boolean;
      holdMs?: number;
      retryAfterGiven?: boolean;
    }
  | { action: 'fail'; message: string; permanent: boolean; status: number; maybeExecuted?: boolean }
  | { action: 'pauseDaily'; message: string; retryAfterMs: number | null }
  | { action: 'stopJob'; message: string; status: number };

/** Retry-After as ms from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || !value.trim()) return null;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Delay before retry number `retryIndex` (0 for the first retry): retryDelayMs × retryBackoff^k,
 * capped at maxRetryDelayMs, then jittered, and at least `retryAfterMs` when given.
 */
export function retryDelay(
  retryIndex: number,
  settings: Pick<SendSettings, 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>,
  options: RetryOptions,
  retryAfterMs: number | null = null,
): number {
  const cap = Math.min(settings.maxRetryDelayMs, settings.retryDelayMs * Math.pow(settings.retryBackoff, Math.max(0, retryIndex)));
  const r = Math.min(Math.max(options.random(), 0), 1);
  const jitter = options.jitter ?? 'equal';
  const delay = jitter === 'full' ? r * cap : jitter === 'equal' ? cap / 2 + (r * cap) / 2 : cap;
  return Math.ceil(Math.max(delay, retryAfterMs ?? 0));
}

/**
 * The decision after an attempt. `attemptsMade` counts attempts including the one that produced
 * `outcome` (1 after the first try). A transient error is retried while attemptsMade ≤ maxRetries
 * (so maxRetries = 5 means up to 6 attempts); then the row fails with the last error.
 */
export function decideRetry(
  outcome: HttpOutcome,
  attemptsMade: number,
  settings: Pick<SendSettings, 'maxRetries' | 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>,
  now: number,
  options: RetryOptions,
): RetryDecision {
  const c = classifyOutcome(outcome, now);
  switch (c.kind) {
    case 'success':
      return { action: 'done' };
    case 'permanent':
      return { action: 'fail', message: c.message, permanent: true, status: c.status };
    case 'auth':
      return { action: 'stopJob', message: c.message, status: c.status };
    case 'dailyLimit':
      return { action: 'pauseDaily', message: c.message, retryAfterMs: c.retryAfterMs };
    case 'transient':
      if (attemptsMade > settings.maxRetries) {
        return { action: 'fail', message: `${c.message} — gave up after ${attemptsMade} attempt(s)`, permanent: false, status: c.status };
      }
      return {
        action: 'retry',
        delayMs: retryDelay(attemptsMade - 1, settings, options, c.retryAfterMs),
        message: c.message,
        rateLimited: c.rateLimited,
        maybeExecuted: c.maybeExecuted,
      };
  }
}

/** A row's error cell for a mail error: Google's words, the HTTP status and the first reason. */
export function rowErrorText(error: Pick<MailError, 'status' | 'detail' | 'reasons'> & { kind?: MailError['kind'] }): string {
  if (error.status === 0) return error.kind && error.kind !== 'transient' ? error.detail : `Network error: ${error.detail || 'no answer'}`;
  return error.detail
    ? `${error.detail} (HTTP ${error.status}${error.reasons.length ? `, ${error.reasons[0]}` : ''})`
    : `HTTP ${error.status}`;
}

/**
 * The decision after a send, from the gateway's typed outcome (`error` null for a success):
 * QuotaError 'daily' → pause the job until the limit resets; QuotaError 'rate' → retried, the pacer
 * holds every send; TransientError → retried while attempts remain, in doubt when it may have happened
 * (mayHaveHappened); AuthError / PermissionError → the job stops (every row would fail alike);
 * InvalidRequestError / NotFoundError → the row fails, never retried.
 */
export function decideSendRetry(
  error: MailError | null,
  attemptsMade: number,
  settings: Pick<SendSettings, 'maxRetries' | 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>,
  options: RetryOptions,
): RetryDecision {
  if (!error) return { action: 'done' };
  const message = rowErrorText(error);
  switch (error.kind) {
    case 'auth':
    case 'permission':
      return { action: 'stopJob', message, status: error.status };
    case 'not_found':
    case 'invalid_request':
      return { action: 'fail', message, permanent: true, status: error.status };
    case 'quota':
      if (error.quotaScope === 'daily') return { action: 'pauseDaily', message, retryAfterMs: error.retryAfterMs };
      break;
    case 'transient':
      break;
  }
  const rateLimited = error.kind === 'quota';
  const maybeExecuted = error.kind === 'transient' && error.mayHaveHappened;
  if (attemptsMade > settings.maxRetries) {
    return {
      action: 'fail',
      message: `${message} — gave up after ${attemptsMade} attempt(s)`,
      permanent: false,
      status: error.status,
      maybeExecuted,
    };
  }
  // A rate limit that says when to come back (Retry-After) is not the row's failure: the row waits
  // what Gmail asked (at least the first retry's delay), not a backoff grown by its earlier errors.
  const retryAfterGiven = error.retryAfterMs !== null && error.retryAfterMs !== undefined;
  const delayMs = retryDelay(rateLimited && retryAfterGiven ? 0 : attemptsMade - 1, settings, options, error.retryAfterMs);
  // A rate limit holds every send for the wait Gmail asked (Retry-After), else for the row's own delay.
  const holdMs = rateLimited ? (error.retryAfterMs ?? delayMs) : 0;
  return {
    action: 'retry',
    delayMs,
    message,
    rateLimited,
    maybeExecuted,
    holdMs,
    retryAfterGiven,
  };
}
