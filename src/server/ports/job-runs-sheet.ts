// Port: a job's JobRuns row (the export's, the send's) written in few calls (after a crash, when each
// execution may be cut short): the ledger spreadsheet found and the tab made once (its id and time zone
// kept by the job), then the tab read and one row written, each by one Sheets API request.

import type { CellValue } from './ledger';

export interface JobRunsSheet {
  /** The ledger spreadsheet's id (the recorded one, else the active one, recorded). */
  ledgerId(): string;
  /** The spreadsheet's time zone, with the tab `tab` made when it is missing. */
  prepare(spreadsheetId: string, tab: string): { timeZone: string };
  /** The tab's values, header first (texts, numbers, booleans; dates as serial numbers). */
  read(spreadsheetId: string, tab: string): CellValue[][];
  /**
   * Writes one row (1-based), cells in the tab's column order (null: left as it is), dates in
   * `timeZone`. 'refused' when the Sheets API will not take it as asked (a row past the grid): written
   * another way then; throws when it may work later (written in part, perhaps: write it again).
   */
  writeRow(
    spreadsheetId: string,
    tab: string,
    rowNumber: number,
    cells: ReadonlyArray<CellValue | null>,
    timeZone: string,
    /** Dates to the millisecond (as SpreadsheetApp writes them), not to the second. */
    milliseconds?: boolean,
  ): 'written' | 'refused';
}
