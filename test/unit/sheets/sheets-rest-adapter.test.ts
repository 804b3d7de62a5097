// The Sheets REST adapter's pure parts (src/server/adapters/sheets-rest.ts): the requests it builds for
// fetchAll (URL, method, token, JSON body) and how it reads answers: values, write counts, and failures
// as typed PostroomErrors (transient vs permanent, Retry-After, both languages).

import { userErrorMessage } from '../../../src/server/domain/errors';
import {
  a1SheetRange,
  isRetryableSheetsError,
  readBatchValueRanges,
  readValueRange,
  readWriteAnswer,
  sheetsRetryAfterMs,
  valuesAppendRequest,
  valuesBatchGetRequest,
  valuesBatchUpdateRequest,
  valuesGetRequest,
  type SheetsResponse,
} from '../../../src/server/adapters/sheets-rest';

const ID = '1abcDEF';
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): SheetsResponse => ({
  getResponseCode: () => status,
  getContentText: () => (typeof body === 'string' ? body : JSON.stringify(body)),
  getHeaders: () => headers,
});
const thrown = (fn: () => unknown): any => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('request builders', () => {
  it('quotes sheet names, doubling apostrophes', () => {
    expect(a1SheetRange('Sends', 'A2:R')).toBe("'Sends'!A2:R");
    expect(a1SheetRange("L'équipe", 'A1')).toBe("'L''équipe'!A1");
    expect(a1SheetRange('Receipts')).toBe("'Receipts'");
  });

  it('values.get: encoded range, options as query, token, muted exceptions', () => {
    const request = valuesGetRequest('tok', ID, "'Sends'!A1:R", { valueRenderOption: 'UNFORMATTED_VALUE', majorDimension: 'COLUMNS' });
    expect(request).toEqual({
      url: `https://sheets.googleapis.com/v4/spreadsheets/${ID}/values/${encodeURIComponent("'Sends'!A1:R")}?majorDimension=COLUMNS&valueRenderOption=UNFORMATTED_VALUE`,
      method: 'get',
      headers: { Authorization: 'Bearer tok' },
      muteHttpExceptions: true,
    });
    expect(decodeURIComponent(new URL(request.url).pathname)).toBe(`/v4/spreadsheets/${ID}/values/'Sends'!A1:R`);
  });

  it('values.batchGet repeats ranges in order', () => {
    const url = new URL(valuesBatchGetRequest('tok', ID, ["'A'!A1", "'B b'!C:C"], { dateTimeRenderOption: 'FORMATTED_STRING' }).url);
    expect(url.pathname).toBe(`/v4/spreadsheets/${ID}/values:batchGet`);
    expect(url.searchParams.getAll('ranges')).toEqual(["'A'!A1", "'B b'!C:C"]);
    expect(url.searchParams.get('dateTimeRenderOption')).toBe('FORMATTED_STRING');
  });

  it('values.batchUpdate posts JSON with RAW by default', () => {
    const data = [{ range: "'Sends'!R5", values: [['sent', null]] }];
    const request = valuesBatchUpdateRequest('tok', ID, data);
    expect(request).toMatchObject({
      method: 'post',
      contentType: 'application/json',
      muteHttpExceptions: true,
      headers: { Authorization: 'Bearer tok' },
    });
    expect(request.url).toBe(`https://sheets.googleapis.com/v4/spreadsheets/${ID}/values:batchUpdate`);
    expect(JSON.parse(String(request.payload))).toEqual({ valueInputOption: 'RAW', data });
    expect(JSON.parse(String(valuesBatchUpdateRequest('tok', ID, data, 'USER_ENTERED').payload)).valueInputOption).toBe('USER_ENTERED');
  });

  it('values.append: range:append, RAW and OVERWRITE unless told otherwise', () => {
    const request = valuesAppendRequest('tok', ID, "'Receipts'!A1:K", [['r1', 2]], { insertDataOption: 'INSERT_ROWS' });
    const url = new URL(request.url);
    expect(decodeURIComponent(url.pathname)).toBe(`/v4/spreadsheets/${ID}/values/'Receipts'!A1:K:append`);
    expect(url.searchParams.get('valueInputOption')).toBe('RAW');
    expect(url.searchParams.get('insertDataOption')).toBe('INSERT_ROWS');
    expect(new URL(valuesAppendRequest('tok', ID, 'X', []).url).searchParams.get('insertDataOption')).toBe('OVERWRITE');
    expect(JSON.parse(String(request.payload))).toEqual({ values: [['r1', 2]] });
  });
});

