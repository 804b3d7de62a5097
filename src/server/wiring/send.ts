// The send job's entry points, spread into `api` and `triggers` by src/server/entrypoints.ts.
// Keys here become top-level Apps Script functions: keep them unique across jobs.
//   api (google.script.run from the sidebar, JSON in / JSON out):
//     planSend(filter?)      validate and queue the selected rows (invalid ones fail with reasons)
//     startSend(filter?)     start the planned run (or plan + start) and send a first chunk
//     continueSend()         one more chunk (the open sidebar calls it while `more`, after `waitMs`)
//     getSendProgress()      the persisted progress, in the user's locale
//     pauseSend() / resumeSend() / cancelSend()
//     getSendSettings() / saveSendSettings(settings)
//   triggers:
//     runSendContinuation    the one-off time-driven trigger that continues a send by itself
//                            (after a quota pause, or when no sidebar is open)
// This file only wires adapters to the job (jobs/send/); it holds no logic of its own.

import { PostroomError } from '../domain/errors';
import { pickLocale } from '../domain/i18n';
import type { SendFilter } from '../domain/send/plan';
import { parseSendSettings, type SendSettings } from '../domain/send/settings';
import { advancedMailTransport, restMailTransport } from '../adapters/gmail-send';
import { userLock } from '../adapters/lock';
import { userPropertiesStore } from '../adapters/properties';
import { driveAttachmentSource } from '../adapters/send-attachments';
import { sendSheet } from '../adapters/send-sheet';
import { sheetJobRunLog, userSendStateStore } from '../adapters/send-store';
import { openLedgerSpreadsheet, sheetsLedgerStore } from '../adapters/sheets';
import { scriptScheduler } from '../adapters/triggers';
import { SEND_SETTINGS_KEY as SETTINGS_KEY } from '../domain/send/storage-keys';
import type { JobRunLog, MailTransport, SendSheet } from '../ports/send';
import { extendSendDeps, extrasOf } from './send-extras-deps';
import { sendProgressExtras } from '../jobs/send-extras/status';
import {
  SEND_CONTINUATION_HANDLER,
  cancelSendJob,
  continueSendJob,
  pauseSendJob,
  planSendJob,
  resumeSendJob,
  startSendJob,
  viewSendProgress,
  type ContinueResult,
  type PlanResult,
  type SendDeps,
} from '../jobs/send';

function readSettings(): SendSettings {
  const stored = userPropertiesStore().get<unknown>(SETTINGS_KEY);
  if (stored === null) throw new PostroomError('SETUP_INCOMPLETE', 'The send settings are not set yet (subject and body templates): save them first.');
  return parseSendSettings(stored);
}

/** The ledger spreadsheet, opened on first use only (getSendProgress never needs it), once per execution. */
function lazySpreadsheet(): () => GoogleAppsScript.Spreadsheet.Spreadsheet {
  let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  return () => (spreadsheet ??= openLedgerSpreadsheet());
}

function lazySheet(open: () => GoogleAppsScript.Spreadsheet.Spreadsheet): SendSheet {
  let inner: SendSheet | null = null;
  const get = () => (inner ??= sendSheet(open()));
  return {
    read: () => get().read(),
    write: (updates) => get().write(updates),
    flush: () => get().flush(),
    timeZoneOffsetMinutes: (date) => get().timeZoneOffsetMinutes(date),
  };
}

/** The transport the settings choose, created when first used. */
function lazyTransport(settings: () => SendSettings): MailTransport {
  let inner: MailTransport | null = null;
  const get = () => (inner ??= settings().transport === 'advanced' ? advancedMailTransport() : restMailTransport());
  return {
    get kind() {
      return get().kind;
    },
    send: (raws) => get().send(raws),
    listSent: (token, max) => get().listSent(token, max),
    getSentFacts: (ids) => get().getSentFacts(ids),
    usage: () => (inner ? inner.usage() : { calls: 0, units: 0 }),
  };
}

