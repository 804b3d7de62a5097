// What a collect run counts, and the status it ends with. The metric names follow the seed (§1.5):
// emails_scanned, attachments_seen, attachments_downloaded, receipts_created, duplicates_skipped,
// quarantined, errors_count, duration_sec, gmail_api_calls, plus skips and quarantines by reason.
// A run spans several executions when it resumes from a checkpoint; mergeMetrics adds them up.
// Everything here is JSON-like (no Date), so a CollectSummary can cross google.script.run as is.

import type { AttachmentReason, SenderVerdict } from './filters';
import type { JobRunRecord, RunStatus } from './ledger';
import type { WalkSkipReason } from './mime-walk';

/** Why something was skipped (counted, nothing stored). */
export type SkipReason =
  WalkSkipReason | 'sender_not_allowed' | Extract<AttachmentReason, 'calendar_invite' | 'signature'> | 'over_run_limit';
/** Why a file went to quarantine. */
export type QuarantineReason =
  | Exclude<AttachmentReason, 'ok' | 'calendar_invite' | 'signature'>
  | Extract<SenderVerdict, { verdict: 'quarantine' }>['reason']
  | 'unreadable_mime';

export interface CollectMetrics {
  emailsScanned: number;
  attachmentsSeen: number;
  attachmentsDownloaded: number;
  receiptsCreated: number;
  duplicatesSkipped: number;
  quarantined: number;
  errorsCount: number;
  gmailApiCalls: number;
  durationSec: number;
  skipped: Partial<Record<SkipReason, number>>;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
}

export function emptyMetrics(): CollectMetrics {
  return {
    emailsScanned: 0,
    attachmentsSeen: 0,
    attachmentsDownloaded: 0,
    receiptsCreated: 0,
    duplicatesSkipped: 0,
    quarantined: 0,
    errorsCount: 0,
    gmailApiCalls: 0,
    durationSec: 0,
    skipped: {},
    quarantinedByReason: {},
  };
}

/** Adds `count` skips for `reason` (in place; returns the metrics). */
export function countSkip(metrics: CollectMetrics, reason: SkipReason, count = 1): CollectMetrics {
  metrics.skipped[reason] = (metrics.skipped[reason] ?? 0) + count;
  return metrics;
}

/** Counts one quarantined file, in total and by reason (in place). */
export function countQuarantine(metrics: CollectMetrics, reason: QuarantineReason): CollectMetrics {
  metrics.quarantined++;
  metrics.quarantinedByReason[reason] = (metrics.quarantinedByReason[reason] ?? 0) + 1;
  return metrics;
}

function addRecords<K extends string>(
  a: Partial<Record<K, number>>,
  b: Partial<Record<K, number>>,
  sign: 1 | -1,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = { ...a };
  for (const key of Object.keys(b) as K[]) out[key] = (out[key] ?? 0) + sign * (b[key] ?? 0);
  return out;
}

/** `a` plus (sign 1) or minus (sign −1) `b`, field by field. */
function combineMetrics(a: CollectMetrics, b: CollectMetrics, sign: 1 | -1): CollectMetrics {
  return {
    emailsScanned: a.emailsScanned + sign * b.emailsScanned,
    attachmentsSeen: a.attachmentsSeen + sign * b.attachmentsSeen,
    attachmentsDownloaded: a.attachmentsDownloaded + sign * b.attachmentsDownloaded,
    receiptsCreated: a.receiptsCreated + sign * b.receiptsCreated,
    duplicatesSkipped: a.duplicatesSkipped + sign * b.duplicatesSkipped,
    quarantined: a.quarantined + sign * b.quarantined,
    errorsCount: a.errorsCount + sign * b.errorsCount,
    gmailApiCalls: a.gmailApiCalls + sign * b.gmailApiCalls,
    durationSec: Math.round((a.durationSec + sign * b.durationSec) * 1000) / 1000,
    skipped: addRecords(a.skipped, b.skipped, sign),
    quarantinedByReason: addRecords(a.quarantinedByReason, b.quarantinedByReason, sign),
  };
}

/** The sum of two slices of one run (e.g. the checkpointed totals and this execution's). */
export function mergeMetrics(a: CollectMetrics, b: CollectMetrics): CollectMetrics {
  return combineMetrics(a, b, 1);
}

/** What `a` counted beyond `b` (b taken back from a), counts that fall to zero left out. */
export function subtractMetrics(a: CollectMetrics, b: CollectMetrics): CollectMetrics {
  const out = combineMetrics(a, b, -1);
  const nonZero = <R extends Partial<Record<string, number>>>(record: R) =>
    Object.fromEntries(Object.entries(record).filter(([, n]) => n !== 0)) as R;
  return { ...out, skipped: nonZero(out.skipped), quarantinedByReason: nonZero(out.quarantinedByReason) };
}

/** Total of the skip counts. */
export function totalSkipped(metrics: CollectMetrics): number {
  return Object.values(metrics.skipped).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/** True when the run handled something: a file stored, quarantined or recognised as a duplicate, or a counted skip. */
export function madeProgress(metrics: CollectMetrics): boolean {
  return metrics.receiptsCreated + metrics.quarantined + metrics.duplicatesSkipped + totalSkipped(metrics) > 0;
}

/**
 * The status a finished run records: `failed` when there were errors (or `aborted`: the run stopped on
 * an exception) and nothing was handled; `dry_run` for a dry run that did not fail; `partial` when there
 * were errors but some progress; else `succeeded` (an empty mailbox is a success).
 */
export function runStatus(metrics: CollectMetrics, options: { dryRun: boolean; aborted?: boolean }): Exclude<RunStatus, 'running'> {
  const troubled = metrics.errorsCount > 0 || options.aborted === true;
  if (troubled && !madeProgress(metrics)) return 'failed';
  if (options.dryRun) return 'dry_run';
  return troubled ? 'partial' : 'succeeded';
}

/** What collectFromGmail returns to its four callers (sidebar, card, trigger, CLI). JSON-like. */
export interface CollectSummary {
  runId: string;
  status: RunStatus;
  dryRun: boolean;
  metrics: CollectMetrics;
  startedAtMs: number;
  finishedAtMs: number | null;
  /** True when work remains and the run continues from its checkpoint in a next execution. */
  pending: boolean;
  /** Path of the day's log below the root folder ("logs/collect_from_gmail-2025-01-31.jsonl") and its Drive URL. */
  logPath: string;
  logUrl: string;
}

/** What a JobRuns record says besides its metrics. */
export type JobRunFacts = Pick<JobRunRecord, 'runId' | 'job' | 'status' | 'startedAtMs' | 'finishedAtMs' | 'logUrl' | 'summary'>;

/** The JobRuns record of a run with these metrics (the identity fields come from `run`). */
export function jobRunWithMetrics(run: JobRunFacts, metrics: CollectMetrics): JobRunRecord {
  return {
    ...run,
    durationSec: metrics.durationSec,
    emailsScanned: metrics.emailsScanned,
    attachmentsSeen: metrics.attachmentsSeen,
    attachmentsDownloaded: metrics.attachmentsDownloaded,
    receiptsCreated: metrics.receiptsCreated,
    duplicatesSkipped: metrics.duplicatesSkipped,
    quarantined: metrics.quarantined,
    errorsCount: metrics.errorsCount,
    gmailApiCalls: metrics.gmailApiCalls,
  };
}
