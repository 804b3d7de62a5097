// The Google Sheets API v4 values endpoints as a UrlFetchApp route over the SAME SpreadsheetStore that
// SpreadsheetApp uses, so a value written one way reads back the other way (cell-values.ts):
// - `GET  https://sheets.googleapis.com/v4/spreadsheets/{id}/values/{range}` (values.get) and
//   `GET  …/values:batchGet?ranges=…&ranges=…` (values.batchGet), with majorDimension (ROWS | COLUMNS),
//   valueRenderOption (FORMATTED_VALUE | UNFORMATTED_VALUE | FORMULA) and dateTimeRenderOption
//   (SERIAL_NUMBER | FORMATTED_STRING): ValueRange JSON, trailing empty rows and cells omitted,
//   `values` omitted when there is nothing, `range` the requested range bounded by the grid.
// - `POST …/values:batchUpdate` (values.batchUpdate): {valueInputOption: RAW | USER_ENTERED, data:
//   [{range, values, majorDimension?}], includeValuesInResponse?}. All ranges are checked before any
//   cell is written (one request, all or nothing). RAW stores strings as given; USER_ENTERED parses
//   like typing. A null value leaves its cell unchanged.
// - `POST …/values/{range}:append?valueInputOption=…&insertDataOption=OVERWRITE | INSERT_ROWS`
//   (values.append): the table is the block of rows with data from the first such row at or below the
//   range's top (in the range's columns) down to the first empty row; the values go after it, from the
//   table's first column; the grid grows as needed.
// Reads see the COMMITTED sheet and writes are committed at once (SpreadsheetStore.committedView): a
// REST request neither flushes nor sees SpreadsheetApp's pending writes, and a kill never undoes it.
// Errors are Google's JSON ({error: {code, message, status}}): 400 INVALID_ARGUMENT for a bad range, an
// unknown sheet, a bad option or body; 404 NOT_FOUND for an unknown spreadsheet; 401 without the token;
// 429 RESOURCE_EXHAUSTED past the per-minute quotas (SheetsRestQuota). Each request is counted as
// "Sheets.REST.values.<method>" at its latency (emulator/latency.ts); transient faults and the requests
// a kill still delivers are applied by url-fetch.ts, per request.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
// https://developers.google.com/workspace/sheets/api/guides/concepts#cell
// https://developers.google.com/workspace/sheets/api/limits

import { latencyOf } from '../latency';
import type { ServiceContext } from '../runtime/execution';
import { checkBearer, jsonResponse } from '../services/google-api';
import { zonedParts } from '../services/time-zone';
import type { Route, RouteRequest, RouteResponse, Routes } from '../services/url-fetch';
import { columnToLetters, parseA1, toA1, type GridRange } from './a1';
import { displayValue, interpretInput, isSheetDate, type Interpreted } from './cell-values';
import {
  hasContent,
  type Cell,
  type CommittedView,
  type SheetData,
  type SpreadsheetData,
  type SpreadsheetStore,
} from './spreadsheet-store';

export const SHEETS_API_PREFIX = 'https://sheets.googleapis.com/';
const SPREADSHEET_PATH = /^\/v4\/spreadsheets\/([^/:]+)\/values(.*)$/;

export type SheetsRestMethod = 'values.get' | 'values.batchGet' | 'values.batchUpdate' | 'values.append';
type CellJson = string | number | boolean;

/** Google's error statuses by HTTP code (google.rpc.Code). */
const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED' };

export class SheetsApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  toResponse(): RouteResponse {
    return jsonResponse(this.code, { error: { code: this.code, message: this.message, status: STATUS[this.code] ?? 'UNKNOWN' } });
  }
}

const badRequest = (message: string) => new SheetsApiError(400, message);
const unparsable = (range: string) => badRequest(`Unable to parse range: ${range}`);

// ---------------------------------------------------------------------------------------------
// Quotas: per minute, refilled every minute (Sheets API usage limits).

export const SHEETS_QUOTA_PER_MINUTE = { perUser: 60, perProject: 300 } as const;

/**
 * Read and write requests per minute window of the virtual clock. The emulator has one user, so the
 * per-user limit (60) binds before the per-project one (300). Kept by the workspace: it outlives executions.
 */
export class SheetsRestQuota {
  private window = -1;
  private used = { read: 0, write: 0 };

  constructor(private readonly perMinute: number = SHEETS_QUOTA_PER_MINUTE.perUser) {}

