// Adapter: the `Sends` tab for the Send job over the Sheets API v4 (values.get / values.batchUpdate
// through UrlFetchApp), so that the tab's read and its writes join other requests in ONE fetchAll
// (fetch-ahead.ts): the read carries the SENT listing and the attachments folder asked ahead, the
// group's intent rides with the files.get of its first burst. A REST write is committed when its 200
// arrives (no flush); `flush` sends a write still waiting and retries one that failed (a values write
// is idempotent), and throws the typed error when it cannot be made durable: nothing is sent then.
// The one-off setup stays on SpreadsheetApp where REST values cannot do it: a missing tab is created,
// and columns a values write cannot add (past the grid) are added, by the SpreadsheetApp adapter
// (send-sheet.ts). The columns Postroom adds are formatted as plain text as a step of their own: owed
// in the user's properties BEFORE the header is written, paid right after it (three calls), or by the
// next read when the execution was cut short in between.
// Cells are read UNFORMATTED (numbers, booleans and text as SpreadsheetApp.getValues gives them); a
// date or time comes as its serial number, told apart from a number by a second read of the tab in the
// same fetchAll (dates as text), and is turned back into that calendar date and time.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/get
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate

import { errorMessage, isExecutionOver, PostroomError } from '../domain/errors';
import { SEND_SHEET_NAME, SEND_WRITTEN_COLUMNS, normalizeColumnName, planHeaderRow } from '../domain/send/send-list';
import type { CellValue } from '../ports/ledger';
import type { SendSheet } from '../ports/send';
import { fetchJoined, rideAlong, riding } from './fetch-ahead';
import { scriptToken } from './oauth';
import { columnLetters, contiguousRuns } from './sheets';
import {
  a1SheetRange,
  readValueRange,
  readWriteAnswer,
  sheetsRestError,
  valuesBatchUpdateRequest,
  valuesGetRequest,
  type SheetsCell,
  type ValuesWrite,
  withSheetsRetries,
} from './sheets-rest';

const ALIASES: Record<string, string> = { cct: 'key', periode: 'period' };
/** Tries of a read or of a write within one call of the port, and the pause between (× the attempt). */
const ATTEMPTS = 4;
const RETRY_PAUSE_MS = 500;
/** Days from the Sheets epoch (1899-12-30) to 1970-01-01. */
const SERIAL_EPOCH_DAYS = 25_569;
const DAY_MS = 86_400_000;

/** The text format Postroom's added columns still owe (A1 ranges), kept where a kill cannot lose it. */
export interface TextFormatDebt {
  due(): string[] | null;
  owe(ranges: readonly string[]): void;
  paid(): void;
}

export interface RestSendSheetOptions {
  spreadsheetId(): string;
  /** The spreadsheet over SpreadsheetApp (the one-off setup, the text format). */
  spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet;
  /** The SpreadsheetApp adapter, for a tab to create or columns a values write cannot add. */
  appSheet(): SendSheet;
  formatDebt: TextFormatDebt;
}

/** A network failure of fetchAll as the typed error the Sheets answers use. */
function asSheetsError(operation: string, error: unknown): PostroomError {
  if (error instanceof PostroomError) return error;
  return sheetsRestError(operation, 0, errorMessage(error));
}

/** `run` tried again while its failure may pass (429, 5xx, no answer), pausing between tries. */
function withRetries<T>(operation: string, run: () => T): T {
  return withSheetsRetries(run, { attempts: ATTEMPTS, pauseMs: RETRY_PAUSE_MS, typed: (error) => asSheetsError(operation, error) });
}

