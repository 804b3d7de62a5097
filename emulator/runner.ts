// The execution runner: runs a script's function the way Apps Script does. Each `invoke` is ONE
// execution: a fresh `node:vm` context holding only the Apps Script globals (so global state never
// survives from one execution to the next), the script loaded into it, the function called by name.
//   menu / trigger / cli    6-minute limit; `trigger` gets the time-driven event object
//   rpc                     google.script.run: JSON-like arguments and result, no Date, no `name_`
//   card / simple-trigger   30-second limit (Workspace add-on card actions, onOpen)
// The limit is a hard kill: once it passes, every service call throws (ServiceContext.call), and an
// execution that caught that error and returned is still reported as timed-out. Locks the execution
// holds are released at its end. With script CPU metering on (workspace option `scriptCpu`), the
// script's own JavaScript is charged to the clock between service calls (runtime/script-cpu.ts).
// Due time-driven triggers fire as executions as the virtual clock
// moves (`advanceAndFire`, `runUntilIdle`), within the daily trigger runtime budget.
// https://developers.google.com/apps-script/guides/services/quotas#current_limitations
// https://developers.google.com/apps-script/guides/html/communication

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
import {
  Execution,
  ExecutionTerminated,
  seededRandom,
  type Accounting,
  type CallCounts,
  type ExecutionKind,
  type ScriptErrorConstructors,
  type ServiceContext,
  type VirtualClock,
} from './runtime/execution';
import { buildGlobals } from './globals';
import { marshalRpcArguments, marshalRpcResult } from './runtime/rpc-values';
import { TRIGGER_RUNTIME_EXCEEDED, type TriggerRuntimeBudget } from './runtime/trigger-budget';
import { makeVirtualDate } from './runtime/virtual-date';
import { Workspace } from './workspace';

export type InvokeOutcome = 'completed' | 'threw' | 'timed-out' | 'killed';

export interface InvokeError {
  name: string;
  message: string;
  stack?: string;
}

export interface InvokeResult {
  outcome: InvokeOutcome;
  value?: unknown;
  error?: InvokeError;
  executionId: number;
  kind: ExecutionKind;
  fn: string;
  counts: CallCounts;
  /** Virtual start and end of the execution (epoch ms). */
  startedAt: number;
  endedAt: number;
  /** Log lines written by this execution (Logger.log, console.*). */
  logs: string[];
}

/** A due time-driven trigger, as the workspace's trigger store reports it. */
export interface DueTrigger {
  uid: string;
  handler: string;
}

/** What the runner needs from a workspace (emulator/workspace.ts implements it). */
export interface RunnerWorkspace {
  readonly clock: VirtualClock;
  readonly accounting: Accounting;
  readonly ctx: ServiceContext;
  /** HTML files HtmlService.createHtmlOutputFromFile can serve, by name ("Sidebar"). */
  readonly htmlFiles: Record<string, string>;
  readonly triggerBudget: TriggerRuntimeBudget;
  /** The script time zone (appsscript.json timeZone): the zone of the script's Date methods. */
  readonly timeZone: string;
  /** Log entries, in order; the runner reports the ones an execution wrote. */
  readonly logs: ReadonlyArray<{ level: string; message: string }>;
  releaseLocksOf(executionId: number): void;
  /** Seeds the execution's Math.random (default 1). */
  readonly seed?: number;
  /** Sheets writes of an execution: applied at a normal end, discarded when it was cut off. */
  readonly sheets?: { commitWrites(executionId: number): void; discardWrites(executionId: number): number };
  dueTriggers(now: number): DueTrigger[];
  markTriggerFired(uid: string, at: number): void;
  /** Epoch ms of the next time-driven trigger, or null when none is scheduled. */
  nextTriggerAt(): number | null;
  /** The event object of a time-driven trigger firing at `at` (before the trigger is marked fired). */
  triggerEvent(uid: string, at: number): unknown;
}

export interface ExecutionEnvironment {
  /** The execution's own Date (virtual now). Services may use it to make Dates for the script. */
  Date: DateConstructor;
  execution: Execution;
}

export type GlobalsFactory<W extends RunnerWorkspace> = (workspace: W, environment: ExecutionEnvironment) => Record<string, unknown>;

export interface RunnerOptions<W extends RunnerWorkspace> {
  /** Script source; when absent, read from `scriptPath`. */
  source?: string;
  /** Default: dist/Code.js. */
  scriptPath?: string;
  /** Default: dist/Sidebar.html served as "Sidebar" when it exists. */
  sidebarPath?: string | null;
  /** Builds the globals of one execution; default emulator/globals.ts `buildGlobals` (needs a Workspace). */
  globals?: GlobalsFactory<W>;
  /** Real-time guard against runaway synchronous loops, per execution (default 20 s). */
  syncTimeoutMs?: number;
  /**
   * The time zone the script's Date methods use during an execution (process.env.TZ is set for its
   * duration and restored after). Default: the workspace's script time zone; null leaves TZ alone.
   */
  timeZone?: string | null;
}

