// The heart of the emulator's runtime: the virtual clock, the accounting, the fault plan and the
// execution in progress. Every emulated service method goes through `ServiceContext.call`, which
//   1. refuses the call when the execution is over (6-minute deadline, 30 s for card actions, or a kill):
//      after that moment nothing can be written, as on the real platform;
//   2. counts the call (per "Service.method"), its Gmail quota units and its recipients;
//   3. advances the virtual clock by the method's latency (emulator/latency.ts);
//   4. may inject a seeded transient fault or kill the execution (FaultPlan);
//   5. runs the service's own behaviour.
// With script CPU metering on (runtime/script-cpu.ts), a call first charges the CPU time the script's
// own JavaScript spent since the previous call (scaled) to the virtual clock, and is cut off when that
// crosses the deadline.

import { latencyOf } from '../latency';
import { ScriptCpuMeter } from './script-cpu';

/** Virtual time in epoch milliseconds. Only service calls and Utilities.sleep move it. */
export class VirtualClock {
  private ms: number;
  constructor(start: number | Date = Date.UTC(2026, 0, 15, 8, 0, 0)) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    if (ms < 0 || !Number.isFinite(ms)) throw new Error(`VirtualClock.advance: bad duration ${ms}`);
    this.ms += ms;
  }
  set(ms: number): void {
    if (ms < this.ms) throw new Error('VirtualClock.set: time cannot go backwards');
    this.ms = ms;
  }
}

export interface CallCounts {
  calls: Record<string, number>;
  gmailUnits: number;
  recipients: number;
  virtualMs: number;
  /** Virtual ms charged for the script's own JavaScript (0 unless script CPU metering is on); part of virtualMs. */
  scriptCpuMs: number;
}

export interface AccountingSnapshot extends CallCounts {
  executions: number;
  killedExecutions: number;
  triggersFired: number;
  faultsInjected: number;
  byExecution: Array<CallCounts & { id: number; kind: ExecutionKind; fn: string; outcome: ExecutionOutcome }>;
}

export function emptyCounts(): CallCounts {
  return { calls: {}, gmailUnits: 0, recipients: 0, virtualMs: 0, scriptCpuMs: 0 };
}

/** Totals over the workspace's life, and one row per execution. */
export class Accounting {
  readonly total: CallCounts = emptyCounts();
  executions = 0;
  killedExecutions = 0;
  triggersFired = 0;
  faultsInjected = 0;
  readonly byExecution: AccountingSnapshot['byExecution'] = [];

  count(execution: Execution | null, method: string, gmailUnits: number, recipients: number): void {
    for (const counts of execution ? [this.total, execution.counts] : [this.total]) {
      counts.calls[method] = (counts.calls[method] ?? 0) + 1;
      counts.gmailUnits += gmailUnits;
      counts.recipients += recipients;
    }
  }

  /** Calls whose method starts with `prefix` ("SpreadsheetApp", "Gmail.", "UrlFetchApp.fetchAll"). */
  callsMatching(prefix: string, counts: CallCounts = this.total): number {
    return Object.entries(counts.calls)
      .filter(([method]) => method.startsWith(prefix))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  snapshot(): AccountingSnapshot {
    return {
      ...structuredClone(this.total),
      executions: this.executions,
      killedExecutions: this.killedExecutions,
      triggersFired: this.triggersFired,
      faultsInjected: this.faultsInjected,
      byExecution: structuredClone(this.byExecution),
    };
  }
}

/** mulberry32: a small, seedable PRNG, so every fault plan is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type TransientFault = 'http429' | 'http500' | 'http503' | 'network';

export interface FaultOptions {
  seed?: number;
  /** Probability (0..1) that a faultable call fails transiently; per-method overrides below. */
  rate?: number;
  rateByMethod?: Record<string, number>;
  /**
   * Share (0..1) of injected 500 / 503 answers whose request the server DID carry out before answering
   * (Gmail may send a message and still answer 5xx). Default 0: a faulted request never reaches the
   * route. Drawn only when set, so the fault sequence of a seed without it is unchanged.
   */
  serverErrorsExecuted?: number;
  /** Kill the execution at its Nth service call (1-based), in every execution. */
  killEvery?: number;
  /** Kill only the execution with this 1-based ordinal, at `killAtCall`. */
  killExecution?: number;
  killAtCall?: number;
  /**
   * A fault chosen for one UrlFetchApp request by what it asks (tests: "every upload of scan-4.png is
   * refused"); null lets the seeded draw decide. Consulted before the draw, which it then does not consume.
   */
  requestFault?: (request: { method: string; url: string; payload: Uint8Array }) => TransientFault | null;
}