export function restSendSheet(options: RestSendSheetOptions): SendSheet {
  /** Set when the tab is handled by SpreadsheetApp in this execution (created, or columns added there). */
  let app: SendSheet | null = null;
  let grid: CellValue[][] = [];
  let columns = new Map<string, number>();
  /** Cells written in memory and not yet committed: row number → column indexes. */
  let dirty = new Map<number, Set<number>>();
  let lastFailure: PostroomError | null = null;
  const ownColumns = () => new Set(SEND_WRITTEN_COLUMNS.filter((name) => name !== 'draft_id').map((name) => columns.get(name)));

  function indexColumns(header: readonly CellValue[]): void {
    columns = new Map();
    header.forEach((cell, index) => {
      const name = normalizeColumnName(String(cell));
      if (name) columns.set(ALIASES[name] ?? name, index);
    });
  }

  /**
   * The tab's cells, UNFORMATTED; a date or time cell (a serial number in the first read, text in the
   * second, same call) as a Date of that calendar day and time, as SpreadsheetApp.getValues gives it.
   */
  function readTab(): CellValue[][] {
    const read = (dateTimeRenderOption: 'SERIAL_NUMBER' | 'FORMATTED_STRING') =>
      valuesGetRequest(scriptToken(), options.spreadsheetId(), a1SheetRange(SEND_SHEET_NAME), {
        valueRenderOption: 'UNFORMATTED_VALUE',
        dateTimeRenderOption,
      });
    // The two reads go out together; one that failed is tried again alone (the other's answer is kept).
    const reads: Array<{ request: GoogleAppsScript.URL_Fetch.URLFetchRequest; cells?: SheetsCell[][] }> = [
      { request: read('SERIAL_NUMBER') },
      { request: read('FORMATTED_STRING') },
    ];
    withRetries('values.get', () => {
      const missing = reads.filter((entry) => !entry.cells);
      const answers = fetchJoined(missing.map((entry) => entry.request));
      let failure: unknown = null;
      missing.forEach((entry, i) => {
        try {
          entry.cells = readValueRange(answers[i]);
        } catch (error) {
          failure ??= error;
        }
      });
      if (failure) throw failure;
    });
    const serials = reads[0].cells ?? [];
    const texts = reads[1].cells ?? [];
    return serials.map((row, r) =>
      row.map((cell, c) => (typeof cell === 'number' && typeof texts[r]?.[c] === 'string' ? fromSerial(cell) : cell)),
    );
  }

  function writeNow(data: ValuesWrite[]): void {
    const request = valuesBatchUpdateRequest(scriptToken(), options.spreadsheetId(), data);
    withRetries('values.batchUpdate', () => readWriteAnswer(fetchJoined([request])[0]));
  }

  /** The text format owed by columns added earlier (a kill after the header write keeps the debt). */
  function payFormatDebt(): void {
    const due = options.formatDebt.due();
    if (!due?.length) return;
    const spreadsheet = options.spreadsheet();
    for (const range of due) spreadsheet.getRange(range).setNumberFormat('@');
    options.formatDebt.paid();
  }

  /** Adds the missing columns' headers (one values write), the text format owed first. False: not possible here. */
  function addColumns(headers: string[], added: string[]): boolean {
    const indexes = added.map((name) => headers.indexOf(name)).sort((a, b) => a - b);
    const first = indexes[0];
    const runs = contiguousRuns(indexes).map(([from, to]) =>
      a1SheetRange(SEND_SHEET_NAME, `${columnLetters(from + 1)}2:${columnLetters(to + 1)}`),
    );
    options.formatDebt.owe(runs);
    try {
      const range = `${columnLetters(first + 1)}1:${columnLetters(headers.length)}1`;
      writeNow([{ range: a1SheetRange(SEND_SHEET_NAME, range), values: [headers.slice(first)] }]);
      // Paid at once when the execution goes on (a kill before leaves it owed to the next read).
      payFormatDebt();
      return true;
    } catch (error) {
      // Past the grid's last column (a values write does not grow it): SpreadsheetApp adds them.
      if (error instanceof PostroomError && (error.details as { status?: number } | undefined)?.status === 400) return false;
      throw error;
    }
  }

  /** The request writing every cell not committed yet: one range per run of columns per row. */
  function buildWrite(): GoogleAppsScript.URL_Fetch.URLFetchRequest {
    const own = ownColumns();
    const data: ValuesWrite[] = [];
    for (const [rowNumber, touched] of [...dirty.entries()].sort((a, b) => a[0] - b[0])) {
      const cells = grid[rowNumber - 1];
      for (const [from, to] of mergeOwnGaps(contiguousRuns([...touched].sort((a, b) => a - b)), (i) => own.has(i))) {
        data.push({
          range: a1SheetRange(SEND_SHEET_NAME, `${columnLetters(from + 1)}${rowNumber}:${columnLetters(to + 1)}${rowNumber}`),
          values: [cells.slice(from, to + 1).map(toSheetsCell)],
        });
      }
    }
    return valuesBatchUpdateRequest(scriptToken(), options.spreadsheetId(), data);
  }

  function answered(reply: GoogleAppsScript.URL_Fetch.HTTPResponse | Error): void {
    try {
      if (reply instanceof Error) throw reply;
      readWriteAnswer(reply);
      dirty = new Map();
      lastFailure = null;
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      lastFailure = asSheetsError('values.batchUpdate', error);
    }
  }

  return {
    read() {
      payFormatDebt();
      let values: CellValue[][];
      try {
        values = readTab();
      } catch (error) {
        // No Sends tab (the range does not parse): SpreadsheetApp creates it, with its columns.
        if (!(error instanceof PostroomError) || (error.details as { status?: number } | undefined)?.status !== 400) throw error;
        app = options.appSheet();
        return app.read();
      }
      if (values.length === 0) values = [[]];
      const { headers, added } = planHeaderRow(values[0]);
      if (added.length && !addColumns(headers, added)) {
        app = options.appSheet();
        const read = app.read();
        options.formatDebt.paid();
        return read;
      }
      const width = headers.length;
      indexColumns(headers);
      grid = values.map((row, index) => {
        const cells: CellValue[] = index === 0 ? [...headers] : [...row];
        while (cells.length < width) cells.push('');
        return cells;
      });
      return grid.map((row) => [...row]);
    },
    write(updates) {
      if (app) return app.write(updates);
      if (!updates.length) return;
      for (const { rowNumber, values } of updates) {
        const cells = grid[rowNumber - 1];
        if (!cells || rowNumber < 2) throw new PostroomError('INTERNAL', `${SEND_SHEET_NAME}: row ${rowNumber} does not exist`);
        const touched = dirty.get(rowNumber) ?? new Set<number>();
        for (const [name, value] of Object.entries(values)) {
          const column = columns.get(name);
          if (column === undefined) throw new PostroomError('INTERNAL', `${SEND_SHEET_NAME}: no column "${name}"`);
          cells[column] = value;
          touched.add(column);
        }
        dirty.set(rowNumber, touched);
      }
      // Sent with the next request that goes out (the burst's files), or by flush.
      rideAlong(buildWrite, answered);
    },
    flush() {
      if (app) return app.flush();
      if (!dirty.size) return;
      // The write waiting (or one that failed) goes out alone, tried again like the reads.
      withRetries('values.batchUpdate', () => {
        if (!riding()) rideAlong(buildWrite, answered);
        try {
          fetchJoined([]);
        } catch (error) {
          if (isExecutionOver(error)) throw error;
        }
        if (dirty.size) throw lastFailure ?? sheetsRestError('values.batchUpdate', 0, 'no answer');
      });
    },
    timeZoneOffsetMinutes(date) {
      // Dates read here are calendar dates already (from serial numbers): no offset to apply.
      return app ? app.timeZoneOffsetMinutes(date) : 0;
    },
  };
}

/** Runs apart only by the job's own columns are written as one range (the gap as read, under the lock). */
function mergeOwnGaps(runs: Array<[number, number]>, own: (index: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    let gapIsOwn = Boolean(last);
    if (last) for (let i = last[1] + 1; i < run[0]; i++) if (!own(i)) gapIsOwn = false;
    if (last && gapIsOwn) last[1] = run[1];
    else out.push([run[0], run[1]]);
  }
  return out;
}

/** A cell as a values write carries it (a Date as ISO text; the job writes text and numbers). */
function toSheetsCell(value: CellValue): SheetsCell {
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return '';
  return value as SheetsCell;
}

/** A Sheets serial date (days since 1899-12-30, in the sheet's zone) as that calendar day at 00:00 UTC. */
function fromSerial(serial: number): Date {
  return new Date(Math.round((serial - SERIAL_EPOCH_DAYS) * DAY_MS));
}
