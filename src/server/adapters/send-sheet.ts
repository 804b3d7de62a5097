// Adapter: the `Sends` tab for the Send job, over SpreadsheetApp. One getValues reads the whole tab
// (header included) per execution; writes go out as one setValues per run of adjacent written columns,
// spanning the updated rows (the job keeps its columns adjacent, so a batch is ONE write). Columns are
// matched by normalised header (send-list.ts), so users may rename case, reorder and add columns; the
// columns Postroom writes are appended when missing, every one formatted as plain text ("@"), so Sheets
// never turns a Gmail id, an ISO time or a value a user types there later into a number or a date.
// https://developers.google.com/apps-script/guides/support/best-practices#use_batch_operations
// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()

import { isExecutionOver, PostroomError } from '../domain/errors';
import { SEND_HEADERS, SEND_SHEET_NAME, SEND_WRITTEN_COLUMNS, normalizeColumnName, planHeaderRow } from '../domain/send/send-list';
import type { CellValue } from '../ports/ledger';
import type { SendSheet } from '../ports/send';
import { columnLetters, contiguousRuns, openLedgerSpreadsheet } from './sheets';

const ALIASES: Record<string, string> = { cct: 'key', periode: 'period' };

/**
 * Runs closer than 3 columns, or apart only by columns the job itself writes, are written as one block
 * (the gap's cells are rewritten unchanged: as this execution read them, under the send's lock, and
 * only the job writes its own columns): a group's intent (status, attempts … error, rfc822_message_id,
 * attempt_at) is one setValues, not two.
 */
function mergeRuns(runs: Array<[number, number]>, ownColumn: (index: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const gapIsOwn = (from: number, to: number) => {
    for (let i = from; i <= to; i++) if (!ownColumn(i)) return false;
    return true;
  };
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && (run[0] - last[1] <= 3 || gapIsOwn(last[1] + 1, run[0] - 1))) last[1] = run[1];
    else out.push([run[0], run[1]]);
  }
  return out;
}

/** The columns the send job writes (SEND_WRITTEN_COLUMNS but draft_id, which the extras write). */
const JOB_COLUMNS: ReadonlySet<string> = new Set(SEND_WRITTEN_COLUMNS.filter((name) => name !== 'draft_id'));

/**
 * Every value of the tab in ONE call: getSheetValues with -1 rows and columns ("the very last row or
 * column that has data"), where getDataRange().getValues() takes two. Should the platform refuse it,
 * the two-call read (an execution that is over propagates).
 * https://developers.google.com/apps-script/reference/spreadsheet/sheet#getSheetValues(Integer,Integer,Integer,Integer)
 */
function readWholeTab(sheet: GoogleAppsScript.Spreadsheet.Sheet): unknown[][] {
  try {
    return sheet.getSheetValues(1, 1, -1, -1);
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    return sheet.getDataRange().getValues();
  }
}

export function sendSheet(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet = openLedgerSpreadsheet()): SendSheet {
  let sheet: GoogleAppsScript.Spreadsheet.Sheet | null = null;
  let grid: CellValue[][] = [];
  let columns = new Map<string, number>();
  let timeZone: string | null = null;

  function indexColumns(header: readonly CellValue[]): void {
    columns = new Map();
    header.forEach((cell, index) => {
      const name = normalizeColumnName(String(cell));
      if (name) columns.set(ALIASES[name] ?? name, index);
    });
  }

  /** Every column Postroom adds is plain text, so a value typed there later is never read as a number or a date. */
  function setTextFormat(target: GoogleAppsScript.Spreadsheet.Sheet, header: readonly string[], added: readonly string[]): void {
    const indexes = added.map((name) => header.indexOf(name)).filter((index) => index >= 0);
    // Open-ended A1 ranges ("H2:R": row 2 to the sheet's last row): no call to ask the sheet's size.
    for (const [from, to] of contiguousRuns(indexes.sort((a, b) => a - b)))
      target.getRange(`${columnLetters(from + 1)}2:${columnLetters(to + 1)}`).setNumberFormat('@');
  }

  return {
    read() {
      const existing = spreadsheet.getSheetByName(SEND_SHEET_NAME);
      sheet = existing ?? spreadsheet.insertSheet(SEND_SHEET_NAME);
      let values = (existing ? readWholeTab(existing) : [[]]) as CellValue[][];
      if (values.length === 0) values = [[]];
      const { headers, added } = planHeaderRow(values[0]);
      if (added.length) {
        const first = headers.length - added.length;
        sheet.getRange(1, first + 1, 1, added.length).setValues([added]);
        if (!existing) sheet.setFrozenRows(1);
        setTextFormat(sheet, headers, added);
        // The one-off setup is made durable at once: an execution killed before its first write of
        // rows keeps it, and the next one starts from the columns (fewer calls before its own write).
        SpreadsheetApp.flush();
      }
      const width = headers.length;
      grid = values.map((row, index) => {
        const cells = index === 0 ? [...headers] : [...row];
        while (cells.length < width) cells.push('');
        return cells.slice(0, Math.max(width, row.length));
      });
      indexColumns(grid[0]);
      return grid.map((row) => [...row]);
    },
    write(updates) {
      if (!updates.length) return;
      if (!sheet) throw new PostroomError('INTERNAL', 'sendSheet.write before read');
      const touched = new Set<number>();
      for (const { rowNumber, values } of updates) {
        const cells = grid[rowNumber - 1];
        if (!cells || rowNumber < 2) throw new PostroomError('INTERNAL', `${SEND_SHEET_NAME}: row ${rowNumber} does not exist`);
        for (const [name, value] of Object.entries(values)) {
          const column = columns.get(name);
          if (column === undefined) throw new PostroomError('INTERNAL', `${SEND_SHEET_NAME}: no column "${name}"`);
          cells[column] = value;
          touched.add(column);
        }
      }
      const rowNumbers = updates.map((u) => u.rowNumber);
      const top = Math.min(...rowNumbers);
      const bottom = Math.max(...rowNumbers);
      const ownColumns = new Set([...JOB_COLUMNS].map((name) => columns.get(name)));
      for (const [from, to] of mergeRuns(contiguousRuns([...touched].sort((a, b) => a - b)), (index) => ownColumns.has(index))) {
        const block = grid.slice(top - 1, bottom).map((cells) => cells.slice(from, to + 1));
        sheet.getRange(top, from + 1, block.length, to - from + 1).setValues(block);
      }
    },
    flush() {
      SpreadsheetApp.flush();
    },
    timeZoneOffsetMinutes(date) {
      timeZone ??= spreadsheet.getSpreadsheetTimeZone();
      const z = Utilities.formatDate(date, timeZone, 'Z'); // "+0100"
      const match = /^([+-])(\d{2})(\d{2})$/.exec(z);
      if (!match) return 0;
      return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
    },
  };
}

/** The headers of a new Sends tab (for the CLI and tests). */
export const NEW_SEND_TAB_HEADERS: readonly string[] = SEND_HEADERS;
