// A send in a published add-on, driven by its triggers alone once the sidebar is closed: an add-on may
// not run a trigger more often than hourly, so the run's safety net is an HOURLY recurring trigger under
// a handler of its own (runSendSafetyNet) beside the chunk's one-off continuation (runSendContinuation).
// Seen from the trigger store: the net is there once (never twice) while the send runs, the send never
// holds more than these two time-driven triggers, and none is left when the send ends, is paused or is
// cancelled; a resume arms the net again and the triggers alone finish the send. Every row once in SENT,
// `sent` in the Sends tab, and the run in JobRuns (written by the trigger that finds the send ended when
// the execution that ended it was cut short first).

import { FaultPlan } from '../../../emulator/runtime/execution';
import type { WorkspaceOptions } from '../../../emulator/workspace';
import { ensureBuilt, invoiceRows, sendRows, sentSendIds, setupSend, tab } from './helpers';

const SEND_HANDLERS = ['runSendContinuation', 'runSendSafetyNet'];
/** A pace slow enough for 30 rows to need several executions (about 8 rows a minute). */
const SLOW = { maxPerSecond: 1, maxPerMinute: 2, batchSize: 1 };

type Setup = ReturnType<typeof setupSend>;

function sendTriggerHandlers(workspace: Setup['workspace']): string[] {
  return workspace.triggers
    .forUser(workspace.session.userEmail)
    .map((trigger) => trigger.handlerFunction)
    .filter((handler) => SEND_HANDLERS.includes(handler))
    .sort();
}

function stateOf(runner: Setup['runner']): string | undefined {
  return (runner.rpc('getSendProgress').value as { progress?: { state: string } } | undefined)?.progress?.state;
}

/** Minutes pass, the triggers alone drive the send; after each, `look` sees the store. */
function byTriggers(setup: Setup, minutes: number, look: () => void = () => {}): string | undefined {
  let state = stateOf(setup.runner);
  for (let minute = 0; minute < minutes && state !== 'done'; minute++) {
    setup.runner.advanceAndFire(60_000);
    look();
    state = stateOf(setup.runner);
  }
  return state;
}

function expectEveryRowSentOnce(workspace: Setup['workspace'], rows: number): void {
  const ids = sentSendIds(workspace);
  expect(ids).toHaveLength(rows);
  expect(new Set(ids).size).toBe(rows);
  expect(sendRows(workspace).every((line) => line.status === 'sent' && line.attempts === 1)).toBe(true);
}

