// Adapter: the Google Sheets API v4 `values` methods as pure request builders for UrlFetchApp.fetchAll
// and parsers of their answers. fetchAll is ONE service call however many requests it carries, so a tab
// read or a committed write rides along with other requests; a write is durable when its 200 arrives
// (no flush: the REST API neither sees nor flushes SpreadsheetApp's pending writes).
//
//   const [read, written] = UrlFetchApp.fetchAll([
//     valuesGetRequest(scriptToken(), id, a1SheetRange('Sends', 'A1:R')),
//     valuesBatchUpdateRequest(scriptToken(), id, [{ range: a1SheetRange('Sends', 'R5'), values: [['sent']] }]),
//   ]);
//   const rows = readValueRange(read); // trailing empty rows and cells are omitted by Google
//   readWriteAnswer(written);          // throws a PostroomError when the write was refused
//
// Failures are PostroomErrors with both languages (domain/sheets-rest-messages.ts) and details
// {status, retryable, mayHaveHappened, retryAfterMs}: 408, 429 and 5xx are TRANSIENT (retryable; a 5xx
// write may have been applied), 401/400/403 PERMANENT, 404 NOT_FOUND. A network failure makes fetchAll
// itself throw for the whole batch: the caller treats every request of it as transient.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
// https://developers.google.com/workspace/sheets/api/limits

import { isExecutionOver, localizedError, type ErrorCode, type PostroomError } from '../domain/errors';
import { translateSheetsRest, type SheetsRestMessageKey } from '../domain/sheets-rest-messages';

export const SHEETS_API_BASE = 'https://sheets.googleapis.com/v4/spreadsheets/';

/** A cell as the API carries it; null in a write leaves that cell unchanged. */
export type SheetsCell = string | number | boolean;

export interface ValuesReadOptions {
  /** ROWS (default) or COLUMNS. */
  majorDimension?: 'ROWS' | 'COLUMNS';
  /** FORMATTED_VALUE (Google's default: every cell a display string), UNFORMATTED_VALUE or FORMULA. */
  valueRenderOption?: 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
  /** SERIAL_NUMBER (default) or FORMATTED_STRING; ignored with FORMATTED_VALUE. */
  dateTimeRenderOption?: 'SERIAL_NUMBER' | 'FORMATTED_STRING';
}

/** RAW stores strings as given (never a formula); USER_ENTERED parses them as typing does. */
export type ValueInputOption = 'RAW' | 'USER_ENTERED';

export interface ValuesWrite {
  /** A1 range with its sheet, e.g. a1SheetRange('Sends', 'R5:S5'). */
  range: string;
  values: Array<Array<SheetsCell | null>>;
  majorDimension?: 'ROWS' | 'COLUMNS';
}

export interface WriteAnswer {
  /** The range written ("Sends!R5:S5"); null when nothing was written. */
  updatedRange: string | null;
  updatedRows: number;
  updatedCells: number;
  /** values.append only: the table the values were appended after (null when the range was empty). */
  tableRange: string | null;
}

/** What the parsers read of an HTTPResponse (UrlFetchApp's, or any with these methods). */
export interface SheetsResponse {
  getResponseCode(): number;
  getContentText(): string;
  getHeaders?(): object;
}

/** "'Sends'!A2:R" (the sheet name always quoted, ' doubled), or the whole sheet "'Sends'" without `range`. */
export function a1SheetRange(sheetName: string, range?: string): string {
  const quoted = `'${sheetName.replace(/'/g, "''")}'`;
  return range ? `${quoted}!${range}` : quoted;
}

function request(token: string, url: string, method: 'get' | 'post', payload?: unknown): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return {
    url,
    method,
    headers: { Authorization: `Bearer ${token}` },
    muteHttpExceptions: true,
    ...(payload === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(payload) }),
  };
}

function readQuery(options: ValuesReadOptions): string[] {
  const query: string[] = [];
  if (options.majorDimension) query.push(`majorDimension=${options.majorDimension}`);
  if (options.valueRenderOption) query.push(`valueRenderOption=${options.valueRenderOption}`);
  if (options.dateTimeRenderOption) query.push(`dateTimeRenderOption=${options.dateTimeRenderOption}`);
  return query;
}

const base = (spreadsheetId: string) => SHEETS_API_BASE + encodeURIComponent(spreadsheetId);
const withQuery = (url: string, query: string[]) => (query.length ? `${url}?${query.join('&')}` : url);

/** values.get of one range. */
export function valuesGetRequest(
  token: string,
  spreadsheetId: string,
  range: string,
  options: ValuesReadOptions = {},
): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return request(token, withQuery(`${base(spreadsheetId)}/values/${encodeURIComponent(range)}`, readQuery(options)), 'get');
}

/** values.batchGet of several ranges (one read request; the answer keeps their order). */
export function valuesBatchGetRequest(
  token: string,
  spreadsheetId: string,
  ranges: readonly string[],
  options: ValuesReadOptions = {},
): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const query = [...ranges.map((range) => `ranges=${encodeURIComponent(range)}`), ...readQuery(options)];
  return request(token, withQuery(`${base(spreadsheetId)}/values:batchGet`, query), 'get');
}

/** values.batchUpdate: every range written by one request, all or nothing. */
export function valuesBatchUpdateRequest(
  token: string,
  spreadsheetId: string,
  data: readonly ValuesWrite[],
  valueInputOption: ValueInputOption = 'RAW',
): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return request(token, `${base(spreadsheetId)}/values:batchUpdate`, 'post', { valueInputOption, data });
}

/**
 * values.append (OVERWRITE unless told INSERT_ROWS): `rows` after the table `range` holds (as Google finds it;
 * see the emulator's FIDELITY.md). Not idempotent: an append answered 5xx may have happened.
 */
