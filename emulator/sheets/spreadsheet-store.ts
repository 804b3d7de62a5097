// The emulated Sheets' state: spreadsheets → sheets → a sparse grid of cells {value, formula,
// numberFormat, fontWeight}. SpreadsheetApp fakes (spreadsheet-app.ts) are views over it; the CLI reads
// it for the `sheets` state dump (tabValues) and tests read formulas here to prove that untrusted text
// never became one.
// https://developers.google.com/apps-script/reference/spreadsheet

import { createHash } from 'node:crypto';
import { columnToLetters } from './a1';
import { isSheetDate, type SheetLocale, type StoredValue } from './cell-values';

export interface Cell {
  value: StoredValue;
  formula: string | null;
  numberFormat: string | null;
  fontWeight: string | null;
}

export interface SheetData {
  sheetId: number;
  name: string;
  /** row → column → cell, 1-based. */
  cells: Map<number, Map<number, Cell>>;
  maxRows: number;
  maxColumns: number;
  frozenRows: number;
  frozenColumns: number;
  /** The A1 range of the sheet's basic filter, when one was created. */
  filter: string | null;
}

export interface SpreadsheetData extends SheetLocale {
  id: string;
  name: string;
  sheets: SheetData[];
  activeSheetIndex: number;
  createdAt: number;
}

export interface SpreadsheetStoreOptions {
  idSeed?: string;
  locale?: string;
  timeZone?: string;
  /**
   * Apps Script may hold Sheets writes back and apply them together ("Spreadsheet operations are
   * sometimes bundled together to improve performance"; SpreadsheetApp.flush reference). Whether a
   * killed execution's pending writes are applied is not documented; with this set, the emulator takes
   * the adversarial answer: value writes not yet flushed (by flush(), a read, or the execution's normal
   * end) are LOST when the execution is killed or times out.
   */
  loseUnflushedWritesOnKill?: boolean;
}

/** A cell value write not yet flushed: enough to undo it. */
interface PendingWrite {
  sheet: SheetData;
  row: number;
  column: number;
  previous: Cell | undefined;
}

/** A sheet as seen outside the executions' pending writes (see SpreadsheetStore.committedView). */
export interface CommittedView {
  cell(row: number, column: number): Cell | undefined;
  /** True when row `row` has a value or a formula in columns first..last. */
  rowHasContent(row: number, first?: number, last?: number): boolean;
  /** The rows that hold any cell object (some may be empty), ascending. */
  rowsWithCells(): number[];
  /** Changes a cell's committed value (never undone by a kill). */
  write(row: number, column: number, update: (cell: Cell) => void): void;
}

/** A new sheet's grid, as Sheets creates it: 1000 rows × 26 columns. */
export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_COLUMNS = 26;

export function emptyCell(): Cell {
  return { value: '', formula: null, numberFormat: null, fontWeight: null };
}

export function hasContent(cell: Cell | undefined): boolean {
  return Boolean(cell && (cell.value !== '' || cell.formula));
}

export class SpreadsheetStore {
  private readonly spreadsheets = new Map<string, SpreadsheetData>();
  private readonly pending = new Map<number, PendingWrite[]>();
  private counter = 0;
  private sheetCounter = 0;

  constructor(
    private readonly clock: { now(): number },
    private readonly options: SpreadsheetStoreOptions = {},
  ) {}

  private nextId(): string {
    this.counter += 1;
    const digest = createHash('sha256')
      .update(`${this.options.idSeed ?? 'postroom'}:sheets:${this.counter}`)
      .digest('base64url');
    return `1${digest.slice(0, 43)}`;
  }

  newSheet(name: string, first = false): SheetData {
    // The first sheet of a spreadsheet has gid 0; others get large pseudo-random ids (deterministic here).
    const sheetId = first ? 0 : 100_000_000 + (this.sheetCounter += 1) * 7_919;
    return {
      sheetId,
      name,
      cells: new Map(),
      maxRows: DEFAULT_MAX_ROWS,
      maxColumns: DEFAULT_MAX_COLUMNS,
      frozenRows: 0,
      frozenColumns: 0,
      filter: null,
    };
  }

