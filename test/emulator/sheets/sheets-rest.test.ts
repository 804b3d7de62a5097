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

describe('render options and major dimension', () => {
  it('UNFORMATTED_VALUE gives numbers and booleans; FORMATTED_VALUE display strings in the sheet’s locale', () => {
    const { book, sends, json } = setup({ locale: 'fr_FR' });
    sends.getRange('A1:C1').setValues([[12.5, true, 'texte']]);
    const unformatted = json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:C1', { valueRenderOption: 'UNFORMATTED_VALUE' })).body;
    expect(unformatted.values).toEqual([[12.5, true, 'texte']]);
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:C1')).body.values).toEqual([['12,5', 'TRUE', 'texte']]);
  });

  it('dates are serial numbers on the spreadsheet’s wall clock, or formatted strings', () => {
    const { book, sends, json } = setup();
    // Typed as in the sheet: 31 January 2025, 06:00 in Paris.
    sends.getRange('A1').setValue('2025-01-31 06:00');
    const serial = json(valuesGetRequest(TOKEN, book.id, 'Sends!A1', { valueRenderOption: 'UNFORMATTED_VALUE' })).body.values[0][0];
    expect(serial).toBeCloseTo(45688.25, 10); // 45688 = 2025-01-31 counted from 1899-12-30
    const formatted = json(
      valuesGetRequest(TOKEN, book.id, 'Sends!A1', { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'FORMATTED_STRING' }),
    ).body.values[0][0];
    expect(formatted).toBe(sends.getRange('A1').getDisplayValue());
  });

  it('FORMULA gives a formula’s text; the other options give what SpreadsheetApp reads (formulas are never computed)', () => {
    const { book, sends, json } = setup();
    sends.getRange('A1:B1').setValues([['=SUM(C1:C3)', 7]]);
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:B1', { valueRenderOption: 'FORMULA' })).body.values).toEqual([
      ['=SUM(C1:C3)', 7],
    ]);
    expect(sends.getRange('A1').getValue()).toBe('');
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:B1', { valueRenderOption: 'UNFORMATTED_VALUE' })).body.values).toEqual([
      ['', 7],
    ]);
  });

  it('COLUMNS answers column by column, trimmed the same way', () => {
    const { book, sends, json } = setup();
    sends.getRange('A1:C2').setValues([
      ['a', 'b', ''],
      ['c', '', ''],
    ]);
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:D3', { majorDimension: 'COLUMNS' })).body).toEqual({
      range: 'Sends!A1:D3',
      majorDimension: 'COLUMNS',
      values: [['a', 'c'], ['b']],
    });
  });

  it('refuses an unknown option value with Google’s 400', () => {
    const { book, json, fetch1 } = setup();
    const request = valuesGetRequest(TOKEN, book.id, 'Sends!A1');
    const { status, body } = json({ ...request, url: `${request.url}?valueRenderOption=PRETTY` });
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('value_render_option');
    expect(() => readValueRange(fetch1({ ...request, url: `${request.url}?valueRenderOption=PRETTY` }))).toThrow(/HTTP 400/);
  });
});

