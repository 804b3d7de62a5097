// The send extras on the local CLI's `send` command (the command itself is emulator/commands/send.ts):
//   --test-row N      only the test of the list's row N (1 = first data row): rendered as it would go
//                     out, sent to the user (subject "[TEST] …"), written to --sent-out; nothing else
//   --from ALIAS      the send goes out from this send-as address. Without --send-as, the emulated
//                     account is given ALIAS as a verified alias first (the acceptance case); with
//                     --send-as the account has exactly those aliases, so an unverified one is refused
//   --draft SUBJECT   the Gmail draft of that subject (imported from --mailbox: an .eml with
//                     `X-Gmail-Labels: DRAFT`) is the template
//   --send-as LIST    the account's send-as aliases, "a@x.fr,pending:b@x.fr" (pending = not verified)
//   --bounce LIST     addresses that bounce ("a@x.fr,b@x.fr"): a delivery-failure notice comes back
//                     (Postfix RFC 3464 style); after the send the CLI runs the bounce check
// Patterns in the attachments column and the send log need no flag (the log's lines are printed).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import './send';
import { getCommand, registerCommand, UsageError, type CliContext } from '../cli-commands';
import type { InvokeResult } from '../runner';
import { DEFAULT_CLI_SEND_SETTINGS, loadSendListFromDisk, storedSendSettings, storeSendSettings } from './send';

const base = getCommand('send');
if (!base) throw new Error('send-extras: the send command is not registered');

function text(cli: CliContext, name: string): string | null {
  const value = cli.flags[name];
  return typeof value === 'string' ? value : null;
}

function fail(cli: CliContext, what: string, result: InvokeResult): number {
  cli.info(`send: ${what}: ${result.error?.message ?? result.outcome}`);
  cli.printJson({ error: result.error?.message ?? result.outcome });
  return 1;
}

function setUpAccount(cli: CliContext): void {
  const { mailbox } = cli.workspace;
  const sendAs = text(cli, 'send-as');
  for (const item of (sendAs ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const pending = item.toLowerCase().startsWith('pending:');
    mailbox.addSendAs({ email: pending ? item.slice(8) : item, verified: !pending });
  }
  const from = text(cli, 'from');
  if (from && sendAs === null) {
    mailbox.addSendAs({ email: from, verified: true });
    cli.info(`send: ${from} added to the emulated account as a verified send-as address (use --send-as to declare the aliases yourself)`);
  }
  for (const address of (text(cli, 'bounce') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    mailbox.setBounce(address, { style: 'postfix' });
  }
}

function chooseExtras(cli: CliContext): number {
  const runner = cli.runner();
  const draft = text(cli, 'draft');
  if (draft !== null) {
    const chosen = runner.rpc('chooseDraft', { subject: draft });
    if (chosen.outcome !== 'completed') return fail(cli, `--draft "${draft}"`, chosen);
    const summary = chosen.value as { draftId: string; attachments: number; inlineImages: number };
    cli.info(
      `send: Gmail draft "${draft}" (${summary.draftId}) is the template: ${summary.inlineImages} inline image(s), ${summary.attachments} attachment(s)`,
    );
  }
  const from = text(cli, 'from');
  if (from !== null) {
    const set = runner.rpc('setSendFrom', { alias: from });
    if (set.outcome !== 'completed') return fail(cli, `--from ${from}`, set);
    cli.info(`send: From ${from}`);
  }
  return 0;
}

/** --test-row: loads the list as `send` does, then only the test of that row. */
function runTestRow(cli: CliContext, row: number): number {
  const list = text(cli, 'list');
  const filesDir = text(cli, 'files');
  if (!list) throw new UsageError('send needs --list <file.csv>');
  if (!filesDir) throw new UsageError('send needs --files <dir>');
  const { workspace } = cli;
  // The same loading as the send itself: the CSV's encoding checked, the Sends tab replaced, the files in Drive.
  loadSendListFromDisk(workspace, list, filesDir, (line) => cli.info(line));
  cli.info(`send: test of row ${row} only`);
  const before = new Set(workspace.mailbox.sentMessages().map((m) => m.id));
  const result = cli.runner().rpc('sendTest', { row });
  if (result.outcome !== 'completed') return fail(cli, `--test-row ${row}`, result);
  const value = result.value as { gmailId: string; to: string; subject: string; summary: string };
  cli.info(`send: ${value.summary}`);
  const sentOut = text(cli, 'sent-out');
  const fresh = workspace.mailbox.sentMessages().filter((m) => !before.has(m.id));
  if (sentOut) {
    mkdirSync(sentOut, { recursive: true });
    fresh.forEach((message, index) => writeFileSync(join(sentOut, `${String(index + 1).padStart(4, '0')}-${message.id}.eml`), message.raw));
    cli.info(`send: ${fresh.length} message(s) written to ${sentOut}`);
  }
  cli.printJson({
    test: value,
    rowStatusUnchanged: true,
    emlWritten: sentOut ? fresh.length : 0,
    gmailUnits: workspace.accounting.total.gmailUnits,
  });
  return 0;
}

registerCommand(
  'send',
  {
    ...base,
    usage: `${base.usage ?? ''} [--test-row N] [--from ALIAS] [--draft SUBJECT] [--send-as a@x,pending:b@x] [--bounce a@x,b@x]`,
    flags: { ...(base.flags ?? {}), 'test-row': 'value', from: 'value', draft: 'value', 'send-as': 'value', bounce: 'value' },
    async run(cli) {
      setUpAccount(cli);
      // The draft and the From are send settings: the default ones are saved first when none are.
      if (!storedSendSettings(cli.workspace) && (text(cli, 'draft') !== null || text(cli, 'from') !== null)) {
        storeSendSettings(cli.workspace, { ...DEFAULT_CLI_SEND_SETTINGS });
        cli.info('send: no --settings given, using the default French invoice templates');
      }
      const chosen = chooseExtras(cli);
      if (chosen !== 0) return chosen;
      const testRow = text(cli, 'test-row');
      if (testRow !== null) {
        const row = Number(testRow);
        if (!Number.isInteger(row) || row < 1) throw new UsageError('--test-row must be a whole number ≥ 1 (1 = the first data row)');
        return runTestRow(cli, row);
      }
      const code = await base.run(cli);
      const runner = cli.runner();
      if (text(cli, 'bounce')) {
        const check = runner.rpc('checkBounces');
        const value = check.value as { bounced?: Array<{ row: number; recipient: string; reason: string }> } | undefined;
        for (const b of value?.bounced ?? []) cli.info(`send: row ${b.row} bounced: ${b.recipient} — ${b.reason}`);
      }
      const progress = runner.rpc('getSendProgress').value as { progress?: { jobId?: string } | null } | undefined;
      const runId = progress?.progress?.jobId;
      if (runId) {
        const log = runner.rpc('getSendLog', runId).value as { lines?: Array<{ text: string }> } | undefined;
        cli.info(`send log (Postroom/logs, ${log?.lines?.length ?? 0} line(s)):`);
        for (const line of log?.lines ?? []) cli.info(`  ${line.text}`);
      }
      return code;
    },
  },
  { replace: true },
);
