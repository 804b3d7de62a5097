// Durable progress at short execution budgets: a 14-row list where EVERY execution is killed at its
// k-th service call (unflushed Sheets writes lost), for a sweep of k, with and without 10 % transient
// faults; executions run until the job is done, and every row must be in SENT exactly once and `sent`
// in the sheet with that message's id. The sweep starts at 10 calls (9 that succeed): a continuing
// execution takes the lock (2), loads the user properties (2), gets the token, reads the tab by REST
// with the first SENT page and the attachments folder's files in the same fetchAll, writes the group's
// intent by REST in the fetchAll of the burst's files, encodes with the platform's base64, and sends as
// its 9th call; the start and the safety trigger are steps of their own, each saved within 9 calls
// (README, known limits). Every k from there to 61. The fault cases draw their faults from seed 1000 + k
// (with seed k, k = 53 gave a run whose executions all ended before their 53rd call: no kill, no proof).

import { driveSend } from '../../../emulator/commands/send';
import { demoSendFiles, demoSendRows } from '../../../emulator/demo/demo-send-list';
import { FaultPlan } from '../../../emulator/runtime/execution';
import { ensureBuilt, invoiceRows, pdfFor, runFaultCase, sendRows, setupSend } from './helpers';

const SMALLEST_BUDGET = 10;
const LARGEST_BUDGET = 61;

