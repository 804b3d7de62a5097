// SpreadsheetApp, Spreadsheet, Sheet and Range as scripts see them: views over a SpreadsheetStore,
// every method routed through `ctx.call('SpreadsheetApp.Class.method', …)`. Values follow
// cell-values.ts (getValues types, text format '@', formulas recorded); dimension and range errors use
// Apps Script's messages.
// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app

import type { ServiceContext } from '../runtime/execution';
import { hostDate, notEmulated, withNotEmulated, type DateFactory } from '../services/fake-support';
import { parseA1, toA1, type GridRange } from './a1';
import { DEFAULT_NUMBER_FORMAT, displayValue, interpretInput, toScriptValue } from './cell-values';
import { emptyCell, SpreadsheetStore, type Cell, type SheetData, type SpreadsheetData } from './spreadsheet-store';
import { createUi, UiLog } from './ui';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;
type Filter = GoogleAppsScript.Spreadsheet.Filter;

export const SHEETS_ERRORS = {
  rowTooSmall: 'The starting row of the range is too small.',
  columnTooSmall: 'The starting column of the range is too small.',
  numRowsTooSmall: 'The number of rows in the range must be at least 1.',
  numColumnsTooSmall: 'The number of columns in the range must be at least 1.',
  outsideSheet: 'The coordinates of the range are outside the dimensions of the sheet.',
  rangeNotFound: 'Range not found',
  filterExists: "You can't create a filter in a sheet that already has a filter.",
  lastSheet: "You can't remove all the sheets in a document.",
  openById: 'Unexpected error while getting the method or property openById on object SpreadsheetApp.',
  getUiContext: 'Cannot call SpreadsheetApp.getUi() from this context.',
  duplicateSheet: (name: string) => `A sheet with the name "${name}" already exists. Please enter another name.`,
  rowsMismatch: (data: number, range: number) =>
    `The number of rows in the data does not match the number of rows in the range. The data has ${data} but the range has ${range}.`,
  columnsMismatch: (data: number, range: number) =>
    `The number of columns in the data does not match the number of columns in the range. The data has ${data} but the range has ${range}.`,
};

export interface SpreadsheetAppOptions {
  /** The spreadsheet the script is bound to / the add-on runs in; null for a standalone script. */
  activeSpreadsheetId?: string | null;
  /** Where the Ui records what the user saw; null when there is no UI (triggers): getUi() throws. */
  ui?: UiLog | null;
  addonName?: string;
  makeDate?: DateFactory;
}

/** Recorded toasts, by spreadsheet: what Spreadsheet.toast showed. */
export interface RecordedToast {
  spreadsheetId: string;
  message: string;
  title: string;
  timeoutSeconds: number;
}

/** Calls after which the execution's pending writes are applied: reads see them, so they are flushed. */
const FLUSHING_METHODS = new Set([
  'flush',
  'Range.getValues',
  'Range.getValue',
  'Range.getDisplayValues',
  'Range.getDisplayValue',
  'Range.getFormulas',
  'Range.getFormula',
  'Sheet.getLastRow',
  'Sheet.getLastColumn',
  'Sheet.getSheetValues',
]);

class SheetsScope {
  readonly toasts: RecordedToast[] = [];
  constructor(
    readonly store: SpreadsheetStore,
    readonly ctx: ServiceContext,
    readonly makeDate: DateFactory,
  ) {}