describe('A1 ranges', () => {
  it('reads quoted sheet names with spaces and apostrophes, and answers them quoted', () => {
    const { book, SpreadsheetApp, json } = setup();
    const tab = SpreadsheetApp.openById(book.id).insertSheet("L'équipe 2");
    tab.getRange('B2').setValue('ok');
    const { status, body } = json(valuesGetRequest(TOKEN, book.id, a1SheetRange("L'équipe 2", 'A1:B')));
    expect(status).toBe(200);
    expect(body).toEqual({ range: "'L''équipe 2'!A1:B1000", majorDimension: 'ROWS', values: [[], ['', 'ok']] });
    expect(json(valuesGetRequest(TOKEN, book.id, a1SheetRange("L'équipe 2"))).body.range).toBe("'L''équipe 2'!A1:Z1000");
  });

  it('open-ended columns and rows run to the grid’s end; a range without a sheet is on the first sheet', () => {
    const { book, sends, json } = setup();
    sends.getRange('B3').setValue('x');
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!B:B')).body).toEqual({
      range: 'Sends!B1:B1000',
      majorDimension: 'ROWS',
      values: [[], [], ['x']],
    });
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!3:3')).body).toEqual({
      range: 'Sends!A3:Z3',
      majorDimension: 'ROWS',
      values: [['', 'x']],
    });
    expect(json(valuesGetRequest(TOKEN, book.id, 'B2:B3')).body).toEqual({
      range: 'Sends!B2:B3',
      majorDimension: 'ROWS',
      values: [[], ['x']],
    });
  });

  it('answers Google’s errors: unparsable range, unknown sheet, beyond the grid, unknown spreadsheet, no token', () => {
    const { book, json } = setup();
    expect(json(valuesGetRequest(TOKEN, book.id, 'Nope!A1:B2')).body).toEqual({
      error: { code: 400, message: 'Unable to parse range: Nope!A1:B2', status: 'INVALID_ARGUMENT' },
    });
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:B2:C3')).body.error.message).toBe('Unable to parse range: Sends!A1:B2:C3');
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:AB5')).body.error.message).toBe(
      "Range ('Sends'!A1:AB5) exceeds grid limits. Max rows: 1000, max columns: 26",
    );
    expect(json(valuesGetRequest(TOKEN, 'no-such-id', 'Sends!A1')).body).toEqual({
      error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
    });
    const denied = json(valuesGetRequest('ya29.other', book.id, 'Sends!A1'));
    expect(denied.status).toBe(401);
    expect(denied.body.error.status).toBe('UNAUTHENTICATED');
    const anonymous = json({ ...valuesGetRequest(TOKEN, book.id, 'Sends!A1'), headers: {} });
    expect(anonymous.status).toBe(401);
    expect(json({ ...valuesGetRequest(TOKEN, book.id, 'Sends!A1'), method: 'delete' }).status).toBe(404);
  });
});

describe('values.batchGet', () => {
  it('answers every range in the order asked, in one read request', () => {
    const { book, sends, SpreadsheetApp, fetch1, accounting } = setup();
    SpreadsheetApp.openById(book.id)
      .insertSheet('Receipts')
      .getRange('A1:B1')
      .setValues([['id', 'file']]);
    sends.getRange('A1').setValue('email');
    const response = fetch1(
      valuesBatchGetRequest(TOKEN, book.id, [a1SheetRange('Receipts', 'A1:B'), a1SheetRange('Sends', 'A1:C'), 'Sends!D1']),
    );
    expect(readBatchValueRanges(response)).toEqual([[['id', 'file']], [['email']], []]);
    expect(JSON.parse(response.getContentText()).valueRanges.map((r: { range: string }) => r.range)).toEqual([
      'Receipts!A1:B1000',
      'Sends!A1:C1000',
      'Sends!D1',
    ]);
    expect(accounting.total.calls['Sheets.REST.values.batchGet']).toBe(1);
  });
});

