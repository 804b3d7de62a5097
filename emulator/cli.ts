// The local CLI: `npm run local -- <command> [options]` (package.json builds dist/ first, then runs
// this file with tsx). Every command runs scripts through the execution runner over one emulated
// workspace: the bundled demo workspace unless --mailbox gives another mailbox.
//   run --script <file.js> --call <fn> [--args <json>]   any plain Apps Script file; prints the JSON result
//   call <fn> [--args <json>]                            the same on dist/Code.js
//   demo                                                 Postroom on the demo workspace (`npm start`)
//   help                                                 the commands and options
// Common options: --mailbox <dir of .eml | file.mbox | file.eml>, --now <ISO date>, --user <email>,
// --locale <tag>, --time-zone <IANA>, --settings <json file>, --seed <n>, --fault-rate <0..1>,
// --kill-every <N>, --addon, --consumer, --state-out <json file>, --cpu-time measured|off (the script's
// own JavaScript CPU time charged to its executions, × --cpu-scale, default 3; off = reproducible figures).
// --settings: a JSON object keyed by job ({ "collect": {…}, "send": {…} }), or, for a command bound to
// a job, that job's flat object. Each job's settings are stored where the app reads them: the USER
// properties, key `postroom.settings.<job>`, as JSON (src/server/adapters/properties.ts reads
// `postroom.` + key from the user store).
// Exit codes: 0 done, 1 the script threw / timed out / was killed, 2 bad usage (message on stderr).
// Job commands register themselves in emulator/commands/*.ts (see emulator/cli-commands.ts).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  countFlag,
  getCommand,
  listCommands,
  registerCommand,
  UsageError,
  type CliContext,
  type CommandSpec,
  type CommonOptions,
  type FlagKind,
} from './cli-commands';
import { DEMO_SEND_TAB, loadDemoWorkspace } from './demo/index';
import { Runner, type InvokeResult } from './runner';
import type { ExecutionKind } from './runtime/execution';
import { DEFAULT_CPU_SCALE, type ScriptCpuMode } from './runtime/script-cpu';
import { writeState } from './state';
import { Workspace } from './workspace';

const ROOT = resolve(__dirname, '..');
export const SETTINGS_JOBS = ['collect', 'send', 'export'] as const;
export const SETTINGS_KEY_PREFIX = 'postroom.settings.';

const COMMON_FLAGS: Record<string, FlagKind> = {
  mailbox: 'value',
  now: 'value',
  user: 'value',
  locale: 'value',
  'time-zone': 'value',
  settings: 'value',
  seed: 'value',
  'fault-rate': 'value',
  'kill-every': 'value',
  'cpu-time': 'value',
  'cpu-scale': 'value',
  addon: 'boolean',
  consumer: 'boolean',
  'state-out': 'value',
};

const EXECUTION_KINDS: ExecutionKind[] = ['cli', 'menu', 'rpc', 'trigger', 'card', 'simple-trigger'];

interface ParsedLine {
  command: string;
  positional: string[];
  flags: Record<string, string | true>;
}

/** Splits argv into command, positional arguments and flags, checking flags against `spec`. */
export function parseCommandLine(
  argv: string[],
  lookup: (name: string) => CommandSpec | undefined = getCommand,
): ParsedLine & { spec: CommandSpec } {
  const [command, ...rest] = argv;
  if (!command || command.startsWith('-')) throw new UsageError('missing command (try `help`)');
  const spec = lookup(command);
  if (!spec) throw new UsageError(`unknown command "${command}" (try \`help\`)`);
  const kinds: Record<string, FlagKind> = { ...COMMON_FLAGS, ...(spec.flags ?? {}) };
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = kinds[name];
    if (!kind) throw new UsageError(`unknown option --${name} for "${command}"`);
    if (name in flags) throw new UsageError(`option --${name} given twice`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
    } else {
      const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      flags[name] = value;
      if (kind === 'count') countFlag(flags, name);
    }
  }
  return { command, positional, flags, spec };
}