  call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`SpreadsheetApp.${method}`, () => {
      // A read or a flush applies the execution's pending writes (they become durable).
      if (FLUSHING_METHODS.has(method)) this.store.commitWrites(this.ctx.execution?.id);
      return fn();
    });
  }

  spreadsheetData(id: string): SpreadsheetData {
    const data = this.store.get(id);
    if (!data) throw new Error(SHEETS_ERRORS.openById);
    return data;
  }

  sheetData(spreadsheetId: string, sheetId: number): SheetData {
    const sheet = this.spreadsheetData(spreadsheetId).sheets.find((s) => s.sheetId === sheetId);
    if (!sheet) throw new Error('Sheet not found');
    return sheet;
  }

  spreadsheet(id: string): Spreadsheet {
    return withNotEmulated(new FakeSpreadsheet(this, id), 'SpreadsheetApp.Spreadsheet') as unknown as Spreadsheet;
  }

  sheet(spreadsheetId: string, sheetId: number): Sheet {
    return withNotEmulated(new FakeSheet(this, spreadsheetId, sheetId), 'SpreadsheetApp.Sheet') as unknown as Sheet;
  }

  filter(spreadsheetId: string, sheetId: number): Filter {
    return withNotEmulated(new FakeFilter(this, spreadsheetId, sheetId), 'SpreadsheetApp.Filter') as unknown as Filter;
  }

  range(spreadsheetId: string, sheetId: number, grid: GridRange): Range {
    return withNotEmulated(new FakeRange(this, spreadsheetId, sheetId, grid), 'SpreadsheetApp.Range') as unknown as Range;
  }

  /** getRange(row, column, numRows?, numColumns?) or getRange(a1) on a sheet, checked as Sheets does. */
  resolveRange(sheet: SheetData, rowOrA1: number | string, column?: number, numRows?: number, numColumns?: number): GridRange {
    let grid: GridRange;
    if (typeof rowOrA1 === 'string') {
      const parsed = parseA1(rowOrA1);
      if (!parsed || (parsed.sheetName !== null && parsed.sheetName !== sheet.name)) throw new Error(SHEETS_ERRORS.rangeNotFound);
      const startRow = parsed.startRow ?? 1;
      const startColumn = parsed.startColumn ?? 1;
      const endRow = parsed.endRow ?? (parsed.startRow !== null && parsed.endColumn === null ? parsed.startRow : sheet.maxRows);
      const endColumn = parsed.endColumn ?? (parsed.startColumn !== null && parsed.endRow === null ? parsed.startColumn : sheet.maxColumns);
      const [r1, r2] = [Math.min(startRow, endRow), Math.max(startRow, endRow)];
      const [c1, c2] = [Math.min(startColumn, endColumn), Math.max(startColumn, endColumn)];
      grid = { row: r1, column: c1, numRows: r2 - r1 + 1, numColumns: c2 - c1 + 1 };
    } else {
      grid = { row: Number(rowOrA1), column: Number(column), numRows: numRows ?? 1, numColumns: numColumns ?? 1 };
      if (!Number.isInteger(grid.row) || grid.row < 1) throw new Error(SHEETS_ERRORS.rowTooSmall);
      if (!Number.isInteger(grid.column) || grid.column < 1) throw new Error(SHEETS_ERRORS.columnTooSmall);
      if (!(grid.numRows >= 1)) throw new Error(SHEETS_ERRORS.numRowsTooSmall);
      if (!(grid.numColumns >= 1)) throw new Error(SHEETS_ERRORS.numColumnsTooSmall);
    }
    if (grid.row + grid.numRows - 1 > sheet.maxRows || grid.column + grid.numColumns - 1 > sheet.maxColumns) {
      throw new Error(SHEETS_ERRORS.outsideSheet);
    }
    return grid;
  }

  /** Writes one value as typed input into a cell (see cell-values.ts). */
  write(spreadsheet: SpreadsheetData, sheet: SheetData, row: number, column: number, input: unknown): void {
    this.store.journalWrite(this.ctx.execution?.id, sheet, row, column);
    const cell = this.store.cell(sheet, row, column, true);
    const result = interpretInput(input, cell.numberFormat, spreadsheet);
    cell.value = result.value;
    cell.formula = result.formula;
    if (result.autoFormat && cell.numberFormat === null) cell.numberFormat = result.autoFormat;
  }
}

export class FakeRange implements Pick<
  Range,
  | 'getValues'
  | 'getDisplayValues'
  | 'getValue'
  | 'getDisplayValue'
  | 'setValue'
  | 'setValues'
  | 'getNumRows'
  | 'getNumColumns'
  | 'getRow'
  | 'getColumn'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getA1Notation'
  | 'getSheet'
  | 'setNumberFormat'
  | 'setNumberFormats'
  | 'getNumberFormat'
  | 'getNumberFormats'
  | 'getFormula'
  | 'getFormulas'
  | 'setFormula'
  | 'setFormulas'
  | 'clearContent'
  | 'clear'
  | 'createFilter'
  | 'getFilter'
  | 'setFontWeight'
  | 'getFontWeight'
  | 'offset'
  | 'getCell'
  | 'isBlank'