describe('values.batchUpdate', () => {
  it('RAW stores strings as given: what SpreadsheetApp reads back is the same text, never a formula', () => {
    const { book, sends, store, fetch1 } = setup();
    const answer = readWriteAnswer(
      fetch1(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1:D1', values: [['=HYPERLINK("x")', '42', 12.5, true]] }])),
    );
    expect(answer).toEqual({ updatedRange: 'Sends!A1:D1', updatedRows: 1, updatedCells: 4, tableRange: null });
    expect(sends.getRange('A1:D1').getValues()).toEqual([['=HYPERLINK("x")', '42', 12.5, true]]);
    expect(store.formulas(book.id)).toEqual({});
  });

  it('USER_ENTERED parses like typing: numbers, dates, formulas; a text-formatted cell stays text', () => {
    const { book, sends, store, fetch1 } = setup();
    sends.getRange('D1').setNumberFormat('@');
    readWriteAnswer(
      fetch1(
        valuesBatchUpdateRequest(
          TOKEN,
          book.id,
          [{ range: 'Sends!A1:D1', values: [['42', '2025-01-31', '=A1*2', '0042']] }],
          'USER_ENTERED',
        ),
      ),
    );
    const [row] = sends.getRange('A1:D1').getValues();
    expect(row[0]).toBe(42);
    expect(row[1]).toBeInstanceOf(Date);
    expect(row[3]).toBe('0042');
    expect(store.formulas(book.id)).toEqual({ 'Sends!C1': '=A1*2' });
  });

  it('answers Google’s totals, leaves null cells alone and clears cells written ""', () => {
    const { book, sends, SpreadsheetApp, json } = setup();
    SpreadsheetApp.openById(book.id).insertSheet('Receipts');
    sends.getRange('A1:C1').setValues([['keep', 'clear', 'old']]);
    const { status, body } = json(
      valuesBatchUpdateRequest(TOKEN, book.id, [
        { range: 'Sends!A1:C1', values: [[null, '', 'new']] },
        { range: "'Receipts'!A1:A2", values: [['r1'], ['r2']] },
      ]),
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      spreadsheetId: book.id,
      totalUpdatedRows: 3,
      totalUpdatedColumns: 3,
      totalUpdatedCells: 4,
      totalUpdatedSheets: 2,
      responses: [
        { spreadsheetId: book.id, updatedRange: 'Sends!A1:C1', updatedRows: 1, updatedColumns: 3, updatedCells: 2 },
        { spreadsheetId: book.id, updatedRange: 'Receipts!A1:A2', updatedRows: 2, updatedColumns: 1, updatedCells: 2 },
      ],
    });
    expect(sends.getRange('A1:C1').getValues()).toEqual([['keep', '', 'new']]);
  });

  it('writes COLUMNS data transposed and answers the updated values when asked', () => {
    const { book, sends, json } = setup();
    const request = valuesBatchUpdateRequest(TOKEN, book.id, [
      {
        range: 'Sends!A1:B2',
        values: [
          ['a', 'b'],
          ['c', 'd'],
        ],
        majorDimension: 'COLUMNS',
      },
    ]);
    const body = JSON.parse(String(request.payload));
    const { body: answer } = json({ ...request, payload: JSON.stringify({ ...body, includeValuesInResponse: true }) });
    const formulas = json({
      ...request,
      payload: JSON.stringify({
        valueInputOption: 'USER_ENTERED',
        data: [{ range: 'Sends!C1', values: [['=A1']] }],
        includeValuesInResponse: true,
        responseValueRenderOption: 'FORMULA',
      }),
    });
    expect(formulas.body.responses[0].updatedData.values).toEqual([['=A1']]);
    expect(sends.getRange('A1:B2').getValues()).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(answer.responses[0].updatedData).toEqual({
      range: 'Sends!A1:B2',
      majorDimension: 'ROWS',
      values: [
        ['a', 'c'],
        ['b', 'd'],
      ],
    });
  });

  it('is all or nothing: one bad range or too many values writes nothing', () => {
    const { book, sends, json, fetch1 } = setup();
    const bad = json(
      valuesBatchUpdateRequest(TOKEN, book.id, [
        { range: 'Sends!A1', values: [['first']] },
        { range: 'Missing!A1', values: [['second']] },
      ]),
    );
    expect(bad.body.error).toEqual({ code: 400, message: 'Unable to parse range: Missing!A1', status: 'INVALID_ARGUMENT' });
    expect(sends.getRange('A1').getValue()).toBe('');
    const tooWide = json(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1:B1', values: [['a', 'b', 'c']] }]));
    expect(tooWide.body.error.message).toBe('Requested writing within range [Sends!A1:B1], but tried writing to column [C]');
    const tooLong = json(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1:B1', values: [['a'], ['b']] }]));
    expect(tooLong.body.error.message).toBe('Requested writing within range [Sends!A1:B1], but tried writing to row [2]');
    expect(
      sends
        .getRange('A1:C2')
        .getValues()
        .flat()
        .every((v) => v === ''),
    ).toBe(true);
    const noOption = fetch1({ ...valuesBatchUpdateRequest(TOKEN, book.id, []), payload: JSON.stringify({ data: [] }) });
    expect(JSON.parse(noOption.getContentText()).error.message).toBe("'valueInputOption' is required but not specified");
    expect(() => readWriteAnswer(noOption)).toThrow(expect.objectContaining({ code: 'PERMANENT' }));
  });
});

describe('values.append', () => {
  it('appends after the table and says where; SpreadsheetApp reads the rows there', () => {
    const { book, sends, fetch1 } = setup();
    sends.getRange('A1:C2').setValues([
      ['id', 'file', 'status'],
      ['r1', 'a.pdf', 'stored'],
    ]);
    const answer = readWriteAnswer(
      fetch1(
        valuesAppendRequest(TOKEN, book.id, a1SheetRange('Sends', 'A1:C'), [
          ['r2', 'b.pdf', 'stored'],
          ['r3', '=cmd', 'quarantined'],
        ]),
      ),
    );
    expect(answer).toEqual({ updatedRange: 'Sends!A3:C4', updatedRows: 2, updatedCells: 6, tableRange: 'Sends!A1:C2' });
    expect(sends.getRange('A3:C4').getValues()).toEqual([
      ['r2', 'b.pdf', 'stored'],
      ['r3', '=cmd', 'quarantined'],
    ]);
  });

  it('an empty range gets the rows at its top, without a tableRange', () => {
    const { book, sends, json } = setup();
    const { body } = json(valuesAppendRequest(TOKEN, book.id, 'Sends!B2:C', [['x', 'y']]));
    expect(body).toEqual({
      spreadsheetId: book.id,
      updates: { spreadsheetId: book.id, updatedRange: 'Sends!B2:C2', updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
    });
    expect(sends.getRange('B2:C2').getValues()).toEqual([['x', 'y']]);
  });

  it('INSERT_ROWS pushes the rows below down; OVERWRITE past the grid grows it', () => {
    const { book, sends, fetch1 } = setup();
    sends.getRange('A1:A2').setValues([['h'], ['1']]);
    sends.getRange('A4').setValue('below');
    readWriteAnswer(fetch1(valuesAppendRequest(TOKEN, book.id, 'Sends!A1:A', [['2']], { insertDataOption: 'INSERT_ROWS' })));
    expect(sends.getRange('A1:A5').getValues().flat()).toEqual(['h', 1, '2', '', 'below']);
    const full = setup();
    full.sends.getRange('A1000').setValue('last');
    const answer = readWriteAnswer(full.fetch1(valuesAppendRequest(TOKEN, full.book.id, 'Sends!A1000:A', [['more'], ['rows']])));
    expect(answer.updatedRange).toBe('Sends!A1001:A1002');
    expect(full.sends.getMaxRows()).toBe(1002);
    expect(full.sends.getRange('A1002').getValue()).toBe('rows');
  });
});

describe('quotas, accounting and latency', () => {
  it('60 reads and 60 writes per minute per user; the 61st is 429 RESOURCE_EXHAUSTED, refilled the next minute', () => {
    const { book, UrlFetchApp, clock, json } = setup();
    const reads = UrlFetchApp.fetchAll(Array.from({ length: 61 }, () => valuesGetRequest(TOKEN, book.id, 'Sends!A1')));
    expect(reads.slice(0, 60).every((r) => r.getResponseCode() === 200)).toBe(true);
    expect(reads[60].getResponseCode()).toBe(429);
    expect(JSON.parse(reads[60].getContentText()).error.status).toBe('RESOURCE_EXHAUSTED');
    let error: unknown;
    try {
      readValueRange(reads[60]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'TRANSIENT', details: { status: 429, retryable: true, mayHaveHappened: false } });
    // Writes have their own quota.
    expect(json(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1', values: [['w']] }])).status).toBe(200);
    clock.advance(60_000);
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1')).status).toBe(200);
  });

  it('counts each request by method; a fetchAll is one service call costing its slowest request', () => {
    const { book, UrlFetchApp, accounting, startExecution } = setup();
    startExecution();
    const before = accounting.total.virtualMs;
    UrlFetchApp.fetchAll([
      valuesGetRequest(TOKEN, book.id, 'Sends!A1:C'),
      valuesBatchGetRequest(TOKEN, book.id, ['Sends!A1']),
      valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1', values: [['x']] }]),
      valuesAppendRequest(TOKEN, book.id, 'Sends!A1:A', [['y']]),
    ]);
    expect(accounting.total.calls).toMatchObject({
      'UrlFetchApp.fetchAll': 1,
      'Sheets.REST.values.get': 1,
      'Sheets.REST.values.batchGet': 1,
      'Sheets.REST.values.batchUpdate': 1,
      'Sheets.REST.values.append': 1,
    });
    expect(accounting.total.virtualMs - before).toBe(latencyOf('Sheets.REST.values.batchUpdate'));
  });
});

describe('committed view and kills (loseUnflushedWritesOnKill)', () => {
  it('a REST read does not see, nor flush, SpreadsheetApp’s pending writes', () => {
    const { book, sends, store, json, startExecution } = setup({ lose: true });
    sends.getRange('A1').setValue('committed');
    const execution = startExecution();
    sends.getRange('A1:A2').setValues([['pending'], ['new row']]);
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:A')).body.values).toEqual([['committed']]);
    store.discardWrites(execution.id); // the execution is killed: the pending writes never land
    expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1:A')).body.values).toEqual([['committed']]);
  });

  it('a REST write is durable at once: a kill does not undo it', () => {
    const { book, sends, store, fetch1, startExecution } = setup({ lose: true });
    const execution = startExecution();
    readWriteAnswer(fetch1(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1', values: [['by REST']] }])));
    sends.getRange('B1').setValue('by SpreadsheetApp');
    store.discardWrites(execution.id);
    expect(sends.getRange('A1:B1').getValues()).toEqual([['by REST', '']]);
  });

  it('a REST write over a pending write: the kill leaves the REST value, a flush the later SpreadsheetApp one', () => {
    for (const end of ['killed', 'flushed'] as const) {
      const { book, sends, store, SpreadsheetApp, fetch1, json, startExecution } = setup({ lose: true });
      const execution = startExecution();
      sends.getRange('A1').setValue('pending');
      readWriteAnswer(fetch1(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1', values: [['by REST']] }])));
      expect(json(valuesGetRequest(TOKEN, book.id, 'Sends!A1')).body.values).toEqual([['by REST']]);
      if (end === 'killed') store.discardWrites(execution.id);
      else SpreadsheetApp.flush();
      expect(sends.getRange('A1').getValue()).toBe(end === 'killed' ? 'by REST' : 'pending');
    }
  });

  it('append finds the table on the committed sheet, not on pending rows', () => {
    const { book, sends, store, fetch1, startExecution } = setup({ lose: true });
    sends.getRange('A1').setValue('header');
    const execution = startExecution();
    sends.getRange('A2').setValue('pending');
    const answer = readWriteAnswer(fetch1(valuesAppendRequest(TOKEN, book.id, 'Sends!A1:A', [['appended']])));
    expect(answer.updatedRange).toBe('Sends!A2');
    store.discardWrites(execution.id);
    expect(sends.getRange('A1:A2').getValues().flat()).toEqual(['header', 'appended']);
  });
});

describe('faults and kills at the fetchAll', () => {
  it('a write answered 5xx after the server did it is really applied; a 429 or a network fault applies nothing', () => {
    const { book, sends, fetch1 } = setup({ faults: { seed: 7, rate: 1, serverErrorsExecuted: 1 } });
    const seen = new Set<string>();
    for (let n = 1; n <= 24; n++) {
      let status = 0;
      try {
        status = fetch1(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: `Sends!A${n}`, values: [[`w${n}`]] }])).getResponseCode();
      } catch (error) {
        expect(String(error)).toMatch(/Address unavailable/);
      }
      const written = sends.getRange(`A${n}`).getValue();
      if (status >= 500) {
        seen.add('5xx');
        expect(written).toBe(`w${n}`);
      } else {
        seen.add(status === 429 ? '429' : 'network');
        expect(written).toBe('');
      }
    }
    expect(seen).toEqual(new Set(['5xx', '429', 'network']));
  });

  it('readWriteAnswer turns a 5xx into a retryable error that may have happened', () => {
    const { fetch1, book } = setup({ faults: { seed: 3, rateByMethod: { 'UrlFetchApp.fetch': 1 } } });
    for (let n = 0; n < 20; n++) {
      let response;
      try {
        response = fetch1(valuesBatchUpdateRequest(TOKEN, book.id, [{ range: 'Sends!A1', values: [['x']] }]));
      } catch {
        continue; // a network fault
      }
      if (response.getResponseCode() < 500) continue;
      expect(() => readWriteAnswer(response)).toThrow(
        expect.objectContaining({ code: 'TRANSIENT', details: expect.objectContaining({ mayHaveHappened: true }) }),
      );
      return;
    }
    throw new Error('no 5xx in 20 seeded faults');
  });

  it('a kill at the fetchAll still delivers some writes, whose answers are lost', () => {
    const { book, sends, ctx, UrlFetchApp, startExecution } = setup({ faults: { seed: 11, killExecution: 1, killAtCall: 1 } });
    startExecution();
    const requests = Array.from({ length: 12 }, (_, i) =>
      valuesBatchUpdateRequest(TOKEN, book.id, [{ range: `Sends!A${i + 1}`, values: [['x']] }]),
    );
    expect(() => UrlFetchApp.fetchAll(requests)).toThrow(ExecutionTerminated);
    ctx.execution = null;
    const written = sends
      .getRange('A1:A12')
      .getValues()
      .flat()
      .filter((v) => v === 'x').length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(12);
  });
});