describe('answer parsers', () => {
  it('reads values, [] when Google omits them, and batchGet ranges in order', () => {
    expect(readValueRange(answer(200, { range: 'Sends!A1:B2', majorDimension: 'ROWS', values: [['a'], ['b', 2]] }))).toEqual([
      ['a'],
      ['b', 2],
    ]);
    expect(readValueRange(answer(200, { range: 'Sends!A1:B2', majorDimension: 'ROWS' }))).toEqual([]);
    expect(readBatchValueRanges(answer(200, { spreadsheetId: ID, valueRanges: [{ values: [['x']] }, {}] }))).toEqual([[['x']], []]);
  });

  it('reads what a batchUpdate and an append wrote', () => {
    expect(
      readWriteAnswer(
        answer(200, {
          spreadsheetId: ID,
          totalUpdatedRows: 2,
          totalUpdatedCells: 3,
          responses: [{ updatedRange: 'Sends!A1:B1' }, { updatedRange: 'Sends!C5' }],
        }),
      ),
    ).toEqual({ updatedRange: 'Sends!A1:B1,Sends!C5', updatedRows: 2, updatedCells: 3, tableRange: null });
    expect(
      readWriteAnswer(
        answer(200, {
          spreadsheetId: ID,
          tableRange: 'Receipts!A1:K9',
          updates: { updatedRange: 'Receipts!A10:K10', updatedRows: 1, updatedCells: 11 },
        }),
      ),
    ).toEqual({ updatedRange: 'Receipts!A10:K10', updatedRows: 1, updatedCells: 11, tableRange: 'Receipts!A1:K9' });
    expect(readWriteAnswer(answer(200, { spreadsheetId: ID }))).toEqual({
      updatedRange: null,
      updatedRows: 0,
      updatedCells: 0,
      tableRange: null,
    });
  });

  it('429 and 5xx are transient (a 5xx write may have happened), with Retry-After', () => {
    const quota = thrown(() =>
      readValueRange(
        answer(429, { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }, { 'Retry-After': '7' }),
      ),
    );
    expect(quota).toMatchObject({
      code: 'TRANSIENT',
      details: { status: 429, retryable: true, mayHaveHappened: false, retryAfterMs: 7000 },
    });
    expect(isRetryableSheetsError(quota)).toBe(true);
    expect(sheetsRetryAfterMs(quota)).toBe(7000);
    expect(userErrorMessage(quota, 'fr')).toContain('La limite de requêtes par minute de Google Sheets est atteinte');
    const server = thrown(() => readWriteAnswer(answer(503, { error: { code: 503, message: 'The service is currently unavailable.' } })));
    expect(server).toMatchObject({ code: 'TRANSIENT', details: { retryable: true, mayHaveHappened: true, retryAfterMs: null } });
    expect(server.message).toContain('The service is currently unavailable.');
  });

  it('400, 401, 403 are permanent and 404 not found, with a message in both languages quoting Google', () => {
    const bad = thrown(() =>
      readValueRange(answer(400, { error: { code: 400, message: 'Unable to parse range: Nope!A1', status: 'INVALID_ARGUMENT' } })),
    );
    expect(bad).toMatchObject({ code: 'PERMANENT', details: { retryable: false } });
    expect(isRetryableSheetsError(bad)).toBe(false);
    expect(userErrorMessage(bad, 'en')).toBe(
      'Google Sheets rejected the request (values.get: HTTP 400: Unable to parse range: Nope!A1). It will not be retried.',
    );
    expect(userErrorMessage(bad, 'fr')).toBe(
      'Google Sheets a rejeté la requête (values.get: HTTP 400: Unable to parse range: Nope!A1). Elle ne sera pas réessayée.',
    );
    expect(thrown(() => readValueRange(answer(401, 'Unauthorized'))).code).toBe('PERMANENT');
    expect(thrown(() => readValueRange(answer(403, { error: { message: 'The caller does not have permission' } }))).texts.en).toContain(
      'refused access',
    );
    expect(thrown(() => readValueRange(answer(404, { error: { message: 'Requested entity was not found.' } }))).code).toBe('NOT_FOUND');
  });

  it('a 200 whose body is not JSON is a transient error, not a crash', () => {
    expect(thrown(() => readValueRange(answer(200, '<html>')))).toMatchObject({ code: 'TRANSIENT' });
  });
});