> {
  constructor(
    private readonly scope: SheetsScope,
    private readonly spreadsheetId: string,
    private readonly sheetId: number,
    readonly grid: GridRange,
  ) {}

  private call<T>(method: string, fn: () => T): T {
    return this.scope.call(`Range.${method}`, fn);
  }

  private get sheet(): SheetData {
    return this.scope.sheetData(this.spreadsheetId, this.sheetId);
  }

  private self(): Range {
    return this.scope.range(this.spreadsheetId, this.sheetId, this.grid);
  }

  /** Applies fn to each cell position of the range, row by row. */
  private map<T>(fn: (cell: Cell | undefined, row: number, column: number) => T): T[][] {
    const sheet = this.sheet;
    const out: T[][] = [];
    for (let r = 0; r < this.grid.numRows; r++) {
      const row: T[] = [];
      for (let c = 0; c < this.grid.numColumns; c++) {
        const position = [this.grid.row + r, this.grid.column + c] as const;
        row.push(fn(this.scope.store.cell(sheet, position[0], position[1]), position[0], position[1]));
      }
      out.push(row);
    }
    return out;
  }

  private eachCell(fn: (cell: Cell, r: number, c: number) => void): void {
    const sheet = this.sheet;
    for (let r = 0; r < this.grid.numRows; r++) {
      for (let c = 0; c < this.grid.numColumns; c++) fn(this.scope.store.cell(sheet, this.grid.row + r, this.grid.column + c, true), r, c);
    }
  }

  /** Checks a 2-D array against the range's dimensions with Apps Script's messages. */
  private checkDimensions(values: unknown[][]): void {
    if (!Array.isArray(values) || values.some((row) => !Array.isArray(row))) {
      throw new Error("The parameters (String) don't match the method signature for SpreadsheetApp.Range.setValues.");
    }
    if (values.length !== this.grid.numRows) throw new Error(SHEETS_ERRORS.rowsMismatch(values.length, this.grid.numRows));
    for (const row of values) {
      if (row.length !== this.grid.numColumns) throw new Error(SHEETS_ERRORS.columnsMismatch(row.length, this.grid.numColumns));
    }
  }

  getValues(): unknown[][] {
    return this.call('getValues', () => this.map((cell) => (cell ? toScriptValue(cell.value, this.scope.makeDate) : '')));
  }
  getDisplayValues(): string[][] {
    return this.call('getDisplayValues', () => {
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      return this.map((cell) => (cell ? displayValue(cell.value, cell.numberFormat, spreadsheet) : ''));
    });
  }
  getValue(): unknown {
    return this.call('getValue', () => {
      const cell = this.scope.store.cell(this.sheet, this.grid.row, this.grid.column);
      return cell ? toScriptValue(cell.value, this.scope.makeDate) : '';
    });
  }
  getDisplayValue(): string {
    return this.call('getDisplayValue', () => {
      const cell = this.scope.store.cell(this.sheet, this.grid.row, this.grid.column);
      return cell ? displayValue(cell.value, cell.numberFormat, this.scope.spreadsheetData(this.spreadsheetId)) : '';
    });
  }
  setValue(value: unknown): Range {
    return this.call('setValue', () => {
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      const sheet = this.sheet;
      this.eachCell((_cell, r, c) => this.scope.write(spreadsheet, sheet, this.grid.row + r, this.grid.column + c, value));
      return this.self();
    });
  }
  setValues(values: unknown[][]): Range {
    return this.call('setValues', () => {
      this.checkDimensions(values);
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      const sheet = this.sheet;
      this.eachCell((_cell, r, c) => this.scope.write(spreadsheet, sheet, this.grid.row + r, this.grid.column + c, values[r][c]));
      return this.self();
    });
  }
  getNumRows(): number {
    return this.call('getNumRows', () => this.grid.numRows);
  }
  getNumColumns(): number {
    return this.call('getNumColumns', () => this.grid.numColumns);
  }
  getRow(): number {
    return this.call('getRow', () => this.grid.row);
  }
  getColumn(): number {
    return this.call('getColumn', () => this.grid.column);
  }
  getLastRow(): number {
    return this.call('getLastRow', () => this.grid.row + this.grid.numRows - 1);
  }
  getLastColumn(): number {
    return this.call('getLastColumn', () => this.grid.column + this.grid.numColumns - 1);
  }
  getA1Notation(): string {
    return this.call('getA1Notation', () => toA1(this.grid));
  }
  getSheet(): Sheet {
    return this.call('getSheet', () => this.scope.sheet(this.spreadsheetId, this.sheetId));
  }
  setNumberFormat(numberFormat: string): Range {
    return this.call('setNumberFormat', () => {
      this.eachCell((cell) => {
        cell.numberFormat = String(numberFormat);
      });
      return this.self();
    });
  }
  setNumberFormats(numberFormats: unknown[][]): Range {
    return this.call('setNumberFormats', () => {
      this.checkDimensions(numberFormats);
      this.eachCell((cell, r, c) => {
        cell.numberFormat = String(numberFormats[r][c]);
      });
      return this.self();
    });
  }
  getNumberFormat(): string {
    return this.call(
      'getNumberFormat',
      () => this.scope.store.cell(this.sheet, this.grid.row, this.grid.column)?.numberFormat ?? DEFAULT_NUMBER_FORMAT,
    );
  }
  getNumberFormats(): string[][] {
    return this.call('getNumberFormats', () => this.map((cell) => cell?.numberFormat ?? DEFAULT_NUMBER_FORMAT));
  }
  getFormula(): string {
    return this.call('getFormula', () => this.scope.store.cell(this.sheet, this.grid.row, this.grid.column)?.formula ?? '');
  }
  getFormulas(): string[][] {
    return this.call('getFormulas', () => this.map((cell) => cell?.formula ?? ''));
  }
  setFormula(formula: string): Range {
    return this.call('setFormula', () => {
      this.eachCell((cell) => {
        cell.formula = String(formula);
        cell.value = '';
      });
      return this.self();
    });
  }
  setFormulas(formulas: string[][]): Range {
    return this.call('setFormulas', () => {
      this.checkDimensions(formulas);
      this.eachCell((cell, r, c) => {
        cell.formula = formulas[r][c] ? String(formulas[r][c]) : null;
        cell.value = '';
      });
      return this.self();
    });
  }
  clearContent(): Range {
    return this.call('clearContent', () => {
      this.eachCell((cell) => {
        cell.value = '';
        cell.formula = null;
      });
      return this.self();
    });
  }
  clear(): Range {
    return this.call('clear', () => {
      this.eachCell((cell) => Object.assign(cell, emptyCell()));
      return this.self();
    });
  }
  isBlank(): boolean {
    return this.call('isBlank', () => this.map((cell) => !cell || (cell.value === '' && !cell.formula)).every((row) => row.every(Boolean)));
  }
  createFilter(): Filter {
    return this.call('createFilter', () => {
      const sheet = this.sheet;
      if (sheet.filter) throw new Error(SHEETS_ERRORS.filterExists);
      sheet.filter = toA1(this.grid);
      return this.scope.filter(this.spreadsheetId, this.sheetId);
    });
  }
  getFilter(): Filter | null {
    return this.call('getFilter', () => (this.sheet.filter ? this.scope.filter(this.spreadsheetId, this.sheetId) : null));
  }
  setFontWeight(fontWeight: GoogleAppsScript.Spreadsheet.FontWeight | null): Range {
    return this.call('setFontWeight', () => {
      this.eachCell((cell) => {
        cell.fontWeight = fontWeight === null ? null : String(fontWeight);
      });
      return this.self();
    });
  }
  getFontWeight(): GoogleAppsScript.Spreadsheet.FontWeight {
    return this.call(
      'getFontWeight',
      () =>
        (this.scope.store.cell(this.sheet, this.grid.row, this.grid.column)?.fontWeight ??
          'normal') as unknown as GoogleAppsScript.Spreadsheet.FontWeight,
    );
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): Range {
    return this.call('offset', () => {
      const grid = this.scope.resolveRange(
        this.sheet,
        this.grid.row + rowOffset,
        this.grid.column + columnOffset,
        numRows ?? this.grid.numRows,
        numColumns ?? this.grid.numColumns,
      );
      return this.scope.range(this.spreadsheetId, this.sheetId, grid);
    });
  }
  getCell(row: number, column: number): Range {
    return this.call('getCell', () => {
      if (row < 1 || row > this.grid.numRows || column < 1 || column > this.grid.numColumns) throw new Error(SHEETS_ERRORS.outsideSheet);
      return this.scope.range(this.spreadsheetId, this.sheetId, {
        row: this.grid.row + row - 1,
        column: this.grid.column + column - 1,
        numRows: 1,
        numColumns: 1,
      });
    });
  }
}