/** Seeded fault injection: transient errors at a rate per method, and kills at the Nth call. */
export class FaultPlan {
  readonly random: () => number;
  constructor(readonly options: FaultOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** A transient fault to inject on this call, or null. Only calls marked faultable are eligible. */
  transientFault(method: string): TransientFault | null {
    const rate = this.options.rateByMethod?.[method] ?? this.options.rate ?? 0;
    if (rate <= 0 || this.random() >= rate) return null;
    const kinds: TransientFault[] = ['http429', 'http500', 'http503', 'network'];
    return kinds[Math.floor(this.random() * kinds.length)];
  }

  /** Whether this injected 5xx answer comes after the server carried the request out. */
  serverErrorExecuted(): boolean {
    const share = this.options.serverErrorsExecuted ?? 0;
    return share > 0 && this.random() < share;
  }

  shouldKill(execution: Execution): boolean {
    const { killEvery, killExecution, killAtCall } = this.options;
    if (killEvery && killEvery > 0 && execution.callIndex % killEvery === 0) return true;
    if (killExecution && killAtCall && execution.ordinal === killExecution && execution.callIndex === killAtCall) return true;
    return false;
  }
}

export type ExecutionKind = 'menu' | 'rpc' | 'trigger' | 'card' | 'cli' | 'simple-trigger';
export type ExecutionOutcome = 'running' | 'completed' | 'threw' | 'timed-out' | 'killed';

export const EXECUTION_LIMIT_MS: Record<ExecutionKind, number> = {
  menu: 6 * 60_000,
  rpc: 6 * 60_000,
  trigger: 6 * 60_000,
  cli: 6 * 60_000,
  card: 30_000,
  'simple-trigger': 30_000,
};

/** Thrown by every service call once the execution is over. Scripts may catch it; it changes nothing. */
export class ExecutionTerminated extends Error {
  constructor(readonly reason: 'timed-out' | 'killed') {
    super(reason === 'timed-out' ? 'Exceeded maximum execution time' : 'Execution killed (emulator fault injection)');
    this.name = 'Error';
  }
}

/** One run of a script function, as Apps Script counts executions. */
export class Execution {
  readonly counts: CallCounts = emptyCounts();
  callIndex = 0;
  outcome: ExecutionOutcome = 'running';
  terminated: ExecutionTerminated | null = null;
  /** CPU clock (ms) at which the script last got control, or null while a service runs (script-cpu.ts). */
  scriptCpuSince: number | null = null;
  /** Scaled CPU below one virtual millisecond, carried to the next charge. */
  scriptCpuCarry = 0;
  readonly startedAt: number;
  readonly deadline: number;

  constructor(
    readonly id: number,
    readonly ordinal: number,
    readonly kind: ExecutionKind,
    readonly fn: string,
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.deadline = startedAt + EXECUTION_LIMIT_MS[kind];
  }
}

export interface CallOptions {
  /** Gmail API quota units this call costs (Gmail API quota page). */
  gmailUnits?: number;
  /** Recipients this call sends to (counts against the daily recipients quota). */
  recipients?: number;
  /** Latency to use instead of the table's (e.g. fetchAll: the slowest request). */
  latencyMs?: number;
  /** Whether a transient fault may be injected here; the service turns it into its own error. */
  faultable?: boolean;
}

export type FaultHandler = (fault: TransientFault) => never;

export interface ScriptErrorConstructors {
  Error: ErrorConstructor;
  TypeError: TypeErrorConstructor;
  RangeError: RangeErrorConstructor;
}

/**
 * What services see of the runtime. `call` wraps every emulated method. A service that can fail
 * transiently passes `onFault` to turn an injected fault into its own exact error.
 */
export class ServiceContext {
  execution: Execution | null = null;
  /**
   * The running script's own Error constructors (its vm realm), set by the runner per execution. Errors
   * a service throws are re-created with them, so that `error instanceof Error` holds in the script as
   * it does on the platform.
   */
  scriptErrors: ScriptErrorConstructors | null = null;
  /** How many service calls are under way (a service may call another). */
  private depth = 0;
  /** Called after a call is counted and before it runs: the runner uses it to interleave executions. */
  beforeCallHook: ((method: string) => void) | null = null;