describe('every execution killed at its k-th call, for a sweep of k', () => {
  beforeAll(ensureBuilt);
  const ks = Array.from({ length: LARGEST_BUDGET - SMALLEST_BUDGET + 1 }, (_, i) => SMALLEST_BUDGET + i);

  it.each(ks)('kill every %i calls: every row sent exactly once', (k) => {
    const result = runFaultCase({ seed: k, killEvery: k }, invoiceRows(14));
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it.each(ks)('kill every %i calls with 10 %% faults: every row sent exactly once', (k) => {
    const result = runFaultCase({ seed: 1000 + k, killEvery: k, rate: 0.1 }, invoiceRows(14));
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it('kill every 40 calls (the budget the CLI was tried with): the run ends, all 14 rows sent once', () => {
    const result = runFaultCase({ seed: 40, killEvery: 40 }, invoiceRows(14));
    expect(result.problems).toEqual([]);
  });
});

describe('every execution killed short: the run still ends with its one JobRuns row', () => {
  // The ended run's row is written in saved steps of few calls (the log's link, the ledger's id, the
  // tab's time zone, the row found or claimed, the row written), each within what an execution killed
  // at its 10th call has after the lock and the state's load; the triggers stay until it is written.
  beforeAll(ensureBuilt);

  it.each([10, 11, 12, 15, 20, 30, 44])('kill every %i calls: one JobRuns row, succeeded, every row sent', (k) => {
    const result = runFaultCase({ seed: k, killEvery: k }, invoiceRows(14), { jobRun: true });
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it.each([10, 20])('kill every %i calls with 10 %% faults: one JobRuns row, succeeded, every row sent', (k) => {
    const result = runFaultCase({ seed: 1000 + k, killEvery: k, rate: 0.1 }, invoiceRows(14), { jobRun: true });
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });
});

describe('the demo list (a row with two PDFs, a row whose PDF is missing, a bad address) killed short', () => {
  // A name missing from the kept attachments folder makes the planning walk the folder's path again
  // (it may have been replaced): one call per part. That walk is noted with the folder, so the start's
  // planning step, done again after a kill, does not walk it again: before, it took 10 calls every time
  // and a start killed at its 10th never got past it (nothing sent in 1,000 executions).
  beforeAll(ensureBuilt);

  it.each([
    [10, 0],
    [10, 0.1],
    [11, 0],
    [12, 0.1],
  ])('kill every %i calls (faults %f): the ten valid rows sent once, the two others failed', (killEvery, rate) => {
    const rows = demoSendRows();
    const files = [...demoSendFiles()].map(([name, bytes]) => ({ name, bytes: new Uint8Array(bytes) }));
    const { workspace, runner } = setupSend(rows, { files, loseUnflushedSheetWrites: true } as Parameters<typeof setupSend>[1]);
    workspace.ctx.faults = new FaultPlan({ seed: 2000 + killEvery, killEvery, rate });
    const out = driveSend(runner, { maxExecutions: 300 });
    expect(out.error).toBeNull();
    expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
    const sent = workspace.mailbox.sentMessages().map((m) => m.to);
    const valid = rows.filter((row) => !['C-1008', 'C-1011'].includes(row.key)).map((row) => row.to);
    expect([...sent].sort()).toEqual([...valid].sort());
    const statuses = Object.fromEntries(sendRows(workspace).map((row) => [row.key, row.status]));
    expect(statuses['C-1008']).toBe('failed');
    expect(statuses['C-1011']).toBe('failed');
    expect(Object.values(statuses).filter((status) => status === 'sent')).toHaveLength(10);
  });
});

describe('attachment patterns killed short: the folder tree listed by the Drive API, its first page with the first read', () => {
  // FACTURE_{{key}}_{{period}}*.pdf over a folder of 45 files: DriveApp's walk took six calls a file in
  // every execution, and nothing was ever sent below about 300 calls an execution (a start done again
  // and again spent the Sheets API's read quota and was refused).
  beforeAll(ensureBuilt);

  function patternCase(killEvery: number, rate: number, subfolders: boolean) {
    const rows = invoiceRows(15).map((row) => ({
      ...row,
      attachments: subfolders ? '{{period}}/FACTURE_{{key}}*.pdf' : 'FACTURE_{{key}}_{{period}}*.pdf',
    }));
    const { workspace, runner } = setupSend(rows, { files: [], loseUnflushedSheetWrites: true } as Parameters<typeof setupSend>[1]);
    const root = workspace.drive.children(workspace.drive.rootId, 'folder').find((f) => f.name === 'Postroom')!;
    const folder = workspace.drive.children(root.id, 'folder').find((f) => f.name !== 'logs')!;
    const month = subfolders ? workspace.drive.createFolder('2026-01', folder.id).id : folder.id;
    rows.forEach((row) => {
      const name = subfolders ? `FACTURE_${row.key}.pdf` : `FACTURE_${row.key}_2026-01.pdf`;
      workspace.drive.createFile(name, new Uint8Array(pdfFor(row.key)), 'application/pdf', month);
      workspace.drive.createFile(`AUTRE_${row.key}.pdf`, new Uint8Array(pdfFor('x')), 'application/pdf', folder.id);
      workspace.drive.createFile(`NOTE_${row.key}.txt`, new Uint8Array([65]), 'text/plain', folder.id);
    });
    workspace.ctx.faults = new FaultPlan({ seed: 3000 + killEvery, killEvery, rate });
    const out = driveSend(runner, { maxExecutions: 300 });
    expect(out.error).toBeNull();
    expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
    const sent = workspace.mailbox.sentMessages();
    expect(sent.map((m) => m.to).sort()).toEqual(rows.map((row) => row.to).sort());
    for (const m of sent) expect(Buffer.from(m.raw).toString('latin1')).toMatch(/filename="?FACTURE_CCT\d{4}/);
    expect(workspace.accounting.total.calls['DriveApp.FileIterator.next'] ?? 0).toBe(0);
  }

  it.each([
    [10, 0],
    [10, 0.1],
    [13, 0],
    [21, 0.1],
  ])('flat folder, kill every %i calls (faults %f): every row sent once with its own PDF', (killEvery, rate) =>
    patternCase(killEvery, rate, false),
  );

  // Each level of subfolders is one more request an execution (not asked ahead): 11 calls with one.
  it.each([
    [11, 0],
    [15, 0.1],
  ])('one level of subfolders, kill every %i calls (faults %f): every row sent once with its own PDF', (killEvery, rate) =>
    patternCase(killEvery, rate, true),
  );
});