export interface InvokeOptions {
  /** Run other work in the middle of this execution, just before its Nth service call takes effect. */
  during?: Array<{ atCall: number; run: () => void }>;
  /** The event object of a time-driven execution (else `args` is passed as given). */
  event?: unknown;
  /** Evaluate this expression after loading the script, instead of calling `fn` (see `evaluate`). */
  expression?: string;
}

export interface IdleOptions {
  maxExecutions?: number;
  /** Stop once the virtual clock has moved this far (default one day). */
  maxVirtualMs?: number;
  /** Stop as soon as this returns true (checked after each execution). */
  until?: () => boolean;
}

const INVOKER = new vm.Script(
  `(() => {
    const call = globalThis.__postroomInvoke__;
    delete globalThis.__postroomInvoke__;
    const fn = globalThis[call.name];
    if (typeof fn !== 'function') return { missing: true };
    const args = call.argsJson === undefined ? call.args : JSON.parse(call.argsJson);
    const value = fn.apply(undefined, args);
    if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
      const box = { settled: false };
      value.then((v) => { box.settled = true; box.value = v; }, (e) => { box.settled = true; box.error = e; box.failed = true; });
      return { promise: box };
    }
    return { value };
  })()`,
  { filename: 'postroom-runner-invoke.js' },
);

/** Evaluates an expression in the loaded script's global scope (tests inspecting the bundle). */
function expressionInvoker(expression: string): vm.Script {
  return new vm.Script(`(() => { delete globalThis.__postroomInvoke__; return { value: (${expression}) }; })()`, {
    filename: 'postroom-runner-evaluate.js',
  });
}

const SCRIPT_KINDS_BY_LIMIT: Record<ExecutionKind, string> = {
  menu: 'menu',
  rpc: 'google.script.run',
  trigger: 'time-driven trigger',
  card: 'card action',
  cli: 'cli',
  'simple-trigger': 'simple trigger',
};

function describeError(error: unknown): InvokeError {
  if (error !== null && typeof error === 'object' && 'message' in error) {
    const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
    return { name: String(name ?? 'Error'), message: String(message), stack: typeof stack === 'string' ? stack : undefined };
  }
  return { name: 'Error', message: String(error) };
}

function isVmTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

export class Runner<W extends RunnerWorkspace = Workspace> {
  private readonly script: vm.Script;
  private readonly syncTimeoutMs: number;
  private readonly globals: GlobalsFactory<W>;
  readonly results: InvokeResult[] = [];

  constructor(
    readonly workspace: W,
    private readonly options: RunnerOptions<W> = {},
  ) {
    if (options.globals) this.globals = options.globals;
    else if (workspace instanceof Workspace) this.globals = buildGlobals as unknown as GlobalsFactory<W>;
    else throw new Error('Runner: pass `globals` for a workspace that is not an emulator Workspace');
    const scriptPath = resolve(options.scriptPath ?? 'dist/Code.js');
    const source = options.source ?? readFileSync(scriptPath, 'utf8');
    this.script = new vm.Script(source, { filename: options.source !== undefined ? 'script.js' : scriptPath });
    this.syncTimeoutMs = options.syncTimeoutMs ?? 20_000;
    const sidebarPath =
      options.sidebarPath === undefined ? (options.source === undefined ? resolve('dist/Sidebar.html') : null) : options.sidebarPath;
    if (sidebarPath && existsSync(sidebarPath) && workspace.htmlFiles.Sidebar === undefined) {
      workspace.htmlFiles.Sidebar = readFileSync(sidebarPath, 'utf8');
    }
  }

  /** Loads the script into a fresh context with fresh globals. */
  private createContext(execution: Execution): vm.Context {
    const VirtualDate = makeVirtualDate(() => this.workspace.clock.now());
    const globals = this.globals(this.workspace, { Date: VirtualDate, execution });
    const context = vm.createContext(
      { ...globals, Date: VirtualDate },
      {
        name: `execution ${execution.id} (${execution.fn})`,
        codeGeneration: { strings: true, wasm: false },
        microtaskMode: 'afterEvaluate',
      },
    );
    // Math.random seeded from the workspace seed and the execution's ordinal: jitter and random ids
    // in the script are reproducible, so benchmark figures are deterministic.
    (vm.runInContext('Math', context) as { random: () => number }).random = seededRandom(
      (this.workspace.seed ?? 1) * 7919 + execution.ordinal,
    );
    // Errors thrown by services are re-created in this realm (see ServiceContext.scriptErrors).
    this.workspace.ctx.scriptErrors = vm.runInContext('({ Error, TypeError, RangeError })', context) as ScriptErrorConstructors;
    return context;
  }