  constructor(
    readonly clock: VirtualClock,
    readonly accounting: Accounting,
    public faults: FaultPlan = new FaultPlan(),
    /** Script CPU metering (off by default: deterministic figures). */
    public cpu: ScriptCpuMeter = new ScriptCpuMeter(),
  ) {}

  call<T>(method: string, fn: () => T, options: CallOptions = {}, onFault?: FaultHandler): T {
    // The script hands control to the emulator here (when its CPU segment is open): its own JavaScript
    // since the last call is charged first, and the segment reopens when the call returns or throws.
    const execution = this.execution;
    const fromScript = execution !== null && execution.scriptCpuSince !== null;
    this.depth += 1;
    try {
      if (fromScript) this.chargeScriptCpu(execution, true);
      return this.run(method, fn, options, onFault);
    } catch (error) {
      // Only where the error leaves the emulator for the script (the outermost call): emulator code
      // around nested calls still sees its own error classes.
      throw this.depth === 1 ? this.toScriptRealm(error) : error;
    } finally {
      this.depth -= 1;
      if (fromScript) this.cpu.open(execution);
    }
  }

  /** The runner gives the script control (loading it, calling its function): a CPU segment opens. */
  enterScript(execution: Execution): void {
    this.cpu.open(execution);
  }

  /** The script's call returned (or threw): its last CPU segment is charged. */
  leaveScript(execution: Execution): void {
    this.chargeScriptCpu(execution, false);
  }

  /** Closes the open CPU segment, charging it; before a call, ends the execution when it crossed the deadline. */
  private chargeScriptCpu(execution: Execution, beforeCall: boolean): void {
    const ms = this.cpu.close(execution);
    if (ms > 0) {
      execution.counts.scriptCpuMs += ms;
      this.accounting.total.scriptCpuMs += ms;
      this.advance(ms);
    }
    if (beforeCall && !execution.terminated && this.clock.now() > execution.deadline) this.terminate(execution, 'timed-out');
  }

  private run<T>(method: string, fn: () => T, options: CallOptions, onFault?: FaultHandler): T {
    const execution = this.execution;
    if (execution) {
      if (execution.terminated) throw execution.terminated;
      if (this.clock.now() >= execution.deadline) this.terminate(execution, 'timed-out');
      execution.callIndex += 1;
      if (this.faults.shouldKill(execution)) this.terminate(execution, 'killed');
    }
    this.accounting.count(execution, method, options.gmailUnits ?? 0, options.recipients ?? 0);
    const latency = options.latencyMs ?? latencyOf(method);
    this.advance(latency);
    // A call whose latency crosses the deadline is cut off before it takes effect.
    if (execution && this.clock.now() > execution.deadline) this.terminate(execution, 'timed-out');
    this.beforeCallHook?.(method);
    if (options.faultable && onFault) {
      const fault = this.faults.transientFault(method);
      if (fault) {
        this.accounting.faultsInjected += 1;
        onFault(fault);
      }
    }
    return fn();
  }

  /** A host-realm Error re-created in the script's realm (same name, message, stack and fields). */
  toScriptRealm(error: unknown): unknown {
    const realm = this.scriptErrors;
    if (!realm || !(error instanceof Error)) return error;
    const Constructor = error instanceof TypeError ? realm.TypeError : error instanceof RangeError ? realm.RangeError : realm.Error;
    const copy = new Constructor(error.message) as Error & Record<string, unknown>;
    for (const [key, value] of Object.entries(error)) copy[key] = value;
    Object.defineProperty(copy, 'name', { value: error.name, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(copy, 'stack', { value: error.stack, writable: true, configurable: true, enumerable: false });
    return copy;
  }

  /** Advances virtual time (service latency, Utilities.sleep), charging it to the execution. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.accounting.total.virtualMs += ms;
    if (this.execution) this.execution.counts.virtualMs += ms;
  }

  /** True when the current execution has been killed or has run out of time. */
  isTerminated(): boolean {
    return Boolean(this.execution?.terminated);
  }

  terminate(execution: Execution, reason: 'timed-out' | 'killed'): never {
    execution.terminated = new ExecutionTerminated(reason);
    throw execution.terminated;
  }
}
