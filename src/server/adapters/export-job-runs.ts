// Adapter: the export's JobRuns row in few calls. The ledger spreadsheet is opened as every job opens
// it (openLedgerSpreadsheet: the recorded one, else the active one, recorded) and the tab made when
// missing, by SpreadsheetApp; the tab's values are read and a row written by the Sheets API
// (ledger-rest.ts: one request each, texts RAW, dates in the spreadsheet's zone).
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values

import type { JobRunsSheet } from '../ports/export-job-runs';
import { restLedgerValues } from './ledger-rest';
import { openLedgerSpreadsheet } from './sheets';

export function exportJobRunsSheet(): JobRunsSheet {
  return {
    prepare(tab) {
      const spreadsheet = openLedgerSpreadsheet();
      if (!spreadsheet.getSheetByName(tab)) spreadsheet.insertSheet(tab);
      return { spreadsheetId: spreadsheet.getId(), timeZone: spreadsheet.getSpreadsheetTimeZone() };
    },
    read(spreadsheetId, tab) {
      return (
        restLedgerValues(() => spreadsheetId)
          .read(tab)
          ?.values() ?? []
      );
    },
    writeRow(spreadsheetId, tab, rowNumber, cells, timeZone) {
      restLedgerValues(() => spreadsheetId).writeRows(tab, rowNumber, [cells], timeZone);
    },
  };
}
