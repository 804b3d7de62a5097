// Adapter: the ledger spreadsheet's tabs as tables (LedgerStore / LedgerTable over SpreadsheetApp).
// Sheets is the database: a table is read with one getValues, indexed in memory by the caller, and
// written with one setValues per contiguous block, never a call per row or per cell.
// Untrusted text columns are formatted "@" (plain text) so a value such as "=HYPERLINK(…)" is stored
// as the text it is, never as a formula.
// https://developers.google.com/apps-script/guides/support/best-practices#use_batch_operations

import { LEDGER_SPREADSHEET_ID_PROPERTY } from '../domain/storage-keys';
import type { CellValue, LedgerRow, LedgerStore, LedgerTable, TableSpec } from '../ports/ledger';
import { isExecutionOver, localizedError } from '../domain/errors';
import { translateServer } from '../domain/server-messages';
import { userLocale } from './session';

/**
 * The ledger spreadsheet: the one recorded for this user, else the active (container) spreadsheet,
 * recorded; else a new "Postroom" spreadsheet (Gmail card and triggers have no active spreadsheet).
 */
export function openLedgerSpreadsheet(known?: Record<string, string>): GoogleAppsScript.Spreadsheet.Spreadsheet {
  // `known`: the user properties this execution already read (saves two calls when given).
  const recorded = known
    ? (known[LEDGER_SPREADSHEET_ID_PROPERTY] ?? null)
    : PropertiesService.getUserProperties().getProperty(LEDGER_SPREADSHEET_ID_PROPERTY);
  if (recorded) {
    try {
      return SpreadsheetApp.openById(recorded);
    } catch (error) {
      // Deleted or no longer shared: fall through and pick or create another, recorded below.
      console.warn(`Ledger spreadsheet ${recorded} cannot be opened (${String(error)}); choosing another.`);
    }
  }
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet() ?? SpreadsheetApp.create('Postroom');
  PropertiesService.getUserProperties().setProperty(LEDGER_SPREADSHEET_ID_PROPERTY, spreadsheet.getId());
  return spreadsheet;
}

/**
 * `readOnOpen`: a tab is read whole (header and rows, one getDataRange) when first opened, for a job
 * that reads its rows anyway and counts its calls (collect); else the header only, the rows on demand.
 */
export function sheetsLedgerStore(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet = openLedgerSpreadsheet(),
  options: { readOnOpen?: boolean } = {},
): LedgerStore {
  const tables = new Map<string, LedgerTable>();
  return {
    table(spec: TableSpec): LedgerTable {
      let table = tables.get(spec.name);
      if (!table) {
        table = new SheetTable(spreadsheet, spec, options.readOnOpen === true);
        tables.set(spec.name, table);
      }
      return table;
    },
    url: () => spreadsheet.getUrl(),
    flush: () => SpreadsheetApp.flush(),
    timeZone: () => spreadsheet.getSpreadsheetTimeZone(),
  };
}

/** Maximal runs of consecutive numbers: [2,3,4,7,8] → [[2,4],[7,8]]. */
export function contiguousRuns(sorted: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}

class SheetTable implements LedgerTable {
  readonly name: string;
  private readonly sheet: GoogleAppsScript.Spreadsheet.Sheet;
  private header: string[];
  /** The grid as last read or written (rows 2..), so updates need no second read. */
  private grid: CellValue[][] | null = null;
  /** Rows read with the header when the table was opened, handed to the first readAll (no second read). */
  private openedRows: CellValue[][] | null = null;

  constructor(
    spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
    private readonly spec: TableSpec,
    readOnOpen = false,
  ) {
    this.name = spec.name;
    const existing = spreadsheet.getSheetByName(spec.name);
    this.sheet = existing ?? spreadsheet.insertSheet(spec.name);
    this.header = !existing ? [] : readOnOpen ? this.readHeaderAndRows() : this.readHeader();
    const missing = spec.headers.filter((name) => !this.header.includes(name));
    if (missing.length) this.addColumns(missing, !existing);
  }

  headers(): string[] {
    return [...this.header];
  }

  readAll(): LedgerRow[] {
    if (this.openedRows) {
      // Columns added since the read (missing headers) are empty cells of these rows.
      const width = this.header.length;
      this.grid = this.openedRows.map((cells) =>
        cells.length >= width ? cells : [...cells, ...Array<CellValue>(width - cells.length).fill('')],
      );
      this.openedRows = null;
    } else {
      const lastRow = this.sheet.getLastRow();
      this.grid = lastRow > 1 ? (this.sheet.getRange(2, 1, lastRow - 1, this.header.length).getValues() as CellValue[][]) : [];
    }
    return this.grid.map((cells, index) => ({ rowNumber: index + 2, values: this.toRecord(cells) }));
  }

  append(rows: Array<Record<string, CellValue>>): number[] {
    if (!rows.length) return [];
    const grid = this.ensureGrid();
    const first = grid.length + 2;
    const block = rows.map((row) => this.header.map((name) => (name in row ? row[name] : '')));
    const needed = first + block.length - 1 - this.sheet.getMaxRows();
    if (needed > 0) this.sheet.insertRowsAfter(this.sheet.getMaxRows(), needed);
    const range = this.sheet.getRange(first, 1, block.length, this.header.length);
    if (this.textColumnIndexes().length) range.setNumberFormats(block.map(() => this.rowFormats()));
    range.setValues(block);
    grid.push(...block);
    return block.map((_, index) => first + index);
  }

