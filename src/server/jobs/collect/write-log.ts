// The run's JSON Lines log: ONE write per execution, the day's file (in the run's zone) in logs/ read and rewritten with
// this execution's lines (Drive files cannot be appended to). A log that cannot be written is reported
// to the execution log, never a reason to fail the run.

import { LOGS_FOLDER, appendJsonl, logFileName } from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import { recovering, runDay, type Execution } from './execution';
import { folderId } from './store';

/** "logs/collect_from_gmail-2026-01-05.jsonl": today's log, in the script time zone. */
export function logPath(ex: Execution): string {
  return `${LOGS_FOLDER}/${logFileName(runDay(ex, ex.deps.clock.now()))}`;
}

export function writeLog(ex: Execution): void {
  if (ex.logWritten) return;
  const { deps } = ex;
  const lines = ex.log.drain();
  if (!lines.length) return;
  ex.logWritten = true;
  try {
    const name = logFileName(runDay(ex, deps.clock.now()));
    // The day's log this run wrote before, by its id (kept in the run state): no folder, no lookup by name.
    const known = ex.state.logFile?.name === name ? ex.state.logFile.id : null;
    if (known !== null && recovering(ex) && deps.files.rewriteTextFileById) {
      // After a crash, by the Drive API: a download and an update.
      const stored = deps.files.rewriteTextFileById(known, (old) => appendJsonl(old, lines), 'application/x-ndjson');
      if (stored) {
        ex.logUrl = stored.url;
        return;
      }
    }
    const byId = known !== null && deps.files.readTextFileById && deps.files.writeTextFileById ? deps.files.readTextFileById(known) : null;
    if (byId !== null && known !== null && deps.files.writeTextFileById) {
      ex.logUrl = deps.files.writeTextFileById(known, appendJsonl(byId, lines)).url;
      return;
    }
    const logsFolder = folderId(ex, LOGS_FOLDER, [ex.settings.rootFolder, LOGS_FOLDER], !ex.state.inFlight ? false : true);
    if (recovering(ex) && deps.files.rewriteTextFile) {
      // After a crash: by the Drive API (a lookup, a download, an update), fewer calls than DriveApp's walk.
      const stored = deps.files.rewriteTextFile(logsFolder, name, (old) => appendJsonl(old, lines), 'application/x-ndjson');
      ex.logUrl = stored.url;
      ex.state.logFile = { name, id: stored.id };
      return;
    }
    const existing = deps.files.readTextFile(logsFolder, name) ?? '';
    const stored = deps.files.writeTextFile(logsFolder, name, appendJsonl(existing, lines), 'application/x-ndjson');
    ex.logUrl = stored.url;
    // Saved with the run state's next write.
    ex.state.logFile = { name, id: stored.id };
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    console.error(`Postroom collect: the log could not be written (${errorMessage(error)})`);
  }
}
