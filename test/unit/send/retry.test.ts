// Classifying Gmail REST outcomes and computing retry delays.

import {
  classifyOutcome,
  decideRetry,
  decideSendRetry,
  parseGoogleError,
  parseRetryAfter,
  retryDelay,
} from '../../../src/server/domain/send/retry';
import { QuotaError, TransientError } from '../../../src/server/domain/mail-errors';
import { DEFAULT_SEND_SETTINGS } from '../../../src/server/domain/send/settings';

const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);
const googleError = (code: number, message: string, reason?: string) => ({
  error: { code, message, errors: reason ? [{ domain: 'global', reason, message }] : [] },
});
const fixed = (value: number) => () => value;

describe('parseGoogleError', () => {
  it('reads code, message and reasons from an object or JSON text', () => {
    const body = googleError(400, 'Invalid To header', 'invalidArgument');
    expect(parseGoogleError(body)).toEqual({ code: 400, message: 'Invalid To header', reasons: ['invalidArgument'] });
    expect(parseGoogleError(JSON.stringify(body))).toEqual({ code: 400, message: 'Invalid To header', reasons: ['invalidArgument'] });
  });
  it('returns null for anything else', () => {
    expect(parseGoogleError('<html>Bad Gateway</html>')).toBeNull();
    expect(parseGoogleError({ foo: 1 })).toBeNull();
    expect(parseGoogleError(null)).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});

describe('classifyOutcome', () => {
  it.each([
    [{ status: 200, json: { id: 'm1' } }, 'success', false, false],
    [{ status: 0, networkError: 'Address unavailable' }, 'transient', false, true],
    [{ status: 500, text: 'oops' }, 'transient', false, true],
    [{ status: 503, json: googleError(503, 'Backend Error', 'backendError') }, 'transient', false, true],
    [{ status: 429, json: googleError(429, 'Too many concurrent requests for user', 'rateLimitExceeded') }, 'transient', true, false],
    [{ status: 403, json: googleError(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded') }, 'transient', true, false],
    [{ status: 403, json: googleError(403, 'Daily Limit Exceeded', 'dailyLimitExceeded') }, 'dailyLimit', false, false],
    [
      { status: 403, json: googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions') },
      'auth',
      false,
      false,
    ],
    [{ status: 401, json: googleError(401, 'Invalid Credentials', 'authError') }, 'auth', false, false],
    [{ status: 400, json: googleError(400, 'Invalid To header', 'invalidArgument') }, 'permanent', false, false],
    [{ status: 413, text: 'Request Entity Too Large' }, 'permanent', false, false],
  ])('%j → %s', (outcome, kind, rateLimited, maybeExecuted) => {
    const c = classifyOutcome(outcome, NOW);
    expect([c.kind, c.rateLimited, c.maybeExecuted]).toEqual([kind, rateLimited, maybeExecuted]);
  });

  it('gives a clean message for the row', () => {
    expect(classifyOutcome({ status: 400, json: googleError(400, 'Invalid To header', 'invalidArgument') }, NOW).message).toBe(
      'Invalid To header (HTTP 400, invalidArgument)',
    );
    expect(classifyOutcome({ status: 502, text: '<html>\n  Bad   Gateway\n</html>' }, NOW).message).toBe(
      '<html> Bad Gateway </html> (HTTP 502)',
    );
    expect(classifyOutcome({ status: 0, networkError: 'DNS error' }, NOW).message).toBe('Network error: DNS error');
  });

  it('recognises the daily sending limit and reads its "Retry after" time', () => {
    const c = classifyOutcome(
      {
        status: 429,
        json: googleError(429, 'User-rate limit exceeded.  Retry after 2025-01-15T10:30:00.000Z (Mail sending)', 'rateLimitExceeded'),
      },
      NOW,
    );
    expect(c.kind).toBe('dailyLimit');
    expect(c.retryAfterMs).toBe(90 * 60_000);
  });

  it('keeps the Retry-After header', () => {
    expect(
      classifyOutcome({ status: 429, retryAfterMs: 7_000, json: googleError(429, 'Too many requests', 'rateLimitExceeded') }, NOW)
        .retryAfterMs,
    ).toBe(7_000);
  });
});

describe('retryDelay', () => {
  const settings = DEFAULT_SEND_SETTINGS;
  it('grows 5 s, 10 s, 20 s, 40 s, then stays at 60 s without jitter (the users’ example)', () => {
    expect([0, 1, 2, 3, 4, 5].map((k) => retryDelay(k, settings, { random: fixed(0.5), jitter: 'none' }))).toEqual([
      5000, 10000, 20000, 40000, 60000, 60000,
    ]);
  });
  it('full jitter spans [0, cap], equal jitter [cap/2, cap]', () => {
    expect(retryDelay(1, settings, { random: fixed(0), jitter: 'full' })).toBe(0);
    expect(retryDelay(1, settings, { random: fixed(0.999999), jitter: 'full' })).toBe(10000);
    expect(retryDelay(1, settings, { random: fixed(0) })).toBe(5000);
    expect(retryDelay(1, settings, { random: fixed(0.5) })).toBe(7500);
  });
  it('never retries sooner than Retry-After, even past the cap', () => {
    expect(retryDelay(0, settings, { random: fixed(0), jitter: 'full' }, 12_000)).toBe(12_000);
    expect(retryDelay(9, settings, { random: fixed(1), jitter: 'none' }, 120_000)).toBe(120_000);
  });
});

describe('decideRetry', () => {
  const settings = DEFAULT_SEND_SETTINGS;
  const options = { random: fixed(0.5), jitter: 'none' as const };
  const unavailable = { status: 503, json: googleError(503, 'Backend Error', 'backendError') };

  it('retries transient errors maxRetries times, then fails with the last error', () => {
    const delays: number[] = [];
    let attempts = 0;
    for (;;) {
      attempts++;
      const decision = decideRetry(unavailable, attempts, settings, NOW, options);
      if (decision.action !== 'retry') {
        expect(decision).toEqual({
          action: 'fail',
          message: 'Backend Error (HTTP 503, backendError) — gave up after 6 attempt(s)',
          permanent: false,
          status: 503,
        });
        break;
      }
      delays.push(decision.delayMs);
    }
    expect(delays).toEqual([5000, 10000, 20000, 40000, 60000]);
  });

  it('fails permanent errors at once, pauses on the daily limit, stops the job on auth', () => {
    expect(decideRetry({ status: 400, json: googleError(400, 'Invalid To header', 'invalidArgument') }, 1, settings, NOW, options)).toEqual(
      {
        action: 'fail',
        message: 'Invalid To header (HTTP 400, invalidArgument)',
        permanent: true,
        status: 400,
      },
    );
    expect(
      decideRetry({ status: 403, json: googleError(403, 'Daily Limit Exceeded', 'dailyLimitExceeded') }, 1, settings, NOW, options).action,
    ).toBe('pauseDaily');
    expect(decideRetry({ status: 401, json: googleError(401, 'Invalid Credentials', 'authError') }, 1, settings, NOW, options).action).toBe(
      'stopJob',
    );
    expect(decideRetry({ status: 200 }, 1, settings, NOW, options)).toEqual({ action: 'done' });
  });

  it('marks rate limits and maybe-executed requests for the job', () => {
    const rate = decideRetry(
      { status: 429, retryAfterMs: 30_000, json: googleError(429, 'Too many requests', 'rateLimitExceeded') },
      1,
      settings,
      NOW,
      options,
    );
    expect(rate).toMatchObject({ action: 'retry', delayMs: 30_000, rateLimited: true, maybeExecuted: false });
    expect(decideRetry({ status: 0, networkError: 'timeout' }, 1, settings, NOW, options)).toMatchObject({
      action: 'retry',
      maybeExecuted: true,
    });
  });

  it('with maxRetries 0 the first transient error fails the row', () => {
    expect(decideRetry(unavailable, 1, { ...settings, maxRetries: 0 }, NOW, options).action).toBe('fail');
  });
});

describe('decideSendRetry', () => {
  const settings = DEFAULT_SEND_SETTINGS; // 5 s × 2^k, equal jitter
  const options = { random: fixed(0.5) };
  const rate = (retryAfterMs: number | null) =>
    new QuotaError({ operation: 'send', status: 429, detail: 'Too many requests', quotaScope: 'rate', retryAfterMs });
  const unavailable = new TransientError({ operation: 'send', status: 503, detail: 'Backend Error' });

  it('a rate limit with Retry-After waits what Gmail asked (at least the first delay), not a backoff grown by earlier errors', () => {
    // Fourth attempt: the grown backoff would be 5 s × 2³ = 40 s → 30 s with the jitter.
    expect(decideSendRetry(rate(1_000), 4, settings, options)).toMatchObject({
      action: 'retry',
      delayMs: 3_750,
      rateLimited: true,
      maybeExecuted: false,
      holdMs: 1_000,
    });
    expect(decideSendRetry(rate(12_000), 4, settings, options)).toMatchObject({ delayMs: 12_000, holdMs: 12_000 });
  });

  it('keeps the grown backoff for a rate limit without Retry-After and for an error that may have happened', () => {
    expect(decideSendRetry(rate(null), 4, settings, options)).toMatchObject({ delayMs: 30_000, holdMs: 30_000 });
    expect(decideSendRetry(unavailable, 4, settings, options)).toMatchObject({ delayMs: 30_000, maybeExecuted: true });
  });
});
