// The one mapping from what Gmail answered to a typed mail error (domain/mail-errors.ts), for both
// transports: an HTTP outcome of the REST API (status + Google's JSON error body + Retry-After, or no
// answer at all), and an exception of the Advanced Gmail service (GoogleJsonResponseException with
// details.code / details.message, or a bare Error for a network failure or a revoked authorisation).
// The classification is google-outcome.ts's, the same the send job's retry decisions use:
//   401 → AuthError; 403 scope / policy → PermissionError; 429 and 403 rate reasons → QuotaError
//   'rate'; the daily sending limit ("Mail sending", dailyLimitExceeded) → QuotaError 'daily';
//   no answer, 408, 5xx → TransientError (may have happened); 404 → NotFoundError; other 4xx →
//   InvalidRequestError.
// https://developers.google.com/gmail/api/guides/handle-errors
// https://developers.google.com/apps-script/advanced/gmail

import {
  AuthError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  QuotaError,
  TransientError,
  type MailError,
  type MailErrorFacts,
} from '../mail-errors';
import { errorMessage, isExecutionOver } from '../errors';
import { classifyOutcome, parseGoogleError, type HttpOutcome } from './google-outcome';

/** The typed error for an HTTP outcome, or null for a success (2xx). */
export function mailErrorFromHttp(operation: string, outcome: HttpOutcome, now: number): MailError | null {
  const c = classifyOutcome(outcome, now);
  if (c.kind === 'success') return null;
  const google = outcome.networkError ? null : parseGoogleError(outcome.json ?? outcome.text ?? null);
  // Google's own words (or the start of a non-JSON answer); '' when there are none (messages then show the status).
  const detail = outcome.networkError || google?.message || (outcome.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const facts: MailErrorFacts = { operation, status: c.status, detail, reasons: c.reasons, retryAfterMs: c.retryAfterMs };
  switch (c.kind) {
    case 'dailyLimit':
      return new QuotaError({ ...facts, quotaScope: 'daily', mayHaveHappened: false });
    case 'auth':
      return c.status === 401
        ? new AuthError({ ...facts, mayHaveHappened: false })
        : new PermissionError({ ...facts, mayHaveHappened: false });
    case 'transient':
      return c.rateLimited
        ? new QuotaError({ ...facts, quotaScope: 'rate', mayHaveHappened: false })
        : new TransientError({ ...facts, mayHaveHappened: true });
    case 'permanent':
      return c.status === 404
        ? new NotFoundError({ ...facts, mayHaveHappened: false })
        : new InvalidRequestError({ ...facts, mayHaveHappened: false });
  }
}

/** Messages of Advanced-service failures that carry no HTTP code, by what they mean. */
const EXCEPTION_PATTERNS: Array<{ pattern: RegExp; outcome: (detail: string) => HttpOutcome }> = [
  {
    pattern: /authori[sz]ation is required|invalid[_ ]grant|invalid (authentication )?credentials|login required|unauthenticated/i,
    outcome: (detail) => googleBody(401, detail, 'authError'),
  },
  {
    pattern: /insufficient (authentication )?(scopes|permission)|does not have permission|access denied/i,
    outcome: (detail) => googleBody(403, detail, 'insufficientPermissions'),
  },
  { pattern: /too many times for one day|daily limit|mail sending/i, outcome: (detail) => googleBody(429, detail, 'dailyLimitExceeded') },
  { pattern: /too many times|rate limit|user-rate limit/i, outcome: (detail) => googleBody(429, detail, 'rateLimitExceeded') },
  { pattern: /not found|no such|requested entity was not found/i, outcome: (detail) => googleBody(404, detail, 'notFound') },
  { pattern: /\binvalid\b|bad request|precondition/i, outcome: (detail) => googleBody(400, detail, 'invalidArgument') },
];

function googleBody(status: number, message: string, reason: string): HttpOutcome {
  return { status, json: { error: { code: status, message, errors: [{ message, reason }] } } };
}

/** Apps Script's prefix on Advanced-service errors: "API call to gmail.users.messages.get failed with error: ". */
const API_CALL_PREFIX = /^(?:GoogleJsonResponseException: )?API call to [\w.]+ failed with error: /;

/**
 * The HTTP outcome an Advanced-service exception stands for: details.code (GoogleJsonResponseException)
 * with its message and reasons; without a code, a known message, else "no answer" (a network or server
 * failure the script cannot tell apart: it may have happened).
 */
export function outcomeOfException(error: unknown): HttpOutcome {
  const details = (error as { details?: { code?: unknown; message?: unknown; errors?: unknown } } | null)?.details;
  const message = errorMessage(error);
  const detail = (typeof details?.message === 'string' && details.message ? details.message : message).replace(API_CALL_PREFIX, '').trim();
  if (typeof details?.code === 'number' && details.code > 0) {
    const errors = Array.isArray(details.errors) ? details.errors : [{ message: detail, reason: '' }];
    return { status: details.code, json: { error: { code: details.code, message: detail, errors } } };
  }
  const known = EXCEPTION_PATTERNS.find((entry) => entry.pattern.test(detail));
  return known ? known.outcome(detail) : { status: 0, networkError: detail || 'no answer' };
}

/**
 * The typed error for an Advanced-service exception. The end of the execution is not Gmail's answer:
 * it is rethrown, so the runtime's deadline or kill is never mistaken for one item's failure.
 */
export function mailErrorFromException(operation: string, error: unknown, now: number): MailError {
  if (isExecutionOver(error)) throw error;
  return (
    mailErrorFromHttp(operation, outcomeOfException(error), now) ??
    new TransientError({ operation, status: 0, detail: errorMessage(error) })
  );
}

/**
 * The HTTP outcome a typed error stands for (status, Google's message and reasons, Retry-After, or no
 * answer): classifying it again gives the same classification, so code written against HTTP outcomes
 * (the send job's retry decisions) takes gateway errors unchanged.
 */
export function outcomeOfMailError(error: MailError): HttpOutcome {
  if (error.status === 0) return { status: 0, networkError: error.detail || 'no answer', retryAfterMs: error.retryAfterMs };
  const errors = error.reasons.length ? error.reasons.map((reason) => ({ reason, message: error.detail })) : [{ message: error.detail }];
  return { status: error.status, json: { error: { code: error.status, message: error.detail, errors } }, retryAfterMs: error.retryAfterMs };
}
