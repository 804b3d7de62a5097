// What the export job reaches the world through (built over real adapters in wiring/export.ts, over
// small in-memory fakes in the unit tests), and the job's constants.

import type { Locale } from '../../domain/i18n';
import type { Clock } from '../../ports/clock';
import type { KeyValueStore } from '../../ports/kv';
import type { LedgerStore } from '../../ports/ledger';
import type { Lock } from '../../ports/lock';
import type { JobRunsSheet } from '../../ports/job-runs-sheet';
import type { Scheduler } from '../../ports/scheduler';
import type { ExportFiles } from '../../ports/export-files';
import type { MailGateway } from '../../ports/mail-gateway';
import type { Codecs } from '../../ports/codecs';

export interface ExportDeps {
  mail: MailGateway;
  /** Reads with this transport from now on (the one the run chose at its start), without reading the settings. */
  useMailTransport?(kind: 'rest' | 'advanced'): void;
  files: ExportFiles;
  /** User properties: the run, its control, the last export, the `since` marks. */
  store: KeyValueStore;
  ledger: LedgerStore;
  /** The JobRuns row by the Sheets API (after a crash: few calls); without it, the ledger's way. */
  jobRunsSheet?: JobRunsSheet;
  /** The user lock every Postroom job shares. */
  lock: Lock;
  scheduler: Scheduler;
  clock: Clock & { sleep(ms: number): void };
  locale: Locale;
  /** An instant in the user's (script) time zone, with a Utilities.formatDate pattern ("yyyy-MM-dd_HHmm"). */
  formatDate(ms: number, pattern: string): string;
  /** Hex digest of a text (sha256), for property keys. */
  hash(text: string): string;
  /** Decodes an inline attachment's base64 (the platform's Utilities, not JavaScript). */
  codecs: Pick<Codecs, 'base64Decode'>;
  /** A new run id. */
  newRunId(): string;
  /** Work stops being taken after this many ms of an execution (default EXECUTION_BUDGET_MS). */
  budgetMs?: number;
  /** Largest batch file in bytes (default MAX_FILE_BYTES; tests use small values). */
  maxFileBytes?: number;
}

export const EXPORT_CONTINUE_HANDLER = 'runExportContinue';
/**
 * In an add-on (no trigger more often than hourly): an hourly recurring trigger, the safety net of the
 * executions the platform kills, under a handler of its own so that a chunk's end (continueAfter, which
 * replaces every runExportContinue trigger) leaves it in place.
 */
export const EXPORT_SAFETY_NET_HANDLER = 'runExportSafetyNet';
/** One-off safety triggers added (armAfter) before the next one clears them all first (fired ones stay listed). */
export const ARMED_ONE_OFFS_LIMIT = 8;
/** An execution takes no new work after 4.5 of its 6 minutes (the rest is for the last file and the checkpoint). */
export const EXECUTION_BUDGET_MS = 270_000;
export const LOCK_WAIT_MS = 1000;
/** The first execution starts this soon after startExport returns. */
export const FIRST_CONTINUE_MS = 1000;
/**
 * Installed when an execution starts: if it dies (no `finally` runs on the platform), this trigger
 * still continues the export, after the 6-minute limit has surely passed. A clean end replaces it.
 */
export const SAFETY_CONTINUE_MS = 7 * 60_000;
/** How often a running execution looks for a cancel request. */
export const CONTROL_CHECK_MS = 5_000;
/** After a transient failure or a cut execution, the next one starts this soon. */
export const CONTINUE_AFTER_MS = 60_000;
/** Messages per messages.get fetchAll (Gmail advises at most 50 calls per batch). */
export const READ_CHUNK = 50;
export const LIST_PAGE = 500;
/** Ids one export may select (the snapshot file then holds ~3.4 MB). */
export const MAX_SNAPSHOT = 200_000;
/** A recurring runExportContinue every this many minutes while an export runs (where the platform allows it). */
export const REPEAT_MINUTES = 10;
/** Snapshot ids kept in the run after the cursor (a read after a crash needs no snapshot download). */
export const AHEAD_IDS = 50;
/** A run with this many executions in a row ending on transient errors fails. */
export const MAX_TRANSIENT_STREAK = 8;
/** Attachment bytes fetched (and uploaded) per round. */
export const ATTACHMENT_ROUND_BYTES = 20 * 1024 * 1024;
export const SNAPSHOT_FILE = '.postroom-snapshot.txt';