  create(name: string, options: { locale?: string; timeZone?: string; firstSheetName?: string } = {}): SpreadsheetData {
    const data: SpreadsheetData = {
      id: this.nextId(),
      name,
      sheets: [this.newSheet(options.firstSheetName ?? 'Sheet1', true)],
      activeSheetIndex: 0,
      createdAt: this.clock.now(),
      locale: options.locale ?? this.options.locale ?? 'en_US',
      timeZone: options.timeZone ?? this.options.timeZone ?? 'Europe/Paris',
    };
    this.spreadsheets.set(data.id, data);
    return data;
  }

  get(id: string): SpreadsheetData | undefined {
    return this.spreadsheets.get(id);
  }

  all(): SpreadsheetData[] {
    return [...this.spreadsheets.values()];
  }

  /** Remembers a value write of an execution until it is flushed (see loseUnflushedWritesOnKill). */
  journalWrite(executionId: number | undefined, sheet: SheetData, row: number, column: number): void {
    if (!this.options.loseUnflushedWritesOnKill || executionId === undefined) return;
    const current = this.cell(sheet, row, column);
    const journal = this.pending.get(executionId) ?? [];
    journal.push({ sheet, row, column, previous: current ? { ...current } : undefined });
    this.pending.set(executionId, journal);
  }

  /** The execution's writes are applied for good (flush, a read, a normal end). */
  commitWrites(executionId: number | undefined): void {
    if (executionId !== undefined) this.pending.delete(executionId);
  }

  /** The execution was killed: its unflushed writes never reached the sheet. Returns how many. */
  discardWrites(executionId: number): number {
    const journal = this.pending.get(executionId) ?? [];
    this.pending.delete(executionId);
    for (const write of [...journal].reverse()) {
      const cells = write.sheet.cells.get(write.row);
      if (write.previous) {
        if (cells) cells.set(write.column, write.previous);
        else write.sheet.cells.set(write.row, new Map([[write.column, write.previous]]));
      } else {
        cells?.delete(write.column);
      }
    }
    return journal.length;
  }

  /**
   * The sheet as a reader OUTSIDE the executions' pending writes sees it (the Sheets REST API: a request
   * neither flushes SpreadsheetApp's buffered writes nor sees them), and a writer whose writes are not
   * undone when the execution is killed. With loseUnflushedWritesOnKill off nothing is pending and this
   * is the sheet itself. A committed write to a cell with a pending write changes the value the kill
   * would restore; the pending value stays live and wins at flush, as the later write on the platform.
   */
  committedView(sheet: SheetData): CommittedView {
    // The first pending write of each cell holds its committed value.
    const originals = new Map<number, Map<number, PendingWrite>>();
    for (const journal of this.pending.values()) {
      for (const write of journal) {
        if (write.sheet !== sheet) continue;
        let row = originals.get(write.row);
        if (!row) originals.set(write.row, (row = new Map()));
        if (!row.has(write.column)) row.set(write.column, write);
      }
    }
    const cell = (row: number, column: number): Cell | undefined => {
      const write = originals.get(row)?.get(column);
      return write ? write.previous : this.cell(sheet, row, column);
    };
    const columnsOf = (row: number): number[] => [
      ...new Set([...(sheet.cells.get(row)?.keys() ?? []), ...(originals.get(row)?.keys() ?? [])]),
    ];
    return {
      cell,
      rowHasContent: (row, first = 1, last = Number.MAX_SAFE_INTEGER) =>
        columnsOf(row).some((column) => column >= first && column <= last && hasContent(cell(row, column))),
      rowsWithCells: () => [...new Set([...sheet.cells.keys(), ...originals.keys()])].sort((a, b) => a - b),
      write: (row, column, update) => {
        const write = originals.get(row)?.get(column);
        if (!write) return update(this.cell(sheet, row, column, true));
        const next = write.previous ? { ...write.previous } : emptyCell();
        update(next);
        write.previous = next;
      },
    };
  }