export class FakeFilter implements Pick<Filter, 'getRange' | 'remove'> {
  constructor(
    private readonly scope: SheetsScope,
    private readonly spreadsheetId: string,
    private readonly sheetId: number,
  ) {}
  getRange(): Range {
    return this.scope.call('Filter.getRange', () => {
      const sheet = this.scope.sheetData(this.spreadsheetId, this.sheetId);
      return this.scope.range(this.spreadsheetId, this.sheetId, this.scope.resolveRange(sheet, sheet.filter ?? 'A1'));
    });
  }
  remove(): void {
    this.scope.call('Filter.remove', () => {
      this.scope.sheetData(this.spreadsheetId, this.sheetId).filter = null;
    });
  }
}

export class FakeSheet implements Pick<
  Sheet,
  | 'getName'
  | 'setName'
  | 'getSheetId'
  | 'getIndex'
  | 'getParent'
  | 'getRange'
  | 'getDataRange'
  | 'getSheetValues'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'appendRow'
  | 'setFrozenRows'
  | 'getFrozenRows'
  | 'setFrozenColumns'
  | 'getFrozenColumns'
  | 'clear'
  | 'clearContents'
  | 'deleteRows'
  | 'deleteRow'
  | 'insertRowsAfter'
  | 'insertRowAfter'
  | 'insertRowsBefore'
  | 'getFilter'
  | 'activate'
  | 'autoResizeColumns'
