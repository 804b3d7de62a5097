// The Sheets REST adapter (src/server/adapters/sheets-rest.ts) bundled and run in the emulator's Apps
// Script sandbox over a Workspace: the route is mounted for every execution (emulator/globals.ts), a tab
// read and a committed write ride in one fetchAll, and that write survives the execution's death while
// SpreadsheetApp's unflushed write is lost (loseUnflushedSheetWrites).

import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

let bundle: string | null = null;
function harness(): string {
  bundle ??= buildSync({
    entryPoints: [join(__dirname, 'sheets-rest-harness.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'neutral',
    write: false,
    charset: 'utf8',
    logLevel: 'silent',
  }).outputFiles[0].text;
  return bundle;
}

function setup() {
  const workspace = Workspace.create({ loseUnflushedSheetWrites: true });
  workspace.writeContainerTab('Sends', [
    ['email', 'status'],
    ['a@example.com', ''],
  ]);
  const runner = new Runner(workspace, { source: harness(), sidebarPath: null });
  const sheet = workspace.sheets.get(workspace.containerId!)!.sheets.find((s) => s.name === 'Sends')!;
  const value = (row: number, column: number) => workspace.sheets.cell(sheet, row, column)?.value ?? '';
  return { workspace, runner, value };
}

describe('Sheets REST in the Apps Script sandbox', () => {
  it('reads the tab and commits a write in one fetchAll, counted as one service call', () => {
    const { runner, value } = setup();
    const result = runner.invoke('restMark', ['Sends', 3, 'b@example.com', 'end'], 'cli');
    expect(result.outcome).toBe('completed');
    expect(JSON.parse(String(result.value))).toEqual({
      rows: [['email', 'status'], ['a@example.com']],
      answer: { updatedRange: 'Sends!A3', updatedRows: 1, updatedCells: 1, tableRange: null },
    });
    expect(result.counts.calls['UrlFetchApp.fetchAll']).toBe(1);
    expect(result.counts.calls['Sheets.REST.values.get']).toBe(1);
    expect(result.counts.calls['Sheets.REST.values.batchUpdate']).toBe(1);
    expect(value(3, 1)).toBe('b@example.com');
  });

  it('a killed execution keeps its REST write and loses its unflushed SpreadsheetApp write', () => {
    const { runner, value } = setup();
    const result = runner.invoke('restMark', ['Sends', 2, 'a2@example.com', 'pending'], 'cli');
    expect(result.outcome).toBe('timed-out');
    expect(value(2, 1)).toBe('a2@example.com');
    expect(value(2, 2)).toBe('');
  });
});