export function valuesAppendRequest(
  token: string,
  spreadsheetId: string,
  range: string,
  rows: ReadonlyArray<ReadonlyArray<SheetsCell | null>>,
  options: { valueInputOption?: ValueInputOption; insertDataOption?: 'OVERWRITE' | 'INSERT_ROWS' } = {},
): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const query = [`valueInputOption=${options.valueInputOption ?? 'RAW'}`, `insertDataOption=${options.insertDataOption ?? 'OVERWRITE'}`];
  return request(token, withQuery(`${base(spreadsheetId)}/values/${encodeURIComponent(range)}:append`, query), 'post', {
    values: rows,
  });
}

// ---------------------------------------------------------------------------------------------
// Answers

function header(response: SheetsResponse, name: string): string | undefined {
  const headers = (response.getHeaders?.() ?? {}) as Record<string, unknown>;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry === undefined ? undefined : String(Array.isArray(entry[1]) ? entry[1][0] : entry[1]);
}

/** Retry-After in ms (seconds or an HTTP date), or null. */
function retryAfterMs(value: string | undefined): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function googleMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 200);
}

/** The typed error of a failed answer. */
export function sheetsRestError(operation: string, status: number, text: string, retryAfter: number | null = null): PostroomError {
  const detail = `${operation}: HTTP ${status}: ${googleMessage(text)}`;
  const retryable = status === 0 || status === 408 || status === 429 || status >= 500;
  const [code, key]: [ErrorCode, SheetsRestMessageKey] =
    status === 429
      ? ['TRANSIENT', 'rateLimit']
      : retryable
        ? ['TRANSIENT', 'transient']
        : status === 401
          ? ['PERMANENT', 'auth']
          : status === 403
            ? ['PERMANENT', 'permission']
            : status === 404
              ? ['NOT_FOUND', 'notFound']
              : ['PERMANENT', 'invalid'];
  return localizedError(
    code,
    translateSheetsRest,
    key,
    { detail },
    // A 429 did nothing; a 5xx or no answer may have been applied all the same.
    { details: { operation, status, retryable, mayHaveHappened: retryable && status !== 429, retryAfterMs: retryAfter } },
  );
}

/** True for a Sheets REST error worth trying again (408, 429, 5xx, no answer), from any realm. */
export function isRetryableSheetsError(error: unknown): boolean {
  const details = (error as { details?: { retryable?: unknown } } | null)?.details;
  return details?.retryable === true;
}

/** The wait a Sheets REST error asks for (Retry-After), in ms, or null. */
export function sheetsRetryAfterMs(error: unknown): number | null {
  const value = (error as { details?: { retryAfterMs?: unknown } } | null)?.details?.retryAfterMs;
  return typeof value === 'number' ? value : null;
}

/**
 * `run` tried again while its failure may pass (408, 429, 5xx, no answer), up to `attempts` tries, after
 * the wait Sheets asked for (at most `maxPauseMs`) or `pauseMs` × the try's number. `typed` turns a
 * failure into the error judged and thrown (e.g. fetchAll's network error into a Sheets one).
 */
export function withSheetsRetries<T>(
  run: () => T,
  options: { attempts: number; pauseMs: number; maxPauseMs?: number; typed?: (error: unknown) => unknown },
): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return run();
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      const failure = options.typed ? options.typed(error) : error;
      if (!isRetryableSheetsError(failure) || attempt >= options.attempts) throw failure;
      Utilities.sleep(Math.min(options.maxPauseMs ?? Infinity, sheetsRetryAfterMs(failure) ?? options.pauseMs * attempt));
    }
  }
}

function json(response: SheetsResponse, operation: string): Record<string, unknown> {
  const status = response.getResponseCode();
  const text = response.getContentText();
  if (status < 200 || status >= 300) throw sheetsRestError(operation, status, text, retryAfterMs(header(response, 'Retry-After')));
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw sheetsRestError(operation, 502, `not JSON: ${text.slice(0, 100)}`);
  }
}

function valuesOf(valueRange: unknown): SheetsCell[][] {
  const values = (valueRange as { values?: unknown } | null)?.values;
  return Array.isArray(values) ? (values as SheetsCell[][]) : [];
}

/** The values of a values.get answer ([] for an empty range); rows and cells past the last value are absent. */
export function readValueRange(response: SheetsResponse): SheetsCell[][] {
  return valuesOf(json(response, 'values.get'));
}

/** The values of each range of a values.batchGet answer, in the order asked. */
export function readBatchValueRanges(response: SheetsResponse): SheetsCell[][][] {
  const ranges = json(response, 'values.batchGet').valueRanges;
  return Array.isArray(ranges) ? ranges.map(valuesOf) : [];
}

/** What a values.batchUpdate or values.append answer says it wrote; throws the typed error otherwise. */
export function readWriteAnswer(response: SheetsResponse): WriteAnswer {
  const body = json(response, 'values write');
  const updates = (body.updates ?? null) as Record<string, unknown> | null;
  const count = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0) || 0);
  if (updates) {
    return {
      updatedRange: typeof updates.updatedRange === 'string' ? updates.updatedRange : null,
      updatedRows: count(updates.updatedRows),
      updatedCells: count(updates.updatedCells),
      tableRange: typeof body.tableRange === 'string' ? body.tableRange : null,
    };
  }
  const responses = Array.isArray(body.responses) ? (body.responses as Array<Record<string, unknown>>) : [];
  const ranges = responses.map((r) => r.updatedRange).filter((r): r is string => typeof r === 'string');
  return {
    updatedRange: ranges.length ? ranges.join(',') : null,
    updatedRows: count(body.totalUpdatedRows),
    updatedCells: count(body.totalUpdatedCells),
    tableRange: null,
  };
}
