// Reads the Receipts ledger ONCE per execution: the dedupe index, the names taken per folder, and the
// rows this run appended in an execution that died before its checkpoint (met again by key).

import { RECEIPTS_TABLE, ReceiptIndex } from '../../domain/collect';
import type { LedgerRow } from '../../ports/ledger';
import { takenNames, type Execution } from './execution';

export function readReceipts(ex: Execution): void {
  indexReceipts(ex, ex.deps.ledger.table(RECEIPTS_TABLE).readAll(), ex.state.pendingAppendFrom);
}

/** The index, names taken and own rows (from row `from` on, when given) of the ledger's rows. */
export function indexReceipts(ex: Execution, rows: LedgerRow[], from: number | null): void {
  ex.receiptRows = rows.length;
  ex.index = ReceiptIndex.fromRows(rows.map((row) => row.values));
  ex.ownFrom = from;
  for (const row of rows) {
    const path = String(row.values.storage_path ?? '');
    const slash = path.lastIndexOf('/');
    if (slash > 0) takenNames(ex, path.slice(0, slash)).add(path.slice(slash + 1));
    if (from !== null && row.rowNumber >= from) ex.ownRows.set(String(row.values.attachment_key), row.values);
  }
  if (ex.ownRows.size) ex.log.warn('run.own_rows_found', { rows: ex.ownRows.size, fromRow: from });
}
