// When a gateway tries an idempotent call again within the same operation (reads, label changes,
// trash; NEVER a send): only for transient errors and rate limits, a few times, after an exponential
// delay with equal jitter (capped at maxDelayMs) that is never shorter than Gmail's Retry-After. A
// Retry-After longer than maxRetryAfterMs is not slept through: the error goes back to the caller,
// who can schedule the work for later.
// https://developers.google.com/gmail/api/guides/handle-errors#exponential-backoff

import type { MailError } from '../mail-errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Ceiling of the exponential delay. */
  maxDelayMs: number;
  /** The longest Retry-After waited for within a call. */
  maxRetryAfterMs: number;
}

export const IDEMPOTENT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 32_000, maxRetryAfterMs: 60_000 };

/** Whether an idempotent call that failed with `error` is worth another attempt now. */
export function isRetryable(error: MailError, policy: RetryPolicy): boolean {
  if (error.kind === 'transient') return true;
  if (error.kind === 'quota' && error.quotaScope === 'rate') return (error.retryAfterMs ?? 0) <= policy.maxRetryAfterMs;
  return false;
}

/**
 * The wait before retry number `retryIndex` (0 for the first retry) of the given errors: baseDelay ×
 * 2^k capped at maxDelay, half fixed and half random, and at least the longest Retry-After (which
 * isRetryable keeps under maxRetryAfterMs).
 */
export function retryWaitMs(retryIndex: number, errors: readonly MailError[], policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
  const jittered = cap / 2 + (Math.min(Math.max(random(), 0), 1) * cap) / 2;
  const retryAfter = Math.max(0, ...errors.map((error) => error.retryAfterMs ?? 0));
  return Math.ceil(Math.max(jittered, retryAfter));
}