> {
  constructor(
    private readonly scope: SheetsScope,
    private readonly spreadsheetId: string,
    readonly sheetId: number,
  ) {}

  private call<T>(method: string, fn: () => T): T {
    return this.scope.call(`Sheet.${method}`, fn);
  }

  private get data(): SheetData {
    return this.scope.sheetData(this.spreadsheetId, this.sheetId);
  }

  private self(): Sheet {
    return this.scope.sheet(this.spreadsheetId, this.sheetId);
  }

  getName(): string {
    return this.call('getName', () => this.data.name);
  }
  setName(name: string): Sheet {
    return this.call('setName', () => {
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      const clash = spreadsheet.sheets.find((s) => s.sheetId !== this.sheetId && s.name.toLowerCase() === String(name).toLowerCase());
      if (clash) throw new Error(SHEETS_ERRORS.duplicateSheet(String(name)));
      this.data.name = String(name);
      return this.self();
    });
  }
  getSheetId(): number {
    return this.call('getSheetId', () => this.sheetId);
  }
  getIndex(): number {
    return this.call(
      'getIndex',
      () => this.scope.spreadsheetData(this.spreadsheetId).sheets.findIndex((s) => s.sheetId === this.sheetId) + 1,
    );
  }
  getParent(): Spreadsheet {
    return this.call('getParent', () => this.scope.spreadsheet(this.spreadsheetId));
  }
  getRange(rowOrA1: number | string, column?: number, numRows?: number, numColumns?: number): Range {
    return this.call('getRange', () =>
      this.scope.range(this.spreadsheetId, this.sheetId, this.scope.resolveRange(this.data, rowOrA1, column, numRows, numColumns)),
    );
  }
  getDataRange(): Range {
    return this.call('getDataRange', () => {
      const rows = Math.max(1, this.scope.store.lastRow(this.data));
      const columns = Math.max(1, this.scope.store.lastColumn(this.data));
      return this.scope.range(this.spreadsheetId, this.sheetId, { row: 1, column: 1, numRows: rows, numColumns: columns });
    });
  }
  /**
   * The values of a block in one call; -1 rows or columns mean through the last row or column with
   * data (Apps Script: "A -1 value given as the row or column position is equivalent to getting the
   * very last row or column that has data in the sheet"). Checked as getRange checks its bounds.
   */
  getSheetValues(startRow: number, startColumn: number, numRows: number, numColumns: number): unknown[][] {
    return this.call('getSheetValues', () => {
      const data = this.data;
      const rows = numRows === -1 ? Math.max(1, this.scope.store.lastRow(data) - startRow + 1) : numRows;
      const columns = numColumns === -1 ? Math.max(1, this.scope.store.lastColumn(data) - startColumn + 1) : numColumns;
      const grid = this.scope.resolveRange(data, startRow, startColumn, rows, columns);
      const out: unknown[][] = [];
      for (let r = 0; r < grid.numRows; r++) {
        const row: unknown[] = [];
        for (let c = 0; c < grid.numColumns; c++) {
          const cell = this.scope.store.cell(data, grid.row + r, grid.column + c);
          row.push(cell ? toScriptValue(cell.value, this.scope.makeDate) : '');
        }
        out.push(row);
      }
      return out;
    });
  }
  getLastRow(): number {
    return this.call('getLastRow', () => this.scope.store.lastRow(this.data));
  }
  getLastColumn(): number {
    return this.call('getLastColumn', () => this.scope.store.lastColumn(this.data));
  }
  getMaxRows(): number {
    return this.call('getMaxRows', () => this.data.maxRows);
  }
  getMaxColumns(): number {
    return this.call('getMaxColumns', () => this.data.maxColumns);
  }
  appendRow(rowContents: unknown[]): Sheet {
    return this.call('appendRow', () => {
      const sheet = this.data;
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      const row = this.scope.store.lastRow(sheet) + 1;
      // appendRow grows the grid when the sheet is full, unlike getRange.
      sheet.maxRows = Math.max(sheet.maxRows, row);
      sheet.maxColumns = Math.max(sheet.maxColumns, rowContents.length);
      rowContents.forEach((value, index) => this.scope.write(spreadsheet, sheet, row, index + 1, value));
      return this.self();
    });
  }
  setFrozenRows(rows: number): void {
    this.call('setFrozenRows', () => {
      this.data.frozenRows = rows;
    });
  }
  getFrozenRows(): number {
    return this.call('getFrozenRows', () => this.data.frozenRows);
  }
  setFrozenColumns(columns: number): void {
    this.call('setFrozenColumns', () => {
      this.data.frozenColumns = columns;
    });
  }
  getFrozenColumns(): number {
    return this.call('getFrozenColumns', () => this.data.frozenColumns);
  }
  clear(): Sheet {
    return this.call('clear', () => {
      this.data.cells = new Map();
      return this.self();
    });
  }
  clearContents(): Sheet {
    return this.call('clearContents', () => {
      for (const cells of this.data.cells.values()) {
        for (const cell of cells.values()) {
          cell.value = '';
          cell.formula = null;
        }
      }
      return this.self();
    });
  }
  deleteRows(rowPosition: number, howMany: number): void {
    this.call('deleteRows', () => {
      const sheet = this.data;
      if (rowPosition < 1 || howMany < 1 || rowPosition + howMany - 1 > sheet.maxRows) throw new Error(SHEETS_ERRORS.outsideSheet);
      this.scope.store.deleteRows(sheet, rowPosition, howMany);
    });
  }
  deleteRow(rowPosition: number): Sheet {
    return this.call('deleteRow', () => {
      const sheet = this.data;
      if (rowPosition < 1 || rowPosition > sheet.maxRows) throw new Error(SHEETS_ERRORS.outsideSheet);
      this.scope.store.deleteRows(sheet, rowPosition, 1);
      return this.self();
    });
  }
  insertRowsAfter(afterPosition: number, howMany: number): Sheet {
    return this.call('insertRowsAfter', () => {
      this.scope.store.insertRows(this.data, afterPosition, howMany);
      return this.self();
    });
  }
  insertRowAfter(afterPosition: number): Sheet {
    return this.call('insertRowAfter', () => {
      this.scope.store.insertRows(this.data, afterPosition, 1);
      return this.self();
    });
  }
  insertRowsBefore(beforePosition: number, howMany: number): Sheet {
    return this.call('insertRowsBefore', () => {
      this.scope.store.insertRows(this.data, beforePosition - 1, howMany);
      return this.self();
    });
  }
  getFilter(): Filter | null {
    return this.call('getFilter', () => (this.data.filter ? this.scope.filter(this.spreadsheetId, this.sheetId) : null));
  }
  activate(): Sheet {
    return this.call('activate', () => {
      const spreadsheet = this.scope.spreadsheetData(this.spreadsheetId);
      spreadsheet.activeSheetIndex = spreadsheet.sheets.findIndex((s) => s.sheetId === this.sheetId);
      return this.self();
    });
  }
  autoResizeColumns(_startColumn: number, _numColumns: number): Sheet {
    // Presentation only: nothing to store.
    return this.call('autoResizeColumns', () => this.self());
  }
}

