// The local CLI's `collect` command: `npm run local -- collect [--mailbox …] [--settings …] [--dry-run]
// [--max N] [--since YYYY-MM-DD] [--json] [--max-executions N] [--state-out …]`. It calls the bundle's
// `collectFromGmail` (the one implementation the sidebar, the card and the trigger call too) through the
// execution runner, as many executions as the run needs: a pending run (time budget spent) or a killed
// execution (--kill-every) is simply called again, as the sidebar or the continuation trigger would.
// Then it prints the run's summary and metrics, and the emulator's accounting (executions, virtual
// time, Gmail quota units, calls per method).
// On the demo workspace (no --mailbox) without collect settings, the demo whitelist is stored first.
// It also extends `demo` (npm start, the README's main job): after the built-in demo, a collect run.
// `runCollectToEnd` is the driver the e2e tests and bench/collect.ts use too.

import { DEMO_WHITELIST } from '../demo/index';
import { countFlag, getCommand, registerCommand, UsageError, type CliContext } from '../cli-commands';
import type { InvokeError, InvokeResult, Runner } from '../runner';
import type { ExecutionKind } from '../runtime/execution';
import type { Workspace } from '../workspace';
import type { CollectResult } from '../../src/server/jobs/collect';

export const COLLECT_SETTINGS_PROPERTY = 'postroom.settings.collect';
export const DEMO_COLLECT_SETTINGS = { allowedSenders: [...DEMO_WHITELIST], requireAuthenticatedSender: true };

export interface CollectInput {
  dryRun?: boolean;
  maxItems?: number;
  since?: string;
}

/** The JSON-like result of one `collectFromGmail` execution: the job's own type, as it crosses the runner. */
export type CollectOutcome = CollectResult;

export interface DriveResult {
  /** Every execution, in order. */
  results: InvokeResult[];
  /** The last completed execution's result (null if none completed). */
  summary: CollectOutcome | null;
  /** Set when the run could not finish: the script threw, or maxExecutions ran out. */
  error: InvokeError | null;
}

/**
 * Calls `collectFromGmail` until its run is over: again after a pending result (time budget spent), a
 * killed or timed-out execution. Stops on a script error (returned), or after `maxExecutions`.
 */
export function runCollectToEnd(
  runner: Runner,
  options: { input?: CollectInput; maxExecutions?: number; kind?: ExecutionKind; onExecution?: (result: InvokeResult) => void } = {},
): DriveResult {
  const maxExecutions = options.maxExecutions ?? 100;
  const results: InvokeResult[] = [];
  let summary: CollectOutcome | null = null;
  for (let i = 0; i < maxExecutions; i++) {
    const result = runner.invoke('collectFromGmail', [options.input ?? {}], options.kind ?? 'cli');
    results.push(result);
    options.onExecution?.(result);
    if (result.outcome === 'threw') return { results, summary, error: result.error ?? { name: 'Error', message: 'threw' } };
    if (result.outcome === 'completed') {
      summary = result.value as CollectOutcome;
      if (!summary.pending) return { results, summary, error: null };
    }
  }
  return { results, summary, error: { name: 'Error', message: `the run did not finish within ${maxExecutions} executions` } };
}

/** Stores the demo whitelist as the collect settings when none are stored (demo workspace only). */
export function storeDemoCollectSettings(workspace: Workspace): boolean {
  const store = workspace.properties.user;
  if (store.values.has(COLLECT_SETTINGS_PROPERTY)) return false;
  const next = new Map(store.values);
  next.set(COLLECT_SETTINGS_PROPERTY, JSON.stringify(DEMO_COLLECT_SETTINGS));
  store.commit(next);
  return true;
}