  /** The cell at (row, column), created on demand when `create` is set. */
  cell(sheet: SheetData, row: number, column: number, create: true): Cell;
  cell(sheet: SheetData, row: number, column: number, create?: false): Cell | undefined;
  cell(sheet: SheetData, row: number, column: number, create = false): Cell | undefined {
    let cells = sheet.cells.get(row);
    if (!cells) {
      if (!create) return undefined;
      cells = new Map();
      sheet.cells.set(row, cells);
    }
    let cell = cells.get(column);
    if (!cell && create) {
      cell = emptyCell();
      cells.set(column, cell);
    }
    return cell;
  }

  lastRow(sheet: SheetData): number {
    let last = 0;
    for (const [row, cells] of sheet.cells) {
      if (row > last && [...cells.values()].some(hasContent)) last = row;
    }
    return last;
  }

  lastColumn(sheet: SheetData): number {
    let last = 0;
    for (const cells of sheet.cells.values()) {
      for (const [column, cell] of cells) if (column > last && hasContent(cell)) last = column;
    }
    return last;
  }

  /** Inserts `count` empty rows after row `after` (0 = at the top), shifting the rows below down. */
  insertRows(sheet: SheetData, after: number, count: number): void {
    const shifted = new Map<number, Map<number, Cell>>();
    for (const [row, cells] of sheet.cells) shifted.set(row > after ? row + count : row, cells);
    sheet.cells = shifted;
    sheet.maxRows += count;
  }

  /** Deletes rows start..start+count-1, shifting the rows below up. */
  deleteRows(sheet: SheetData, start: number, count: number): void {
    const shifted = new Map<number, Map<number, Cell>>();
    for (const [row, cells] of sheet.cells) {
      if (row < start) shifted.set(row, cells);
      else if (row >= start + count) shifted.set(row - count, cells);
    }
    sheet.cells = shifted;
    sheet.maxRows -= count;
  }

  /**
   * Every tab of a spreadsheet as rows of JSON-safe values (dates as ISO strings, formulas as their
   * text), from A1 to the last row and column with content: the CLI's `sheets` state dump.
   */
  tabValues(spreadsheetId: string): Record<string, Array<Array<string | number | boolean>>> {
    const data = this.get(spreadsheetId);
    if (!data) throw new Error(`SpreadsheetStore: no spreadsheet ${spreadsheetId}`);
    const out: Record<string, Array<Array<string | number | boolean>>> = {};
    for (const sheet of data.sheets) {
      const rows: Array<Array<string | number | boolean>> = [];
      const lastRow = this.lastRow(sheet);
      const lastColumn = this.lastColumn(sheet);
      for (let r = 1; r <= lastRow; r++) {
        const row: Array<string | number | boolean> = [];
        for (let c = 1; c <= lastColumn; c++) {
          const cell = this.cell(sheet, r, c);
          if (!cell) row.push('');
          else if (cell.formula) row.push(cell.formula);
          else row.push(isSheetDate(cell.value) ? new Date(cell.value.date).toISOString() : cell.value);
        }
        rows.push(row);
      }
      out[sheet.name] = rows;
    }
    return out;
  }

  /** Every formula in a spreadsheet, by "Tab!A1": what a test checks to prove no text became one. */
  formulas(spreadsheetId: string): Record<string, string> {
    const data = this.get(spreadsheetId);
    if (!data) throw new Error(`SpreadsheetStore: no spreadsheet ${spreadsheetId}`);
    const out: Record<string, string> = {};
    for (const sheet of data.sheets) {
      for (const [row, cells] of sheet.cells) {
        for (const [column, cell] of cells) {
          if (cell.formula) out[`${sheet.name}!${columnToLetters(column)}${row}`] = cell.formula;
        }
      }
    }
    return out;
  }
}