  /** One execution of `fn` as Apps Script runs it. */
  invoke(fn: string, args: unknown[] = [], kind: ExecutionKind = 'menu', options: InvokeOptions = {}): InvokeResult {
    const { workspace } = this;
    const { ctx, clock, accounting } = workspace;
    accounting.executions += 1;
    const ordinal = accounting.executions;
    const execution = new Execution(ordinal, ordinal, kind, fn, clock.now());
    const logStart = workspace.logs.length;
    const previous = ctx.execution;
    const previousHook = ctx.beforeCallHook;
    const previousErrors = ctx.scriptErrors;
    const during = [...(options.during ?? [])];

    let value: unknown;
    let error: InvokeError | undefined;
    let threw = false;
    const fail = (reason: unknown) => {
      threw = true;
      error = describeError(reason);
    };

    // Apps Script's Date works in the script's time zone (appsscript.json timeZone); Node's follows TZ.
    const previousTz = process.env.TZ;
    const timeZone = this.options.timeZone === undefined ? workspace.timeZone : this.options.timeZone;
    if (timeZone) process.env.TZ = timeZone;
    ctx.execution = execution;
    ctx.beforeCallHook = (method) => {
      if (ctx.execution === execution) {
        for (const step of during.filter((entry) => entry.atCall === execution.callIndex)) {
          during.splice(during.indexOf(step), 1);
          step.run(); // a nested invoke saves and restores ctx.execution and the hook itself
          ctx.execution = execution;
        }
      }
      previousHook?.(method);
    };
    try {
      if (kind === 'trigger' && workspace.triggerBudget.isExhausted(clock.now())) {
        fail(new Error(TRIGGER_RUNTIME_EXCEEDED));
      } else {
        let callArgs: { args?: unknown[]; argsJson?: string } = { args };
        if (kind === 'rpc') {
          if (fn.endsWith('_')) throw new TypeError(`google.script.run.${fn} is not a function`);
          callArgs = { argsJson: JSON.stringify(marshalRpcArguments(args)) };
        }
        const context = this.createContext(execution);
        if (options.event !== undefined) callArgs = { args: [options.event] };
        // From here the script's own JavaScript runs: its CPU time is metered (when on) between service calls.
        ctx.enterScript(execution);
        this.script.runInContext(context, { timeout: this.syncTimeoutMs, displayErrors: false });
        Object.defineProperty(context, '__postroomInvoke__', {
          value: { name: fn, ...callArgs },
          configurable: true,
          enumerable: false,
          writable: true,
        });
        const invoker = options.expression !== undefined ? expressionInvoker(options.expression) : INVOKER;
        const result = invoker.runInContext(context, { timeout: this.syncTimeoutMs, displayErrors: false }) as {
          missing?: boolean;
          value?: unknown;
          promise?: { settled: boolean; value?: unknown; error?: unknown; failed?: boolean };
        };
        if (result.missing) {
          fail(new Error(`Script function not found: ${fn}`));
        } else if (result.promise) {
          if (!result.promise.settled) fail(new Error(`${fn} returned a promise that never settled (Apps Script has no event loop)`));
          else if (result.promise.failed) fail(result.promise.error);
          else value = result.promise.value;
        } else {
          value = result.value;
        }
      }
    } catch (reason) {
      if (isVmTimeout(reason)) {
        // A synchronous loop that spins for real seconds would have reached the deadline on the platform
        // (the whole limit is charged below, so the spinning segment's CPU time is not charged on top).
        execution.scriptCpuSince = null;
        if (clock.now() < execution.deadline) ctx.advance(execution.deadline - clock.now());
        execution.terminated ??= new ExecutionTerminated('timed-out');
      }
      fail(reason);
    } finally {
      ctx.leaveScript(execution);
      ctx.execution = previous;
      ctx.scriptErrors = previousErrors;
      ctx.beforeCallHook = previousHook;
      if (timeZone) {
        if (previousTz === undefined) delete process.env.TZ;
        else process.env.TZ = previousTz;
      }
    }

    let outcome: InvokeOutcome;
    if (execution.terminated) outcome = execution.terminated.reason;
    else if (clock.now() > execution.deadline) outcome = 'timed-out';
    else outcome = threw ? 'threw' : 'completed';
    if (outcome === 'timed-out' || outcome === 'killed') {
      error = describeError(execution.terminated ?? new ExecutionTerminated('timed-out'));
      value = undefined;
    }
    execution.outcome = outcome;
    // Sheets writes not yet flushed: applied at a normal end, lost when the execution was cut off.
    if (outcome === 'timed-out' || outcome === 'killed') workspace.sheets?.discardWrites(execution.id);
    else workspace.sheets?.commitWrites(execution.id);
    workspace.releaseLocksOf(execution.id);
    if (kind === 'trigger') workspace.triggerBudget.charge(execution.startedAt, clock.now() - execution.startedAt);
    if (outcome === 'killed') accounting.killedExecutions += 1;
    accounting.byExecution.push({ ...structuredClone(execution.counts), id: execution.id, kind, fn, outcome });

    const report: InvokeResult = {
      outcome,
      executionId: execution.id,
      kind,
      fn,
      counts: structuredClone(execution.counts),
      startedAt: execution.startedAt,
      endedAt: clock.now(),
      logs: workspace.logs
        .slice(logStart)
        .map((entry) => (entry.level === 'Logger' || entry.level === 'log' ? entry.message : `${entry.level}: ${entry.message}`)),
    };
    if (outcome === 'completed') report.value = kind === 'rpc' ? marshalRpcResult(value) : value;
    if (error) report.error = error;
    this.results.push(report);
    return report;
  }

