// COMMIT the work done since the last commit, in the crash-safe order:
//   (1) checkpoint "rows from R on may be mine" → (2) append the Receipts rows, flush →
//   (3) labels and read-marks (batchModify per label set) → (4) checkpoint the cursor and metrics.
// Died before (2): files may be in Drive with no Receipt; the next execution is careful (probes Drive
// by name and reuses them). Died between (2) and (4): the rows from R on are this run's own; the next
// execution meets the messages again, recognises their attachments by key and labels them. Labels go
// on only after the rows are flushed, so a labelled message is always fully recorded.

import { RECEIPTS_TABLE, emptyMetrics, mergeMetrics } from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import { recovering, type Execution } from './execution';
import { labelIds, modifyMessages, requestsSent, stopsTheRun } from './mail';
import { writeRowsRest } from './lean-ledger';
import { saveMany, saveRunState } from './run-state';
import { COLLECT_KEYS } from '../../domain/storage-keys';

export function commit(ex: Execution): void {
  const { deps, state } = ex;
  // Rows whose write is in doubt: no labels, no checkpoint (the next execution does them again).
  if (ex.rowsInDoubt) return;
  const dryRun = state.request.dryRun;
  if (!dryRun && ex.rows.length) {
    // Rows from here on are this run's until the checkpoint below (or from earlier, while rows an
    // execution that died appended are still to be met again).
    const from = appendFrom(ex);
    // Already durable when the in-flight mark or the last checkpoint of this execution wrote it.
    if (state.pendingAppendFrom !== from || !ex.appendFromSaved) {
      state.pendingAppendFrom = from;
      saveRunState(deps.store, state);
    }
    if (ex.ledgerHeader) {
      try {
        try {
          writeRowsRest(ex);
        } catch (error) {
          // The Sheets API writes inside the grid only: grown (SpreadsheetApp), then written again.
          if (isExecutionOver(error) || !errorMessage(error).includes('exceeds grid limits')) throw error;
          deps.ledger.table(RECEIPTS_TABLE).growTo?.(ex.receiptRows + 1 + Math.max(ex.rows.length, ex.uncommittedRows));
          writeRowsRest(ex);
        }
      } catch (error) {
        // Written, partly written or not: the next execution reads the ledger and writes these rows again.
        if (!isExecutionOver(error)) ex.rowsInDoubt = true;
        throw error;
      }
    } else {
      deps.ledger.table(RECEIPTS_TABLE).append(ex.rows);
      deps.ledger.flush();
    }
    ex.receiptRows += ex.rows.length;
  }
  if (!dryRun && ex.labels.size) applyLabels(ex);
  const now = deps.clock.now();
  const requests = requestsSent(deps.mail) + (deps.mailOneByOne ? requestsSent(deps.mailOneByOne) : 0);
  ex.current.gmailApiCalls += requests - ex.requestsAtLastCommit;
  ex.current.durationSec += (now - ex.lastCommitAt) / 1000;
  ex.requestsAtLastCommit = requests;
  ex.lastCommitAt = now;
  state.metrics = mergeMetrics(state.metrics, ex.current);
  ex.current = emptyMetrics();
  if (ex.cursor === state.cursor && !ex.rows.length && !ex.labels.size && !Object.keys(ex.stored).length) {
    // Nothing new to checkpoint (an execution that only closes the run): no write; the metrics merged
    // here are saved by the next write of the state (the close's steps, or the pause).
    ex.handledSinceCommit = 0;
    return;
  }
  state.cursor = ex.cursor;
  state.handled = ex.handled;
  // The next rows of this execution start after these: said now, in the checkpoint's own write.
  state.pendingAppendFrom = dryRun ? null : appendFrom(ex);
  ex.appendFromSaved = !dryRun;
  // The checkpoint, and the stored-files record emptied with it (its files are recorded now, but for
  // those of messages left for the next execution), in one write.
  const hadStored = Object.keys(ex.stored).length > 0;
  ex.stored = ex.keptStored ?? {};
  ex.keptStored = null;
  if (hadStored) saveMany(deps.store, { [COLLECT_KEYS.run]: state, [COLLECT_KEYS.stored]: ex.stored });
  else saveRunState(deps.store, state);
  ex.rows = [];
  ex.labels = new Map();
  ex.handledSinceCommit = 0;
}

/** The settled messages' labels (created once per execution) and read marks, one batchModify per label set. */
function applyLabels(ex: Execution): void {
  const { settings } = ex;
  const groups = new Map<string, { add: string[]; ids: string[] }>();
  const names: string[] = [];
  if (settings.applyLabels) names.push(settings.labelImported, settings.labelQuarantine);
  if (names.length && !ex.labelIds) {
    if (ex.state.labelIds) ex.labelIds = ex.state.labelIds;
    else {
      ex.labelIds = ex.state.labelIds = labelIds(ex.deps.mail, names);
      // While recovering, kept at once: an execution cut short before its checkpoint spares the next one the lookup.
      if (recovering(ex)) saveRunState(ex.deps.store, ex.state);
    }
  }
  for (const [messageId, wanted] of ex.labels) {
    const add: string[] = [];
    if (settings.applyLabels && wanted.imported) add.push((ex.labelIds as Record<string, string>)[settings.labelImported]);
    if (settings.applyLabels && wanted.quarantine) add.push((ex.labelIds as Record<string, string>)[settings.labelQuarantine]);
    const key = add.join(',');
    const group = groups.get(key) ?? { add, ids: [] };
    group.ids.push(messageId);
    groups.set(key, group);
  }
  const remove = settings.markAsRead ? ['UNREAD'] : [];
  for (const { add, ids } of groups.values()) {
    let outcome: ReturnType<typeof modifyMessages>;
    try {
      outcome = modifyMessages(ex.deps.mail, ids, add, remove);
    } catch (error) {
      if (isExecutionOver(error) || stopsTheRun(error)) throw error;
      outcome = { failed: [...ids], error: null };
      ex.log.error('messages.label_failed', { messages: ids.length, reason: errorMessage(error) });
    }
    if (outcome.failed.length < ids.length)
      ex.log.info('messages.labelled', {
        messages: ids.length - outcome.failed.length,
        labels: add.join(','),
        markAsRead: settings.markAsRead,
      });
    if (outcome.failed.length) {
      // The rows are recorded: the next run finds the keys and labels these messages then.
      ex.current.errorsCount += 1;
      if (outcome.error) ex.log.error('messages.label_failed', { messages: outcome.failed.length, reason: outcome.error.message });
    }
  }
}

/**
 * The first row the next append may write, for the crash marker "rows from R on may be this run's":
 * the rows a dead execution appended and this one has not yet counted keep theirs.
 */
export function appendFrom(ex: Execution): number {
  return ex.ownRows.size && ex.ownFrom !== null ? ex.ownFrom : ex.receiptRows + 2;
}