  /** Takes one request of `kind` at `now`; false (and nothing taken) when the minute's quota is spent. */
  take(kind: 'read' | 'write', now: number): boolean {
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.used = { read: 0, write: 0 };
    }
    if (this.used[kind] >= this.perMinute) return false;
    this.used[kind] += 1;
    return true;
  }
}

function quotaExceeded(kind: 'read' | 'write'): SheetsApiError {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests';
  return new SheetsApiError(
    429,
    `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:emulated'.`,
  );
}

// ---------------------------------------------------------------------------------------------
// A1 ranges

/** A sheet name as Sheets writes it in a range: bare when it is a plain word, else quoted with '' escapes. */
export function quoteSheetName(name: string): string {
  const looksLikeCell = /^[A-Za-z]{1,3}\d+$/.test(name) || /^R\d*C\d*$/i.test(name);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !looksLikeCell ? name : `'${name.replace(/'/g, "''")}'`;
}

interface ResolvedRange {
  sheet: SheetData;
  grid: GridRange;
}

function findSheet(data: SpreadsheetData, name: string): SheetData | undefined {
  return data.sheets.find((sheet) => sheet.name === name) ?? data.sheets.find((sheet) => sheet.name.toLowerCase() === name.toLowerCase());
}

/** An A1 range of the request ("Sends", "'My tab'!A2:R", "A1:B2" on the first sheet) on its sheet's grid. */
export function resolveRange(data: SpreadsheetData, text: string): ResolvedRange {
  const trimmed = text.trim();
  if (!trimmed.includes('!')) {
    const bare = /^'(.*)'$/.exec(trimmed)?.[1]?.replace(/''/g, "'") ?? trimmed;
    const whole = findSheet(data, bare);
    if (whole) return { sheet: whole, grid: { row: 1, column: 1, numRows: whole.maxRows, numColumns: whole.maxColumns } };
  }
  const parsed = parseA1(trimmed);
  if (!parsed) throw unparsable(text);
  const sheet = parsed.sheetName === null ? data.sheets[0] : findSheet(data, parsed.sheetName);
  if (!sheet) throw unparsable(text);
  // Open-ended ranges ("A2:R", "A:A", "2:3") run to the end of the grid.
  const startRow = parsed.startRow ?? 1;
  const startColumn = parsed.startColumn ?? 1;
  const endRow = parsed.endRow ?? sheet.maxRows;
  const endColumn = parsed.endColumn ?? sheet.maxColumns;
  const [r1, r2] = [Math.min(startRow, endRow), Math.max(startRow, endRow)];
  const [c1, c2] = [Math.min(startColumn, endColumn), Math.max(startColumn, endColumn)];
  return { sheet, grid: { row: r1, column: c1, numRows: r2 - r1 + 1, numColumns: c2 - c1 + 1 } };
}

/** The range as Sheets answers it: "Sends!A1:R1000", "'My tab'!B2". */
export function rangeText(sheet: SheetData, grid: GridRange): string {
  return `${quoteSheetName(sheet.name)}!${toA1(grid)}`;
}

