// CPU time of the script's own JavaScript, charged to its execution (emulator/runtime/script-cpu.ts):
// off by default (figures stay exact); when measured, only the script's segments between service calls
// are charged (× scale), never the emulator's own service work; the charge moves the virtual clock,
// counts against the 6-minute limit (the call that would cross it is cut off before it takes effect),
// and is reported per execution. A fake CPU clock makes the checks exact; one check uses the real one.

import { buildGlobals } from '../../../emulator/globals';
import { Runner } from '../../../emulator/runner';
import { ScriptCpuMeter } from '../../../emulator/runtime/script-cpu';
import { Workspace } from '../../../emulator/workspace';

const script = `
  function threeCalls() { burn(100); Logger.log('a'); burn(50); Logger.log('b'); burn(20); Logger.log('c'); burn(5); return 1; }
  function slowThenWrite() { burn(121000); PropertiesService.getScriptProperties().setProperty('k', 'v'); return 'written'; }
  function busy(n) { var h = 0; for (var i = 0; i < n; i++) { h = (h * 31 + i) | 0; } Logger.log(h); return h; }
`;

/** A workspace whose CPU clock only moves when the script calls burn(ms) or a service works (+1000). */
function fakeCpu(scale = 3) {
  const workspace = Workspace.create();
  let cpu = 0;
  workspace.ctx.cpu = new ScriptCpuMeter({ mode: 'measured', scale }, () => cpu);
  // Expensive emulator work inside every service call: must never be charged.
  workspace.ctx.beforeCallHook = () => {
    cpu += 1000;
  };
  const runner = new Runner(workspace, {
    source: script,
    globals: (ws, env) => ({ ...buildGlobals(ws, env), burn: (ms: number) => (cpu += ms) }),
  });
  return { workspace, runner };
}

describe('script CPU time, measured', () => {
  it("charges the script's segments between calls, scaled, and never the service work", () => {
    const { workspace, runner } = fakeCpu(3);
    const result = runner.menu('threeCalls');
    expect(result.outcome).toBe('completed');
    expect(result.counts.scriptCpuMs).toBe((100 + 50 + 20 + 5) * 3);
    // Logger costs 0 ms of latency: the execution's whole virtual time is the script's CPU.
    expect(result.endedAt - result.startedAt).toBe(525);
    expect(result.counts.virtualMs).toBe(525);
    expect(workspace.accounting.total.scriptCpuMs).toBe(525);
    expect(workspace.accounting.snapshot().byExecution[0].scriptCpuMs).toBe(525);
  });

  it('counts against the 6-minute limit: the call that comes after crossing it never takes effect', () => {
    const { workspace, runner } = fakeCpu(3); // 121 s × 3 = 6 min 3 s
    const result = runner.menu('slowThenWrite');
    expect(result.outcome).toBe('timed-out');
    expect(result.error?.message).toBe('Exceeded maximum execution time');
    expect(workspace.properties.script.values.has('k')).toBe(false);
  });

  it('uses the scale given (1 = this machine’s speed)', () => {
    const { runner } = fakeCpu(1);
    expect(runner.menu('threeCalls').counts.scriptCpuMs).toBe(175);
  });

  it('measures real CPU time with the process clock', () => {
    const workspace = Workspace.create({ scriptCpu: { mode: 'measured' } });
    const runner = new Runner(workspace, { source: script });
    const result = runner.invoke('busy', [3_000_000]);
    expect(result.outcome).toBe('completed');
    expect(result.counts.scriptCpuMs).toBeGreaterThan(0);
    expect(result.counts.virtualMs).toBeGreaterThanOrEqual(result.counts.scriptCpuMs);
  });
});

describe('script CPU time, off (the default)', () => {
  it('charges nothing: virtual time is the service latencies only, run after run', () => {
    const workspace = Workspace.create();
    const runner = new Runner(workspace, { source: script });
    const first = runner.invoke('busy', [3_000_000]);
    const second = runner.invoke('busy', [3_000_000]);
    expect(first.counts.scriptCpuMs).toBe(0);
    expect(first.counts.virtualMs).toBe(0); // Logger.log costs 0 ms
    expect(second.counts.virtualMs).toBe(first.counts.virtualMs);
  });
});
