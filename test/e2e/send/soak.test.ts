// Soak: 10,000 invoices over several days of the daily cap (2,000 a rolling 24 h, the Workspace limit
// and the default), driven as the sidebar and the continuation trigger drive it, with 2 % transient
// faults. At the end every row is in SENT exactly once and `sent` in the sheet; after EVERY execution
// the user properties are within Apps Script's limits (9 KB a value, 500 KB in all), and the heap the
// test process retains (after a full collection) stays bounded. Sized for CI: one PDF
// shared by all rows keeps the emulator's Drive small; the bench runs a larger one.

import { driveSend } from '../../../emulator/commands/send';
import { makePdf } from '../../../emulator/demo/binary-files';
import type { InvokeResult } from '../../../emulator/runner';
import { FaultPlan } from '../../../emulator/runtime/execution';
import { PROPERTY_STORE_LIMIT_BYTES, PROPERTY_VALUE_LIMIT_BYTES } from '../../../emulator/services/properties';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ensureBuilt, invoiceRows, sendRows, sentSendIds, setupSend } from './helpers';

// A full garbage collection before each heap reading, so the figure is what is retained, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const ROWS = 10_000;
const DAILY_CAP = 2_000;

describe('soak: 10,000 rows over several days of daily cap', () => {
  beforeAll(ensureBuilt);

  it('sends every row exactly once, pausing for the cap each day, state and memory bounded', () => {
    const rows = invoiceRows(ROWS).map((row) => ({ ...row, attachments: 'CGV.pdf' }));
    const { workspace, runner } = setupSend(rows, {
      settings: { dailyCap: DAILY_CAP },
      files: [{ name: 'CGV.pdf', bytes: new Uint8Array(makePdf(['Conditions générales de vente'])) }],
    });
    workspace.ctx.faults = new FaultPlan({ seed: 17, rate: 0.02 });
    const started = workspace.clock.now();
    const store = workspace.properties.user;
    let largestValue = 0;
    let largestStore = 0;
    let heapFirst = 0;
    let heapMax = 0;
    let executions = 0;
    const out = driveSend(runner, {
      maxExecutions: 400,
      onExecution: () => {
        executions++;
        for (const value of store.values.values()) largestValue = Math.max(largestValue, Buffer.byteLength(value));
        largestStore = Math.max(largestStore, store.size());
        // Every 10th execution (a full collection costs time): what the process retains.
        if (executions % 10 !== 1) return;
        collectGarbage();
        const heap = process.memoryUsage().heapUsed;
        heapFirst ||= heap;
        heapMax = Math.max(heapMax, heap);
      },
    });
    workspace.ctx.faults = new FaultPlan({});
    expect(out.error?.message).toBeUndefined();
    expect(out.final?.progress?.state).toBe('done');
    const days = (workspace.clock.now() - started) / 86_400_000;
    expect(days).toBeGreaterThan(4); // 10,000 / 2,000 a day: five windows of 24 h at least
    const ids = sentSendIds(workspace);
    expect(ids.length).toBe(ROWS);
    expect(new Set(ids).size).toBe(ROWS);
    expect(sendRows(workspace).filter((r) => r.status === 'sent').length).toBe(ROWS);
    expect(largestValue).toBeLessThanOrEqual(PROPERTY_VALUE_LIMIT_BYTES);
    expect(largestStore).toBeLessThanOrEqual(PROPERTY_STORE_LIMIT_BYTES);
    // What grows is the emulator's own record of the run (10,000 messages in SENT, the tab, accounting),
    // not the job: nothing the script keeps outlives its execution but the properties checked above.
    expect(heapMax - heapFirst).toBeLessThan(400_000_000);
    // Cost per row stays flat at the cap: each day after the first (each paced by the cap, resumed
    // as the window frees) costs no more Sheets calls per sent row, and no more executions, than the
    // first day (which also pays the plan and the ledger's setup). Resuming at the first free slot
    // instead woke an execution for every minute's burst, 4 to 5 times the first day's Sheets calls.
    const perDay = costPerDay(out.results, started, sendRows(workspace));
    expect(perDay.length).toBe(5);
    const [first, ...capped] = perDay;
    expect(first.sent).toBe(DAILY_CAP);
    for (const day of capped) {
      expect(day.sheetsCalls / day.sent).toBeLessThanOrEqual((first.sheetsCalls / first.sent) * 1.1);
      expect(day.executions).toBeLessThanOrEqual(first.executions + 2);
    }
    console.log(
      `soak: ${out.results.length} executions (${executions} by the sidebar) over ${days.toFixed(1)} days; largest property ${largestValue} B, store ${largestStore} B; heap +${((heapMax - heapFirst) / 1e6).toFixed(0)} MB; per day ${JSON.stringify(perDay)}`,
    );
  });
});

interface DayCost {
  executions: number;
  sheetsCalls: number;
  /** Rows whose sent_at falls in the day. */
  sent: number;
}

/** Executions, Sheets calls and rows sent in each 24 h from the start (a day at the cap each). */
function costPerDay(results: InvokeResult[], started: number, rows: Array<Record<string, unknown>>): DayCost[] {
  const days: DayCost[] = [];
  const dayOf = (t: number) => Math.floor((t - started) / 86_400_000);
  const at = (d: number) => (days[d] ??= { executions: 0, sheetsCalls: 0, sent: 0 });
  for (const result of results) {
    const day = at(dayOf(result.startedAt));
    day.executions++;
    for (const [method, n] of Object.entries(result.counts.calls))
      if (method.startsWith('SpreadsheetApp.') || method.startsWith('Sheets.REST.')) day.sheetsCalls += n;
  }
  for (const row of rows) at(dayOf(Date.parse(String(row.sent_at)))).sent++;
  return days;
}