/** 400 "exceeds grid limits" when `grid` goes beyond the sheet. */
function checkInsideGrid(sheet: SheetData, grid: GridRange): void {
  if (grid.row + grid.numRows - 1 > sheet.maxRows || grid.column + grid.numColumns - 1 > sheet.maxColumns) {
    throw badRequest(
      `Range ('${sheet.name.replace(/'/g, "''")}'!${toA1(grid)}) exceeds grid limits. Max rows: ${sheet.maxRows}, max columns: ${sheet.maxColumns}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
type DateTimeRenderOption = 'SERIAL_NUMBER' | 'FORMATTED_STRING';
type MajorDimension = 'ROWS' | 'COLUMNS';

interface ReadOptions {
  majorDimension: MajorDimension;
  valueRenderOption: ValueRenderOption;
  dateTimeRenderOption: DateTimeRenderOption;
}

function enumOption<T extends string>(value: string | null, allowed: readonly T[], fallback: T, field: string, type: string): T {
  if (value === null || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  if (value === 'DIMENSION_UNSPECIFIED' && field === 'major_dimension') return fallback;
  throw badRequest(`Invalid value at '${field}' (type.googleapis.com/google.apps.sheets.v4.${type}), "${value}"`);
}

function readOptions(params: { get(name: string): string | null }, prefix = ''): ReadOptions {
  return {
    majorDimension: enumOption(params.get('majorDimension'), ['ROWS', 'COLUMNS'] as const, 'ROWS', 'major_dimension', 'Dimension'),
    valueRenderOption: enumOption(
      params.get(prefix ? `${prefix}ValueRenderOption` : 'valueRenderOption'),
      ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const,
      'FORMATTED_VALUE',
      `${prefix ? 'response_' : ''}value_render_option`,
      'ValueRenderOption',
    ),
    dateTimeRenderOption: enumOption(
      params.get(prefix ? `${prefix}DateTimeRenderOption` : 'dateTimeRenderOption'),
      ['SERIAL_NUMBER', 'FORMATTED_STRING'] as const,
      'SERIAL_NUMBER',
      `${prefix ? 'response_' : ''}date_time_render_option`,
      'DateTimeRenderOption',
    ),
  };
}

const SERIAL_EPOCH = Date.UTC(1899, 11, 30);

/** A date-time as Sheets' serial number: days since 1899-12-30 on the spreadsheet's wall clock. */
export function serialNumber(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, ((epochMs % 1000) + 1000) % 1000);
  return (wall - SERIAL_EPOCH) / 86_400_000;
}

function renderCell(cell: Cell | undefined, options: ReadOptions, data: SpreadsheetData): CellJson {
  if (!cell) return '';
  if (options.valueRenderOption === 'FORMULA' && cell.formula) return cell.formula;
  // A formula is recorded, never computed: its value is what SpreadsheetApp reads ('').
  if (options.valueRenderOption === 'FORMATTED_VALUE') return displayValue(cell.value, cell.numberFormat, data);
  if (isSheetDate(cell.value)) {
    return options.dateTimeRenderOption === 'SERIAL_NUMBER'
      ? serialNumber(cell.value.date, data.timeZone)
      : displayValue(cell.value, cell.numberFormat, data);
  }
  return cell.value;
}

/** The ValueRange of `grid` on the committed sheet: Google's trimming of trailing empty rows and cells. */
function valueRange(
  data: SpreadsheetData,
  view: CommittedView,
  sheet: SheetData,
  grid: GridRange,
  options: ReadOptions,
): Record<string, unknown> {
  const lastRowWithData = Math.min(
    grid.row + grid.numRows - 1,
    view
      .rowsWithCells()
      .filter(
        (row) =>
          row >= grid.row && row < grid.row + grid.numRows && view.rowHasContent(row, grid.column, grid.column + grid.numColumns - 1),
      )
      .pop() ?? 0,
  );
  const rows: CellJson[][] = [];
  for (let row = grid.row; row <= lastRowWithData; row++) {
    const values: CellJson[] = [];
    for (let column = grid.column; column < grid.column + grid.numColumns; column++)
      values.push(renderCell(view.cell(row, column), options, data));
    rows.push(values);
  }
  let lines: CellJson[][] = rows;
  if (options.majorDimension === 'COLUMNS') {
    lines = Array.from({ length: grid.numColumns }, (_, c) => rows.map((row) => row[c]));
  }
  lines = lines.map((line) => {
    let end = line.length;
    while (end > 0 && line[end - 1] === '') end--;
    return line.slice(0, end);
  });
  while (lines.length > 0 && lines[lines.length - 1].length === 0) lines.pop();
  return {
    range: rangeText(sheet, grid),
    majorDimension: options.majorDimension,
    ...(lines.length ? { values: lines } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

type ValueInputOption = 'RAW' | 'USER_ENTERED';

function valueInputOption(value: unknown): ValueInputOption {
  if (value === undefined || value === null || value === '' || value === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
    throw badRequest("'valueInputOption' is required but not specified");
  }
  if (value === 'RAW' || value === 'USER_ENTERED') return value;
  throw badRequest(
    `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), ${JSON.stringify(value)}`,
  );
}

/** The rows of a ValueRange's `values` (transposed from COLUMNS), each cell checked. */
function inputRows(values: unknown, majorDimension: unknown, where: string): Array<Array<CellJson | null>> {
  if (values === undefined) return [];
  if (!Array.isArray(values) || !values.every(Array.isArray)) throw badRequest(`Invalid value at '${where}.values'`);
  const lines = (values as unknown[][]).map((line, i) =>
    line.map((value, j) => {
      if (
        value === null ||
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      )
        return value;
      throw badRequest(`Invalid values[${i}][${j}]: ${JSON.stringify(value)}`);
    }),
  );
  const dimension = enumOption(
    (majorDimension as string | undefined) ?? null,
    ['ROWS', 'COLUMNS'] as const,
    'ROWS',
    `${where}.major_dimension`,
    'Dimension',
  );
  if (dimension === 'ROWS') return lines;
  const height = Math.max(0, ...lines.map((line) => line.length));
  return Array.from({ length: height }, (_, r) => lines.map((line) => (r < line.length ? line[r] : null)));
}

function interpret(value: CellJson, option: ValueInputOption, cell: Cell, data: SpreadsheetData): Interpreted {
  // RAW: stored exactly as given (a string starting with '=' or "'" stays that string).
  if (option === 'RAW') return { value, formula: null };
  return interpretInput(value, cell.numberFormat, data);
}

interface WritePlan {
  sheet: SheetData;
  row: number;
  column: number;
  rows: Array<Array<CellJson | null>>;
}

interface WriteResult {
  grid: GridRange;
  updatedRange: string;
  updatedRows: number;
  updatedColumns: number;
  updatedCells: number;
}

/** Writes a plan's values into the committed sheet and tells what it changed. */
function applyWrite(store: SpreadsheetStore, data: SpreadsheetData, plan: WritePlan, option: ValueInputOption): WriteResult {
  const view = store.committedView(plan.sheet);
  let updatedCells = 0;
  plan.rows.forEach((line, r) =>
    line.forEach((value, c) => {
      if (value === null) return; // null: this cell is left as it is
      view.write(plan.row + r, plan.column + c, (cell) => {
        const result = interpret(value, option, cell, data);
        cell.value = result.value;
        cell.formula = result.formula;
        if (result.autoFormat && cell.numberFormat === null) cell.numberFormat = result.autoFormat;
      });
      updatedCells += 1;
    }),
  );
  const numRows = plan.rows.length;
  const numColumns = Math.max(0, ...plan.rows.map((line) => line.length));
  const grid = { row: plan.row, column: plan.column, numRows: Math.max(1, numRows), numColumns: Math.max(1, numColumns) };
  return { grid, updatedRange: rangeText(plan.sheet, grid), updatedRows: numRows, updatedColumns: numColumns, updatedCells };
}

/** proto3 JSON omits zero counts. */
function nonZero<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== 0)) as Partial<T>;
}

/** What a write answers about itself (UpdateValuesResponse without spreadsheetId). */
function writeCounts(result: WriteResult): Record<string, unknown> {
  const { updatedRange, updatedRows, updatedColumns, updatedCells } = result;
  return nonZero({ updatedRange: updatedCells ? updatedRange : 0, updatedRows, updatedColumns, updatedCells });
}

function parseBody(request: RouteRequest): Record<string, unknown> {
  const text = Buffer.from(request.payload).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Invalid JSON payload received. Unexpected token.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Invalid JSON payload received. Expected an object.');
  return value as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The route

export interface SheetsRestDeps {
  store: SpreadsheetStore;
  ctx: ServiceContext;
  /** What ScriptApp.getOAuthToken() returns: the only bearer token accepted. */
  oauthToken: string;
  /** Per-minute request quotas; the workspace keeps one across executions (a fresh one when omitted). */
  quota?: SheetsRestQuota;
}

interface Routed {
  method: SheetsRestMethod;
  spreadsheetId: string;
  /** The range of values.get / values.append, decoded. */
  range: string | null;
}

/** Which values method a request is, or null for anything this route does not serve. */
function routeOf(request: RouteRequest): Routed | null {
  const url = new URL(request.url);
  const match = SPREADSHEET_PATH.exec(url.pathname);
  if (!match) return null;
  const spreadsheetId = decodeURIComponent(match[1]);
  const rest = match[2];
  if (rest === ':batchGet' && request.method === 'GET') return { method: 'values.batchGet', spreadsheetId, range: null };
  if (rest === ':batchUpdate' && request.method === 'POST') return { method: 'values.batchUpdate', spreadsheetId, range: null };
  if (!rest.startsWith('/') || rest.length < 2) return null;
  if (rest.endsWith(':append')) {
    return request.method === 'POST'
      ? { method: 'values.append', spreadsheetId, range: decodeURIComponent(rest.slice(1, -':append'.length)) }
      : null;
  }
  return request.method === 'GET' ? { method: 'values.get', spreadsheetId, range: decodeURIComponent(rest.slice(1)) } : null;
}

const LATENCY_KEY: Record<SheetsRestMethod, string> = {
  'values.get': 'Sheets.REST.values.get',
  'values.batchGet': 'Sheets.REST.values.batchGet',
  'values.batchUpdate': 'Sheets.REST.values.batchUpdate',
  'values.append': 'Sheets.REST.values.append',
};

function pathNotFound(): RouteResponse {
  return jsonResponse(404, { error: { code: 404, message: 'Method not found.', status: 'NOT_FOUND' } });
}

/** The UrlFetchApp route of https://sheets.googleapis.com/ (values methods). */
export function createSheetsRestRoute(deps: SheetsRestDeps): Route {
  const { store, ctx } = deps;
  const quota = deps.quota ?? new SheetsRestQuota();

  function spreadsheet(id: string): SpreadsheetData {
    const data = store.get(id);
    if (!data) throw new SheetsApiError(404, 'Requested entity was not found.');
    return data;
  }

  function get(routed: Routed, params: URLSearchParams): RouteResponse {
    const data = spreadsheet(routed.spreadsheetId);
    const options = readOptions(params);
    const { sheet, grid } = resolveRange(data, routed.range ?? '');
    checkInsideGrid(sheet, grid);
    return jsonResponse(200, valueRange(data, store.committedView(sheet), sheet, grid, options));
  }

  function batchGet(routed: Routed, params: URLSearchParams): RouteResponse {
    const data = spreadsheet(routed.spreadsheetId);
    const options = readOptions(params);
    const resolved = params.getAll('ranges').map((range) => resolveRange(data, range));
    resolved.forEach(({ sheet, grid }) => checkInsideGrid(sheet, grid));
    const valueRanges = resolved.map(({ sheet, grid }) => valueRange(data, store.committedView(sheet), sheet, grid, options));
    return jsonResponse(200, { spreadsheetId: data.id, ...(valueRanges.length ? { valueRanges } : {}) });
  }

  function batchUpdate(routed: Routed, request: RouteRequest): RouteResponse {
    const data = spreadsheet(routed.spreadsheetId);
    const body = parseBody(request);
    const option = valueInputOption(body.valueInputOption);
    const entries = body.data === undefined ? [] : body.data;
    if (!Array.isArray(entries)) throw badRequest("Invalid value at 'data'");
    // Every range and value is checked before anything is written: the request applies whole or not at all.
    const plans = entries.map((entry: unknown, index): WritePlan & { grid: GridRange } => {
      if (!entry || typeof entry !== 'object') throw badRequest(`Invalid value at 'data[${index}]'`);
      const { range, values, majorDimension } = entry as Record<string, unknown>;
      if (typeof range !== 'string') throw badRequest(`Invalid data[${index}]: No range specified.`);
      const { sheet, grid } = resolveRange(data, range);
      checkInsideGrid(sheet, grid);
      const rows = inputRows(values, majorDimension, `data[${index}]`);
      rows.forEach((line, r) => {
        if (r >= grid.numRows) throw badRequest(`Requested writing within range [${range}], but tried writing to row [${grid.row + r}]`);
        if (line.length > grid.numColumns)
          throw badRequest(
            `Requested writing within range [${range}], but tried writing to column [${columnToLetters(grid.column + grid.numColumns)}]`,
          );
      });
      return { sheet, grid, row: grid.row, column: grid.column, rows };
    });
    const responseOptions = readOptions(
      {
        get: (name: string) => {
          const value = body[name];
          return typeof value === 'string' ? value : null;
        },
      },
      'response',
    );
    const sheets = new Set<SheetData>();
    let totals = { totalUpdatedRows: 0, totalUpdatedColumns: 0, totalUpdatedCells: 0 };
    const responses = plans.map((plan) => {
      const result = applyWrite(store, data, plan, option);
      if (result.updatedCells > 0) sheets.add(plan.sheet);
      totals = {
        totalUpdatedRows: totals.totalUpdatedRows + result.updatedRows,
        totalUpdatedColumns: Math.max(totals.totalUpdatedColumns, result.updatedColumns),
        totalUpdatedCells: totals.totalUpdatedCells + result.updatedCells,
      };
      const updatedData =
        body.includeValuesInResponse === true
          ? {
              updatedData: valueRange(data, store.committedView(plan.sheet), plan.sheet, result.grid, {
                ...responseOptions,
                majorDimension: 'ROWS',
              }),
            }
          : {};
      return { spreadsheetId: data.id, ...writeCounts(result), ...updatedData };
    });
    return jsonResponse(200, {
      spreadsheetId: data.id,
      ...nonZero({ ...totals, totalUpdatedSheets: sheets.size }),
      ...(responses.length ? { responses } : {}),
    });
  }

  function append(routed: Routed, request: RouteRequest, params: URLSearchParams): RouteResponse {
    const data = spreadsheet(routed.spreadsheetId);
    const option = valueInputOption(params.get('valueInputOption'));
    const insert = enumOption(
      params.get('insertDataOption'),
      ['OVERWRITE', 'INSERT_ROWS'] as const,
      'OVERWRITE',
      'insert_data_option',
      'InsertDataOption',
    );
    const { sheet, grid } = resolveRange(data, routed.range ?? '');
    checkInsideGrid(sheet, grid);
    const body = parseBody(request);
    if (body.range !== undefined && typeof body.range === 'string' && resolveRange(data, body.range).sheet !== sheet) {
      throw badRequest(`Requested entity range [${body.range}] does not match the request range [${routed.range}]`);
    }
    const rows = inputRows(body.values, body.majorDimension, 'value_range');
    const view = store.committedView(sheet);
    const [first, last] = [grid.column, grid.column + grid.numColumns - 1];
    const bottom = grid.row + grid.numRows - 1;
    // The table: from the first row with data at or below the range's top, down to the first empty row.
    const withData = view.rowsWithCells().filter((row) => row >= grid.row && row <= bottom && view.rowHasContent(row, first, last));
    let table: GridRange | null = null;
    if (withData.length) {
      let end = withData[0];
      while (end + 1 <= bottom && view.rowHasContent(end + 1, first, last)) end++;
      let [left, right] = [last, first];
      for (let row = withData[0]; row <= end; row++) {
        for (let column = first; column <= last; column++) {
          if (hasContent(view.cell(row, column))) {
            left = Math.min(left, column);
            right = Math.max(right, column);
          }
        }
      }
      table = { row: withData[0], column: left, numRows: end - withData[0] + 1, numColumns: right - left + 1 };
    }
    const at = { row: table ? table.row + table.numRows : grid.row, column: table ? table.column : grid.column };
    const height = rows.length;
    const width = Math.max(0, ...rows.map((line) => line.length));
    if (height > 0) {
      if (insert === 'INSERT_ROWS') store.insertRows(sheet, at.row - 1, height);
      sheet.maxRows = Math.max(sheet.maxRows, at.row + height - 1);
      sheet.maxColumns = Math.max(sheet.maxColumns, at.column + width - 1);
    }
    const result = applyWrite(store, data, { sheet, row: at.row, column: at.column, rows }, option);
    return jsonResponse(200, {
      spreadsheetId: data.id,
      ...(table ? { tableRange: rangeText(sheet, table) } : {}),
      updates: {
        spreadsheetId: data.id,
        ...writeCounts(result),
      },
    });
  }

  const handle = (request: RouteRequest): RouteResponse => {
    const denied = checkBearer(request.headers, deps.oauthToken);
    if (denied) return denied;
    const routed = routeOf(request);
    if (!routed) return pathNotFound();
    const params = new URL(request.url).searchParams;
    try {
      const kind = routed.method === 'values.get' || routed.method === 'values.batchGet' ? 'read' : 'write';
      if (!quota.take(kind, ctx.clock.now())) throw quotaExceeded(kind);
      switch (routed.method) {
        case 'values.get':
          return get(routed, params);
        case 'values.batchGet':
          return batchGet(routed, params);
        case 'values.batchUpdate':
          return batchUpdate(routed, request);
        case 'values.append':
          return append(routed, request, params);
      }
    } catch (error) {
      if (error instanceof SheetsApiError) return error.toResponse();
      throw error;
    } finally {
      ctx.accounting.count(ctx.execution, LATENCY_KEY[routed.method], 0, 0);
    }
  };

  /** A read costs what getValues costs, a write what setValues costs (emulator/latency.ts); fetchAll pays its slowest. */
  const latencyMs = (request: RouteRequest): number => {
    const routed = routeOf(request);
    return latencyOf(routed ? LATENCY_KEY[routed.method] : 'UrlFetchApp.fetch');
  };

  return { handle, latencyMs };
}

/** The route mounted on its prefix, ready to spread into createUrlFetchApp's routes. */
export function createSheetsRestRoutes(deps: SheetsRestDeps): Routes {
  return { [SHEETS_API_PREFIX]: createSheetsRestRoute(deps) };
}
