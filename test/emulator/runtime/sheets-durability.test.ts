// Sheets writes and killed executions. Apps Script may bundle Sheets writes and apply them later
// (https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()); whether a
// killed execution's pending writes land is undocumented, so the emulator can take the adversarial
// answer (loseUnflushedSheetWrites): only flushed writes survive a kill.

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

const SCRIPT = `
function write(mode) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
  sheet.getRange('A1').setValue('written');
  if (mode === 'flush') SpreadsheetApp.flush();
  if (mode === 'read') sheet.getRange('A1').getValue();
  if (mode === 'die') while (true) Utilities.sleep(1000);
  if (mode === 'flush-then-die') { SpreadsheetApp.flush(); sheet.getRange('A2').setValue('late'); while (true) Utilities.sleep(1000); }
  return 'done';
}`;

function cellsAfter(mode: string, lose = true) {
  const workspace = Workspace.create({ loseUnflushedSheetWrites: lose });
  const runner = new Runner(workspace, { source: SCRIPT });
  const result = runner.invoke('write', [mode], 'menu');
  const [sheet] = workspace.sheets.get(workspace.containerId as string)!.sheets;
  const value = (row: number) => workspace.sheets.cell(sheet, row, 1)?.value ?? '';
  return { outcome: result.outcome, a1: value(1), a2: value(2) };
}

describe('unflushed Sheets writes and killed executions', () => {
  it('a normal end applies the writes', () => {
    expect(cellsAfter('end')).toEqual({ outcome: 'completed', a1: 'written', a2: '' });
  });
  it('a timed-out execution loses the writes it never flushed', () => {
    expect(cellsAfter('die')).toEqual({ outcome: 'timed-out', a1: '', a2: '' });
  });
  it('flush() makes the writes before it durable, not the ones after', () => {
    expect(cellsAfter('flush-then-die')).toEqual({ outcome: 'timed-out', a1: 'written', a2: '' });
  });
  it('a read flushes the writes before it', () => {
    // The script makes one more call after its read; the kill lands there, after the read flushed.
    const source = SCRIPT.replace("return 'done';", "SpreadsheetApp.getActiveSpreadsheet(); return 'done';");
    const undisturbed = new Runner(Workspace.create(), { source }).invoke('write', ['read'], 'menu');
    const total = Object.values(undisturbed.counts.calls).reduce((a, b) => a + b, 0);
    const workspace = Workspace.create({ loseUnflushedSheetWrites: true });
    Object.assign(workspace.faults.options, { killExecution: 1, killAtCall: total });
    const result = new Runner(workspace, { source }).invoke('write', ['read'], 'menu');
    expect(result.outcome).toBe('killed');
    const [sheet] = workspace.sheets.get(workspace.containerId as string)!.sheets;
    expect(workspace.sheets.cell(sheet, 1, 1)?.value).toBe('written');
  });
  it('a kill right after the write loses it', () => {
    const workspace = Workspace.create({ loseUnflushedSheetWrites: true });
    Object.assign(workspace.faults.options, { killExecution: 1, killAtCall: 5 });
    const result = new Runner(workspace, { source: SCRIPT }).invoke('write', ['flush'], 'menu');
    expect(result.outcome).toBe('killed');
    const [sheet] = workspace.sheets.get(workspace.containerId as string)!.sheets;
    expect(workspace.sheets.cell(sheet, 1, 1)?.value ?? '').toBe('');
  });
  it('without the option, writes are durable at once', () => {
    expect(cellsAfter('die', false)).toEqual({ outcome: 'timed-out', a1: 'written', a2: '' });
  });
});
