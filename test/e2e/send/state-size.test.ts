// The job's state stays within the user properties' limits (9 KB a value, 500 KB in all) for long
// lists: a 60,000-row list (its counted bitmap alone is 10,000 characters, over one value's 9 KB; at
// 100,000 rows the state used to be one 16.9 KB value that the store refused) is planned in pieces over
// two executions and starts sending.

import { PROPERTY_STORE_LIMIT_BYTES, PROPERTY_VALUE_LIMIT_BYTES } from '../../../emulator/services/properties';
import { CODE, ensureBuilt, invoiceRows, sendRows, setupSend } from './helpers';
import { Runner } from '../../../emulator/runner';
import { makePdf } from '../../../emulator/demo/binary-files';

describe('state size', () => {
  beforeAll(ensureBuilt);

  it('a 60,000-row list is planned and sends, every user property under 9 KB and the store under 500 KB', () => {
    const rows = invoiceRows(60_000).map((row) => ({ ...row, attachments: 'CGV.pdf' }));
    const { workspace } = setupSend(rows, { files: [{ name: 'CGV.pdf', bytes: new Uint8Array(makePdf(['Conditions générales'])) }] });
    // The emulator's own work on a 60,000-row tab (every cell copied in and out of the sandbox) takes
    // longer than the runner's default 20-s guard against a runaway script: the guard is raised here.
    const runner = new Runner(workspace, { scriptPath: CODE, sidebarPath: null, syncTimeoutMs: 120_000 });
    // Planned in pieces over several executions (50,000 rows at most each), each piece kept.
    let plan = runner.rpc('planSend', {});
    for (let i = 0; i < 20 && plan.outcome === 'completed' && !(plan.value as { complete: boolean }).complete; i++)
      plan = runner.rpc('planSend', {});
    expect(plan.error?.message).toBeUndefined();
    expect((plan.value as { complete: boolean; counts: { ready: number } }).complete).toBe(true);
    expect((plan.value as { counts: { ready: number } }).counts.ready).toBe(60_000);
    const start = runner.rpc('startSend');
    expect(start.error?.message).toBeUndefined();
    expect(start.outcome).toBe('completed');
    expect(workspace.mailbox.sentMessages().length).toBeGreaterThan(100);
    const store = workspace.properties.user;
    const largest = Math.max(...[...store.values.values()].map((v) => Buffer.byteLength(v)));
    expect(largest).toBeLessThanOrEqual(PROPERTY_VALUE_LIMIT_BYTES);
    expect(store.size()).toBeLessThanOrEqual(PROPERTY_STORE_LIMIT_BYTES);
    // The bitmap went into pieces of its own.
    expect([...store.values.keys()].filter((k) => k.startsWith('postroom.send.counted.')).length).toBeGreaterThan(1);
    expect(sendRows(workspace).filter((r) => r.status === 'sent').length).toBe(workspace.mailbox.sentMessages().length);
  });
});
