// Adapter: a job's JobRuns row in few calls (the export's, the send's). The ledger spreadsheet is the
// one every job uses (the recorded one, else the active one, recorded: as sheets.ts
// openLedgerSpreadsheet picks it), then opened by id and the tab made when missing, by SpreadsheetApp;
// the tab's values are read and a row written by the Sheets API (ledger-rest.ts: one request each,
// texts RAW, dates in the spreadsheet's zone). A request Sheets may answer later (429, 5xx, no answer)
// is sent again within the execution, up to ATTEMPTS times (a read changes nothing; a row written again
// is the same row): without it, one fault on the run's last step made the job's caller come back a
// minute later only for its ledger row.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values

import type { JobRunsSheet } from '../ports/job-runs-sheet';
import { isExecutionOver } from '../domain/errors';
import { restLedgerValues } from './ledger-rest';
import { isRetryableSheetsError, withSheetsRetries } from './sheets-rest';

const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 500;

/** `request`, sent again (after a pause, or the wait Sheets asked for) while it fails in a way that may pass. */
function patiently<T>(request: () => T): T {
  return withSheetsRetries(request, { attempts: ATTEMPTS, pauseMs: RETRY_PAUSE_MS, maxPauseMs: 10_000 });
}
import { LEDGER_SPREADSHEET_ID_PROPERTY } from '../domain/storage-keys';

export function jobRunsSheet(): JobRunsSheet {
  return {
    ledgerId() {
      // As openLedgerSpreadsheet picks it, with one properties handle and without opening it (fewer calls).
      const properties = PropertiesService.getUserProperties();
      const recorded = properties.getProperty(LEDGER_SPREADSHEET_ID_PROPERTY);
      if (recorded) return recorded;
      const id = (SpreadsheetApp.getActiveSpreadsheet() ?? SpreadsheetApp.create('Postroom')).getId();
      properties.setProperty(LEDGER_SPREADSHEET_ID_PROPERTY, id);
      return id;
    },
    prepare(spreadsheetId, tab) {
      const spreadsheet = SpreadsheetApp.openById(spreadsheetId);
      if (!spreadsheet.getSheetByName(tab)) spreadsheet.insertSheet(tab);
      return { timeZone: spreadsheet.getSpreadsheetTimeZone() };
    },
    read(spreadsheetId, tab) {
      return patiently(
        () =>
          restLedgerValues(() => spreadsheetId)
            .read(tab)
            ?.values() ?? [],
      );
    },
    writeRow(spreadsheetId, tab, rowNumber, cells, timeZone, milliseconds = false) {
      try {
        patiently(() => restLedgerValues(() => spreadsheetId).writeRows(tab, rowNumber, [cells], timeZone, { milliseconds }));
        return 'written';
      } catch (error) {
        if (isExecutionOver(error) || isRetryableSheetsError(error)) throw error;
        return 'refused';
      }
    },
  };
}
