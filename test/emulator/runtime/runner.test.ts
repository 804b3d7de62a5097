// The execution runner: one execution = a fresh vm context with only Apps Script's globals; the
// virtual Date; the 6-minute / 30-second hard kill; google.script.run's JSON rules; the runaway-loop
// guard. Sources: https://developers.google.com/apps-script/guides/services/quotas#current_limitations,
// https://developers.google.com/apps-script/guides/html/communication#parameters_and_return_values,
// https://developers.google.com/apps-script/guides/v8-runtime

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

function runnerFor(source: string, options: Parameters<typeof Workspace.create>[0] = {}) {
  const workspace = Workspace.create(options);
  return { workspace, runner: new Runner(workspace, { source }) };
}

describe('one execution, one fresh global object', () => {
  const source = `
    var counter = 0;
    function bump() { counter += 1; globalThis.leaked = (globalThis.leaked || 0) + 1; return [counter, globalThis.leaked]; }
    function remember(value) { PropertiesService.getScriptProperties().setProperty('k', value); }
    function recall() { return PropertiesService.getScriptProperties().getProperty('k'); }
  `;

  it('does not carry script globals from one execution to the next', () => {
    const { runner } = runnerFor(source);
    expect(runner.menu('bump').value).toEqual([1, 1]);
    expect(runner.menu('bump').value).toEqual([1, 1]);
  });

  it('keeps what a service stored', () => {
    const { runner, workspace } = runnerFor(source);
    expect(runner.rpc('remember', 'durable').outcome).toBe('completed');
    expect(runner.rpc('recall').value).toBe('durable');
    expect(workspace.accounting.executions).toBe(2);
  });

  it('reports an unknown function with Apps Script words', () => {
    const { runner } = runnerFor(source);
    const result = runner.menu('nope');
    expect(result.outcome).toBe('threw');
    expect(result.error?.message).toBe('Script function not found: nope');
  });
});

describe('the sandbox has Apps Script globals and no Node or browser globals', () => {
  const source = `
    function probe() {
      return ['require', 'process', 'Buffer', 'setTimeout', 'setInterval', 'TextEncoder', 'TextDecoder', 'atob', 'btoa', 'fetch', 'window', 'module', 'exports', 'global']
        .filter(function (name) { return typeof globalThis[name] !== 'undefined'; });
    }
    function touchProcess() { return process.env.HOME; }
    function services() { return [typeof SpreadsheetApp, typeof PropertiesService, typeof DriveApp, typeof HtmlService]; }
  `;

  it('exposes none of the forbidden names', () => {
    const { runner } = runnerFor(source);
    expect(runner.menu('probe').value).toEqual([]);
  });

  it('fails a script that touches process', () => {
    const { runner } = runnerFor(source);
    const result = runner.menu('touchProcess');
    expect(result.outcome).toBe('threw');
    expect(result.error?.message).toBe('process is not defined');
  });

  it('exposes the services', () => {
    const { runner } = runnerFor(source);
    expect(runner.menu('services').value).toEqual(['object', 'object', 'object', 'object']);
  });
});

describe('the virtual Date', () => {
  const source = `
    function now() { return [Date.now(), new Date().getTime(), typeof Date(), new Date(0).getTime(), new Date(2026, 0, 1) instanceof Date]; }
    function elapsedAfterCalls() {
      var start = Date.now();
      var props = PropertiesService.getScriptProperties();
      for (var i = 0; i < 10; i++) props.getProperty('x');
      return Date.now() - start;
    }
    function serviceDateIsDate() {
      var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
      sheet.getRange(1, 1).setValue(new Date(Date.UTC(2026, 0, 2)));
      var value = sheet.getRange(1, 1).getValue();
      return [value instanceof Date, value.getTime()];
    }
  `;

  it('reads the virtual clock for new Date() and Date.now(), native otherwise', () => {
    const { runner, workspace } = runnerFor(source, { now: '2026-03-01T10:00:00Z' });
    const start = workspace.clock.now();
    const [dateNow, newDate, typeOfCall, epoch, isDate] = runner.menu('now').value as [number, number, string, number, boolean];
    expect(dateNow).toBe(start);
    expect(newDate).toBe(start);
    expect(typeOfCall).toBe('string');
    expect(epoch).toBe(0);
    expect(isDate).toBe(true);
  });

  it('moves only with service latency', () => {
    const { runner } = runnerFor(source);
    // PropertiesService calls cost 30 ms each in emulator/latency.ts: getScriptProperties + 10 reads.
    expect(runner.menu('elapsedAfterCalls').value).toBe(330);
  });

  it('treats Dates returned by services as Dates', () => {
    const { runner } = runnerFor(source);
    expect(runner.menu('serviceDateIsDate').value).toEqual([true, Date.UTC(2026, 0, 2)]);
  });
});

