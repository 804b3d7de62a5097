// Shared setup for the script-service conformance tests: a fresh clock, accounting and context.

import { Accounting, FaultPlan, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';

export function newContext(start = Date.UTC(2026, 0, 15, 8, 0, 0), seed = 1): ServiceContext {
  return new ServiceContext(new VirtualClock(start), new Accounting(), new FaultPlan({ seed }));
}
