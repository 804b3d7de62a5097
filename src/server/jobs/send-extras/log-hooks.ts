// The lasting send log, fed by the Send job without touching its steps: the job's own ports are
// wrapped. Every row result the job writes to the sheet (sent with its Gmail id, failed with its
// reason) becomes a log entry; the progress saves give the start, progress lines (every tenth), pauses,
// resume, cancel and end (total time, average rate). Entries are buffered and written to the day's
// JSON Lines file at a progress save: at most once a minute while sending, when the chunk ends (it sets
// its continuation trigger, then saves), and when the send stops (paused, done, cancelled) or is
// recorded in JobRuns. Never before the sends of an execution: its first requests leave as early as
// without the log. Only results the job wrote to the sheet are logged, so the log never holds a send
// that did not happen; a killed execution may lose its buffered lines (the sheet keeps the results),
// and a repeated entry is read once. The run's JobRuns row is written `running`, with the log's link,
// at the first write of the log; when the send ends the bounce watch begins.

import type { Locale } from '../../domain/i18n';
import { cellText, normalizeColumnName } from '../../domain/send/send-list';
import { renderEvent, type SendEvent, type SendProgress } from '../../domain/send/progress';
import { endRecord, makeLogEntry, progressDue, progressRecord, type SendLogEntry, type SendLogRecord } from '../../domain/send/send-log';
import type { CellValue } from '../../ports/ledger';
import type { Scheduler } from '../../ports/scheduler';

/** While sending, the log is written at most this often (and at the end of every chunk). */
export const LOG_WRITE_INTERVAL_MS = 60_000;
import type { JobRunLog, JobRunRecord, SendSheet, SendStateStore } from '../../ports/send';
import type { JobRunSteps } from '../../domain/send/job-state';
import type { SendLogStore } from '../../ports/send-extras';
import type { SendDeps } from '../send/deps';
import { overriding } from './deps';

export interface LogHookEvents {
  /** The run ended (done or cancelled): its JobRuns record as written. */
  onRunRecorded?(run: JobRunRecord): void;
}

