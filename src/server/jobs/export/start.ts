// Step: start an export (startExport). The options are checked (a bad one is refused in the user's
// language and nothing is written), the lock is taken briefly, the query is tried on Gmail once (a
// query Gmail rejects is refused the same way), `since` becomes an `after:` bound, the run is saved
// and a one-off trigger continues the work (folder, JobRuns row, snapshot…): the call returns at once.

import { PostroomError } from '../../domain/errors';
import { gmailQueryFor, newRun, parseExportOptions, runningProgress, translateExport, type ExportProgress } from '../../domain/export';
import { isMailError } from '../../domain/mail-errors';
import {
  EXPORT_CONTINUE_HANDLER,
  EXPORT_SAFETY_NET_HANDLER,
  FIRST_CONTINUE_MS,
  LOCK_WAIT_MS,
  REPEAT_MINUTES,
  type ExportDeps,
} from './deps';
import { holdExportLock, lockedRefusal } from './lock';
import { loadRun, loadSinceMark, saveRun } from './state-store';

function refuseRunning(deps: ExportDeps, startedAt: number): never {
  throw new PostroomError(
    'ALREADY_RUNNING',
    translateExport(deps.locale, 'run.alreadyRunning', { since: deps.formatDate(startedAt, 'yyyy-MM-dd HH:mm') }),
  );
}

/** The options checked without the user's language (reading it is a call); a refusal is made again in it. */
function parseOptions(deps: ExportDeps, raw: unknown): ReturnType<typeof parseExportOptions> {
  try {
    return parseExportOptions(raw, 'en');
  } catch {
    return parseExportOptions(raw, deps.locale);
  }
}

export function startExportRun(deps: ExportDeps, rawOptions: unknown): ExportProgress {
  const options = parseOptions(deps, rawOptions);
  // The run is read under the lock (once): an export working holds it, and is named in the refusal.
  // No holder record: a start that finds the lock taken names the export by its run, else the other job.
  const handle = holdExportLock(deps, null, LOCK_WAIT_MS, false);
  if (!handle) {
    const running = loadRun(deps.store);
    if (running) refuseRunning(deps, running.startedAt);
    throw lockedRefusal(deps);
  }
  try {
    const again = loadRun(deps.store);
    if (again) refuseRunning(deps, again.startedAt);
    const now = deps.clock.now();

    let skipIds: string[] = [];
    let since: Parameters<typeof gmailQueryFor>[1] = null;
    if (options.since === 'last') {
      const mark = loadSinceMark(deps.store, options.query, deps.hash);
      if (mark) {
        since = { afterMs: mark.newestMs };
        skipIds = mark.newestIds;
      }
    } else if (options.since) since = { day: options.since };
    const gmailQuery = gmailQueryFor(options.query, since);

    // The query as Gmail reads it: refused now, before anything is written, when Gmail rejects it.
    const probe = deps.mail.search(gmailQuery, { max: 1 });
    if (!probe.ok && isMailError(probe.error) && probe.error.kind !== 'transient' && probe.error.kind !== 'quota') {
      throw new PostroomError('INVALID_INPUT', probe.error.userMessage(deps.locale), { field: 'query' });
    }

    // The folder and the JobRuns row come with the first execution: a start does as little as it can.
    const run = newRun({ runId: deps.newRunId(), options, gmailQuery, skipIds, startedAt: now, folderName: '' });
    run.mailTransport = deps.mail.kind;
    saveRun(deps.store, run);
    deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, FIRST_CONTINUE_MS);
    // A recurring trigger as well, where the platform allows one: an execution killed at any call is
    // then carried on without arming a safety trigger of its own (saved once it is in place).
    if (deps.scheduler.repeatEvery?.(EXPORT_CONTINUE_HANDLER, REPEAT_MINUTES)) {
      run.repeating = true;
      saveRun(deps.store, run);
    } else if (deps.scheduler.repeatEvery && deps.scheduler.repeatHourly && deps.scheduler.armAfter) {
      // Refused (an add-on): the hourly net instead, under its own handler (see continue.ts armSafety).
      run.noRepeat = true;
      if (deps.scheduler.repeatHourly(EXPORT_SAFETY_NET_HANDLER)) run.hourlyNet = true;
      else run.noHourlyNet = true;
      saveRun(deps.store, run);
    }
    return runningProgress(run, deps.locale);
  } finally {
    handle.release();
  }
}
