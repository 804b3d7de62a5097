// The emulated Sheets API v4 values methods (emulator/sheets/sheets-rest.ts) through the emulated
// UrlFetchApp, built with the project's own request builders (src/server/adapters/sheets-rest.ts), over
// the same SpreadsheetStore as SpreadsheetApp: what one writes the other reads, ranges and render
// options answer as Google does, errors have Google's bodies, the per-minute quotas give 429, reads see
// the committed sheet when SpreadsheetApp's writes are pending, and a REST write survives a kill.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values

import { latencyOf } from '../../../emulator/latency';
import {
  Accounting,
  Execution,
  ExecutionTerminated,
  FaultPlan,
  ServiceContext,
  VirtualClock,
  type FaultOptions,
} from '../../../emulator/runtime/execution';
import { Quotas } from '../../../emulator/runtime/quotas';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';
import { createSheetsRestRoutes, SheetsRestQuota } from '../../../emulator/sheets/sheets-rest';
import { createSpreadsheetApp } from '../../../emulator/sheets/spreadsheet-app';
import { SpreadsheetStore } from '../../../emulator/sheets/spreadsheet-store';
import {
  a1SheetRange,
  readBatchValueRanges,
  readValueRange,
  readWriteAnswer,
  valuesAppendRequest,
  valuesBatchGetRequest,
  valuesBatchUpdateRequest,
  valuesGetRequest,
} from '../../../src/server/adapters/sheets-rest';

const TOKEN = 'ya29.sheets-test-token';
const BASE = 'https://sheets.googleapis.com/v4/spreadsheets/';

function setup(options: { faults?: FaultOptions; locale?: string; lose?: boolean; quota?: number } = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan(options.faults ?? {}));
  const quotas = new Quotas(clock, { workspace: false });
  const store = new SpreadsheetStore(clock, {
    locale: options.locale ?? 'en_US',
    timeZone: 'Europe/Paris',
    loseUnflushedWritesOnKill: options.lose ?? false,
  });
  const book = store.create('Postroom', { firstSheetName: 'Sends' });
  const UrlFetchApp = createUrlFetchApp(
    ctx,
    quotas,
    createSheetsRestRoutes({ store, ctx, oauthToken: TOKEN, quota: new SheetsRestQuota(options.quota) }),
  );
  const SpreadsheetApp = createSpreadsheetApp(store, ctx, { activeSpreadsheetId: book.id });
  const sends = SpreadsheetApp.openById(book.id).getSheetByName('Sends')!;
  let executions = 0;
  const startExecution = () => {
    executions += 1;
    const execution = new Execution(executions, executions, 'trigger', 'test', clock.now());
    ctx.execution = execution;
    return execution;
  };
  const fetch1 = (request: GoogleAppsScript.URL_Fetch.URLFetchRequest) => UrlFetchApp.fetchAll([request])[0];
  const json = (request: GoogleAppsScript.URL_Fetch.URLFetchRequest) => {
    const response = fetch1(request);
    return { status: response.getResponseCode(), body: JSON.parse(response.getContentText()) as Record<string, any> };
  };
  return { clock, accounting, ctx, store, book, UrlFetchApp, SpreadsheetApp, sends, startExecution, fetch1, json };
}

describe('values.get and values.batchGet', () => {
  it('reads what SpreadsheetApp wrote, trimming trailing empty rows and cells as Google does', () => {
    const { book, sends, json } = setup();
    sends.getRange('A1:C3').setValues([
      ['email', 'amount', 'note'],
      ['a@example.com', 12.5, ''],
      ['', '', ''],
    ]);
    sends.getRange('B5').setValue(true);
    const { status, body } = json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:Z'));
    expect(status).toBe(200);
    expect(body).toEqual({
      range: 'Sends!A1:Z1000',
      majorDimension: 'ROWS',
      values: [['email', 'amount', 'note'], ['a@example.com', '12.5'], [], [], ['', 'TRUE']],
    });
  });

  it('answers the whole sheet for a bare sheet name and omits values for an empty range', () => {
    const { book, sends, json } = setup();
    sends.getRange('A1').setValue('x');
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends')).body).toEqual({
      range: 'Sends!A1:Z1000',
      majorDimension: 'ROWS',
      values: [['x']],
    });
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!C3:D4')).body).toEqual({ range: 'Sends!C3:D4', majorDimension: 'ROWS' });
  });
});
