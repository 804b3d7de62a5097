// Conformance tests for the emulated SpreadsheetApp: each describe is one documented behaviour of
// https://developers.google.com/apps-script/reference/spreadsheet (Range, Sheet, Spreadsheet, Ui).

import { Accounting, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';
import { SpreadsheetStore } from '../../../emulator/sheets/spreadsheet-store';
import { createSpreadsheetApp, SHEETS_ERRORS } from '../../../emulator/sheets/spreadsheet-app';
import { UiLog } from '../../../emulator/sheets/ui';
import { createHtmlService } from '../../../emulator/services/html-service';

function setup(options: { locale?: string; bound?: boolean; ui?: boolean } = {}) {
  const clock = new VirtualClock();
  const ctx = new ServiceContext(clock, new Accounting());
  const store = new SpreadsheetStore(clock, { locale: options.locale ?? 'en_US', timeZone: 'Europe/Paris' });
  const ledger = store.create('Ledger');
  const uiLog = new UiLog();
  const app = createSpreadsheetApp(store, ctx, {
    activeSpreadsheetId: options.bound === false ? null : ledger.id,
    ui: options.ui === false ? null : uiLog,
  });
  const sheet = app.openById(ledger.id).getSheets()[0];
  return { clock, ctx, store, ledger, app, sheet, uiLog };
}

// https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()
describe('getValues returns Apps Script types: number, boolean, Date, and "" for empty', () => {
  it('parses typed strings like Sheets does when the cell is not text-formatted', () => {
    const { sheet } = setup();
    sheet.getRange('A1:F1').setValues([['42', 'TRUE', '2025-01-31', 'hello', '', '+33612345678']]);
    const [row] = sheet.getRange('A1:G1').getValues();
    expect(row[0]).toBe(42);
    expect(row[1]).toBe(true);
    expect(row[2]).toBeInstanceOf(Date);
    // A typed date is midnight in the spreadsheet's time zone (Paris is UTC+1 in January).
    expect((row[2] as Date).toISOString()).toBe('2025-01-30T23:00:00.000Z');
    expect(row[3]).toBe('hello');
    expect(row[4]).toBe('');
    expect(row[5]).toBe(33612345678);
    expect(row[6]).toBe('');
  });
  it('keeps written numbers, booleans and Dates as they are', () => {
    const { sheet } = setup();
    const when = new Date(Date.UTC(2026, 2, 1, 9, 30));
    sheet.getRange(1, 1, 1, 3).setValues([[12.5, false, when]]);
    const [row] = sheet.getRange(1, 1, 1, 3).getValues();
    expect(row).toEqual([12.5, false, when]);
    expect(sheet.getRange('C1').getValue()).not.toBe(when);
  });
  it('follows the spreadsheet locale: "12,50" is a number in fr_FR, text in en_US', () => {
    expect(setup({ locale: 'fr_FR' }).sheet.getRange('A1').setValue('12,50').getValue()).toBe(12.5);
    expect(setup({ locale: 'fr_FR' }).sheet.getRange('A1').setValue('31/01/2025').getValue()).toBeInstanceOf(Date);
    expect(setup().sheet.getRange('A1').setValue('12,50').getValue()).toBe('12,50');
    expect(setup().sheet.getRange('A1').setValue('1,250').getValue()).toBe(1250);
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/range#setNumberFormat(String)
describe('a cell formatted as plain text ("@") keeps strings verbatim', () => {
  it('neither parses nor turns "=" into a formula', () => {
    const { sheet } = setup();
    const range = sheet.getRange('A1:D1');
    range.setNumberFormat('@');
    range.setValues([['007', '2025-01-31', '=HYPERLINK("http://evil")', 'TRUE']]);
    expect(range.getValues()).toEqual([['007', '2025-01-31', '=HYPERLINK("http://evil")', 'TRUE']]);
    expect(range.getFormulas()).toEqual([['', '', '', '']]);
    expect(range.getNumberFormat()).toBe('@');
  });
  it('an apostrophe prefix forces text too', () => {
    const { sheet } = setup();
    expect(sheet.getRange('A1').setValue("'=1+1").getValue()).toBe('=1+1');
    expect(sheet.getRange('A1').getFormula()).toBe('');
  });
});

describe('a string starting with "=" written to a normal cell becomes a formula (recorded)', () => {
  it('is visible in getFormulas and in the store, its value is not computed', () => {
    const { sheet, store, ledger } = setup();
    sheet.getRange('A1:B1').setValues([['=SUM(1,2)', 'plain']]);
    expect(sheet.getRange('A1:B1').getFormulas()).toEqual([['=SUM(1,2)', '']]);
    expect(sheet.getRange('A1').getValue()).toBe('');
    expect(store.formulas(ledger.id)).toEqual({ 'Sheet1!A1': '=SUM(1,2)' });
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/range#setValues(Object)
describe("setValues checks dimensions with Apps Script's exact messages", () => {
  it('rows mismatch', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange('A1:B2').setValues([['a', 'b']])).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
  });
  it('columns mismatch', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange(1, 1, 2, 2).setValues([['a', 'b'], ['c']])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
  });
  it('nothing is written when the check fails', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange('A1:B2').setValues([['a', 'b']])).toThrow();
    expect(sheet.getLastRow()).toBe(0);
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/sheet#getRange(Integer,Integer,Integer,Integer)
describe('getRange validates its coordinates', () => {
  it.each([
    [[0, 1], SHEETS_ERRORS.rowTooSmall],
    [[1, 0], SHEETS_ERRORS.columnTooSmall],
    [[1, 1, 0], SHEETS_ERRORS.numRowsTooSmall],
    [[1, 1, 1, 0], SHEETS_ERRORS.numColumnsTooSmall],
    [[1000, 1, 2], SHEETS_ERRORS.outsideSheet],
  ])('getRange(%j)', (args, message) => {
    const { sheet } = setup();
    const [row, column, numRows, numColumns] = args as number[];
    expect(() => sheet.getRange(row, column, numRows, numColumns)).toThrow(message);
  });
  it('A1 notation round-trips and whole columns reach the last row of the grid', () => {
    const { sheet } = setup();
    expect(sheet.getRange('b2:c10').getA1Notation()).toBe('B2:C10');
    expect(sheet.getRange('A:A').getNumRows()).toBe(1000);
    expect(sheet.getRange(3, 2).getA1Notation()).toBe('B3');
    expect(() => sheet.getRange('not a range')).toThrow(SHEETS_ERRORS.rangeNotFound);
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/sheet#appendRow(Object)
describe('appendRow, getLastRow, getLastColumn, getDataRange', () => {
  it('appends after the last row with content and the data range follows', () => {
    const { sheet } = setup();
    sheet.appendRow(['Date', 'From', 'Amount']);
    sheet.appendRow(['2025-01-31', 'a@b.fr', '12.5']);
    expect(sheet.getLastRow()).toBe(2);
    expect(sheet.getLastColumn()).toBe(3);
    const values = sheet.getDataRange().getValues();
    expect(values[1][2]).toBe(12.5);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1:C2');
  });
  it('grows the grid when the sheet is full', () => {
    const { app, store } = setup();
    const small = app.create('Small', 2, 2).getSheets()[0];
    small.appendRow(['a']);
    small.appendRow(['b']);
    small.appendRow(['c', 'd', 'e']);
    expect(small.getMaxRows()).toBe(3);
    expect(small.getLastColumn()).toBe(3);
    expect(store.all()).toHaveLength(2);
  });
  it('deleteRows and insertRowsAfter shift the rows below', () => {
    const { sheet } = setup();
    for (const n of [1, 2, 3, 4]) sheet.appendRow([n]);
    sheet.deleteRows(2, 2);
    expect(sheet.getDataRange().getValues()).toEqual([[1], [4]]);
    sheet.insertRowsAfter(1, 1);
    expect(sheet.getRange('A1:A3').getValues()).toEqual([[1], [''], [4]]);
  });
});

describe('getDisplayValues returns strings as the grid shows them', () => {
  it('formats numbers, booleans and dates', () => {
    const { sheet } = setup();
    sheet.getRange('A1:D1').setValues([[1234.5, true, '2025-01-31', 'x']]);
    sheet.getRange('A1').setNumberFormat('#,##0.00');
    expect(sheet.getRange('A1:D1').getDisplayValues()).toEqual([['1,234.50', 'TRUE', '1/31/2025', 'x']]);
    sheet.getRange('C1').setNumberFormat('yyyy-mm-dd');
    expect(sheet.getRange('C1').getDisplayValue()).toBe('2025-01-31');
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#insertSheet(String)
describe('insertSheet / getSheetByName', () => {
  it("refuses a duplicate name with Apps Script's message", () => {
    const { app, ledger } = setup();
    const ss = app.openById(ledger.id);
    ss.insertSheet('Ledger');
    expect(() => ss.insertSheet('Ledger')).toThrow('A sheet with the name "Ledger" already exists. Please enter another name.');
    expect(ss.getSheetByName('Ledger')?.getName()).toBe('Ledger');
    expect(ss.getSheetByName('Missing')).toBeNull();
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Sheet1', 'Ledger']);
    expect(ss.getActiveSheet().getName()).toBe('Ledger');
  });
});

describe('frozen rows, filter and font weight are recorded', () => {
  it('records them in the store', () => {
    const { sheet, ledger, store } = setup();
    sheet.appendRow(['a', 'b']);
    sheet.setFrozenRows(1);
    sheet.getRange('A1:B1').setFontWeight('bold');
    sheet.getDataRange().createFilter();
    expect(sheet.getFrozenRows()).toBe(1);
    expect(store.get(ledger.id)?.sheets[0].filter).toBe('A1:B1');
    expect(sheet.getRange('B1').getFontWeight()).toBe('bold');
    expect(() => sheet.getDataRange().createFilter()).toThrow(SHEETS_ERRORS.filterExists);
  });
});

// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#getActiveSpreadsheet()
describe('getActiveSpreadsheet: the container, or null for a standalone script', () => {
  it('bound script sees its spreadsheet', () => {
    const { app, ledger } = setup();
    expect(app.getActiveSpreadsheet().getId()).toBe(ledger.id);
    expect(app.getActiveSpreadsheet().getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${ledger.id}/edit`);
  });
  it('standalone script gets null; openById of an unknown id throws', () => {
    const { app } = setup({ bound: false });
    expect(app.getActiveSpreadsheet()).toBeNull();
    expect(() => app.openById('missing')).toThrow(SHEETS_ERRORS.openById);
  });
});

// https://developers.google.com/apps-script/reference/base/ui
describe('getUi: menus, sidebars and alerts are recorded as the user saw them', () => {
  it('records an add-on menu, a sidebar from HtmlService and an alert answer', () => {
    const { app, ctx, uiLog } = setup();
    const ui = app.getUi();
    ui.createAddonMenu().addItem('Open', 'showSidebar').addSeparator().addItem('Collect now', 'collectNow').addToUi();
    const html = createHtmlService({ Sidebar: '<h1>Postroom</h1>' }, ctx).createHtmlOutputFromFile('Sidebar').setTitle('Postroom');
    ui.showSidebar(html);
    uiLog.nextButton = 'NO';
    const answer = ui.alert('Send 3 emails?', 'Continue?', ui.ButtonSet.YES_NO);
    expect(answer).toBe('NO');
    expect(uiLog.menus).toEqual([
      {
        caption: 'Postroom',
        addon: true,
        entries: [
          { caption: 'Open', functionName: 'showSidebar' },
          { separator: true },
          { caption: 'Collect now', functionName: 'collectNow' },
        ],
      },
    ]);
    expect(uiLog.sidebars).toEqual([expect.objectContaining({ title: 'Postroom', html: '<h1>Postroom</h1>', fileName: 'Sidebar' })]);
    expect(uiLog.dialogs).toEqual([{ kind: 'alert', title: 'Send 3 emails?', prompt: 'Continue?', buttons: 'YES_NO', response: 'NO' }]);
  });
  it('without a UI (a trigger) getUi throws', () => {
    const { app } = setup({ ui: false });
    expect(() => app.getUi()).toThrow(SHEETS_ERRORS.getUiContext);
  });
});

describe('every call is counted under SpreadsheetApp.Class.method', () => {
  it('counts one getValues for a block read', () => {
    const { sheet, ctx } = setup();
    sheet.getRange('A1:C3').getValues();
    expect(ctx.accounting.total.calls['SpreadsheetApp.Range.getValues']).toBe(1);
  });
});
