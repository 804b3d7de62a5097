// The Send job's progress as persisted state (the sidebar's live gauge): counts, times,
// state, and the last events. It is plain JSON, updated by pure functions (each returns a new state),
// stored by the job in a user property after every batch, and read by getSendProgress, so closing and
// reopening the sidebar finds the job where it is. A property value holds at most 9 KB, so the event
// list is capped (MAX_EVENTS), each event's strings are bounded, and serializeProgress drops the
// oldest events if needed to stay under MAX_PROGRESS_BYTES.
// https://developers.google.com/apps-script/guides/services/quotas (Properties value size)
//
// Events are data (kind + parameters), rendered at read time in the reader's locale (messages.ts).
// Rows that fail at planning (before the start) are counted as failed but are not emails: they get an
// `invalid` event without a number, and "Email i/n" numbers, the percentage, the rate and the ETA
// count only the n emails actually given to Gmail.

import { PostroomError } from '../errors';
import type { Locale } from '../i18n';
import { utf8Length } from '../encoding';
import { formatClockUtc, formatDuration, translateSend, type SendMessageKey } from './messages';

export const SEND_JOB_STATES = ['planned', 'running', 'paused-quota', 'paused', 'done', 'cancelled'] as const;
export type SendJobState = (typeof SEND_JOB_STATES)[number];

/** Events kept in the state (the newest). */
export const MAX_EVENTS = 20;
/** Serialized size bound, under the 9 KB of one property value. */
export const MAX_PROGRESS_BYTES = 8_500;

export type SendEvent =
  | { kind: 'started'; at: number; total: number }
  | {
      kind: 'sent';
      at: number;
      index: number;
      total: number;
      key: string;
      files: string[];
      moreFiles: number;
      recipients: string[];
      moreRecipients: number;
    }
  | { kind: 'failed'; at: number; index: number; total: number; key: string; files: string[]; moreFiles: number; error: string }
  | { kind: 'invalid'; at: number; key: string; files: string[]; moreFiles: number; error: string }
  | { kind: 'retry'; at: number; index: number; total: number; key: string; error: string; delayMs: number }
  | { kind: 'pausedQuota'; at: number; resumeAt: number; sentToday: number; cap: number }
  | { kind: 'pausedRate'; at: number; resumeAt: number }
  | { kind: 'paused'; at: number; who: string }
  | { kind: 'resumed'; at: number }
  | { kind: 'cancelled'; at: number; sent: number; remaining: number }
  | { kind: 'finished'; at: number; sent: number; failed: number; total: number };

export interface SendProgress {
  version: 1;
  jobId: string;
  state: SendJobState;
  total: number;
  sent: number;
  failed: number;
  /** Of `failed`, the rows failed at planning (never emails); absent in progress saved before it existed. */
  invalid?: number;
  /** First start (epoch ms), null while planned. */
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
  /** While paused-quota: when the job resumes by itself. */
  resumeAt: number | null;
  /** Time spent running (pauses excluded), up to runningSince. */
  activeMs: number;
  /** Set while running. */
  runningSince: number | null;
  /** Events recorded since the start (the list keeps the last MAX_EVENTS). */
  eventCount: number;
  events: SendEvent[];
}

/** What getSendProgress hands to the sidebar: JSON-friendly numbers and rendered strings. */
export interface SendProgressView {
  jobId: string;
  state: SendJobState;
  stateLabel: string;
  total: number;
  processed: number;
  sent: number;
  failed: number;
  remaining: number;
  /** Rows failed at planning (counted in `failed`, not emails). */
  invalid: number;
  /** Emails to give to Gmail: total minus the rows failed at planning. */
  toSend: number;
  /** 0..100, of the emails to send */
  percent: number;
  startedAt: number | null;
  /** Wall-clock time since the start (until the end once finished). */
  elapsedMs: number;
  /** Emails per minute of running time; null before there is anything to measure. */
  ratePerMinute: number | null;
  /** Estimated time to finish (includes a quota pause); null when unknown or finished. */
  etaMs: number | null;
  resumeAt: number | null;
  /** The last events, oldest first, in the reader's locale. */
  events: string[];
}

const MAX_TEXT = 200;
const MAX_KEY = 60;
const MAX_FILE = 80;
const SHOWN_FILES = 3;
const SHOWN_RECIPIENTS = 2;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function fail(message: string): never {
  throw new PostroomError('INTERNAL', message);
}

