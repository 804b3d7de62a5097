// Script-side harness of the Sheets REST sandbox test: bundled with esbuild from the REAL adapter
// (src/server/adapters/sheets-rest.ts) and run by the emulator's runner as an Apps Script execution.
// `restMark(tab, row, text, mode)` reads the tab and writes one cell in ONE fetchAll and returns JSON: the
// rows read and what the write answered. With mode 'pending' it first leaves a SpreadsheetApp write
// pending (unflushed), and after the fetchAll keeps the execution busy until it times out.

import { scriptToken } from '../../../src/server/adapters/oauth';
import {
  a1SheetRange,
  readValueRange,
  readWriteAnswer,
  valuesBatchUpdateRequest,
  valuesGetRequest,
} from '../../../src/server/adapters/sheets-rest';

(globalThis as Record<string, unknown>).restMark = (tab: string, row: number, text: string, mode: string): string => {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const id = spreadsheet.getId();
  if (mode === 'pending') spreadsheet.getSheetByName(tab)!.getRange(row, 2).setValue('pending by SpreadsheetApp');
  const [read, written] = UrlFetchApp.fetchAll([
    valuesGetRequest(scriptToken(), id, a1SheetRange(tab, 'A1:C'), { valueRenderOption: 'UNFORMATTED_VALUE' }),
    valuesBatchUpdateRequest(scriptToken(), id, [{ range: a1SheetRange(tab, `A${row}`), values: [[text]] }]),
  ]);
  const result = JSON.stringify({ rows: readValueRange(read), answer: readWriteAnswer(written) });
  if (mode === 'pending') while (true) Utilities.sleep(1000);
  return result;
};
