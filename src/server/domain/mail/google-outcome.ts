// What Gmail answered, classified once for every caller (the mail gateway's typed errors, the send
// job's retry decisions): success, transient (no answer, 408, 5xx, or a rate limit to wait out),
// permanent for the item (400, 404, other 4xx), the daily sending limit, or an authorisation problem
// (401, 403 for scopes or domain policy) that stops the whole job.
// https://developers.google.com/gmail/api/guides/handle-errors
//
// Classification:
// - 2xx → success.
// - network error (no HTTP answer), 408, 5xx → transient; `maybeExecuted` warns that the request may
//   have reached Gmail (a send may have gone out): verify before sending again.
// - 429 and 403 with reason rateLimitExceeded / userRateLimitExceeded → transient, `rateLimited`
//   (the pacer should block until the delay has passed).
// - 429/403 for the daily sending limit ("Mail sending" in the message, or reason dailyLimitExceeded /
//   quotaExceeded) → dailyLimit: pause the job, do not burn the row's attempts. Gmail's message reads
//   "User-rate limit exceeded. Retry after 2025-01-15T10:00:00.000Z (Mail sending)": the time is read.
// - 401, and 403 for permissions or domain policy → auth: stop the job (every row would fail alike).
// - any other 4xx (400 "Invalid To header", 404, 413…) → permanent: lands on the row, not retried.

/**
 * An HTTP outcome as the REST adapter reports it (structurally the adapter's GmailReply): status 0
 * with `networkError` when no answer came back.
 */
export interface HttpOutcome {
  status: number;
  json?: unknown;
  text?: string;
  /** From a Retry-After header, in ms (see parseRetryAfter). */
  retryAfterMs?: number | null;
  networkError?: string | null;
}

export interface GoogleError {
  code: number | null;
  message: string;
  reasons: string[];
}

export type OutcomeKind = 'success' | 'transient' | 'permanent' | 'dailyLimit' | 'auth';

export interface ClassifiedOutcome {
  kind: OutcomeKind;
  status: number;
  /** A clean one-line message for the row and the events ('' on success). */
  message: string;
  /** Google's error reasons, e.g. ["userRateLimitExceeded"]. */
  reasons: string[];
  /** Wait at least this long before the next call (Retry-After, or Gmail's "Retry after <time>"). */
  retryAfterMs: number | null;
  /** A rate limit: the pacer should hold every send, not only this one. */
  rateLimited: boolean;
  /** The request may have been executed even though no success came back. */
  maybeExecuted: boolean;
}

/** Reads Google's JSON error body `{error:{code,message,errors:[{reason,message}]}}` (object or text). */
export function parseGoogleError(body: unknown): GoogleError | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null; // Not JSON (an HTML error page): the caller falls back to the status line.
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown; status?: unknown };
  const items = Array.isArray(e.errors) ? (e.errors as Array<{ reason?: unknown; message?: unknown }>) : [];
  const reasons = items.map((item) => (typeof item?.reason === 'string' ? item.reason : '')).filter(Boolean);
  const message =
    (typeof e.message === 'string' && e.message) ||
    items.map((item) => (typeof item?.message === 'string' ? item.message : '')).find(Boolean) ||
    (typeof e.status === 'string' ? e.status : '');
  return { code: typeof e.code === 'number' ? e.code : null, message: message.replace(/\s+/g, ' ').trim(), reasons };
}

const RATE_REASONS = ['rateLimitExceeded', 'userRateLimitExceeded'];
const DAILY_REASONS = ['dailyLimitExceeded', 'quotaExceeded'];

/** Classifies one outcome; `now` converts Gmail's "Retry after <time>" into a delay. */
export function classifyOutcome(outcome: HttpOutcome, now: number): ClassifiedOutcome {
  const base = {
    status: outcome.status,
    reasons: [] as string[],
    retryAfterMs: outcome.retryAfterMs ?? null,
    rateLimited: false,
    maybeExecuted: false,
  };
  if (outcome.networkError || outcome.status === 0) {
    return { ...base, kind: 'transient', message: `Network error: ${outcome.networkError || 'no answer'}`, maybeExecuted: true };
  }
  if (outcome.status >= 200 && outcome.status < 300) return { ...base, kind: 'success', message: '' };
  const google = parseGoogleError(outcome.json ?? outcome.text ?? null);
  const reasons = google?.reasons ?? [];
  const detail = google?.message || (outcome.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = detail ? `${detail} (HTTP ${outcome.status}${reasons.length ? `, ${reasons[0]}` : ''})` : `HTTP ${outcome.status}`;
  let retryAfterMs = base.retryAfterMs;
  const after = /Retry after (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/i.exec(detail);
  if (after) {
    const at = Date.parse(after[1]);
    if (!Number.isNaN(at)) retryAfterMs = Math.max(retryAfterMs ?? 0, at - now);
  }
  const result = { ...base, reasons, message, retryAfterMs };
  const status = outcome.status;
  if (status === 429 || status === 403) {
    if (/mail sending/i.test(detail) || reasons.some((r) => DAILY_REASONS.includes(r))) return { ...result, kind: 'dailyLimit' };
    if (status === 429 || reasons.some((r) => RATE_REASONS.includes(r))) return { ...result, kind: 'transient', rateLimited: true };
    return { ...result, kind: 'auth' };
  }
  if (status === 401) return { ...result, kind: 'auth' };
  if (status === 408) return { ...result, kind: 'transient', maybeExecuted: true };
  if (status >= 500) return { ...result, kind: 'transient', maybeExecuted: true };
  return { ...result, kind: 'permanent' };
}
