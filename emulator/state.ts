// The workspace as JSON, for `--state-out <file>`: what a user, a test or an external check reads to
// know what a run did, without a Google account. Shape (stable, documented in emulator/FIDELITY.md):
//   drive      [{ path, id, size, sha256, mimeType }]     every file not in the trash
//   sheets     { "<tab>": [[…header], […row]] }            the container spreadsheet (dates as ISO)
//   gmail      [{ id, threadId, messageIdHeader, labels, unread }]
//   sent       [{ id, to, subject, eml }]                  eml: the exact bytes, written beside the state
//                                                          file as <state>.sent/<id>.eml (path relative to
//                                                          the state file's directory)
//   triggers   [{ uniqueId, handlerFunction, eventType, schedule, nextRunAt, firedCount }]
//   accounting { calls, gmailUnits, recipients, virtualMs, executions, …, byExecution }
//   properties { script, user, document }                 (extra) the property stores
//   now        ISO time of the virtual clock                (extra)

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AccountingSnapshot } from './runtime/execution';
import type { Workspace } from './workspace';

export interface WorkspaceState {
  drive: Array<{ path: string; id: string; size: number; sha256: string; mimeType: string }>;
  sheets: Record<string, Array<Array<string | number | boolean>>>;
  gmail: Array<{ id: string; threadId: string; messageIdHeader: string; labels: string[]; unread: boolean }>;
  sent: Array<{ id: string; to: string; subject: string; eml: string }>;
  triggers: Array<{
    uniqueId: string;
    handlerFunction: string;
    eventType: string;
    schedule: unknown;
    nextRunAt: string | null;
    firedCount: number;
  }>;
  accounting: AccountingSnapshot;
  properties: { script: Record<string, string>; user: Record<string, string>; document: Record<string, string> | null };
  now: string;
}

/** The state, with each sent message's `eml` path computed by `emlPathOf(id)`. */
export function buildState(workspace: Workspace, emlPathOf: (id: string) => string = (id) => `${id}.eml`): WorkspaceState {
  const spreadsheetId = workspace.containerId ?? workspace.sheets.all()[0]?.id;
  return {
    drive: workspace.drive.listFiles().map(({ path, id, size, sha256, mimeType }) => ({ path, id, size, sha256, mimeType })),
    sheets: spreadsheetId ? workspace.sheets.tabValues(spreadsheetId) : {},
    gmail: workspace.mailbox.dumpState(),
    sent: workspace.mailbox.sentMessages().map(({ id, to, subject }) => ({ id, to, subject, eml: emlPathOf(id) })),
    triggers: workspace.triggers.triggers.map((trigger) => ({
      uniqueId: trigger.uniqueId,
      handlerFunction: trigger.handlerFunction,
      eventType: trigger.eventType,
      schedule: trigger.schedule,
      nextRunAt: trigger.nextRunAt === null ? null : new Date(trigger.nextRunAt).toISOString(),
      firedCount: trigger.firedCount,
    })),
    accounting: workspace.accounting.snapshot(),
    properties: {
      script: workspace.properties.script.toJSON(),
      user: workspace.properties.user.toJSON(),
      document: workspace.properties.document?.toJSON() ?? null,
    },
    now: new Date(workspace.clock.now()).toISOString(),
  };
}

/** Writes the state JSON to `file` and each sent message's bytes to `<file>.sent/<id>.eml`. */
export function writeState(workspace: Workspace, file: string): WorkspaceState {
  const sentDirName = `${basename(file)}.sent`;
  const sentDir = join(dirname(file), sentDirName);
  const sent = workspace.mailbox.sentMessages();
  if (sent.length > 0) mkdirSync(sentDir, { recursive: true });
  for (const message of sent) writeFileSync(join(sentDir, `${message.id}.eml`), message.raw);
  const state = buildState(workspace, (id) => `${sentDirName}/${id}.eml`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  return state;
}