function readInput(flags: Record<string, string | true>): CollectInput {
  const input: CollectInput = {};
  if (flags['dry-run'] === true) input.dryRun = true;
  const max = countFlag(flags, 'max');
  if (max !== null) input.maxItems = max;
  const since = flags.since;
  if (since !== undefined) {
    if (typeof since !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`))) {
      throw new UsageError(`--since must be a day such as 2026-01-05 (got "${String(since)}")`);
    }
    input.since = since;
  }
  return input;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Groups the accounting's calls per method into Gmail REST / Sheets / Drive / other. */
export function callGroups(calls: Record<string, number>): Record<'gmail' | 'sheets' | 'drive' | 'properties' | 'other', number> {
  const out = { gmail: 0, sheets: 0, drive: 0, properties: 0, other: 0 };
  for (const [method, n] of Object.entries(calls)) {
    if (method.startsWith('Gmail.REST.')) out.gmail += n;
    else if (method.startsWith('SpreadsheetApp') || method.startsWith('Sheets.REST.')) out.sheets += n;
    else if (method.startsWith('DriveApp')) out.drive += n;
    else if (method.startsWith('PropertiesService')) out.properties += n;
    else out.other += n;
  }
  return out;
}

function printReport(cli: CliContext, drive: DriveResult): void {
  const { workspace } = cli;
  const summary = drive.summary;
  const total = workspace.accounting.total;
  if (summary) {
    const m = summary.metrics;
    cli.print(`Collect run ${summary.runId}: ${summary.status}${summary.dryRun ? ' (dry run)' : ''}`);
    cli.print(`  ${summary.text}`);
    cli.print('  metrics');
    for (const [name, value] of [
      ['emails_scanned', m.emailsScanned],
      ['attachments_seen', m.attachmentsSeen],
      ['attachments_downloaded', m.attachmentsDownloaded],
      ['receipts_created', m.receiptsCreated],
      ['duplicates_skipped', m.duplicatesSkipped],
      ['quarantined', m.quarantined],
      ['errors_count', m.errorsCount],
      ['duration_sec', m.durationSec],
      ['gmail_api_calls', m.gmailApiCalls],
    ] as const) {
      cli.print(`    ${name.padEnd(24)} ${value}`);
    }
    const skipped = Object.entries(m.skipped)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    const quarantined = Object.entries(m.quarantinedByReason)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    if (skipped) cli.print(`    skipped                  ${skipped}`);
    if (quarantined) cli.print(`    quarantined by reason    ${quarantined}`);
    cli.print(`  log       ${summary.logPath}${summary.logUrl ? ` (${summary.logUrl})` : ''}`);
  }
  const groups = callGroups(total.calls);
  cli.print('  emulator accounting');
  cli.print(`    executions               ${drive.results.length} (${drive.results.map((r) => r.outcome).join(', ')})`);
  cli.print(`    virtual time             ${seconds(total.virtualMs)}`);
  cli.print(`    Gmail quota units        ${total.gmailUnits}`);
  cli.print(
    `    Gmail API requests       ${groups.gmail}   Sheets calls ${groups.sheets}   Drive calls ${groups.drive}   Properties calls ${groups.properties}`,
  );
  const gmailMethods = Object.entries(total.calls)
    .filter(([method]) => method.startsWith('Gmail.REST.'))
    .map(([method, n]) => `${method.slice('Gmail.REST.'.length)} ${n}`)
    .join(', ');
  if (gmailMethods) cli.print(`    Gmail calls per method   ${gmailMethods}`);
}

function runCollectCommand(cli: CliContext, input: CollectInput, json: boolean, maxExecutions: number): number {
  if (cli.options.mailbox === null && storeDemoCollectSettings(cli.workspace)) {
    cli.info(`collect settings: the demo whitelist (${DEMO_WHITELIST.join(', ')}), requireAuthenticatedSender on`);
  }
  const drive = runCollectToEnd(cli.runner(), {
    input,
    maxExecutions,
    onExecution: (result) => {
      for (const line of result.logs) cli.info(`[log] ${line}`);
      const calls = Object.values(result.counts.calls).reduce((sum, n) => sum + n, 0);
      cli.info(
        `collectFromGmail (${result.kind}): ${result.outcome} after ${seconds(result.endedAt - result.startedAt)} of virtual time, ${calls} service calls, ${result.counts.gmailUnits} Gmail units`,
      );
    },
  });
  if (json)
    cli.printJson({
      summary: drive.summary,
      executions: drive.results.length,
      error: drive.error,
      accounting: cli.workspace.accounting.snapshot(),
    });
  else printReport(cli, drive);
  if (drive.error) {
    cli.info(`collect: ${drive.error.message}`);
    return 1;
  }
  return 0;
}

if (!getCommand('collect')) {
  registerCommand('collect', {
    summary: 'Collect receipts from Gmail into Drive (the job the sidebar, the card and the trigger run)',
    usage: '[--dry-run] [--max N] [--since YYYY-MM-DD] [--json] [--max-executions N]',
    job: 'collect',
    flags: { 'dry-run': 'boolean', max: 'count', since: 'value', json: 'boolean', 'max-executions': 'count' },
    run(cli) {
      const maxExecutions = countFlag(cli.flags, 'max-executions', 100);
      return runCollectCommand(cli, readInput(cli.flags), cli.flags.json === true, maxExecutions);
    },
  });
}

// `npm start` runs `demo`: the built-in opening of Postroom, then the collect on the demo mailbox.
// Another job may wrap `demo` the same way (each wrapper calls the one it replaced).
const demo = getCommand('demo');
if (demo && !(demo as { collects?: boolean }).collects) {
  registerCommand(
    'demo',
    {
      ...demo,
      summary: `${demo.summary}; then collects the demo mailbox's receipts`,
      collects: true,
      async run(cli) {
        const code = await demo.run(cli);
        if (code !== 0) return code;
        cli.print('');
        return runCollectCommand(cli, {}, false, 100);
      },
    } as typeof demo,
    { replace: true },
  );
}
