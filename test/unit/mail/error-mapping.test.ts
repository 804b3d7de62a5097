// The one mapping from Gmail's answers to typed mail errors: HTTP statuses with Google's JSON error
// bodies and Retry-After (REST), and the Advanced service's exceptions (details.code, or a message).

import {
  mailErrorFromException,
  mailErrorFromHttp,
  outcomeOfException,
  outcomeOfMailError,
} from '../../../src/server/domain/mail/error-mapping';
import { decideRetry } from '../../../src/server/domain/send/retry';
import { isMailError } from '../../../src/server/domain/mail-errors';

const NOW = Date.UTC(2026, 0, 15, 8, 0, 0);
const body = (code: number, message: string, reason = '') => ({
  error: { code, message, errors: [{ message, reason, domain: 'global' }] },
});

describe('mailErrorFromHttp', () => {
  it.each([
    [200, null, null, null],
    [204, null, null, null],
    [401, body(401, 'Request had invalid authentication credentials.', 'authError'), 'AuthError', null],
    [403, body(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions'), 'PermissionError', null],
    [403, body(403, 'Delegation denied for a@b.fr', 'forbidden'), 'PermissionError', null],
    [403, body(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded'), 'QuotaError', 'rate'],
    [403, body(403, 'Daily Limit Exceeded', 'dailyLimitExceeded'), 'QuotaError', 'daily'],
    [429, body(429, 'Rate Limit Exceeded', 'rateLimitExceeded'), 'QuotaError', 'rate'],
    [
      429,
      body(429, 'User-rate limit exceeded.  Retry after 2026-01-16T08:00:00.000Z (Mail sending)', 'rateLimitExceeded'),
      'QuotaError',
      'daily',
    ],
    [500, body(500, 'Backend Error', 'backendError'), 'TransientError', null],
    [503, '<html>Service Unavailable</html>', 'TransientError', null],
    [408, null, 'TransientError', null],
    [404, body(404, 'Requested entity was not found.', 'notFound'), 'NotFoundError', null],
    [400, body(400, 'Invalid To header', 'invalidArgument'), 'InvalidRequestError', null],
    [413, null, 'InvalidRequestError', null],
  ])('HTTP %i → %s', (status, json, name, scope) => {
    const error = mailErrorFromHttp(
      'op',
      { status, json: typeof json === 'string' ? null : json, text: typeof json === 'string' ? json : '' },
      NOW,
    );
    if (name === null) return expect(error).toBeNull();
    expect(error?.name).toBe(name);
    expect(error?.status).toBe(status);
    expect(error?.quotaScope).toBe(scope);
    expect(error?.mayHaveHappened).toBe(name === 'TransientError');
    expect(isMailError(error)).toBe(true);
  });

  it('keeps Retry-After, reads the daily reset time, and quotes Google in the user message', () => {
    const rate = mailErrorFromHttp(
      'search',
      { status: 429, json: body(429, 'Rate Limit Exceeded', 'rateLimitExceeded'), retryAfterMs: 3000 },
      NOW,
    )!;
    expect(rate.retryAfterMs).toBe(3000);
    expect(rate.reasons).toEqual(['rateLimitExceeded']);
    const daily = mailErrorFromHttp(
      'send',
      { status: 429, json: body(429, 'User-rate limit exceeded.  Retry after 2026-01-16T08:00:00.000Z (Mail sending)') },
      NOW,
    )!;
    expect(daily.retryAfterMs).toBe(24 * 3600_000);
    expect(daily.userMessage('fr')).toContain('limite d’envoi quotidienne');
    expect(daily.userMessage('en')).toContain('(Mail sending)');
  });

  it('no answer at all is a TransientError that may have happened', () => {
    const error = mailErrorFromHttp('send', { status: 0, networkError: 'Address unavailable: https://gmail.googleapis.com' }, NOW)!;
    expect(error.name).toBe('TransientError');
    expect(error.status).toBe(0);
    expect(error.mayHaveHappened).toBe(true);
    expect(error.detail).toContain('Address unavailable');
  });
});

describe('mailErrorFromException', () => {
  const json = (code: number, message: string, reason?: string) =>
    Object.assign(new Error(`API call to gmail.users.messages.get failed with error: ${message}`), {
      name: 'GoogleJsonResponseException',
      details: reason ? { code, message, errors: [{ reason, message, domain: 'global' }] } : { code, message },
    });

  it.each([
    [json(401, 'Request had invalid authentication credentials.'), 'AuthError', null],
    [json(403, 'Request had insufficient authentication scopes.'), 'PermissionError', null],
    [json(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded'), 'QuotaError', 'rate'],
    [json(429, 'User-rate limit exceeded'), 'QuotaError', 'rate'],
    [json(429, 'User-rate limit exceeded.  Retry after 2026-01-16T08:00:00.000Z (Mail sending)'), 'QuotaError', 'daily'],
    [json(500, 'Backend Error'), 'TransientError', null],
    [json(404, 'Requested entity was not found.'), 'NotFoundError', null],
    [json(400, 'Invalid id value'), 'InvalidRequestError', null],
    [new Error("We're sorry, a server error occurred. Please wait a bit and try again."), 'TransientError', null],
    [new Error('Authorization is required to perform that action.'), 'AuthError', null],
    [new Error('Service invoked too many times for one day: gmail.'), 'QuotaError', 'daily'],
    ['a thrown string', 'TransientError', null],
  ])('%s → %s', (thrown, name, scope) => {
    const error = mailErrorFromException('getMessages', thrown, NOW);
    expect(error.name).toBe(name);
    expect(error.quotaScope).toBe(scope);
    expect(error.operation).toBe('getMessages');
  });

  it('strips Apps Script’s "API call to … failed with error:" prefix from the detail', () => {
    expect(outcomeOfException(new Error('API call to gmail.users.messages.send failed with error: Invalid To header'))).toEqual({
      status: 400,
      json: { error: { code: 400, message: 'Invalid To header', errors: [{ message: 'Invalid To header', reason: 'invalidArgument' }] } },
    });
    expect(mailErrorFromException('send', json(400, 'Invalid To header'), NOW).detail).toBe('Invalid To header');
  });

  it('rethrows the end of the execution instead of making it an item’s error', () => {
    expect(() => mailErrorFromException('send', new Error('Exceeded maximum execution time'), NOW)).toThrow(
      'Exceeded maximum execution time',
    );
  });
});

describe('outcomeOfMailError', () => {
  const settings = { maxRetries: 5, retryDelayMs: 5000, retryBackoff: 2, maxRetryDelayMs: 60000 };
  it.each([
    { status: 0, networkError: 'Address unavailable' },
    { status: 401, json: body(401, 'Invalid Credentials', 'authError') },
    { status: 403, json: body(403, 'Insufficient Permission', 'insufficientPermissions') },
    { status: 403, json: body(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded'), retryAfterMs: 4000 },
    { status: 429, json: body(429, 'User-rate limit exceeded.  Retry after 2026-01-16T08:00:00.000Z (Mail sending)', 'rateLimitExceeded') },
    { status: 429, json: body(429, 'Rate Limit Exceeded', 'rateLimitExceeded'), retryAfterMs: 1000 },
    { status: 500, json: body(500, 'Backend Error', 'backendError') },
    { status: 503, text: '<html>Service Unavailable</html>' },
    { status: 404, json: body(404, 'Requested entity was not found.', 'notFound') },
    { status: 400, json: body(400, 'Invalid To header', 'invalidArgument') },
  ])('gives the send job the same retry decision as the HTTP outcome ($status)', (outcome: Parameters<typeof mailErrorFromHttp>[1]) => {
    const error = mailErrorFromHttp('send', outcome, NOW)!;
    const options = { random: () => 0.5 };
    expect(decideRetry(outcomeOfMailError(error), 1, settings, NOW, options)).toEqual(decideRetry(outcome, 1, settings, NOW, options));
  });
});