function withEvent(p: SendProgress, event: SendEvent, changes: Partial<SendProgress>): SendProgress {
  const events = [...p.events, event];
  return {
    ...p,
    ...changes,
    updatedAt: event.at,
    eventCount: p.eventCount + 1,
    events: events.length > MAX_EVENTS ? events.slice(events.length - MAX_EVENTS) : events,
  };
}

/** Time running accumulated up to `now`, and the run stopped (for leaving the running state). */
function stopClock(p: SendProgress, now: number): Pick<SendProgress, 'activeMs' | 'runningSince'> {
  return { activeMs: p.activeMs + (p.runningSince !== null ? Math.max(0, now - p.runningSince) : 0), runningSince: null };
}

/** A new job, planned with `total` invoices (rows ready plus rows failed at planning). */
export function createProgress(jobId: string, total: number, now: number): SendProgress {
  if (!Number.isInteger(total) || total < 0) fail(`createProgress: invalid total ${total}`);
  return {
    version: 1,
    jobId,
    state: 'planned',
    total,
    sent: 0,
    failed: 0,
    startedAt: null,
    updatedAt: now,
    finishedAt: null,
    resumeAt: null,
    activeMs: 0,
    runningSince: null,
    eventCount: 0,
    events: [],
  };
}

function isFinal(p: SendProgress): boolean {
  return p.state === 'done' || p.state === 'cancelled';
}

/** planned → running (records "started"). */
export function startProgress(p: SendProgress, now: number): SendProgress {
  if (p.state !== 'planned') fail(`Cannot start a send that is ${p.state}`);
  return withEvent(p, { kind: 'started', at: now, total: emailsOf(p) }, { state: 'running', startedAt: now, runningSince: now });
}

function invalidOf(p: SendProgress): number {
  return p.invalid ?? 0;
}

/** Emails to send: the planned rows that did not fail at planning. */
function emailsOf(p: SendProgress): number {
  return p.total - invalidOf(p);
}

function nextIndex(p: SendProgress): number {
  if (p.sent + p.failed + 1 > p.total) fail(`Progress: more results than the ${p.total} planned`);
  return p.sent + p.failed - invalidOf(p) + 1;
}

/** One email accepted by Gmail: "✅ Email 3/50 envoyé : CCT123 - FACTURE.pdf → a@x.fr, b@x.fr". */
export function recordSent(
  p: SendProgress,
  item: { key: string; files: readonly string[]; recipients: readonly string[] },
  now: number,
): SendProgress {
  const index = nextIndex(p);
  return withEvent(
    p,
    {
      kind: 'sent',
      at: now,
      index,
      total: emailsOf(p),
      key: clip(item.key, MAX_KEY),
      files: item.files.slice(0, SHOWN_FILES).map((f) => clip(f, MAX_FILE)),
      moreFiles: Math.max(0, item.files.length - SHOWN_FILES),
      recipients: item.recipients.slice(0, SHOWN_RECIPIENTS).map((r) => clip(r, MAX_FILE)),
      moreRecipients: Math.max(0, item.recipients.length - SHOWN_RECIPIENTS),
    },
    { sent: p.sent + 1 },
  );
}

/** One email given up (permanent error, or retries exhausted); before the start, a row invalid at planning. */
export function recordFailed(p: SendProgress, item: { key: string; files: readonly string[]; error: string }, now: number): SendProgress {
  if (p.state === 'planned') {
    if (p.sent + p.failed + 1 > p.total) fail(`Progress: more results than the ${p.total} planned`);
    const files = {
      files: item.files.slice(0, SHOWN_FILES).map((f) => clip(f, MAX_FILE)),
      moreFiles: Math.max(0, item.files.length - SHOWN_FILES),
    };
    return withEvent(
      p,
      { kind: 'invalid', at: now, key: clip(item.key, MAX_KEY), ...files, error: clip(item.error, MAX_TEXT) },
      { failed: p.failed + 1, invalid: invalidOf(p) + 1 },
    );
  }
  const index = nextIndex(p);
  return withEvent(
    p,
    {
      kind: 'failed',
      at: now,
      index,
      total: emailsOf(p),
      key: clip(item.key, MAX_KEY),
      files: item.files.slice(0, SHOWN_FILES).map((f) => clip(f, MAX_FILE)),
      moreFiles: Math.max(0, item.files.length - SHOWN_FILES),
      error: clip(item.error, MAX_TEXT),
    },
    { failed: p.failed + 1 },
  );
}

