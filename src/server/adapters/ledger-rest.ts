// Adapter: LedgerValues over the Sheets API v4 (sheets-rest.ts) and UrlFetchApp. A tab read rides in
// the next Gmail fetchAll of the execution (rest-client.ts rideWithNextGmailBatch), so a job that reads
// its mail and its ledger pays one service call for both; asked before any Gmail batch left, it is sent
// alone. Rows are written by ONE fetchAll of two values.batchUpdate requests: every cell but the dates
// RAW (text stays text, never a formula; numbers stay numbers), the dates USER_ENTERED as date-times of
// the spreadsheet's zone (Sheets types them as dates, as SpreadsheetApp's setValues of a Date does).
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate

import { errorMessage, isExecutionOver } from '../domain/errors';
import type { LedgerValues, PendingTabRead } from '../ports/ledger';
import { rideWithNextGmailBatch } from './gmail/rest-client';
import { intlParts } from './collect-platform';
import { scriptToken } from './oauth';
import { columnLetters } from './sheets';
import {
  a1SheetRange,
  readValueRange,
  readWriteAnswer,
  sheetsRestError,
  valuesBatchUpdateRequest,
  valuesGetRequest,
  type SheetsCell,
  type ValuesWrite,
} from './sheets-rest';

/** `spreadsheetId()`: the ledger spreadsheet's id (recorded in the user properties), null before there is one. */
export function restLedgerValues(spreadsheetId: () => string | null): LedgerValues {
  return {
    read(tab) {
      const id = spreadsheetId();
      if (!id) return null;
      let outcome: { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null = null;
      const build = (token: string) => valuesGetRequest(token, id, a1SheetRange(tab), { valueRenderOption: 'UNFORMATTED_VALUE' });
      const takeBack = rideWithNextGmailBatch({ build, deliver: (delivered) => (outcome = delivered) });
      const pending: PendingTabRead = {
        values() {
          // No Gmail batch left since: sent alone.
          if (outcome === null && takeBack()) {
            const { url, ...params } = build(scriptToken());
            try {
              outcome = { response: UrlFetchApp.fetch(url, params) };
            } catch (error) {
              if (isExecutionOver(error)) throw error;
              outcome = { error: errorMessage(error) };
            }
          }
          const got = outcome as { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null;
          if (got === null) throw sheetsRestError('values.get', 0, 'not sent');
          if ('error' in got) throw sheetsRestError('values.get', 0, got.error);
          return readValueRange(got.response);
        },
      };
      return pending;
    },
    writeRows(tab, firstRow, rows, timeZone, options = {}) {
      const id = spreadsheetId();
      if (!id) throw sheetsRestError('values.batchUpdate', 404, 'no ledger spreadsheet');
      // The whole block's range: Google refuses values beyond the range written.
      const width = Math.max(1, ...rows.map((row) => row.length));
      const raw: ValuesWrite = {
        range: a1SheetRange(tab, `A${firstRow}:${columnLetters(width)}${firstRow + rows.length - 1}`),
        values: [],
      };
      const dates: ValuesWrite[] = [];
      let format: Intl.DateTimeFormat | null = null;
      rows.forEach((row, r) => {
        raw.values.push(
          row.map((cell, c) => {
            if (!(cell instanceof Date)) return cell as SheetsCell | null;
            dates.push({
              range: a1SheetRange(tab, `${columnLetters(c + 1)}${firstRow + r}`),
              values: [[sheetDateTime(cell, (format ??= dateTimeFormat(timeZone)), options.milliseconds === true)]],
            });
            return null;
          }),
        );
      });
      const token = scriptToken();
      const requests = [valuesBatchUpdateRequest(token, id, [raw], 'RAW')];
      if (dates.length) requests.push(valuesBatchUpdateRequest(token, id, dates, 'USER_ENTERED'));
      let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
      try {
        responses = UrlFetchApp.fetchAll(requests);
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        throw sheetsRestError('values.batchUpdate', 0, errorMessage(error));
      }
      for (const response of responses) readWriteAnswer(response);
    },
  };
}

/** A formatter of date-times on the wall clock of `timeZone` (one per write, not per cell). */
function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * "2026-01-05 09:30:00": the instant on the formatter's wall clock, as a person would type it; with
 * `milliseconds`, a fraction of the second when there is one ("09:30:00.418", kept by Sheets as
 * SpreadsheetApp's setValues of a Date keeps it).
 */
function sheetDateTime(date: Date, format: Intl.DateTimeFormat, milliseconds = false): string {
  const parts = intlParts(format, date.getTime());
  const ms = date.getTime() % 1000;
  const fraction = milliseconds && ms ? `.${String(ms).padStart(3, '0')}` : '';
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}${fraction}`;
}
