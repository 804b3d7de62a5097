// Port: the ledger spreadsheet, used as tables. A tab is read once (one getValues), indexed in memory
// and written in batches (one setValues per contiguous block); columns are matched by header name, so
// a user may reorder or add columns. Plain data only: no Apps Script object crosses this line.

import type { CellValue, TableSpec } from '../domain/ledger-cells';

export type { CellValue, TableSpec };

/** A row of a ledger tab keyed by header name, with its 1-based row number in the sheet. */
export interface LedgerRow {
  rowNumber: number;
  values: Record<string, CellValue>;
}

/** One tab of the ledger spreadsheet, used as a table. */
export interface LedgerTable {
  readonly name: string;
  /** Headers as they stand in the sheet (after ensuring the spec's headers exist). */
  headers(): string[];
  /** Every data row (one read). */
  readAll(): LedgerRow[];
  /** Appends rows at the end in one write; returns their row numbers. */
  append(rows: Array<Record<string, CellValue>>): number[];
  /** Writes the given columns of the given rows, batched into as few writes as possible. */
  update(updates: Array<{ rowNumber: number; values: Record<string, CellValue> }>): void;
  /** Appends ONE row in one call (no format call: for rows of the job's own values, no text from outside); optional. */
  appendOne?(row: Record<string, CellValue>): number;
  /** Grows the tab's grid to hold `lastRow` rows (optional; writes by the Sheets API do not grow it). */
  growTo?(lastRow: number): void;
}

export interface LedgerStore {
  /** The tab for `spec`, created on first use with frozen headers, text formats and a filter. */
  table(spec: TableSpec): LedgerTable;
  /** The ledger spreadsheet's URL, for links in the UI. */
  url(): string;
  /**
   * Applies pending writes now. Apps Script may hold Sheets writes back until the end of the
   * execution; a killed execution may lose them. Call it when a write must be durable before what
   * follows (e.g. marking rows "sending" before the send).
   * https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()
   */
  flush(): void;
  /** The spreadsheet's time zone (its dates' wall clock); optional. */
  timeZone?(): string;
}

/** A read-only look at the ledger's tabs (setup checks create nothing). */
export interface LedgerProbe {
  /** null when no ledger spreadsheet exists yet (one is created on first use). */
  tabs(names: readonly string[]): Record<string, { exists: boolean; headers: string[] }> | null;
}

/**
 * A tab read started by LedgerValues.read: its values once asked (header first); throws when the read
 * failed (a PostroomError whose details.retryable says whether it may work later).
 */
export interface PendingTabRead {
  values(): CellValue[][];
}

/**
 * The ledger's values through the Sheets API (optional, beside LedgerStore): a read that rides in the
 * next mail request batch of the execution (no call of its own), and rows written in one request that
 * is durable when it returns (no flush). Plain data only.
 */
export interface LedgerValues {
  /**
   * Starts reading a whole tab (numbers and booleans as getValues gives them; dates as serial numbers).
   * It rides in the next mail batch sent before `values()` is asked, else goes alone then. Null when
   * there is no ledger spreadsheet yet.
   */
  read(tab: string): PendingTabRead | null;
  /**
   * Writes whole rows from row `firstRow` (1-based), cells in the tab's column order: text as given
   * (never a formula), numbers as numbers, Dates as date-times of `timeZone` (the spreadsheet's). The
   * rows must be inside the grid; a null cell is left as it is. Durable when it returns; throws a PostroomError otherwise
   * (details.mayHaveHappened).
   */
  writeRows(
    tab: string,
    firstRow: number,
    rows: ReadonlyArray<ReadonlyArray<CellValue | null>>,
    timeZone: string,
    options?: { milliseconds?: boolean },
  ): void;
}
