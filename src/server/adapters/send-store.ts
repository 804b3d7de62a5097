// Adapters: where the Send job keeps its state between executions.
//   userSendStateStore  the job record and its progress in the USER properties (the job belongs to the
//                       person who started it; a trigger runs as that person), saved together with ONE
//                       setProperties call after each sheet write, so they never disagree; the
//                       pause/cancel request in a key of its own, so the sidebar can set it while a
//                       chunk runs without overwriting the chunk's saves.
//   sheetJobRunLog      one row per run in the JobRuns tab (job = send), shared with collect.
// https://developers.google.com/apps-script/reference/properties/properties#setProperties(Object)

import { JOB_RUNS_TABLE, jobRunToRow } from '../domain/collect/ledger';
import { PostroomError } from '../domain/errors';
import { parseProgress, serializeProgress } from '../domain/send/progress';
import type { LedgerStore } from '../ports';
import type { JobRunLog, SendControl, SendStateStore } from '../ports/send';
import { parseJobState } from '../domain/send/job-state';
import { SEND_STATE_KEYS } from '../domain/send/storage-keys';
import { PROPERTY_VALUE_LIMIT } from './properties';

export { SEND_STATE_KEYS };

export function userSendStateStore(): SendStateStore {
  const properties = PropertiesService.getUserProperties();
  return {
    load() {
      const all = properties.getProperties();
      const job = all[SEND_STATE_KEYS.job];
      const progress = all[SEND_STATE_KEYS.progress];
      return {
        job: job ? parseJobState(JSON.parse(job)) : null,
        progress: progress ? parseProgress(progress) : null,
      };
    },
    save(job, progress) {
      const jobJson = JSON.stringify(job);
      if (jobJson.length > PROPERTY_VALUE_LIMIT) throw new PostroomError('INTERNAL', `Send job state is ${jobJson.length} bytes, over the 9 KB property limit`);
      properties.setProperties({ [SEND_STATE_KEYS.job]: jobJson, [SEND_STATE_KEYS.progress]: serializeProgress(progress) });
    },
    clear() {
      properties.deleteProperty(SEND_STATE_KEYS.job);
      properties.deleteProperty(SEND_STATE_KEYS.progress);
    },
    readControl() {
      const raw = properties.getProperty(SEND_STATE_KEYS.control);
      return raw ? (JSON.parse(raw) as SendControl) : null;
    },
    writeControl(control) {
      properties.setProperty(SEND_STATE_KEYS.control, JSON.stringify(control));
    },
    clearControl() {
      properties.deleteProperty(SEND_STATE_KEYS.control);
    },
  };
}

export function sheetJobRunLog(ledger: LedgerStore): JobRunLog {
  return {
    record(run) {
      const table = ledger.table(JOB_RUNS_TABLE);
      // A run still open (scheduled, or running since its start) has no end yet.
      const open = run.status === 'running' || run.status === 'scheduled';
      const errors = run.failed + (run.bounced ?? 0);
      const cells = jobRunToRow({
        runId: run.runId,
        job: 'send',
        status: open ? 'running' : run.status === 'cancelled' ? 'partial' : errors === 0 ? 'succeeded' : run.sent === 0 ? 'failed' : 'partial',
        startedAtMs: run.startedAt,
        finishedAtMs: open ? null : run.finishedAt,
        durationSec: open ? 0 : Math.round((run.finishedAt - run.startedAt) / 1000),
        emailsScanned: run.total,
        attachmentsSeen: 0,
        attachmentsDownloaded: 0,
        receiptsCreated: 0,
        duplicatesSkipped: 0,
        quarantined: 0,
        errorsCount: errors,
        gmailApiCalls: run.gmailCalls,
        logUrl: run.logUrl ?? '',
        summary: run.summary,
      });
      if (run.status === 'cancelled' || run.status === 'scheduled') cells.status = run.status;
      // A run killed after this write and before its state was saved comes back here: update, never duplicate.
      const existing = table.readAll().find((row) => String(row.values.run_id) === run.runId && String(row.values.job) === 'send');
      if (existing) table.update([{ rowNumber: existing.rowNumber, values: cells }]);
      else table.append([cells]);
    },
  };
}
