// Adapters: where the Send job keeps its state between executions.
//   userSendStateStore  the job record and its progress in the USER properties (the job belongs to the
//                       person who started it; a trigger runs as that person), saved together with ONE
//                       setProperties call after each sheet write, so they never disagree; the
//                       pause/cancel request in a key of its own, so the sidebar can set it while a
//                       chunk runs without overwriting the chunk's saves. A counted bitmap too long for
//                       one value (≈ 50,000 rows and more) is split over keys of its own, written in the
//                       same setProperties call, so any list a Sheet can hold fits (9 KB a value).
//   sheetJobRunLog      one row per run in the JobRuns tab (job = send), shared with collect.
// https://developers.google.com/apps-script/reference/properties/properties#setProperties(Object)

import { JOB_RUNS_TABLE } from '../domain/collect/ledger';
import { sendJobRunCells } from '../domain/send/job-run-row';
import { localizedError } from '../domain/errors';
import { parseProgress, serializeProgress } from '../domain/send/progress';
import type { LedgerStore } from '../ports/ledger';
import type { JobRunLog, SendControl, SendStateStore } from '../ports/send';
import { parseJobState, type SendJobState } from '../domain/send/job-state';
import { SEND_STATE_KEYS } from '../domain/send/storage-keys';
import { PROPERTY_VALUE_LIMIT } from './properties';
import { translateServer } from '../domain/server-messages';
import { userLocale } from './session';

export { SEND_STATE_KEYS };

/** A bitmap longer than this is stored in pieces of this size (characters, well under 9 KB). */
export const COUNTED_PIECE_CHARS = 6_000;

/** The stored job record: the counted bitmap inline, or the number of pieces it was split into. */
type StoredJob = Omit<SendJobState, 'counted'> & { counted: string; countedPieces?: number };

/** The state store, plus the user properties its last load read (other keys served without a call). */
export interface UserSendStateStore extends SendStateStore {
  /** Every user property as the last load read it; null before any load in this execution. */
  loaded(): Record<string, string> | null;
  /**
   * Reads every user property ahead of the lock (settings, sender, locale served from it); the job's
   * own load under the lock reads them again (one call: the service is already obtained).
   */
  preload(): void;
  /** The user properties service this store uses (obtained once per execution). */
  service(): GoogleAppsScript.Properties.Properties;
}

export function userSendStateStore(): UserSendStateStore {
  let service: GoogleAppsScript.Properties.Properties | null = null;
  const properties = () => (service ??= PropertiesService.getUserProperties());
  /** Pieces of the bitmap as last loaded or saved: the surplus of a longer earlier one is deleted. */
  let storedPieces = 0;
  let lastLoad: Record<string, string> | null = null;
  /**
   * The pause / cancel request as the load read it, served to the first readControl after it (one call
   * fewer before the first durable write); later reads ask the store again, so a request made since is
   * seen at the next check, before any send.
   */
  let controlAtLoad: string | null | undefined;
  return {
    loaded: () => lastLoad,
    service: properties,
    preload() {
      lastLoad = properties().getProperties();
    },
    load() {
      const all = properties().getProperties();
      lastLoad = all;
      controlAtLoad = all[SEND_STATE_KEYS.control] ?? null;
      const job = all[SEND_STATE_KEYS.job];
      const progress = all[SEND_STATE_KEYS.progress];
      let parsed: SendJobState | null = null;
      if (job) {
        const stored = JSON.parse(job) as StoredJob;
        const pieces = stored.countedPieces ?? 0;
        storedPieces = pieces;
        const { countedPieces: _pieces, ...rest } = stored;
        const counted = pieces
          ? Array.from({ length: pieces }, (_, i) => all[SEND_STATE_KEYS.countedPrefix + i] ?? '').join('')
          : stored.counted;
        parsed = parseJobState({ ...rest, counted });
      }
      return { job: parsed, progress: progress ? parseProgress(progress) : null };
    },
    save(job, progress) {
      const values: Record<string, string> = { [SEND_STATE_KEYS.progress]: serializeProgress(progress) };
      let stored: StoredJob = job;
      let pieces = 0;
      if (job.counted.length > COUNTED_PIECE_CHARS) {
        for (let i = 0; i * COUNTED_PIECE_CHARS < job.counted.length; i++, pieces++)
          values[SEND_STATE_KEYS.countedPrefix + i] = job.counted.slice(i * COUNTED_PIECE_CHARS, (i + 1) * COUNTED_PIECE_CHARS);
        stored = { ...job, counted: '', countedPieces: pieces };
      }
      const jobJson = JSON.stringify(stored);
      if (jobJson.length > PROPERTY_VALUE_LIMIT)
        throw localizedError('INTERNAL', translateServer, 'send.stateTooLarge', { bytes: jobJson.length }, { locale: userLocale() });
      values[SEND_STATE_KEYS.job] = jobJson;
      properties().setProperties(values);
      for (let i = pieces; i < storedPieces; i++) properties().deleteProperty(SEND_STATE_KEYS.countedPrefix + i);
      storedPieces = pieces;
    },
    clear() {
      properties().deleteProperty(SEND_STATE_KEYS.job);
      properties().deleteProperty(SEND_STATE_KEYS.progress);
      for (let i = 0; i < storedPieces; i++) properties().deleteProperty(SEND_STATE_KEYS.countedPrefix + i);
      storedPieces = 0;
    },
    readControl() {
      const fromLoad = controlAtLoad;
      controlAtLoad = undefined;
      const raw = fromLoad !== undefined ? fromLoad : properties().getProperty(SEND_STATE_KEYS.control);
      return raw ? (JSON.parse(raw) as SendControl) : null;
    },
    writeControl(control) {
      controlAtLoad = undefined;
      properties().setProperty(SEND_STATE_KEYS.control, JSON.stringify(control));
    },
    clearControl() {
      controlAtLoad = undefined;
      properties().deleteProperty(SEND_STATE_KEYS.control);
    },
  };
}

export function sheetJobRunLog(ledger: LedgerStore): JobRunLog {
  return {
    record(run) {
      const table = ledger.table(JOB_RUNS_TABLE);
      const cells = sendJobRunCells(run);
      // A run killed after this write and before its state was saved comes back here: update, never duplicate.
      const existing = table.readAll().find((row) => String(row.values.run_id) === run.runId && String(row.values.job) === 'send');
      if (existing) table.update([{ rowNumber: existing.rowNumber, values: cells }]);
      else table.append([cells]);
    },
  };
}
