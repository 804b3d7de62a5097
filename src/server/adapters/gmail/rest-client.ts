// Adapter: the Gmail REST API over UrlFetchApp with the script's own OAuth token. fetchAll sends a
// batch of requests in parallel (one execution-time cost for the whole batch), which is how Postroom
// reaches the Gmail quota ceiling; GmailApp and the Advanced service call one request at a time.
// Responses are never thrown (muteHttpExceptions): each becomes a GmailReply the caller classifies.
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
// https://developers.google.com/gmail/api/reference/rest

import { takeAhead } from '../fetch-ahead';
import { scriptToken } from '../oauth';

export const GMAIL_API_BASE = 'https://gmail.googleapis.com/gmail/v1/users/me/';

export interface GmailCall {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Path below users/me/, e.g. "messages/send" or "messages/abc?format=full". */
  path: string;
  query?: Record<string, string | number | boolean | ReadonlyArray<string>>;
  body?: unknown;
}

export interface GmailReply {
  /** HTTP status; 0 when the request's outcome is unknown (the batch failed at the network level). */
  status: number;
  json: unknown;
  text: string;
  /** From a Retry-After header (seconds or HTTP date), in ms. */
  retryAfterMs: number | null;
  /** Set when no HTTP answer came back; the request may or may not have been executed. */
  networkError: string | null;
}

export function buildUrl(call: GmailCall): string {
  const params: string[] = [];
  for (const [name, value] of Object.entries(call.query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) params.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
  }
  return GMAIL_API_BASE + call.path + (params.length ? (call.path.includes('?') ? '&' : '?') + params.join('&') : '');
}

export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

// Gmail API requests sent by this execution (each retry counts): module state lives as long as the
// execution's global scope, so it starts at 0 in every execution. Jobs read it for their metrics.
let requestsSent = 0;

/** How many Gmail API requests this execution has sent so far (retries included). */
export function gmailRequestsSent(): number {
  return requestsSent;
}

/**
 * A request of another Google API (a Sheets read) that rides in the next Gmail fetchAll of the
 * execution: one service call carries both. `deliver` gets its HTTP answer, or the error that failed
 * the whole batch (a network failure); `build` makes it with the script's token.
 */
export interface RidingRequest {
  build(token: string): GoogleAppsScript.URL_Fetch.URLFetchRequest;
  deliver(outcome: { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string }): void;
}

// Requests waiting for the next Gmail fetchAll (module state: one execution's life).
let riders: RidingRequest[] = [];

/** Puts a request in the next Gmail fetchAll; returns a function that takes it back if it has not left yet. */
export function rideWithNextGmailBatch(rider: RidingRequest): () => boolean {
  riders.push(rider);
  return () => {
    const before = riders.length;
    riders = riders.filter((r) => r !== rider);
    return riders.length < before;
  };
}

/** Sends the calls in parallel (one fetchAll) and returns one reply per call, in order. */
export function callGmail(calls: readonly GmailCall[]): GmailReply[] {
  if (!calls.length) return [];
  requestsSent += calls.length;
  const token = scriptToken();
  const requests: GoogleAppsScript.URL_Fetch.URLFetchRequest[] = calls.map((call) => ({
    url: buildUrl(call),
    method: call.method,
    headers: { Authorization: `Bearer ${token}` },
    muteHttpExceptions: true,
    ...(call.body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(call.body) }),
  }));
  // A read asked ahead (fetch-ahead.ts: it came with an earlier fetchAll of this execution) is served
  // once; the others go out with the requests riding the next Gmail batch.
  const early = requests.map((request, i) => (calls[i].method === 'get' && calls[i].body === undefined ? takeAhead(request.url) : null));
  const toFetch = requests.filter((_, i) => !early[i]);
  const riding = toFetch.length ? riders : [];
  if (toFetch.length) riders = [];
  let fetched: GoogleAppsScript.URL_Fetch.HTTPResponse[];
  try {
    fetched = toFetch.length ? UrlFetchApp.fetchAll([...toFetch, ...riding.map((rider) => rider.build(token))]) : [];
  } catch (error) {
    // A network failure fails the whole fetchAll; some requests may have reached Gmail.
    const message = error instanceof Error ? error.message : String(error);
    for (const rider of riding) rider.deliver({ error: message });
    return calls.map(() => ({ status: 0, json: null, text: '', retryAfterMs: null, networkError: message }));
  }
  riding.forEach((rider, i) => rider.deliver({ response: fetched[toFetch.length + i] }));
  let next = 0;
  const responses = early.map((answer) => answer ?? fetched[next++]);
  const now = Date.now();
  return responses.map((response) => {
    const text = response.getContentText();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null; // Not JSON (an HTML error page): callers use `text`.
    }
    const headers = response.getHeaders() as Record<string, unknown>;
    return {
      status: response.getResponseCode(),
      json,
      text,
      retryAfterMs: parseRetryAfter(headerValue(headers, 'Retry-After'), now),
      networkError: null,
    };
  });
}

/** Google's error message from a JSON error body, else the status line. */
export function gmailErrorMessage(reply: GmailReply): string {
  if (reply.networkError) return reply.networkError;
  const body = reply.json as { error?: { message?: string; errors?: Array<{ reason?: string }> } } | null;
  const message = body?.error?.message;
  const reason = body?.error?.errors?.[0]?.reason;
  if (message) return reason ? `${message} (${reason})` : message;
  return `HTTP ${reply.status}${reply.text ? `: ${reply.text.slice(0, 200)}` : ''}`;
}

/** 429, 5xx and "no answer" are worth retrying; other statuses are the answer. */
export function isTransient(reply: GmailReply): boolean {
  return reply.status === 0 || reply.status === 429 || reply.status >= 500;
}

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const READ_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 32_000 };

/**
 * For idempotent calls only (reads, label changes): retries the transient failures of a batch with
 * exponential backoff and jitter, honouring Retry-After; returns the final reply of every call.
 * Never use it for sends: a send with no answer may have gone out.
 */
export function callGmailIdempotent(calls: readonly GmailCall[], options: RetryOptions = READ_RETRY): GmailReply[] {
  const replies = callGmail(calls);
  let pending = replies.map((reply, index) => index).filter((index) => isTransient(replies[index]));
  for (let attempt = 1; pending.length && attempt < options.maxAttempts; attempt++) {
    const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
    const retryAfter = Math.max(0, ...pending.map((index) => replies[index].retryAfterMs ?? 0));
    Utilities.sleep(Math.min(options.maxDelayMs, Math.max(retryAfter, exponential / 2 + Math.random() * (exponential / 2))));
    const again = callGmail(pending.map((index) => calls[index]));
    again.forEach((reply, k) => {
      replies[pending[k]] = reply;
    });
    pending = pending.filter((index) => isTransient(replies[index]));
  }
  return replies;
}