/** A transient error; the email will be tried again after `delayMs` (counts do not change). */
export function recordRetry(p: SendProgress, item: { key: string; error: string; delayMs: number }, now: number): SendProgress {
  return withEvent(
    p,
    {
      kind: 'retry',
      at: now,
      index: Math.min(emailsOf(p), p.sent + p.failed - invalidOf(p) + 1),
      total: emailsOf(p),
      key: clip(item.key, MAX_KEY),
      error: clip(item.error, MAX_TEXT),
      delayMs: item.delayMs,
    },
    {},
  );
}

/** The daily cap (or Gmail's sending limit) is reached: paused until `resumeAt`, resumes by itself. */
export function pauseForQuota(p: SendProgress, info: { resumeAt: number; sentToday: number; cap: number }, now: number): SendProgress {
  if (isFinal(p)) fail(`Cannot pause a send that is ${p.state}`);
  return withEvent(p, { kind: 'pausedQuota', at: now, ...info }, { state: 'paused-quota', resumeAt: info.resumeAt, ...stopClock(p, now) });
}

/** Gmail asked to slow down for longer than an execution can wait: paused until `resumeAt`. */
export function pauseForRate(p: SendProgress, resumeAt: number, now: number): SendProgress {
  if (isFinal(p)) fail(`Cannot pause a send that is ${p.state}`);
  return withEvent(p, { kind: 'pausedRate', at: now, resumeAt }, { state: 'paused-quota', resumeAt, ...stopClock(p, now) });
}

/** Paused by a person (`who`: their address or name). */
export function pauseByUser(p: SendProgress, who: string, now: number): SendProgress {
  if (p.state !== 'running' && p.state !== 'paused-quota') fail(`Cannot pause a send that is ${p.state}`);
  return withEvent(p, { kind: 'paused', at: now, who: clip(who, MAX_KEY) }, { state: 'paused', resumeAt: null, ...stopClock(p, now) });
}

/** paused / paused-quota → running. */
export function resumeProgress(p: SendProgress, now: number): SendProgress {
  if (p.state !== 'paused' && p.state !== 'paused-quota') fail(`Cannot resume a send that is ${p.state}`);
  return withEvent(p, { kind: 'resumed', at: now }, { state: 'running', resumeAt: null, runningSince: now });
}

/** Stopped for good by a person; what was not sent stays pending in the sheet. */
export function cancelProgress(p: SendProgress, now: number): SendProgress {
  if (isFinal(p)) fail(`Cannot cancel a send that is ${p.state}`);
  return withEvent(
    p,
    { kind: 'cancelled', at: now, sent: p.sent, remaining: p.total - p.sent - p.failed },
    { state: 'cancelled', finishedAt: now, resumeAt: null, ...stopClock(p, now) },
  );
}

/** Every email processed: "✅ Envoi terminé : 48 succès, 2 erreur(s) sur 50 facture(s)". */
export function finishProgress(p: SendProgress, now: number): SendProgress {
  if (isFinal(p)) fail(`Cannot finish a send that is ${p.state}`);
  return withEvent(
    p,
    { kind: 'finished', at: now, sent: p.sent, failed: p.failed, total: p.total },
    { state: 'done', finishedAt: now, resumeAt: null, ...stopClock(p, now) },
  );
}

export interface RenderOptions {
  /** The reader's clock, for "resumes in 12 min". */
  now: number;
  /** Clock time of an instant in the reader's zone (default "HH:MM UTC"). */
  formatTime?: (epochMs: number) => string;
}

function listWithMore(items: readonly string[], more: number, locale: Locale): string {
  const shown = items.join(', ');
  return more > 0 ? translateSend(locale, 'event.moreRecipients', { shown, more }) : shown;
}