describe('a send in an add-on driven by its triggers alone', () => {
  beforeAll(ensureBuilt);

  it('holds the hourly net once and at most two send triggers while it runs, and none once done', () => {
    const setup = setupSend(invoiceRows(30), { addonMode: true, settings: SLOW } as WorkspaceOptions);
    const { workspace, runner } = setup;
    expect(runner.rpc('startSend', {}).outcome).toBe('completed');
    expect(stateOf(runner)).toBe('running');
    expect(sendTriggerHandlers(workspace)).toEqual(['runSendContinuation', 'runSendSafetyNet']);
    const seen: string[][] = [];
    const state = byTriggers(setup, 120, () => {
      if (stateOf(runner) === 'running') seen.push(sendTriggerHandlers(workspace));
    });
    expect(state).toBe('done');
    expect(runner.results.filter((r) => r.kind === 'trigger' && r.fn === 'runSendContinuation').length).toBeGreaterThan(1);
    expect(seen.length).toBeGreaterThan(0);
    for (const handlers of seen) {
      expect(handlers.filter((h) => h === 'runSendSafetyNet')).toHaveLength(1);
      expect(handlers.length).toBeLessThanOrEqual(2);
    }
    // The execution that ended the send removed its triggers at once.
    expect(sendTriggerHandlers(workspace)).toEqual([]);
    expectEveryRowSentOnce(workspace, 30);
    const runs = tab(workspace, 'JobRuns');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'send', status: 'succeeded', emails_scanned: 30, errors_count: 0 });
  });

  it('a pause leaves no send trigger and sends nothing for hours; a resume arms the net again and the triggers finish', () => {
    const setup = setupSend(invoiceRows(60), { addonMode: true, settings: SLOW } as WorkspaceOptions);
    const { workspace, runner } = setup;
    runner.rpc('startSend', {});
    byTriggers(setup, 2);
    expect(stateOf(runner)).toBe('running');
    expect(runner.rpc('pauseSend').outcome).toBe('completed');
    expect(stateOf(runner)).toBe('paused');
    expect(sendTriggerHandlers(workspace)).toEqual([]);
    const sentAtPause = workspace.mailbox.sentMessages().length;
    expect(sentAtPause).toBeLessThan(60);
    runner.advanceAndFire(3 * 3_600_000);
    expect(workspace.mailbox.sentMessages()).toHaveLength(sentAtPause);
    expect(runner.rpc('resumeSend').outcome).toBe('completed');
    expect(sendTriggerHandlers(workspace)).toContain('runSendSafetyNet');
    expect(byTriggers(setup, 120)).toBe('done');
    expect(sendTriggerHandlers(workspace)).toEqual([]);
    expectEveryRowSentOnce(workspace, 60);
  });

  it('the execution that ends the send cut short before its row in JobRuns: the trigger that finds it ended writes that row', () => {
    // Every execution killed at its 50th call, with 10 % faults: the one that ends the send (seed 50)
    // dies after saving `done`, before the run's row and the removal of the send's triggers.
    const setup = setupSend(invoiceRows(14), { loseUnflushedSheetWrites: true, addonMode: true } as WorkspaceOptions);
    const { workspace, runner } = setup;
    workspace.ctx.faults = new FaultPlan({ seed: 50, killEvery: 50, rate: 0.1 });
    for (let i = 0; i < 10 && stateOf(runner) !== 'running' && stateOf(runner) !== 'done'; i++) runner.rpc('startSend', {});
    expect(byTriggers(setup, 24 * 60)).toBe('done');
    // The row is owed (written in saved steps, by this execution or the triggers after it): the
    // send's triggers stay until it is written.
    expect(sendTriggerHandlers(workspace)).not.toEqual([]);
    runner.advanceAndFire(2 * 3_600_000);
    workspace.ctx.faults = new FaultPlan({});
    expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
    expect(sendTriggerHandlers(workspace)).toEqual([]);
    const runs = tab(workspace, 'JobRuns');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'send', status: 'succeeded', emails_scanned: 14, errors_count: 0 });
    expect(new Set(sentSendIds(workspace)).size).toBe(14);
    expect(sentSendIds(workspace)).toHaveLength(14);
  });

  it('a cancel leaves no send trigger, and the run is in JobRuns as cancelled', () => {
    const setup = setupSend(invoiceRows(60), { addonMode: true, settings: SLOW } as WorkspaceOptions);
    const { workspace, runner } = setup;
    runner.rpc('startSend', {});
    byTriggers(setup, 2);
    expect(sendTriggerHandlers(workspace)).toContain('runSendSafetyNet');
    expect(runner.rpc('cancelSend').outcome).toBe('completed');
    expect(stateOf(runner)).toBe('cancelled');
    expect(sendTriggerHandlers(workspace)).toEqual([]);
    const sent = workspace.mailbox.sentMessages().length;
    runner.advanceAndFire(3 * 3_600_000);
    expect(workspace.mailbox.sentMessages()).toHaveLength(sent);
    expect(new Set(sentSendIds(workspace)).size).toBe(sent);
    expect(sendRows(workspace).filter((line) => line.status === 'sent')).toHaveLength(sent);
    expect(tab(workspace, 'JobRuns')[0]).toMatchObject({ job: 'send', status: 'cancelled' });
  });
});
