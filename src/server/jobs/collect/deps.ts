// The collect job's deps (the ports it reaches the world through, built by wiring/collect.ts) and the
// constants of a run: trigger handlers, the execution budget, batch sizes.

import type { Locale } from '../../domain/i18n';
import type { Clock } from '../../ports/clock';
import type { Codecs } from '../../ports/codecs';
import type { FileStore } from '../../ports/files';
import type { KeyValueStore } from '../../ports/kv';
import type { LedgerProbe, LedgerStore, LedgerValues } from '../../ports/ledger';
import type { MailGateway } from '../../ports/mail-gateway';
import type { Lock } from '../../ports/lock';
import type { Scheduler } from '../../ports/scheduler';

export interface CollectDeps {
  /** User properties (settings, run state, lock holder). */
  store: KeyValueStore;
  ledger: LedgerStore;
  ledgerProbe: LedgerProbe;
  /** The ledger's values through the Sheets API, for a run that keeps being cut short (optional). */
  ledgerValues?: LedgerValues;
  files: FileStore;
  /** The one mail gateway (REST or Advanced, as the settings choose). */
  mail: MailGateway;
  /**
   * The same gateway over the Advanced Gmail service (optional): after a crash an attachment is fetched
   * alone, when it is needed, and the service hands its bytes over without a decode call.
   */
  mailOneByOne?: MailGateway;
  lock: Lock;
  scheduler: Scheduler;
  clock: Clock;
  /** The day of an instant, "YYYY-MM-DD", in `zone` when given, else in the script's time zone (read then). */
  dayOf(ms: number, zone?: string): string;
  /** The script's time zone (a service call: the run keeps it in its state, later executions skip it). */
  scriptTimeZone?(): string;
  locale: Locale;
  /** Published add-on: schedules at most hourly. */
  addonMode: boolean;
  /** SHA-256 and base64 by the platform (Utilities), not in JavaScript. */
  codecs: Codecs;
  /** Waits (Utilities.sleep) before an upload is tried again within the execution. */
  pause(ms: number): void;
}

/** The time-driven handler of the schedule, and the one-off continuation handler (distinct: see Scheduler.continueAfter). */
export const COLLECT_TRIGGER_HANDLER = 'runCollect';
export const COLLECT_CONTINUE_HANDLER = 'runCollectContinue';
export const JOB_LOG_NAME = 'collect_from_gmail';

/** Work stops being taken on after 4.5 minutes of an execution's 6 (the rest is for the commit). */
export const EXECUTION_BUDGET_MS = 270_000;
/** An execution lasts at most 6 minutes: a lock holder record older than that is not holding the lock. */
export const EXECUTION_LIMIT_MS = 6 * 60_000;
export const LOCK_WAIT_MS = 1000;
export const MESSAGE_BATCH = 25;
/** Largest total of attachment bytes fetched in one fetchAll. */
export const DOWNLOAD_BATCH_BYTES = 30 * 1024 * 1024;
export const LIST_PAGE_SIZE = 500;
export const CONTINUE_AFTER_MS = 60_000;
/** Tries of a failed upload within the execution (the first included), and the pause before the first retry (doubled each time). */
export const UPLOAD_ATTEMPTS = 4;
export const UPLOAD_RETRY_PAUSE_MS = 1000;
/**
 * Executions in a row that may leave the same message for the next one when a read or a store of it
 * failed for a reason that may pass (after the gateway's and the upload's own retries): the run tries
 * it again itself instead of leaving it to the next scheduled run. Past this, it is an error of the run.
 */
export const MESSAGE_RETRY_EXECUTIONS = 3;
/**
 * Largest piece stored in quarantine when it is over maxSizeBytes: 25 MiB, Gmail's own attachment limit.
 * attachments.get returns the bytes as base64url JSON (4/3 larger), so 25 MiB is a 33 MiB answer,
 * well inside UrlFetchApp's 50 MB per response and a Blob's 50 MB, with room for the execution's memory.
 * A larger piece is not fetched: a small .txt note in its place names the message and the reason.
 */
export const QUARANTINE_FETCH_MAX_BYTES = 25 * 1024 * 1024;
/** First commit size after a crash; halved at each further crash, down to 1 message. */
export const CAREFUL_COMMIT_EVERY = 16;