/** The Send deps with their sheet, state and JobRuns ports feeding the lasting log. */
export function withSendLog(deps: SendDeps, log: SendLogStore, locale: () => Locale, events: LogHookEvents = {}): SendDeps {
  let buffer: SendLogEntry[] = [];
  let columns: Record<string, number> = {};
  const cells = new Map<number, CellValue[]>();
  let lastEventCount: number | null = null;
  let lastDone: number | null = null;
  let currentRun: { runId: string; startedAt: number } | null = null;
  /** Row results logged in this execution, the last log write, and whether the chunk is ending. */
  let resultsLogged = 0;
  let lastWrite = deps.clock.now();
  let chunkEnding = false;

  // The run's first JobRuns row waits for the job's next flush: nothing is added between the job
  // saving its start and the rest of its start (a pause asked then must not be lost).
  let pendingRun: JobRunRecord | null = null;
  const flushLog = () => {
    lastWrite = deps.clock.now();
    chunkEnding = false;
    if (buffer.length) {
      const entries = buffer;
      buffer = [];
      log.append(entries);
    }
    if (pendingRun) {
      const run = pendingRun;
      pendingRun = null;
      deps.jobRuns.record({ ...run, logUrl: log.fileUrl(log.dayOf(run.startedAt)) });
    }
  };
  const add = (runId: string, at: number, record: SendLogRecord) => buffer.push(makeLogEntry(runId, at, record));

  const cell = (row: number, name: string, written: Record<string, CellValue>): string => {
    if (name in written) return cellText(written[name]);
    const index = columns[name];
    const values = cells.get(row);
    return index === undefined || !values ? '' : cellText(values[index]);
  };

  const sheet: SendSheet = {
    read() {
      const values = deps.sheet.read();
      columns = {};
      (values[0] ?? []).forEach((header, index) => {
        const name = normalizeColumnName(cellText(header));
        if (name && !(name in columns)) columns[name === 'cct' ? 'key' : name] = index;
      });
      cells.clear();
      values.forEach((row, index) => cells.set(index + 1, row));
      return values;
    },
    write(updates) {
      deps.sheet.write(updates);
      const now = deps.clock.now();
      for (const update of updates) {
        const status = update.values.status;
        const runId = cell(update.rowNumber, 'run_id', update.values);
        if (runId && status === 'sent') {
          const recipients = cell(update.rowNumber, 'to', update.values)
            .split(/[,;]/)
            .map((a) => a.trim())
            .filter(Boolean);
          const sentAt = Date.parse(cell(update.rowNumber, 'sent_at', update.values));
          resultsLogged++;
          add(runId, Number.isFinite(sentAt) ? sentAt : now, {
            kind: 'sent',
            row: update.rowNumber,
            gmailId: cell(update.rowNumber, 'message_id', update.values),
            recipients,
            key: cell(update.rowNumber, 'key', update.values),
          });
        } else if (runId && status === 'failed') {
          resultsLogged++;
          add(runId, now, {
            kind: 'failed',
            row: update.rowNumber,
            key: cell(update.rowNumber, 'key', update.values),
            error: cell(update.rowNumber, 'error', update.values),
          });
        }
        const values = cells.get(update.rowNumber);
        if (values)
          for (const [name, value] of Object.entries(update.values)) if (columns[name] !== undefined) values[columns[name]] = value;
      }
    },
    flush: () => deps.sheet.flush(),
    timeZoneOffsetMinutes: (date) => deps.sheet.timeZoneOffsetMinutes(date),
  };

  const fromEvents = (progress: SendProgress, fresh: readonly SendEvent[], now: number) => {
    const runId = progress.jobId;
    let urgent = false;
    for (const event of fresh) {
      switch (event.kind) {
        case 'started':
          add(runId, event.at, { kind: 'start', total: event.total });
          urgent = true;
          currentRun = { runId, startedAt: event.at };
          pendingRun = {
            runId,
            status: 'running',
            startedAt: event.at,
            finishedAt: event.at,
            total: progress.total,
            sent: progress.sent,
            failed: progress.failed,
            gmailCalls: 0,
            summary: renderEvent(event, locale(), { now }),
          };
          break;
        case 'pausedQuota':
        case 'pausedRate':
        case 'paused':
          add(runId, event.at, { kind: 'paused', reason: renderEvent(event, locale(), { now }) });
          urgent = true;
          break;
        case 'resumed':
          add(runId, event.at, { kind: 'resumed' });
          break;
        case 'retry':
          add(runId, event.at, { kind: 'retry', row: 0, key: event.key, error: event.error, delayMs: event.delayMs });
          break;
        case 'cancelled':
          add(runId, event.at, { kind: 'cancelled', sent: event.sent, remaining: event.remaining });
          urgent = true;
          break;
        case 'finished':
          add(
            runId,
            event.at,
            endRecord({ sent: event.sent, failed: event.failed, total: event.total }, progress.startedAt ?? event.at, event.at),
          );
          urgent = true;
          break;
        default:
          break; // sent / failed rows come from the sheet writes, with their Gmail ids
      }
    }
    return urgent;
  };

  const state: SendStateStore = {
    load() {
      const loaded = deps.state.load();
      if (loaded.progress && lastEventCount === null) {
        lastEventCount = loaded.progress.eventCount;
        lastDone = loaded.progress.sent + loaded.progress.failed;
      }
      return loaded;
    },
    save(job, progress) {
      deps.state.save(job, progress);
      const now = deps.clock.now();
      const before = lastEventCount ?? progress.eventCount - progress.events.length;
      const freshCount = Math.max(0, Math.min(progress.events.length, progress.eventCount - before));
      lastEventCount = progress.eventCount;
      const urgent = fromEvents(progress, progress.events.slice(progress.events.length - freshCount), now);
      const done = progress.sent + progress.failed;
      if (progress.startedAt !== null && progressDue(lastDone ?? 0, done, progress.total)) {
        add(progress.jobId, now, progressRecord(done, progress.total, progress.startedAt, now));
      }
      lastDone = done;
      const due =
        progress.state !== 'running'
          ? urgent || buffer.length > 0
          : resultsLogged > 0 && (chunkEnding || deps.clock.now() - lastWrite >= LOG_WRITE_INTERVAL_MS);
      if (due) flushLog();
    },
    clear: () => deps.state.clear(),
    readControl: () => deps.state.readControl(),
    writeControl: (control) => deps.state.writeControl(control),
    clearControl: () => deps.state.clearControl(),
  };

  const jobRuns: JobRunLog = {
    record(run) {
      if (pendingRun?.runId === run.runId) pendingRun = null;
      flushLog();
      const logUrl = run.logUrl || log.fileUrl(log.dayOf(currentRun?.runId === run.runId ? currentRun.startedAt : run.startedAt));
      const recorded = { ...run, logUrl };
      deps.jobRuns.record(recorded);
      if (run.status !== 'running' && run.status !== 'scheduled') events.onRunRecorded?.(recorded);
    },
    // An ended run's row in steps: the log's link first (asked once: a step cut short leaves the row
    // without it rather than never written), then the row; the log's last lines and the bounce watch
    // come AFTER the row (tried once, after a save that says the row is written), so they never keep
    // it from being written.
    ...(deps.jobRuns.recordInSteps
      ? {
          recordInSteps(run: JobRunRecord, steps: JobRunSteps, save: (steps: JobRunSteps) => void) {
            if (pendingRun?.runId === run.runId) pendingRun = null;
            if (steps.written) return;
            let done = steps;
            const keep = (next: JobRunSteps) => {
              done = next;
              save(next);
            };
            if (done.logUrl === undefined) {
              keep({ ...done, logUrl: null });
              const startedAt = currentRun?.runId === run.runId ? currentRun.startedAt : run.startedAt;
              keep({ ...done, logUrl: run.logUrl || log.fileUrl(log.dayOf(startedAt)) });
            }
            const recorded = { ...run, logUrl: done.logUrl ?? '' };
            deps.jobRuns.recordInSteps!(recorded, done, keep);
            keep({ ...done, written: true });
            flushLog();
            if (run.status !== 'running' && run.status !== 'scheduled') events.onRunRecorded?.(recorded);
          },
        }
      : {}),
  };

  // The chunk sets its continuation trigger just before its last save: the log is written with it.
  const scheduler: Scheduler = {
    schedule: (handler, schedule) => deps.scheduler.schedule(handler, schedule),
    installed: (handler) => deps.scheduler.installed(handler),
    continueAfter(handler, delayMs, keepOneOf) {
      deps.scheduler.continueAfter(handler, delayMs, keepOneOf);
      if (resultsLogged > 0) chunkEnding = true;
    },
    ...(deps.scheduler.armAfter ? { armAfter: (handler: string, delayMs: number) => deps.scheduler.armAfter!(handler, delayMs) } : {}),
    ...(deps.scheduler.removeAll ? { removeAll: (...handlers: string[]) => deps.scheduler.removeAll!(...handlers) } : {}),
    ...(deps.scheduler.repeatEvery
      ? { repeatEvery: (handler: string, minutes: 1 | 5 | 10 | 15 | 30) => deps.scheduler.repeatEvery!(handler, minutes) }
      : {}),
    ...(deps.scheduler.repeatHourly ? { repeatHourly: (handler: string) => deps.scheduler.repeatHourly!(handler) } : {}),
  };

  return overriding(deps, { sheet, state, jobRuns, scheduler });
}
