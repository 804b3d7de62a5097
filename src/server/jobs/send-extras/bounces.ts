// Bounces: after a send, and every hour for 72 h, the mailbox is searched for delivery-failure notices
// (from mailer-daemon or postmaster) newer than the watch; each notice is read (format=raw) and parsed
// (RFC 3464 DSN, or a plain-text notice); a permanent failure whose returned message carries the
// X-Postroom-Send-Id (or the Message-ID) of a row Postroom sent makes that row `bounced`, with the
// recipient and the server's reason in its error cell. Each bounce is counted in the run's JobRuns row
// (summary and errors) and in the progress view, and written to the send log. Notices already read are
// remembered (the last 400 ids) so each is handled once; a row already bounced is never counted twice.
// Quota: messages.list 5 units per check, messages.get 5 units per new notice.

import type { Locale } from '../../domain/i18n';
import { bounceReason, parseBounce, permanentFailures } from '../../domain/send/bounce';
import { makeLogEntry, type SendLogEntry } from '../../domain/send/send-log';
import type { SendRow } from '../../domain/send/send-list';
import type { JobRunRecord } from '../../ports/send';
import { withLock } from '../send/lock';
import { SendTableModel } from '../send/table';
import { BOUNCE_CHECK_HANDLER, EXTRAS_KEYS, type SendExtrasDeps } from './deps';

/** How long after a send its bounces are looked for. */
export const BOUNCE_WATCH_MS = 72 * 3600_000;
/** The first check, a little after the send ends (most notices come within minutes). */
export const FIRST_BOUNCE_CHECK_MS = 10 * 60_000;
export const BOUNCE_QUERY = '{from:mailer-daemon from:postmaster} newer_than:4d';
const SEEN_LIMIT = 400;
const WATCH_LIMIT = 10;

export interface BounceWatch {
  runId: string;
  until: number;
  bounced: number;
  /** The run's JobRuns record when it ended (updated with the bounces). */
  run: JobRunRecord | null;
}

export interface BounceCheckResult {
  checked: number;
  bounced: Array<{ runId: string; row: number; key: string; recipient: string; reason: string }>;
  watching: string[];
  busy: boolean;
}

function watches(deps: SendExtrasDeps): BounceWatch[] {
  return deps.store.get<BounceWatch[]>(EXTRAS_KEYS.watch) ?? [];
}

/** Starts watching a run that ended (the first check soon, then hourly). */
export function watchRun(deps: SendExtrasDeps, run: JobRunRecord): void {
  if (run.sent === 0) return; // nothing went out: nothing can bounce
  const now = deps.send.clock.now();
  const list = watches(deps).filter((w) => w.runId !== run.runId && w.until > now);
  list.push({ runId: run.runId, until: now + BOUNCE_WATCH_MS, bounced: 0, run: { ...run, summary: run.summary.slice(0, 300) } });
  deps.store.set(EXTRAS_KEYS.watch, list.slice(-WATCH_LIMIT));
  deps.triggers.at(BOUNCE_CHECK_HANDLER, now + FIRST_BOUNCE_CHECK_MS);
}

/** Bounces counted for a run so far. */
export function bouncedCount(deps: SendExtrasDeps, runId: string): number {
  return watches(deps).find((w) => w.runId === runId)?.bounced ?? 0;
}

/** One check: new notices read, rows marked, JobRuns and the log updated; the trigger kept while watching. */
export function checkBounces(deps: SendExtrasDeps, _locale: Locale): BounceCheckResult {
  const sd = deps.send;
  const now = sd.clock.now();
  const active = watches(deps).filter((w) => w.until > now);
  // A send holds the lock: look again in a few minutes (the first check's one-off trigger is spent).
  const busy = (): BounceCheckResult => {
    if (active.length) deps.triggers.at(BOUNCE_CHECK_HANDLER, now + FIRST_BOUNCE_CHECK_MS);
    return { checked: 0, bounced: [], watching: active.map((w) => w.runId), busy: true };
  };
  return withLock(sd, busy, () => {
    const seen = new Set(deps.store.get<string[]>(EXTRAS_KEYS.seen) ?? []);
    const ids = deps.mail.search(BOUNCE_QUERY, 200).filter((id) => !seen.has(id));
    const raws = ids.length ? deps.mail.getRaw(ids) : [];
    const table = new SendTableModel(sd.sheet);
    const bySendId = new Map<string, SendRow>();
    const byMessageId = new Map<string, SendRow>();
    for (const row of table.rows) {
      if (row.sendId) bySendId.set(row.sendId, row);
      if (row.rfc822MessageId) byMessageId.set(row.rfc822MessageId.toLowerCase(), row);
    }
    const result: BounceCheckResult = { checked: ids.length, bounced: [], watching: [], busy: false };
    const entries: SendLogEntry[] = [];
    raws.forEach((raw, index) => {
      if (raw) seen.add(ids[index]);
      const report = raw ? parseBounce(raw, deps.userAddress) : null;
      if (!report) return;
      const row = bySendId.get(report.original.sendId) ?? byMessageId.get(report.original.messageId.toLowerCase());
      const failures = permanentFailures(report);
      if (!row || !failures.length || (row.status !== 'sent' && row.status !== 'bounced')) return;
      const already = row.status === 'bounced' ? row.error : '';
      const fresh = failures.filter((f) => !already.toLowerCase().includes(f.recipient));
      if (!fresh.length) return;
      const text = fresh.map((f) => `${f.recipient} — ${bounceReason(f)}`).join(' ; ');
      table.set(row, { status: 'bounced', error: already ? `${already} ; ${text}` : text });
      for (const f of fresh) {
        result.bounced.push({ runId: row.runId, row: row.rowNumber, key: row.key, recipient: f.recipient, reason: bounceReason(f) });
        entries.push(
          makeLogEntry(row.runId, now, {
            kind: 'bounced',
            row: row.rowNumber,
            key: row.key,
            recipient: f.recipient,
            reason: bounceReason(f),
          }),
        );
      }
    });
    table.commit(true);
    if (entries.length) deps.log.append(entries);
    deps.store.set(EXTRAS_KEYS.seen, [...seen].slice(-SEEN_LIMIT));
    // Count per run (a row counts once however many of its recipients bounced).
    const rowsByRun = new Map<string, Set<number>>();
    for (const b of result.bounced) rowsByRun.set(b.runId, (rowsByRun.get(b.runId) ?? new Set()).add(b.row));
    const list = watches(deps);
    for (const watch of list) {
      const rows = rowsByRun.get(watch.runId);
      if (!rows) continue;
      watch.bounced += rows.size;
      if (watch.run) sd.jobRuns.record({ ...watch.run, bounced: watch.bounced, summary: `${watch.run.summary}; ${watch.bounced} bounced` });
    }
    const still = list.filter((w) => w.until > now);
    deps.store.set(
      EXTRAS_KEYS.watch,
      list.filter((w) => w.until > now - BOUNCE_WATCH_MS),
    );
    if (still.length) deps.triggers.hourly(BOUNCE_CHECK_HANDLER);
    else deps.triggers.remove(BOUNCE_CHECK_HANDLER);
    result.watching = still.map((w) => w.runId);
    return result;
  });
}
