// The shapes of ledger data as the domain describes it: a cell value as Sheets returns it, and a tab's
// specification (name, headers, text columns). The LedgerTable port (ports/ledger.ts) reads and writes
// these; domain modules build rows and specs from them without knowing about Sheets.

/** A cell value as Sheets returns it from getValues(). */
export type CellValue = string | number | boolean | Date;

export interface TableSpec {
  /** Tab name, e.g. "Receipts". */
  name: string;
  /** Headers in order; a tab created by Postroom gets exactly these, frozen. */
  headers: readonly string[];
  /** Columns written as plain text (number format "@"): anything that came from an email or a user. */
  textColumns?: readonly string[];
}
