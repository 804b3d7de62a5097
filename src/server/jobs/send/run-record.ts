// What outlives an execution besides the sheet and the state: the continuation trigger that goes on
// without a sidebar, and the run's row in the JobRuns tab when the send ends.

import type { SendContext } from './context';
import { runUsage } from './context';
import { SEND_CONTINUATION_HANDLER } from './constants';
import type { SendDeps } from './deps';

export function scheduleContinuation(s: SendContext, delayMs: number): void {
  s.deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, Math.max(60_000, delayMs));
}

export function stopContinuation(deps: SendDeps): void {
  deps.scheduler.schedule(SEND_CONTINUATION_HANDLER, { kind: 'off' });
}

/** The run's row in JobRuns (added, or updated when a killed execution had added it already). */
export function recordRun(s: SendContext): void {
  const p = s.progress;
  const now = s.deps.clock.now();
  const { calls, units } = runUsage(s);
  s.deps.jobRuns.record({
    runId: s.job.runId,
    status: p.state === 'cancelled' ? 'cancelled' : p.failed ? 'done_with_errors' : 'done',
    startedAt: p.startedAt ?? s.job.createdAt,
    finishedAt: p.finishedAt ?? now,
    total: p.total,
    sent: p.sent,
    failed: p.failed,
    gmailCalls: calls,
    summary: `${p.sent} sent, ${p.failed} failed, ${Math.max(0, p.total - p.sent - p.failed)} not sent of ${p.total}; ${s.job.executions} execution(s); ${units} Gmail units; transport ${s.deps.transport.kind}`,
  });
}
