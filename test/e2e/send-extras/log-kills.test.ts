// The lasting send log under kills: every execution of a 40-row send is killed at its 90th service
// call (unflushed sheet writes lost). The log may miss the lines of a group whose flush never came,
// but it never logs a send that did not happen, never logs a row twice, and the sheet stays the truth.

import { driveSend } from '../../../emulator/commands/send';
import { FaultPlan } from '../../../emulator/runtime/execution';
import type { WorkspaceOptions } from '../../../emulator/workspace';
import { ensureBuilt, invoiceRows, sendRows, setupSend } from '../send/helpers';

beforeAll(() => ensureBuilt());

it('with every execution killed, each logged send is a real message of SENT, once', () => {
  const { workspace, runner } = setupSend(invoiceRows(40), { loseUnflushedSheetWrites: true } as WorkspaceOptions);
  workspace.ctx.faults = new FaultPlan({ killEvery: 90 });
  const out = driveSend(runner, { maxExecutions: 300 });
  workspace.ctx.faults = new FaultPlan({});
  expect(out.final?.progress?.state).toBe('done');
  expect(workspace.accounting.killedExecutions).toBeGreaterThan(0);
  const sent = workspace.mailbox.sentMessages();
  expect(sent).toHaveLength(40);
  expect(sendRows(workspace).every((r) => r.status === 'sent')).toBe(true);
  const runId = out.final!.progress!.jobId;
  const log = runner.rpc('getSendLog', runId);
  expect(log.outcome).toBe('completed');
  const lines = (log.value as { lines: Array<{ text: string }> }).lines.map((l) => l.text);
  const ids = lines.map((t) => /^Email envoyé \(ID : ([0-9a-f]+)\) à (.+)$/.exec(t)).filter((m): m is RegExpExecArray => m !== null);
  const sentIds = new Set(sent.map((m) => m.id));
  expect(ids.length).toBeGreaterThan(0);
  for (const [, id, to] of ids) {
    expect(sentIds.has(id)).toBe(true);
    expect(sent.find((m) => m.id === id)?.to).toBe(to);
  }
  expect(new Set(ids.map((m) => m[1])).size).toBe(ids.length);
  expect(lines[0]).toBe('Début de l’envoi de 40 emails');
  expect(lines.some((t) => t.startsWith('Envoi terminé : 40 succès'))).toBe(true);
});