  /**
   * Loads the script in a fresh execution and evaluates `expression` in its global scope, e.g.
   * `Object.keys(PostroomBundle.entryPoints.api)`: how tests look inside the loaded bundle.
   */
  evaluate(expression: string): InvokeResult {
    return this.invoke('(evaluate)', [], 'cli', { expression });
  }

  /** google.script.run.<fn>(...args) */
  rpc(fn: string, ...args: unknown[]): InvokeResult {
    return this.invoke(fn, args, 'rpc');
  }

  /** A menu item (or the script editor's Run button). */
  menu(fn: string): InvokeResult {
    return this.invoke(fn, [], 'menu');
  }

  /** A Workspace add-on card action (homepage, contextual trigger, button): 30 s. */
  card(fn: string, event: unknown = {}): InvokeResult {
    return this.invoke(fn, [event], 'card');
  }

  /** A simple trigger (onOpen, onInstall): 30 s. */
  simpleTrigger(fn: string, event: unknown = {}): InvokeResult {
    return this.invoke(fn, [event], 'simple-trigger');
  }

  /** Fires every time-driven trigger due now, each as its own execution. */
  runDueTriggers(): InvokeResult[] {
    const { workspace } = this;
    const results: InvokeResult[] = [];
    for (const trigger of workspace.dueTriggers(workspace.clock.now())) results.push(this.fire(trigger));
    return results;
  }

  /** One firing of a time-driven trigger: its event, its bookkeeping, its execution. */
  private fire(trigger: DueTrigger): InvokeResult {
    const { workspace } = this;
    const at = workspace.clock.now();
    const event = workspace.triggerEvent(trigger.uid, at);
    workspace.markTriggerFired(trigger.uid, at);
    workspace.accounting.triggersFired += 1;
    return this.invoke(trigger.handler, [], 'trigger', { event });
  }

  /** Moves the virtual clock forward by `ms`, firing triggers as they come due. */
  advanceAndFire(ms: number): InvokeResult[] {
    const { clock } = this.workspace;
    const target = clock.now() + ms;
    const results: InvokeResult[] = [...this.runDueTriggers()];
    for (;;) {
      const next = this.workspace.nextTriggerAt();
      if (next === null || next > target) break;
      if (next > clock.now()) this.workspace.ctx.advance(next - clock.now());
      const fired = this.runDueTriggers();
      results.push(...fired);
      if (fired.length === 0) break; // a trigger reported due but not fired: avoid spinning
    }
    if (clock.now() < target) this.workspace.ctx.advance(target - clock.now());
    return results;
  }

  /** Fires triggers as they come due until none is scheduled, `until()` holds, or a limit is reached. */
  runUntilIdle(options: IdleOptions = {}): InvokeResult[] {
    const { clock } = this.workspace;
    const maxExecutions = options.maxExecutions ?? 100;
    const stopAt = clock.now() + (options.maxVirtualMs ?? 24 * 60 * 60_000);
    const results: InvokeResult[] = [];
    while (results.length < maxExecutions && !options.until?.()) {
      const next = this.workspace.nextTriggerAt();
      if (next === null || next > stopAt) break;
      if (next > clock.now()) this.workspace.ctx.advance(next - clock.now());
      const due = this.workspace.dueTriggers(clock.now()).slice(0, maxExecutions - results.length);
      if (due.length === 0) break;
      for (const trigger of due) {
        results.push(this.fire(trigger));
        if (options.until?.()) break;
      }
    }
    return results;
  }

  /** Human words for an execution kind (CLI output). */
  static describeKind(kind: ExecutionKind): string {
    return SCRIPT_KINDS_BY_LIMIT[kind];
  }
}
