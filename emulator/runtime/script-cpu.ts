// CPU time of the script's OWN JavaScript, charged to its execution. The emulator's services cost
// virtual time by the latency table; the script's code between service calls (parsing, loops, codecs
// written in JavaScript, JSON, string building) cost nothing before. With mode 'measured', the runner
// opens a "script segment" when it hands control to the script (loading it, calling the function) and
// every service call closes it: the process CPU time (user + system, process.cpuUsage) spent in the
// segment, times `scale`, is added to the virtual clock and to the execution's `scriptCpuMs`, and counts
// against the 6-minute (or 30 s) limit like any latency. The emulator's own service work runs while no
// segment is open, so it is not charged twice.
//
// `scale` (default 3): Apps Script's V8 runs on shared Google servers whose speed is not published;
// public micro-benchmarks and the common experience of script authors put it several times slower than
// Node on a developer machine. 3 is a middle estimate, not a measurement; pass another with
// `scriptCpu: { mode: 'measured', scale }` (CLI --cpu-scale).
//
// Measured time is NOT deterministic (machine, load, JIT warm-up, GC): mode 'off' (the Workspace
// default) keeps every figure reproducible for tests and benchmarks; the CLI measures by default.
// See emulator/FIDELITY.md, "Runtime: CPU time of the script".

export type ScriptCpuMode = 'off' | 'measured';

export interface ScriptCpuOptions {
  mode: ScriptCpuMode;
  /** Apps Script's V8 is this many times slower than this machine (default 3). */
  scale?: number;
}

export const DEFAULT_CPU_SCALE = 3;

/** Reads a CPU clock in milliseconds (process user + system time by default; tests inject their own). */
export type CpuClock = () => number;

export const processCpuClock: CpuClock = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Where a running execution's script segment started (CPU ms), or null when no segment is open. */
export interface CpuSegment {
  scriptCpuSince: number | null;
}

export class ScriptCpuMeter {
  readonly mode: ScriptCpuMode;
  readonly scale: number;

  constructor(
    options: ScriptCpuOptions = { mode: 'off' },
    private readonly clock: CpuClock = processCpuClock,
  ) {
    const scale = options.scale ?? DEFAULT_CPU_SCALE;
    if (!Number.isFinite(scale) || scale <= 0) throw new Error(`ScriptCpuMeter: scale must be a positive number (got ${scale})`);
    this.mode = options.mode;
    this.scale = scale;
  }

  get enabled(): boolean {
    return this.mode === 'measured';
  }

  /** The script gets control: a segment opens (nothing when off or already open). */
  open(segment: CpuSegment): void {
    if (this.enabled && segment.scriptCpuSince === null) segment.scriptCpuSince = this.clock();
  }

  /**
   * The script hands control to the emulator (a service call, or its end): closes the open segment and
   * returns its scaled CPU time in whole virtual milliseconds to charge (0 when none was open). The
   * fraction below 1 ms is carried into the next segment, so many tiny segments still add up.
   */
  close(segment: CpuSegment & { scriptCpuCarry?: number }): number {
    if (!this.enabled || segment.scriptCpuSince === null) return 0;
    const spent = Math.max(0, this.clock() - segment.scriptCpuSince) * this.scale + (segment.scriptCpuCarry ?? 0);
    segment.scriptCpuSince = null;
    const whole = Math.floor(spent);
    segment.scriptCpuCarry = spent - whole;
    return whole;
  }
}
