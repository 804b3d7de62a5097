// The Send job's ports: what the engine (jobs/send/) needs from the outside world, in its own terms.
// Interfaces only. The adapters in src/server/adapters/send-*.ts implement them over Apps Script
// services (mail goes through the one MailGateway, ports/mail-gateway.ts); the unit tests implement them with small in-memory fakes. Plain data only.

import type { AttachmentResolution } from '../domain/send/plan';
import type { AttachmentRef, SendRow } from '../domain/send/send-list';
import type { SendProgress } from '../domain/send/progress';
import type { JobRunSteps, SendJobState } from '../domain/send/job-state';
import type { SendRunFacts } from '../domain/send/job-run-row';
import type { CellValue } from '../ports/ledger';

/** The `Sends` tab: one read of the whole table, batched block writes. */
export interface SendSheet {
  /** Every cell of the tab, header row first (one getValues). Creates the tab and adds missing columns. */
  read(): CellValue[][];
  /** Writes the given columns of the given rows in as few setValues as the column layout allows. */
  write(updates: ReadonlyArray<{ rowNumber: number; values: Record<string, CellValue> }>): void;
  /** Makes the writes so far durable (SpreadsheetApp.flush) before a send goes out. */
  flush(): void;
  /** Offset of the sheet's time zone from UTC at `date`, in minutes (for Date cells). */
  timeZoneOffsetMinutes(date: Date): number;
}

/** A file's bytes and facts, loaded for one message. */
export interface LoadedFile {
  id: string;
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/**
 * The outcome of reading one file: its bytes, or why not. `retry` is true when the read may succeed
 * later (429, 5xx, no answer): the row's attempt fails and is retried; false when it will not (the file
 * is gone, 404, or another 4xx): the row fails.
 */
export type LoadOutcome = { ok: true; file: LoadedFile } | { ok: false; error: string; retry: boolean };

/** The attachments: Drive ids, URLs or names in the configured folder. */
export interface AttachmentSource {
  /** Finds the files of a row (their facts, not their bytes); the resolution feeds checkSendRow. */
  resolve(row: SendRow, refs: readonly AttachmentRef[], folder: string): AttachmentResolution;
  /**
   * The bytes of files found by `resolve` in this execution, read in parallel; one outcome per id, in
   * order (an id asked twice is read once; bytes read earlier in the execution may be reused).
   */
  loadAll(ids: readonly string[]): LoadOutcome[];
}

/** What the user asked while a chunk was running (pause / cancel from the sidebar). */
export interface SendControl {
  action: 'pause' | 'cancel';
  by: string;
  at: number;
}

/**
 * Reads an execution will likely want, asked to come with its first request (the tab's read) in one
 * call: the attachments folder's first page, and the SENT listing's first page while a send runs.
 */
export interface SendLookahead {
  begin(wants: { sentListing: boolean }): void;
  /** The SENT page asked ahead is not served any more (a later check must read SENT afresh). */
  endSentListing(): void;
}

/** The persisted job: its state record and its progress (user properties, one write for both). */
export interface SendStateStore {
  load(): { job: SendJobState | null; progress: SendProgress | null };
  save(job: SendJobState, progress: SendProgress): void;
  clear(): void;
  readControl(): SendControl | null;
  writeControl(control: SendControl): void;
  clearControl(): void;
}

/** One row per run in the JobRuns tab (job = send): what the run says of itself. */
export type JobRunRecord = SendRunFacts;

export interface JobRunLog {
  /** Adds the run's row, or updates it when the run already has one. */
  record(run: JobRunRecord): void;
  /**
   * The same row in saved steps of few calls each (an ended run's row, owed until written): `steps`
   * says how far it got, `save` keeps each step's progress. Absent: `record`.
   */
  recordInSteps?(run: JobRunRecord, steps: JobRunSteps, save: (steps: JobRunSteps) => void): void;
}

export interface SendClock {
  now(): number;
  /** Waits (Utilities.sleep: real time on the platform, virtual in the emulator). */
  sleep(ms: number): void;
}