export function makeDeps(options: { budgetMs?: number } = {}): SendDeps {
  let settings: SendSettings | null = null;
  let sender: { address: string } | null = null;
  let user: string | null = null;
  const getSettings = () => (settings ??= readSettings());
  const spreadsheet = lazySpreadsheet();
  let jobRuns: JobRunLog | null = null;
  // The send extras (draft template, send-as, attachment patterns, the lasting log): wiring/send-extras-deps.ts.
  return extendSendDeps({
    sheet: lazySheet(spreadsheet),
    attachments: driveAttachmentSource(),
    transport: lazyTransport(getSettings),
    state: userSendStateStore(),
    jobRuns: { record: (run) => (jobRuns ??= sheetJobRunLog(sheetsLedgerStore(spreadsheet()))).record(run) },
    scheduler: scriptScheduler(),
    lock: userLock(),
    clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))) },
    settings: getSettings,
    get sender() {
      return (sender ??= { address: Session.getEffectiveUser().getEmail() });
    },
    get user() {
      return (user ??= Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail());
    },
    random: Math.random,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
  });
}

function locale() {
  return pickLocale(Session.getActiveUserLocale());
}

function toFilter(input: unknown): SendFilter {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new PostroomError('INVALID_INPUT', 'filter: expected { key?, period?, max? }');
  const { key, period, max, confirmDuplicates, ...rest } = input as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new PostroomError('INVALID_INPUT', `filter: unknown field ${unknown[0]}`);
  return {
    key: key === undefined || key === null ? undefined : String(key),
    period: period === undefined || period === null ? undefined : String(period),
    max: max === undefined || max === null || max === '' ? undefined : Number(max),
    ...(confirmDuplicates === undefined || confirmDuplicates === null ? {} : { confirmDuplicates: Array.isArray(confirmDuplicates) ? confirmDuplicates.map(Number) : Boolean(confirmDuplicates) }),
  };
}

export const sendApi = {
  planSend(filter?: { key?: string; period?: string; max?: number; confirmDuplicates?: boolean | number[] }): PlanResult {
    const deps = makeDeps();
    extrasOf(deps).beforePlan();
    return planSendJob(deps, toFilter(filter), locale());
  },
  startSend(filter?: { key?: string; period?: string; max?: number; confirmDuplicates?: boolean | number[] } | null): ContinueResult {
    const deps = makeDeps();
    if (filter !== undefined && filter !== null) extrasOf(deps).beforePlan();
    return startSendJob(deps, filter === undefined || filter === null ? null : toFilter(filter), locale());
  },
  continueSend(): ContinueResult {
    return continueSendJob(makeDeps(), locale());
  },
  getSendProgress() {
    const deps = makeDeps();
    const view = viewSendProgress(deps, locale());
    return { ...view, ...sendProgressExtras(extrasOf(deps), view.progress?.jobId ?? null, locale()) };
  },
  pauseSend(): ContinueResult {
    return pauseSendJob(makeDeps(), locale());
  },
  resumeSend(): ContinueResult {
    return resumeSendJob(makeDeps(), locale());
  },
  cancelSend(): ContinueResult {
    return cancelSendJob(makeDeps(), locale());
  },
  getSendSettings(): SendSettings | null {
    const stored = userPropertiesStore().get<unknown>(SETTINGS_KEY);
    return stored === null ? null : parseSendSettings(stored);
  },
  saveSendSettings(input: Record<string, unknown>): SendSettings {
    const settings = parseSendSettings(input);
    userPropertiesStore().set(SETTINGS_KEY, settings);
    return settings;
  },
};

/** A Gmail card action has 30 s: resuming there sends for 20 s, then the continuation trigger goes on. */
export const CARD_SEND_BUDGET_MS = 20_000;

/** Pause, resume or cancel from the Gmail card (not a google.script.run function: no key in sendApi). */
export function controlSendFromCard(action: 'pause' | 'resume' | 'cancel'): ContinueResult {
  const deps = makeDeps({ budgetMs: CARD_SEND_BUDGET_MS });
  if (action === 'pause') return pauseSendJob(deps, locale());
  if (action === 'cancel') return cancelSendJob(deps, locale());
  return resumeSendJob(deps, locale());
}

export const sendTriggers = {
  /** Time-driven (one-off `after`): continues the send without a sidebar. */
  [SEND_CONTINUATION_HANDLER](_event?: unknown): void {
    const result = continueSendJob(makeDeps(), locale());
    console.log(`Send continuation: ${result.busy ? 'another execution holds the lock' : (result.progress?.state ?? 'no send')}`);
  },
};
