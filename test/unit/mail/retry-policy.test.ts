// The gateways' retry policy for idempotent calls: what is retried, and how long it waits.

import { AuthError, QuotaError, TransientError } from '../../../src/server/domain/mail-errors';
import { IDEMPOTENT_RETRY, isRetryable, retryWaitMs } from '../../../src/server/domain/mail/retry-policy';

const facts = { operation: 'getMessages', status: 500, detail: 'Backend Error' };

describe('idempotent retry policy', () => {
  it('retries transient errors and rate limits, never auth, daily limits or a Retry-After over a minute', () => {
    expect(isRetryable(new TransientError(facts), IDEMPOTENT_RETRY)).toBe(true);
    expect(isRetryable(new QuotaError({ ...facts, status: 429, quotaScope: 'rate', retryAfterMs: 45_000 }), IDEMPOTENT_RETRY)).toBe(true);
    expect(isRetryable(new QuotaError({ ...facts, status: 429, quotaScope: 'rate', retryAfterMs: 61_000 }), IDEMPOTENT_RETRY)).toBe(false);
    expect(isRetryable(new QuotaError({ ...facts, status: 429, quotaScope: 'daily' }), IDEMPOTENT_RETRY)).toBe(false);
    expect(isRetryable(new AuthError({ ...facts, status: 401 }), IDEMPOTENT_RETRY)).toBe(false);
  });

  it('waits an exponential delay with equal jitter, capped, and never less than Retry-After', () => {
    const transient = [new TransientError(facts)];
    expect(retryWaitMs(0, transient, IDEMPOTENT_RETRY, () => 0)).toBe(500);
    expect(retryWaitMs(0, transient, IDEMPOTENT_RETRY, () => 0.999999)).toBe(1000);
    expect(retryWaitMs(3, transient, IDEMPOTENT_RETRY, () => 0.5)).toBe(6000);
    expect(retryWaitMs(10, transient, IDEMPOTENT_RETRY, () => 1)).toBe(32_000);
    const limited = [new TransientError(facts), new QuotaError({ ...facts, status: 429, quotaScope: 'rate', retryAfterMs: 45_000 })];
    expect(retryWaitMs(0, limited, IDEMPOTENT_RETRY, () => 0.5)).toBe(45_000);
  });
});
