// Pause and cancel, as the user asked them (a request in its own property, applied by the running
// chunk at its next step). Cancel puts queued rows back to pending; rows in doubt are checked in SENT
// first (they may have gone out), so a cancel completes only once none is left in doubt.

import { cancelProgress, pauseByUser } from '../../domain/send/progress';
import type { SendControl } from '../../ports/send';
import type { SendContext } from './context';
import { settledRows, verifyInDoubt } from './in-doubt';

/** Applies a pause or cancel asked by the user. Returns true when the chunk must stop. */
export function applyControl(s: SendContext, control: SendControl): boolean {
  const now = s.deps.clock.now();
  if (control.action === 'pause') {
    if (s.progress.state === 'running' || s.progress.state === 'paused-quota') s.progress = pauseByUser(s.progress, control.by, now);
    s.deps.state.clearControl();
    return true;
  }
  const runRows = s.table.ofRun(s.job.runId);
  for (const row of runRows) if (row.status === 'queued') s.table.set(row, { status: 'pending', runId: '', sendId: '', nextAttemptAt: '' });
  const inDoubt = runRows.filter((row) => row.status === 'sending');
  const settled = settledRows(inDoubt, now);
  if (settled.length === inDoubt.length && verifyInDoubt(s, inDoubt, true)) {
    for (const row of inDoubt)
      if (row.status === 'queued') s.table.set(row, { status: 'pending', runId: '', sendId: '', nextAttemptAt: '' });
    s.progress = cancelProgress(s.progress, now);
    s.deps.state.clearControl();
  }
  return true;
}
