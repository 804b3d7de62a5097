// At the daily cap the job resumes when the slots the rows left need are free (up to a group's worth),
// not at the first free slot: the next day's rows go out in one execution, at the instant the progress
// (and its "reprise automatique à …" line) announced.

import type { SendContinue } from '../../../emulator/commands/send';
import { DAY_MS } from '../../../src/server/domain/send/daily-cap';
import { ensureBuilt, invoiceRows, sendRows, setupSend } from './helpers';

describe('resuming at the daily cap', () => {
  beforeAll(ensureBuilt);

  it('waits for the slots the rows left need, then sends them in one execution at the announced time', () => {
    // One send a second, so that each send has its own sent_at and the window frees them one by one.
    const { workspace, runner } = setupSend(invoiceRows(30), { settings: { dailyCap: 20, maxPerSecond: 1, batchSize: 1 } });
    const view = (runner.rpc('startSend', {}).value as SendContinue).progress!;
    expect(view).toMatchObject({ state: 'paused-quota', sent: 20 });
    const sentAt = sendRows(workspace)
      .filter((row) => row.status === 'sent')
      .map((row) => Date.parse(String(row.sent_at)))
      .sort((a, b) => a - b);
    expect(new Set(sentAt).size).toBe(20);
    // 10 rows left: the job resumes when the 10th oldest send leaves the 24-h window, not the 1st.
    expect(view.resumeAt).toBe(sentAt[9] + DAY_MS);
    const hhmm = new Date(view.resumeAt!).toISOString().slice(11, 16);
    expect(view.events.some((line) => line.includes(`reprise automatique à ${hhmm} UTC`))).toBe(true);

    const fired = runner.advanceAndFire(25 * 3_600_000);
    const sending = fired.filter((r) => Object.keys(r.counts.calls).some((method) => /messages\.send$/.test(method)));
    expect(sending).toHaveLength(1);
    expect(sending[0].startedAt).toBeGreaterThanOrEqual(view.resumeAt!);
    expect(workspace.mailbox.sentMessages()).toHaveLength(30);
    expect(sendRows(workspace).every((row) => row.status === 'sent')).toBe(true);
  });
});