export class FakeSpreadsheet implements Pick<
  Spreadsheet,
  | 'getId'
  | 'getName'
  | 'rename'
  | 'getUrl'
  | 'getSheetByName'
  | 'getSheets'
  | 'insertSheet'
  | 'deleteSheet'
  | 'getActiveSheet'
  | 'setActiveSheet'
  | 'getRange'
  | 'getSpreadsheetTimeZone'
  | 'setSpreadsheetTimeZone'
  | 'getSpreadsheetLocale'
  | 'toast'
> {
  constructor(
    private readonly scope: SheetsScope,
    readonly id: string,
  ) {}

  private call<T>(method: string, fn: () => T): T {
    return this.scope.call(`Spreadsheet.${method}`, fn);
  }

  private get data(): SpreadsheetData {
    return this.scope.spreadsheetData(this.id);
  }

  getId(): string {
    return this.call('getId', () => this.id);
  }
  getName(): string {
    return this.call('getName', () => this.data.name);
  }
  rename(newName: string): void {
    this.call('rename', () => {
      this.data.name = String(newName);
    });
  }
  getUrl(): string {
    return this.call('getUrl', () => `https://docs.google.com/spreadsheets/d/${this.id}/edit`);
  }
  getSheetByName(name: string): Sheet | null {
    return this.call('getSheetByName', () => {
      const sheet = this.data.sheets.find((s) => s.name === name);
      return sheet ? this.scope.sheet(this.id, sheet.sheetId) : null;
    });
  }
  getSheets(): Sheet[] {
    return this.call('getSheets', () => this.data.sheets.map((s) => this.scope.sheet(this.id, s.sheetId)));
  }
  /** insertSheet() | insertSheet(index) | insertSheet(name) | insertSheet(name, index); templates are not emulated. */
  insertSheet(...args: unknown[]): Sheet {
    return this.call('insertSheet', () => {
      const data = this.data;
      const name = typeof args[0] === 'string' ? args[0] : null;
      const index = typeof args[0] === 'number' ? args[0] : typeof args[1] === 'number' ? args[1] : data.sheets.length;
      if (args.some((arg) => typeof arg === 'object' && arg !== null)) throw notEmulated('SpreadsheetApp.Spreadsheet.insertSheet(options)');
      let sheetName = name;
      if (sheetName === null) {
        let n = data.sheets.length + 1;
        while (data.sheets.some((s) => s.name.toLowerCase() === `sheet${n}`)) n += 1;
        sheetName = `Sheet${n}`;
      } else if (data.sheets.some((s) => s.name.toLowerCase() === sheetName!.toLowerCase())) {
        throw new Error(SHEETS_ERRORS.duplicateSheet(sheetName));
      }
      const sheet = this.scope.store.newSheet(sheetName);
      const position = Math.max(0, Math.min(index, data.sheets.length));
      data.sheets.splice(position, 0, sheet);
      // The inserted sheet becomes the active one.
      data.activeSheetIndex = position;
      return this.scope.sheet(this.id, sheet.sheetId);
    });
  }
  deleteSheet(sheet: Sheet): void {
    this.call('deleteSheet', () => {
      const data = this.data;
      if (!(sheet instanceof FakeSheet)) throw new Error('Invalid argument: sheet');
      if (data.sheets.length === 1) throw new Error(SHEETS_ERRORS.lastSheet);
      data.sheets = data.sheets.filter((s) => s.sheetId !== sheet.sheetId);
      data.activeSheetIndex = Math.min(data.activeSheetIndex, data.sheets.length - 1);
    });
  }
  getActiveSheet(): Sheet {
    return this.call('getActiveSheet', () => this.scope.sheet(this.id, this.data.sheets[this.data.activeSheetIndex].sheetId));
  }
  setActiveSheet(sheet: Sheet): Sheet {
    return this.call('setActiveSheet', () => {
      if (!(sheet instanceof FakeSheet)) throw new Error('Invalid argument: sheet');
      this.data.activeSheetIndex = this.data.sheets.findIndex((s) => s.sheetId === sheet.sheetId);
      return this.scope.sheet(this.id, sheet.sheetId);
    });
  }
  /** getRange("Tab!A1:B2"); without a sheet name, the first sheet (as in Apps Script). */
  getRange(a1Notation: string): Range {
    return this.call('getRange', () => {
      const parsed = parseA1(String(a1Notation));
      if (!parsed) throw new Error(SHEETS_ERRORS.rangeNotFound);
      const sheet = parsed.sheetName === null ? this.data.sheets[0] : this.data.sheets.find((s) => s.name === parsed.sheetName);
      if (!sheet) throw new Error(SHEETS_ERRORS.rangeNotFound);
      return this.scope.range(this.id, sheet.sheetId, this.scope.resolveRange(sheet, String(a1Notation)));
    });
  }
  getSpreadsheetTimeZone(): string {
    return this.call('getSpreadsheetTimeZone', () => this.data.timeZone);
  }
  setSpreadsheetTimeZone(timezone: string): void {
    this.call('setSpreadsheetTimeZone', () => {
      this.data.timeZone = timezone;
    });
  }
  getSpreadsheetLocale(): string {
    return this.call('getSpreadsheetLocale', () => this.data.locale);
  }
  toast(msg: string, title?: string, timeoutSeconds?: number | null): void {
    this.call('toast', () => {
      this.scope.toasts.push({ spreadsheetId: this.id, message: String(msg), title: title ?? '', timeoutSeconds: timeoutSeconds ?? 5 });
    });
  }
}

