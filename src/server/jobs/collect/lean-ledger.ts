// The Receipts ledger of a run that keeps being cut short (the previous execution died), through the
// Sheets API (LedgerValues) instead of SpreadsheetApp: its read rides in the fetchAll of the first
// messages (no call of its own, where SpreadsheetApp takes three), and its rows are written by one
// fetchAll that is durable when it returns (no flush). A run that is not being cut short keeps the
// SpreadsheetApp way (its benchmark unchanged).
//
// Rows this run wrote and did not checkpoint (from state.pendingAppendFrom on, of messages still ahead
// of the cursor) are not read as ledger rows: the next write goes over them (and blanks what is left of
// them), so a write cut short at any point is simply done again, whole. A row someone else put there
// makes this execution take the SpreadsheetApp way (which counts such rows as this run's own).

import { RECEIPTS_TABLE } from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import type { CellValue, LedgerRow } from '../../ports/ledger';
import { CAREFUL_COMMIT_EVERY, MESSAGE_BATCH } from './deps';
import type { Execution } from './execution';
import { fetchMessages } from './mail';
import { indexReceipts } from './receipts';

/** Whether this execution's ledger goes through the Sheets API: a run after a crash, whose spreadsheet's zone is known. */
export function leanLedger(ex: Execution): boolean {
  const { state, deps } = ex;
  return Boolean(deps.ledgerValues && state.sheetTimeZone && !state.request.dryRun && (state.inFlight || state.commitEvery !== null));
}

/**
 * Reads Receipts in the fetchAll of the first messages this execution handles (kept for processMessages).
 * 'not' when it cannot (no spreadsheet yet, a column missing, someone else's row among this run's,
 * a refusal): the caller reads it the SpreadsheetApp way; 'later' when the read may work later.
 */
export function readReceiptsRiding(ex: Execution, ids: readonly string[]): 'read' | 'not' | 'later' {
  const { deps, state } = ex;
  const pending = deps.ledgerValues?.read(RECEIPTS_TABLE.name) ?? null;
  if (!pending) return 'not';
  // As many messages as this execution's first commit takes (commitEvery as markInFlight is about to
  // halve it): a batch is never larger than a commit, whose checkpoint empties the stored-files record.
  const commitEvery = !state.inFlight
    ? state.commitEvery
    : state.commitEvery
      ? Math.max(1, Math.floor(state.commitEvery / 2))
      : CAREFUL_COMMIT_EVERY;
  const size = Math.min(MESSAGE_BATCH, commitEvery ?? MESSAGE_BATCH);
  ex.prefetched = { at: state.cursor, plans: fetchMessages(deps.mail, ids.slice(state.cursor, state.cursor + size), deps.pause) };
  let values: CellValue[][];
  try {
    values = pending.values();
    if (!values.length) {
      // A tab made by an execution cut short before its header: the header by the Sheets API.
      values = [[...RECEIPTS_TABLE.headers]];
      (deps.ledgerValues as NonNullable<typeof deps.ledgerValues>).writeRows(RECEIPTS_TABLE.name, 1, values, state.sheetTimeZone as string);
    }
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    ex.log.warn('ledger.read_failed', { reason: errorMessage(error) });
    // A read that may work later waits for the next execution (rows this run wrote are then written
    // again whole; read the SpreadsheetApp way, they would count as done as they stand).
    return mayWorkLater(error) ? 'later' : 'not';
  }
  const header = (values[0] ?? []).map((cell) => String(cell).trim());
  if (!RECEIPTS_TABLE.headers.every((name) => header.includes(name))) return 'not';
  const rows: LedgerRow[] = values.slice(1).map((cells, i) => ({ rowNumber: i + 2, values: record(header, cells) }));
  const from = state.pendingAppendFrom;
  const ahead = new Set(ids.slice(state.cursor));
  const own = from === null ? [] : rows.filter((row) => row.rowNumber >= from);
  const ours = (row: LedgerRow) => {
    const key = String(row.values.attachment_key ?? '');
    return key === '' || ahead.has(key.slice(0, key.indexOf(':')));
  };
  if (!own.every(ours)) return 'not';
  indexReceipts(ex, from === null ? rows : rows.filter((row) => row.rowNumber < from), null);
  ex.ledgerHeader = header;
  ex.uncommittedRows = own.length;
  if (own.length) ex.log.warn('run.own_rows_rewritten', { rows: own.length, fromRow: from });
  return 'read';
}

/** Writes the commit's rows after the ledger's, over this run's uncommitted ones (blanking what is left of them). */
export function writeRowsRest(ex: Execution): void {
  const { deps, state } = ex;
  const header = ex.ledgerHeader as string[];
  const cells: CellValue[][] = ex.rows.map((row) => header.map((name) => (name in row ? row[name] : '')));
  while (cells.length < ex.uncommittedRows) cells.push(header.map(() => ''));
  (deps.ledgerValues as NonNullable<typeof deps.ledgerValues>).writeRows(
    RECEIPTS_TABLE.name,
    ex.receiptRows + 2,
    cells,
    state.sheetTimeZone as string,
  );
  ex.uncommittedRows = 0;
}

function record(header: readonly string[], cells: readonly CellValue[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  header.forEach((name, i) => {
    if (name) out[name] = cells[i] ?? '';
  });
  return out;
}

/** A failure the port marks as worth trying again (details.retryable: no answer, 408, 429, 5xx). */
function mayWorkLater(error: unknown): boolean {
  return (error as { details?: { retryable?: unknown } } | null)?.details?.retryable === true;
}