function numberFlag(flags: Record<string, string | true>, name: string, check: (n: number) => boolean, rule: string): number | null {
  const raw = flags[name];
  if (raw === undefined) return null;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${name} must be ${rule} (got "${String(raw)}")`);
  }
  return value;
}

function stringFlag(flags: Record<string, string | true>, name: string): string | null {
  const raw = flags[name];
  return typeof raw === 'string' ? raw : null;
}

/** --cpu-time measured|off: charge the script's own CPU time to its executions (default measured). */
function cpuTimeFlag(flags: Record<string, string | true>): ScriptCpuMode {
  const raw = stringFlag(flags, 'cpu-time') ?? 'measured';
  if (raw !== 'measured' && raw !== 'off') throw new UsageError(`--cpu-time must be measured or off (got "${raw}")`);
  return raw;
}

/** The common options, validated. */
export function readCommonOptions(flags: Record<string, string | true>): CommonOptions {
  const now = stringFlag(flags, 'now');
  if (now !== null && (!/^\d{4}-\d{2}-\d{2}/.test(now) || !Number.isFinite(Date.parse(now)))) {
    throw new UsageError(`--now must be an ISO date such as 2026-01-15T09:00:00+01:00 (got "${now}")`);
  }
  const user = stringFlag(flags, 'user');
  if (user !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user)) throw new UsageError(`--user must be an email address (got "${user}")`);
  const locale = stringFlag(flags, 'locale');
  if (locale !== null && !/^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/.test(locale))
    throw new UsageError(`--locale must be a locale tag such as fr, en or fr_FR (got "${locale}")`);
  const timeZone = stringFlag(flags, 'time-zone');
  if (timeZone !== null) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      throw new UsageError(`--time-zone must be an IANA time zone such as Europe/Paris (got "${timeZone}")`);
    }
  }
  const mailbox = stringFlag(flags, 'mailbox');
  if (mailbox !== null && !existsSync(mailbox)) throw new UsageError(`--mailbox: no such file or directory: ${mailbox}`);
  const settings = stringFlag(flags, 'settings');
  if (settings !== null && !existsSync(settings)) throw new UsageError(`--settings: no such file: ${settings}`);
  return {
    mailbox,
    now,
    user,
    locale,
    timeZone,
    settings,
    seed: numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? 1,
    faultRate: numberFlag(flags, 'fault-rate', (n) => n >= 0 && n <= 1, 'a number between 0 and 1') ?? 0,
    killEvery: numberFlag(flags, 'kill-every', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
    cpuTime: cpuTimeFlag(flags),
    cpuScale: numberFlag(flags, 'cpu-scale', (n) => n > 0 && n <= 100, 'a number above 0 (at most 100)') ?? DEFAULT_CPU_SCALE,
    addon: flags.addon === true,
    consumer: flags.consumer === true,
    stateOut: stringFlag(flags, 'state-out'),
  };
}

/** Reads --settings and stores each job's settings in the user properties. */
export function applySettings(workspace: Workspace, file: string, job: string | undefined): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--settings: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError('--settings: the file must hold a JSON object');
  const entries = Object.entries(parsed as Record<string, unknown>);
  const keyedByJob = entries.length > 0 && entries.every(([key]) => (SETTINGS_JOBS as readonly string[]).includes(key));
  const byJob: Array<[string, unknown]> = keyedByJob ? entries : job ? [[job, parsed]] : [];
  if (byJob.length === 0) {
    throw new UsageError(`--settings: expected an object keyed by job (${SETTINGS_JOBS.join(', ')}), e.g. { "collect": { … } }`);
  }
  const store = workspace.properties.user;
  const next = new Map(store.values);
  for (const [name, value] of byJob) next.set(`${SETTINGS_KEY_PREFIX}${name}`, JSON.stringify(value));
  try {
    store.commit(next);
  } catch (error) {
    throw new UsageError(`--settings: ${(error as Error).message}`);
  }
  return byJob.map(([name]) => name);
}

/**
 * Loads the mailbox: the given .eml directory / .mbox / .eml, or the demo workspace (with its send list
 * unless `demoSendList` is false: a command that brings the user's own list never merges with the demo's).
 */
export function loadMailbox(workspace: Workspace, mailbox: string | null, demoSendList = true): string {
  if (mailbox === null) {
    const loaded = loadDemoWorkspace(workspace, { sendList: demoSendList });
    return demoSendList
      ? `demo workspace: ${loaded.messages} messages, send list of ${loaded.sendRows} rows in tab "${DEMO_SEND_TAB}"`
      : `demo workspace: ${loaded.messages} messages (no demo send list: the command brings its own)`;
  }
  if (statSync(mailbox).isDirectory()) {
    const imported = workspace.mailbox.importEmlDir(mailbox);
    if (imported.length === 0) throw new UsageError(`--mailbox: no .eml file in ${mailbox}`);
    return `${imported.length} messages from ${mailbox}`;
  }
  if (/\.eml$/i.test(mailbox)) {
    workspace.mailbox.importEml(mailbox);
    return `1 message from ${mailbox}`;
  }
  const imported = workspace.mailbox.importMbox(mailbox);
  if (imported.length === 0) throw new UsageError(`--mailbox: no message in ${mailbox}`);
  return `${imported.length} messages from ${mailbox}`;
}

export function createWorkspace(options: CommonOptions): Workspace {
  return Workspace.create({
    now: options.now ?? undefined,
    user: options.user ?? undefined,
    locale: options.locale ?? undefined,
    timeZone: options.timeZone ?? undefined,
    seed: options.seed,
    faultRate: options.faultRate,
    killEvery: options.killEvery ?? undefined,
    addonMode: options.addon,
    workspaceAccount: options.consumer ? false : undefined,
    scriptCpu: { mode: options.cpuTime, scale: options.cpuScale },
  });
}

function parseArgsFlag(raw: string | true | undefined): unknown[] {
  if (raw === undefined) return [];
  if (raw === true) throw new UsageError('--args needs a value');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`--args must be JSON, e.g. '["a", 1]' (${(error as Error).message})`);
  }
  return Array.isArray(value) ? value : [value];
}

function kindFlag(raw: string | true | undefined): ExecutionKind {
  if (raw === undefined) return 'cli';
  if (typeof raw !== 'string' || !(EXECUTION_KINDS as string[]).includes(raw))
    throw new UsageError(`--as must be one of ${EXECUTION_KINDS.join(', ')}`);
  return raw as ExecutionKind;
}

function describeResult(result: InvokeResult): string {
  const seconds = ((result.endedAt - result.startedAt) / 1000).toFixed(1);
  const calls = Object.values(result.counts.calls).reduce((sum, n) => sum + n, 0);
  const cpu = result.counts.scriptCpuMs > 0 ? ` (${(result.counts.scriptCpuMs / 1000).toFixed(1)} s of it the script's own CPU)` : '';
  const head = `${result.fn} (${result.kind}): ${result.outcome} after ${seconds} s of virtual time${cpu}, ${calls} service calls, ${result.counts.gmailUnits} Gmail units`;
  return result.error ? `${head}\n  ${result.error.name}: ${result.error.message}` : head;
}

/** Runs one function and prints its JSON result on stdout; the summary and logs go to stderr. */
function runAndPrint(cli: CliContext, scriptPath: string | undefined, fn: string, args: unknown[], kind: ExecutionKind): number {
  const result = cli.runner(scriptPath).invoke(fn, args, kind);
  for (const line of result.logs) cli.info(`[log] ${line}`);
  cli.info(describeResult(result));
  if (result.outcome !== 'completed') return 1;
  cli.printJson(result.value === undefined ? null : result.value);
  return 0;
}

function registerBuiltins(): void {
  registerCommand('run', {
    summary: 'Run a function of any plain Apps Script file and print its JSON result',
    usage: '--script <file.js> --call <fn> [--args <json>] [--as cli|menu|rpc|trigger|card|simple-trigger]',
    flags: { script: 'value', call: 'value', args: 'value', as: 'value' },
    run(cli) {
      const script = stringFlag(cli.flags, 'script');
      const fn = stringFlag(cli.flags, 'call');
      if (!script) throw new UsageError('run needs --script <file.js>');
      if (!fn) throw new UsageError('run needs --call <function name>');
      if (!existsSync(script)) throw new UsageError(`--script: no such file: ${script}`);
      return runAndPrint(cli, resolve(script), fn, parseArgsFlag(cli.flags.args), kindFlag(cli.flags.as));
    },
  });
  registerCommand('call', {
    summary: 'Call a function of the built bundle (dist/Code.js) and print its JSON result',
    usage: '<fn> [--args <json>] [--as cli|menu|rpc|trigger|card|simple-trigger]',
    flags: { args: 'value', as: 'value' },
    run(cli) {
      const [fn, ...extra] = cli.positional;
      if (!fn) throw new UsageError('call needs a function name: call <fn>');
      if (extra.length) throw new UsageError(`unexpected argument(s): ${extra.join(' ')} (pass arguments with --args '<json>')`);
      return runAndPrint(cli, undefined, fn, parseArgsFlag(cli.flags.args), kindFlag(cli.flags.as));
    },
  });
  registerCommand('demo', {
    summary: 'Open Postroom on the demo workspace: menu, status (the README main job)',
    run(cli) {
      const runner = cli.runner();
      const { workspace } = cli;
      const open = runner.simpleTrigger('onOpen', { authMode: 'LIMITED', source: workspace.containerId });
      cli.info(describeResult(open));
      if (open.outcome !== 'completed') return 1;
      const status = runner.rpc('getStatus');
      cli.info(describeResult(status));
      if (status.outcome !== 'completed') return 1;
      const menus = workspace.ui.menus.map(
        (menu) =>
          `${menu.caption}: ${menu.entries.map((entry) => ('caption' in entry ? `${entry.caption} → ${entry.functionName}` : '—')).join(', ')}`,
      );
      const state = workspace.mailbox.dumpState();
      cli.print('Postroom on the local workspace');
      cli.print(`  user        ${workspace.session.userEmail} (${workspace.session.locale}, ${workspace.session.timeZone})`);
      cli.print(`  menu        ${menus.join(' | ') || '(none)'}`);
      cli.print(`  status      ${JSON.stringify(status.value)}`);
      cli.print(`  mailbox     ${state.length} messages, ${state.filter((m) => m.unread).length} unread`);
      cli.print(`  drive       ${workspace.drive.listFiles().length} files`);
      cli.print(`  executions  ${workspace.accounting.executions}, ${workspace.accounting.total.virtualMs} ms of virtual time`);
      return 0;
    },
  });
  registerCommand('help', {
    summary: 'List the commands and options',
    run(cli) {
      cli.print('Usage: npm run local -- <command> [options]\n\nCommands:');
      for (const [name, spec] of listCommands())
        cli.print(`  ${name.padEnd(8)} ${spec.summary}${spec.usage ? `\n           ${name} ${spec.usage}` : ''}`);
      cli.print(
        '\nCommon options:\n  --mailbox <dir|file.mbox|file.eml>  --now <ISO date>  --user <email>  --locale <tag>  --time-zone <IANA>\n' +
          '  --settings <json>  --seed <n>  --fault-rate <0..1>  --kill-every <N>  --addon  --consumer  --state-out <file.json>\n' +
          "  --cpu-time measured|off (charge the script's own CPU time, default measured)  --cpu-scale <x> (default 3)",
      );
      return 0;
    },
  });
}

/** Loads every command file of emulator/commands/ (job commands register themselves there). */
function loadCommandFiles(): void {
  const dir = join(__dirname, 'commands');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (/\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') && !name.includes('.test.')) require(join(dir, name));
  }
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The whole CLI; returns the exit code. */
export async function main(
  argv: string[],
  io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
): Promise<number> {
  if (!getCommand('run')) {
    registerBuiltins();
    loadCommandFiles();
  }
  let parsed: ReturnType<typeof parseCommandLine> | undefined;
  try {
    parsed = parseCommandLine(argv);
    const options = readCommonOptions(parsed.flags);
    const workspace = createWorkspace(options);
    const loaded = loadMailbox(workspace, options.mailbox, parsed.spec.demoSendList ?? true);
    const runners = new Map<string, Runner>();
    const cli: CliContext = {
      workspace,
      options,
      flags: Object.fromEntries(Object.entries(parsed.flags).filter(([name]) => !(name in COMMON_FLAGS))),
      positional: parsed.positional,
      runner(scriptPath) {
        const path = scriptPath ?? join(ROOT, 'dist/Code.js');
        let runner = runners.get(path);
        if (!runner) {
          if (!existsSync(path)) throw new UsageError(`${path} not found: build first (\`node build.mjs\`; npm run local does it)`);
          runner = new Runner(
            workspace,
            scriptPath ? { scriptPath: path, sidebarPath: null } : { scriptPath: path, sidebarPath: join(ROOT, 'dist/Sidebar.html') },
          );
          runners.set(path, runner);
        }
        return runner;
      },
      print: (text) => io.stdout(`${text}\n`),
      printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
      info: (text) => io.stderr(`${text}\n`),
    };
    cli.info(`workspace: ${workspace.session.userEmail}, ${new Date(workspace.clock.now()).toISOString()}, ${loaded}`);
    if (options.settings) cli.info(`settings stored for: ${applySettings(workspace, options.settings, parsed.spec.job).join(', ')}`);
    const code = await parsed.spec.run(cli);
    if (options.stateOut) {
      writeState(workspace, resolve(options.stateOut));
      cli.info(`state written to ${options.stateOut}`);
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = parsed?.spec.usage ? `\nusage: npm run local -- ${parsed.command} ${parsed.spec.usage}` : '';
      io.stderr(`postroom local: ${error.message}${usage}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`postroom local: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
