// The Sends tab over the Sheets REST API (src/server/adapters/send-sheet-rest.ts), seen from outside:
// the columns Postroom adds are formatted as plain text even when every execution is cut short (the
// format is owed in the user's properties before the header is written), a missing tab is created
// through SpreadsheetApp, a period typed as a date is read as that month, a date in a placeholder column prints as
// SpreadsheetApp gave it, and a send driven by its continuation trigger alone (sidebar closed
// after the start) finishes when every execution is cut short from its 10th call, in an add-on too, and
// leaves no trigger behind.

import { driveSend } from '../../../emulator/commands/send';
import { FaultPlan } from '../../../emulator/runtime/execution';
import type { WorkspaceOptions } from '../../../emulator/workspace';
import { ensureBuilt, invoiceRows, parsedSent, runFaultCase, sendRows, sentSendIds, setupSend, tab } from './helpers';

const USER_HEADERS = ['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount'];

/** The handlers of the send's time-driven triggers in the store (continuation, an add-on's hourly net). */
function sendTriggerHandlers(workspace: ReturnType<typeof setupSend>['workspace']): string[] {
  return workspace.triggers
    .forUser(workspace.session.userEmail)
    .map((trigger) => trigger.handlerFunction)
    .filter((handler) => handler === 'runSendContinuation' || handler === 'runSendSafetyNet');
}

function sendsTab(workspace: ReturnType<typeof setupSend>['workspace']) {
  return workspace.sheets.get(workspace.containerId as string)!.sheets.find((s) => s.name === 'Sends')!;
}