describe('the execution time limit is a hard kill', () => {
  const source = `
    function writeForever() {
      var props = PropertiesService.getScriptProperties();
      var i = 0;
      for (;;) {
        try { props.setProperty('last', String(++i)); } catch (e) { /* the script swallows everything */ }
        if (i > 1e6) return 'escaped';
      }
    }
    function catchAndReturn() {
      var props = PropertiesService.getScriptProperties();
      try { for (;;) props.getProperty('x'); } catch (e) { return 'caught: ' + e.message; }
    }
  `;

  it('kills a menu execution at 6 virtual minutes; nothing is written after, whatever the script catches', () => {
    const { runner, workspace } = runnerFor(source);
    const result = runner.menu('writeForever');
    expect(result.outcome).toBe('timed-out');
    expect(result.error?.message).toBe('Exceeded maximum execution time');
    expect(result.endedAt - result.startedAt).toBeLessThanOrEqual(6 * 60_000);
    expect(result.endedAt - result.startedAt).toBeGreaterThan(6 * 60_000 - 100);
    const written = Number(workspace.properties.script.values.get('last'));
    // One getScriptProperties (30 ms) then one 30 ms setProperty per value, all before the deadline.
    expect(written).toBe(Math.floor((6 * 60_000 - 30) / 30));
  });

  it('reports an execution that caught the kill and returned as timed-out', () => {
    const { runner } = runnerFor(source);
    const result = runner.menu('catchAndReturn');
    expect(result.outcome).toBe('timed-out');
    expect(result.value).toBeUndefined();
  });

  it('gives a card action 30 seconds', () => {
    const { runner } = runnerFor(source);
    const result = runner.card('catchAndReturn');
    expect(result.outcome).toBe('timed-out');
    expect(result.endedAt - result.startedAt).toBeLessThanOrEqual(30_000);
    expect(result.endedAt - result.startedAt).toBeGreaterThan(29_000);
  });

  it('stops a runaway synchronous loop and charges the whole limit', () => {
    const workspace = Workspace.create();
    const runner = new Runner(workspace, { source: 'function spin() { for (;;) {} }', syncTimeoutMs: 200 });
    const result = runner.menu('spin');
    expect(result.outcome).toBe('timed-out');
    expect(result.endedAt - result.startedAt).toBe(6 * 60_000);
  });
});

describe('google.script.run values', () => {
  const source = `
    function echo(value) { return value; }
    function kind(value) { return Object.prototype.toString.call(value) + ':' + (value instanceof Object); }
    function giveDate() { return { when: new Date(0) }; }
    function helper_() { return 'private'; }
    function giveUndefinedInArray() { return [1, undefined, 3]; }
  `;

  it('round-trips arguments and results through JSON', () => {
    const { runner } = runnerFor(source);
    expect(runner.rpc('echo', { a: [1, 'b', true, null] }).value).toEqual({ a: [1, 'b', true, null] });
    expect(runner.rpc('kind', { a: 1 }).value).toBe('[object Object]:true');
    expect(runner.rpc('giveUndefinedInArray').value).toEqual([1, null, 3]);
  });

  it('refuses a Date argument, even nested', () => {
    const { runner } = runnerFor(source);
    const direct = runner.rpc('echo', new Date(0));
    expect(direct.outcome).toBe('threw');
    expect(direct.error?.message).toBe('Failed due to illegal value in property: 0');
    const nested = runner.rpc('echo', { when: new Date(0) });
    expect(nested.error?.message).toBe('Failed due to illegal value in property: when');
  });

  it('hands a result holding a Date to the client as null', () => {
    const { runner } = runnerFor(source);
    const result = runner.rpc('giveDate');
    expect(result.outcome).toBe('completed');
    expect(result.value).toBeNull();
  });

  it('refuses private functions (names ending in _)', () => {
    const { runner } = runnerFor(source);
    const result = runner.rpc('helper_');
    expect(result.outcome).toBe('threw');
    expect(result.error?.message).toBe('google.script.run.helper_ is not a function');
  });
});