/** One event in words, in `locale`. */
export function renderEvent(event: SendEvent, locale: Locale, options: RenderOptions): string {
  const t = (key: SendMessageKey, params = {}) => translateSend(locale, key, params);
  const time = options.formatTime ?? formatClockUtc;
  const files = (e: { files: string[]; moreFiles: number }) =>
    e.files.length ? listWithMore(e.files, e.moreFiles, locale) : t('event.noFiles');
  switch (event.kind) {
    case 'started':
      return t('event.started', { total: event.total });
    case 'sent':
      return t('event.sent', {
        index: event.index,
        total: event.total,
        key: event.key,
        files: files(event),
        recipients: listWithMore(event.recipients, event.moreRecipients, locale),
      });
    case 'failed':
      return t('event.failed', { index: event.index, total: event.total, key: event.key, files: files(event), error: event.error });
    case 'invalid':
      return t('event.invalid', { key: event.key, files: files(event), error: event.error });
    case 'retry':
      return t('event.retry', {
        index: event.index,
        total: event.total,
        key: event.key,
        seconds: Math.ceil(event.delayMs / 1000),
        error: event.error,
      });
    case 'pausedQuota':
      return t('event.pausedQuota', {
        sentToday: event.sentToday,
        cap: event.cap,
        time: time(event.resumeAt),
        wait: formatDuration(event.resumeAt - options.now, locale),
      });
    case 'pausedRate':
      return t('event.pausedRate', { time: time(event.resumeAt), wait: formatDuration(event.resumeAt - options.now, locale) });
    case 'paused':
      return t('event.paused', { who: event.who });
    case 'resumed':
      return t('event.resumed');
    case 'cancelled':
      return t('event.cancelled', { sent: event.sent, remaining: event.remaining });
    case 'finished':
      return t('event.finished', { sent: event.sent, failed: event.failed, total: event.total });
  }
}

/** The view for the sidebar / card: counts, rate, ETA and rendered events, from the stored state. */
export function viewProgress(p: SendProgress, locale: Locale, options: RenderOptions): SendProgressView {
  const now = options.now;
  const processed = p.sent + p.failed;
  const remaining = Math.max(0, p.total - processed);
  const invalid = invalidOf(p);
  const toSend = emailsOf(p);
  // Only emails count for the rate (rows failed at planning took no sending time).
  const emailsDone = processed - invalid;
  const activeMs = p.activeMs + (p.runningSince !== null ? Math.max(0, now - p.runningSince) : 0);
  const ratePerMinute = emailsDone > 0 && activeMs >= 1000 ? (emailsDone * 60_000) / activeMs : null;
  let etaMs: number | null = null;
  if (!isFinal(p) && ratePerMinute !== null) {
    etaMs = Math.ceil((remaining * 60_000) / ratePerMinute);
    if (p.state === 'paused-quota' && p.resumeAt !== null) etaMs += Math.max(0, p.resumeAt - now);
  }
  if (isFinal(p)) etaMs = null;
  return {
    jobId: p.jobId,
    state: p.state,
    stateLabel: translateSend(locale, `state.${p.state}` as SendMessageKey),
    total: p.total,
    processed,
    sent: p.sent,
    failed: p.failed,
    remaining,
    invalid,
    toSend,
    percent: toSend > 0 ? Math.floor((emailsDone * 100) / toSend) : 100,
    startedAt: p.startedAt,
    elapsedMs: p.startedAt === null ? 0 : Math.max(0, (p.finishedAt ?? now) - p.startedAt),
    ratePerMinute: ratePerMinute === null ? null : Math.round(ratePerMinute * 10) / 10,
    etaMs,
    resumeAt: p.resumeAt,
    events: p.events.map((event) => renderEvent(event, locale, options)),
  };
}

/** JSON for a property value, under MAX_PROGRESS_BYTES (oldest events dropped if needed). */
export function serializeProgress(p: SendProgress): string {
  let state = p;
  let json = JSON.stringify(state);
  while (utf8Length(json) > MAX_PROGRESS_BYTES && state.events.length) {
    state = { ...state, events: state.events.slice(1) };
    json = JSON.stringify(state);
  }
  return json;
}

/** Reads a stored progress; throws PostroomError('INTERNAL') on anything that is not one. */
export function parseProgress(json: string): SendProgress {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    fail(`Stored send progress is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const p = value as Partial<SendProgress> | null;
  if (!p || p.version !== 1 || !(SEND_JOB_STATES as readonly string[]).includes(p.state as string) || !Array.isArray(p.events)) {
    fail('Stored send progress has an unknown shape');
  }
  for (const key of ['total', 'sent', 'failed', 'activeMs', 'eventCount', 'updatedAt'] as const) {
    if (typeof p[key] !== 'number') fail(`Stored send progress: ${key} is not a number`);
  }
  return p as SendProgress;
}
