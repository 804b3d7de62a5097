// The local CLI's command registry. A command is a name, a one-line summary, the extra flags it
// accepts and a handler that gets a ready workspace (common options applied: mailbox, clock, user,
// settings, faults) and a runner factory. Built-in commands (run, call, demo) live in emulator/cli.ts;
// job commands register themselves from their own file, which the CLI loads at start:
//
//   // emulator/commands/collect.ts
//   import { registerCommand } from '../cli-commands';
//   registerCommand('collect', {
//     summary: 'Collect receipts from the mailbox into Drive',
//     job: 'collect',                       // a flat --settings object is stored as this job's
//     flags: { 'max-executions': 'count' }, // extra flags: 'value', 'boolean', or 'count' (checked whole number >= 1)
//     run(cli) {
//       const runner = cli.runner();        // dist/Code.js (+ Sidebar.html) over cli.workspace
//       const result = runner.menu('collectNow');
//       cli.printJson(result.value);
//       return result.outcome === 'completed' ? 0 : 1;
//     },
//   });
//
// Every *.ts / *.js file of emulator/commands/ is loaded before the command line is parsed.
// `registerCommand(name, spec, { replace: true })` replaces a built-in (the send/collect work turns
// `demo` into the README's main job that way). The CLI writes --state-out after the handler returns.

import type { Runner } from './runner';
import type { Workspace } from './workspace';

/**
 * 'value' takes a string, 'boolean' none; 'count' takes a whole number >= 1, checked when the command
 * line is parsed (so `--max abc` is refused with a clear message before anything runs).
 */
export type FlagKind = 'value' | 'boolean' | 'count';

/** Options every command accepts (parsed and applied by the CLI before the handler runs). */
export interface CommonOptions {
  mailbox: string | null;
  now: string | null;
  user: string | null;
  locale: string | null;
  timeZone: string | null;
  settings: string | null;
  seed: number;
  faultRate: number;
  killEvery: number | null;
  /** Charge the script's own CPU time to its executions ('measured', the CLI default) or not ('off'). */
  cpuTime: 'measured' | 'off';
  /** Apps Script's V8 is this many times slower than this machine (default 3). */
  cpuScale: number;
  addon: boolean;
  consumer: boolean;
  stateOut: string | null;
}

export interface CliContext {
  /** The workspace, already loaded (demo data unless --mailbox) with settings stored. */
  workspace: Workspace;
  options: CommonOptions;
  /** The command's own flags (name → value, or true for a boolean flag). */
  flags: Record<string, string | true>;
  /** Positional arguments after the command name. */
  positional: string[];
  /** A runner over `scriptPath` (default dist/Code.js with dist/Sidebar.html). Created once per path. */
  runner(scriptPath?: string): Runner;
  /** Writes a line to stdout. */
  print(text: string): void;
  /** Writes JSON (2-space indented) to stdout. */
  printJson(value: unknown): void;
  /** Writes a line to stderr (progress, logs, summaries: stdout stays machine-readable). */
  info(text: string): void;
}

export interface CommandSpec {
  summary: string;
  /** Usage line after `npm run local -- <name>`, e.g. "--script <file.js> --call <fn> [--args <json>]". */
  usage?: string;
  flags?: Record<string, FlagKind>;
  /** The settings job a flat `--settings` object belongs to (stored as postroom.settings.<job>). */
  job?: string;
  /**
   * Whether the demo workspace (no --mailbox) brings its send list (the Sends tab and its PDFs). Default
   * true; a command that loads the user's own list says false, so the two can never merge.
   */
  demoSendList?: boolean;
  /** Returns the exit code: 0 success, 1 the script failed, 2 bad usage. */
  run(cli: CliContext): number | Promise<number>;
}

/** A usage error: the CLI prints it with the command's usage and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const commands = new Map<string, CommandSpec>();

export function registerCommand(name: string, spec: CommandSpec, options: { replace?: boolean } = {}): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`registerCommand: invalid command name "${name}"`);
  if (commands.has(name) && !options.replace) throw new Error(`registerCommand: "${name}" is already registered (pass { replace: true })`);
  commands.set(name, spec);
}

/** A 'count' flag's value as a number (the parser has checked it), or `fallback` when absent. */
export function countFlag(flags: Record<string, string | true>, name: string, fallback: number): number;
export function countFlag(flags: Record<string, string | true>, name: string): number | null;
export function countFlag(flags: Record<string, string | true>, name: string, fallback: number | null = null): number | null {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive whole number (got "${String(raw)}")`);
  return value;
}

export function getCommand(name: string): CommandSpec | undefined {
  return commands.get(name);
}

export function listCommands(): Array<[string, CommandSpec]> {
  return [...commands.entries()].sort(([a], [b]) => a.localeCompare(b));
}