export class FakeSpreadsheetApp implements Pick<
  GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  'getActiveSpreadsheet' | 'getActive' | 'getActiveSheet' | 'openById' | 'openByUrl' | 'create' | 'flush' | 'getUi'
> {
  private readonly scope: SheetsScope;
  private readonly ui: GoogleAppsScript.Base.Ui | null;

  constructor(
    store: SpreadsheetStore,
    ctx: ServiceContext,
    private readonly options: SpreadsheetAppOptions = {},
  ) {
    this.scope = new SheetsScope(store, ctx, options.makeDate ?? hostDate);
    this.ui = options.ui ? createUi(ctx, options.ui, options.addonName) : null;
  }

  /** Toasts shown through Spreadsheet.toast, in order. */
  get toasts(): readonly RecordedToast[] {
    return this.scope.toasts;
  }

  getActiveSpreadsheet(): Spreadsheet {
    return this.scope.call('getActiveSpreadsheet', () => this.active()) as Spreadsheet;
  }
  getActive(): Spreadsheet {
    return this.scope.call('getActive', () => this.active()) as Spreadsheet;
  }
  getActiveSheet(): Sheet {
    return this.scope.call('getActiveSheet', () => {
      const id = this.options.activeSpreadsheetId;
      if (!id) return null;
      const data = this.scope.spreadsheetData(id);
      return this.scope.sheet(id, data.sheets[data.activeSheetIndex].sheetId);
    }) as Sheet;
  }
  openById(id: string): Spreadsheet {
    return this.scope.call('openById', () => {
      this.scope.spreadsheetData(String(id));
      return this.scope.spreadsheet(String(id));
    });
  }
  openByUrl(url: string): Spreadsheet {
    return this.scope.call('openByUrl', () => {
      const id = /\/spreadsheets\/d\/([^/]+)/.exec(String(url))?.[1];
      if (!id || !this.scope.store.get(id))
        throw new Error('Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.');
      return this.scope.spreadsheet(id);
    });
  }
  create(name: string, rows?: number, columns?: number): Spreadsheet {
    return this.scope.call('create', () => {
      const data = this.scope.store.create(String(name));
      if (rows) data.sheets[0].maxRows = rows;
      if (columns) data.sheets[0].maxColumns = columns;
      return this.scope.spreadsheet(data.id);
    });
  }
  flush(): void {
    // Writes are applied at once in the emulator; flush only costs its latency.
    this.scope.call('flush', () => undefined);
  }
  getUi(): GoogleAppsScript.Base.Ui {
    return this.scope.call('getUi', () => {
      if (!this.ui) throw new Error(SHEETS_ERRORS.getUiContext);
      return this.ui;
    });
  }

  private active(): Spreadsheet | null {
    const id = this.options.activeSpreadsheetId;
    return id ? this.scope.spreadsheet(id) : null;
  }
}

/** SpreadsheetApp for the sandbox over `store`, bound to `options.activeSpreadsheetId` (or standalone). */
export function createSpreadsheetApp(
  store: SpreadsheetStore,
  ctx: ServiceContext,
  options: SpreadsheetAppOptions = {},
): GoogleAppsScript.Spreadsheet.SpreadsheetApp {
  return withNotEmulated(
    new FakeSpreadsheetApp(store, ctx, options),
    'SpreadsheetApp',
  ) as unknown as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
}