describe('the Sends tab over the Sheets REST API', () => {
  beforeAll(ensureBuilt);

  it('formats every added column as plain text when every execution is killed at its 10th call', () => {
    const { workspace, runner } = setupSend(invoiceRows(6), { loseUnflushedSheetWrites: true } as WorkspaceOptions);
    workspace.ctx.faults = new FaultPlan({ seed: 3, killEvery: 10 });
    const out = driveSend(runner, { maxExecutions: 200 });
    workspace.ctx.faults = new FaultPlan({});
    expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
    expect(out.final?.progress?.state).toBe('done');
    const sheet = sendsTab(workspace);
    const header = Object.keys(sendRows(workspace)[0]);
    const added = header.filter((name) => !USER_HEADERS.includes(name));
    expect(added).toEqual(expect.arrayContaining(['status', 'attempts', 'sent_at', 'message_id', 'send_id']));
    for (const name of added) {
      const column = header.indexOf(name) + 1;
      for (const row of [2, 7, 50])
        expect({ name, row, format: workspace.sheets.cell(sheet, row, column)?.numberFormat ?? null }).toEqual({ name, row, format: '@' });
    }
    // Nothing is owed any more.
    expect(workspace.properties.user.values.has('postroom.send.textFormatDue')).toBe(false);
    expect(new Set(sentSendIds(workspace)).size).toBe(6);
  });

  it('creates a missing Sends tab with its columns (SpreadsheetApp), and says there is nothing to send', () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    const container = workspace.sheets.get(workspace.containerId as string)!;
    container.sheets.splice(
      container.sheets.findIndex((s) => s.name === 'Sends'),
      1,
    );
    const out = driveSend(runner);
    const tab = workspace.sheets.tabValues(workspace.containerId as string).Sends;
    expect(tab).toBeDefined();
    expect(tab[0]).toEqual(expect.arrayContaining(['key', 'to', 'attachments', 'status', 'send_id']));
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    expect(out.error?.message ?? '').not.toMatch(/Sheets|HTTP/);
  });

  it('reads a period typed as a date (a serial number by REST) as its month', () => {
    const { workspace, runner } = setupSend(invoiceRows(2, { period: '2026-02' }));
    const sheet = sendsTab(workspace);
    // Row 3's period is the date 2026-01-15, as Sheets stores a typed date.
    workspace.sheets.cell(sheet, 3, 2, true).value = { date: Date.UTC(2026, 0, 15) };
    workspace.sheets.cell(sheet, 3, 2, true).numberFormat = 'yyyy-mm-dd';
    const out = driveSend(runner, { filter: { period: '2026-01' } });
    expect(out.final?.progress?.state).toBe('done');
    const lines = sendRows(workspace);
    expect(lines[1].status).toBe('sent');
    expect(lines[0].status).not.toBe('sent');
    expect(workspace.mailbox.sentMessages()).toHaveLength(1);
  });

  it('prints a date typed in a placeholder column as SpreadsheetApp gave it (YYYY-MM-DD), a number as its digits', async () => {
    const { workspace, runner } = setupSend(invoiceRows(1));
    const sheet = sendsTab(workspace);
    // Row 2's name (column 6) is the date 2026-01-15 shown as 15/01/2026, its amount (column 7) the number 1234.5.
    workspace.sheets.cell(sheet, 2, 6, true).value = { date: Date.UTC(2026, 0, 15) };
    workspace.sheets.cell(sheet, 2, 6, true).numberFormat = 'dd/mm/yyyy';
    workspace.sheets.cell(sheet, 2, 7, true).value = 1234.5;
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    const [mail] = await parsedSent(workspace);
    expect(mail.text).toContain('Bonjour 2026-01-15,');
    expect(mail.text).toContain('(1234.5 €)');
  });

  it('refuses a start or a plan while the Sheets API cannot be read, saying nothing was sent; a minute later it starts', () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    // Another script of the user spent this minute's 60 reads.
    while (workspace.sheetsRestQuota.take('read', workspace.clock.now()));
    for (const call of ['planSend', 'startSend']) {
      const refused = runner.rpc(call, {});
      expect(refused.outcome).toBe('threw');
      expect(refused.error?.message).toMatch(
        /^Google Sheets ne répond pas pour l’instant \(values\.get: HTTP 429\) : l’envoi n’a pas démarré et rien n’a été envoyé\./,
      );
    }
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    runner.advanceAndFire(60_000);
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    expect(workspace.mailbox.sentMessages()).toHaveLength(3);
  });

  it("continues a minute later, sending nothing twice, when the Sheets API's per-minute read quota is spent", () => {
    // 60 rows at 10 a minute outlast the start's execution: work is left for continueSend.
    const { workspace, runner } = setupSend(invoiceRows(60), { settings: { maxPerSecond: 2, maxPerMinute: 10, batchSize: 2 } });
    expect(runner.rpc('startSend', {}).outcome).toBe('completed');
    const sentBefore = workspace.mailbox.sentMessages().length;
    expect(sentBefore).toBeLessThan(60);
    // Another script of the user spent this minute's 60 reads.
    while (workspace.sheetsRestQuota.take('read', workspace.clock.now()));
    const blocked = runner.rpc('continueSend');
    expect(blocked.outcome).toBe('completed');
    expect(blocked.value).toMatchObject({ more: true, waitMs: 60_000 });
    expect(workspace.mailbox.sentMessages()).toHaveLength(sentBefore);
    runner.advanceAndFire(60_000);
    const out = driveSend(runner, { filter: null });
    expect(out.final?.progress?.state).toBe('done');
    expect(workspace.mailbox.sentMessages()).toHaveLength(60);
    expect(new Set(sentSendIds(workspace)).size).toBe(60);
    expect(sendRows(workspace).every((line) => line.status === 'sent' && line.attempts === 1)).toBe(true);
  });

  // Outside an add-on the run's safety net is a 10-minute recurring trigger; in an add-on (no trigger
  // more often than hourly) an hourly one under a handler of its own, with a 7-minute one-off armed
  // after an execution's first burst: below 15 calls the executions cut short wait for the hour.
  it.each([
    [10, false, 0.1],
    [11, false, 0.1],
    [13, false, 0.1],
    [21, false, 0.1],
    [10, true, 0.1],
    [10, true, 0],
    [11, true, 0.1],
    [12, true, 0.1],
    [13, true, 0],
    [15, true, 0.1],
    [21, true, 0.1],
  ])(
    'driven by its continuation trigger alone after the start, every execution killed at its %i-th call (add-on: %s, faults %d): every row sent once, no trigger left',
    (k, addonMode, rate) => {
      const rows = invoiceRows(14);
      const { workspace, runner } = setupSend(rows, { loseUnflushedSheetWrites: true, addonMode } as WorkspaceOptions);
      workspace.ctx.faults = new FaultPlan({ seed: k, killEvery: k, rate });
      // The sidebar starts the send (again while the start is cut short), then is closed.
      let state: string | undefined;
      for (let i = 0; i < 40 && (!state || state === 'planned'); i++) {
        runner.rpc('startSend', {});
        state = (runner.rpc('getSendProgress').value as { progress?: { state: string } } | undefined)?.progress?.state;
      }
      // At most two days of virtual time, a minute at a time (an add-on's hourly net at 10 calls with
      // faults needs about 14 hours).
      for (let minute = 0; minute < 48 * 60 && state !== 'done'; minute++) {
        runner.advanceAndFire(60_000);
        state = (runner.rpc('getSendProgress').value as { progress?: { state: string } } | undefined)?.progress?.state;
      }
      expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
      expect(state).toBe('done');
      // Still cut short: the run's JobRuns row, owed, is written in saved steps by the triggers that
      // find the send done (an add-on's hourly net: a few hours at 10 calls), which then remove the
      // send's triggers.
      for (let hour = 0; hour < 12 && sendTriggerHandlers(workspace).length; hour++) runner.advanceAndFire(3_600_000);
      workspace.ctx.faults = new FaultPlan({});
      expect(sendTriggerHandlers(workspace)).toEqual([]);
      const runs = tab(workspace, 'JobRuns').filter((run) => run.job === 'send');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'succeeded', emails_scanned: 14, errors_count: 0 });
      const ids = sentSendIds(workspace);
      expect(ids).toHaveLength(14);
      expect(new Set(ids).size).toBe(14);
      expect(sendRows(workspace).every((r) => r.status === 'sent')).toBe(true);
    },
  );

  it('the sweep helper at 10 calls with 10 % faults on a longer list (30 rows)', () => {
    const result = runFaultCase({ seed: 77, killEvery: 10, rate: 0.1 }, invoiceRows(30));
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });
});