  update(updates: Array<{ rowNumber: number; values: Record<string, CellValue> }>): void {
    if (!updates.length) return;
    const grid = this.ensureGrid();
    const columns = new Set<number>();
    for (const { rowNumber, values } of updates) {
      const cells = grid[rowNumber - 2];
      if (!cells)
        throw localizedError('INTERNAL', translateServer, 'sheet.noRow', { tab: this.name, row: rowNumber }, { locale: userLocale() });
      for (const [name, value] of Object.entries(values)) {
        const column = this.header.indexOf(name);
        if (column < 0)
          throw localizedError('INTERNAL', translateServer, 'sheet.noColumn', { tab: this.name, column: name }, { locale: userLocale() });
        cells[column] = value;
        columns.add(column);
      }
    }
    const rowNumbers = updates.map((u) => u.rowNumber);
    const top = Math.min(...rowNumbers);
    const bottom = Math.max(...rowNumbers);
    for (const [from, to] of contiguousRuns([...columns].sort((a, b) => a - b))) {
      const block = grid.slice(top - 2, bottom - 1).map((cells) => cells.slice(from, to + 1));
      this.sheet.getRange(top, from + 1, block.length, to - from + 1).setValues(block);
    }
  }

  appendOne(row: Record<string, CellValue>): number {
    const grid = this.ensureGrid();
    const cells = this.header.map((name) => (name in row ? row[name] : ''));
    this.sheet.appendRow(cells);
    grid.push(cells);
    return grid.length + 1;
  }

  growTo(lastRow: number): void {
    const maxRows = this.sheet.getMaxRows();
    if (lastRow > maxRows) this.sheet.insertRowsAfter(maxRows, lastRow - maxRows);
  }

  private ensureGrid(): CellValue[][] {
    if (!this.grid) this.readAll();
    return this.grid as CellValue[][];
  }

  private toRecord(cells: CellValue[]): Record<string, CellValue> {
    const record: Record<string, CellValue> = {};
    this.header.forEach((name, index) => {
      if (name) record[name] = cells[index] ?? '';
    });
    return record;
  }

  private readHeader(): string[] {
    const lastColumn = this.sheet.getLastColumn();
    if (lastColumn === 0) return [];
    return this.sheet
      .getRange(1, 1, 1, lastColumn)
      .getValues()[0]
      .map((value) => String(value).trim());
  }

  /**
   * The header and the rows in ONE call (getSheetValues through the last row and column with data; not
   * getDataRange().getValues(), two calls, nor a header read then a rows read): an execution that dies
   * early still gets far with few calls. The rows wait for the first readAll. Should the platform
   * refuse it, the two-call read (an execution that is over propagates).
   * https://developers.google.com/apps-script/reference/spreadsheet/sheet#getSheetValues(Integer,Integer,Integer,Integer)
   */
  private readHeaderAndRows(): string[] {
    let values: CellValue[][];
    try {
      values = this.sheet.getSheetValues(1, 1, -1, -1) as CellValue[][];
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      values = this.sheet.getDataRange().getValues() as CellValue[][];
    }
    if (!values.length) values = [['']];
    const header = values[0].map((value) => String(value).trim());
    if (values.length === 1 && header.every((name) => name === '')) {
      this.openedRows = [];
      return [];
    }
    this.openedRows = values.slice(1);
    return header;
  }

  private textColumnIndexes(): number[] {
    return (this.spec.textColumns ?? []).map((name) => this.header.indexOf(name)).filter((index) => index >= 0);
  }

  private rowFormats(): string[] {
    const text = new Set(this.textColumnIndexes());
    return this.header.map((_, index) => (text.has(index) ? '@' : 'General'));
  }

  /** Adds header cells (and, for a new tab, frozen header, text formats and a filter). */
  private addColumns(names: string[], isNewTab: boolean): void {
    const start = this.header.length + 1;
    if (!isNewTab && start === 1) {
      // A tab left empty (made by an execution cut short before its header): the header in one call,
      // made durable at once, so that an execution cut short again does not lose it (and start over).
      this.sheet.appendRow(names);
      SpreadsheetApp.flush();
      this.header = [...names];
      return;
    }
    this.sheet.getRange(1, start, 1, names.length).setValues([names]);
    this.header = [...this.header, ...names];
    if (isNewTab) {
      this.sheet.setFrozenRows(1);
      this.sheet.getRange(1, 1, 1, this.header.length).setFontWeight('bold');
      // One format call per run of adjacent text columns (not one per column): fewer calls to die in.
      const maxRows = this.sheet.getMaxRows();
      const text = [...this.textColumnIndexes()].sort((a, b) => a - b);
      for (const [from, to] of contiguousRuns(text))
        this.sheet.getRange(2, from + 1, Math.max(1, maxRows - 1), to - from + 1).setNumberFormat('@');
      this.sheet.getRange(1, 1, Math.max(2, maxRows), this.header.length).createFilter();
    }
  }
}

/** The URL of the ledger spreadsheet recorded for this user, without opening it; null before the first one. */
export function recordedLedgerUrl(): string | null {
  const id = PropertiesService.getUserProperties().getProperty(LEDGER_SPREADSHEET_ID_PROPERTY);
  return id ? `https://docs.google.com/spreadsheets/d/${encodeURIComponent(id)}/edit` : null;
}

/** A column's letters in A1 notation (1 → A, 27 → AA). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
