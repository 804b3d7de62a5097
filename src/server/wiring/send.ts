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
//     runSendContinuation    the time-driven trigger that continues a send by itself (one-off after a
//                            chunk; recurring every 10 min as the safety net while a send runs)
//                            (after a quota pause, or when no sidebar is open)
//     runSendSafetyNet       in an add-on (no trigger more often than hourly): the hourly safety net
//                            while a send runs, removed when it ends (or by itself when it finds none)
// This file only wires adapters to the job (jobs/send/); it holds no logic of its own.

import { USER_PROPERTY_PREFIX } from '../domain/storage-keys';
import { PostroomError } from '../domain/errors';
import { pickLocale } from '../domain/i18n';
import { sendJobMessage } from '../domain/send/job-messages';
import type { SendFilter } from '../domain/send/plan';
import { parseSendSettings, type SendSettings } from '../domain/send/settings';
import { platformBase64 } from '../adapters/base64';
import { userLock } from '../adapters/lock';
import { userPropertiesStore } from '../adapters/properties';
import { FOLDER_CHECK_FRESH_MS, driveAttachmentSource, type FolderMemory } from '../adapters/send-attachments';
import { sendSheet } from '../adapters/send-sheet';
import { restSendSheet, type TextFormatDebt } from '../adapters/send-sheet-rest';
import { askAhead, dropAhead } from '../adapters/fetch-ahead';
import { scriptToken } from '../adapters/oauth';
import { buildUrl } from '../adapters/gmail/rest-client';
import { restCall } from '../adapters/gmail/rest-gateway';
import { folderFilesRequest } from '../adapters/send-attachments';
import { folderTreeRequest } from '../adapters/drive-tree';
import { LEDGER_SPREADSHEET_ID_PROPERTY } from '../domain/storage-keys';
import { sheetJobRunLog, userSendStateStore, type UserSendStateStore } from '../adapters/send-store';
import { openLedgerSpreadsheet, sheetsLedgerStore } from '../adapters/sheets';
import { scriptScheduler } from '../adapters/triggers';
import { jobRunsSheet } from '../adapters/job-runs-sheet';
import type { JobRunsSheet } from '../ports/job-runs-sheet';
import {
  SEND_FOLDER_PROPERTY,
  SEND_LOCALE_PROPERTY,
  SEND_SENDER_PROPERTY,
  SEND_SETTINGS_KEY as SETTINGS_KEY,
  SEND_TEXT_FORMAT_DUE_PROPERTY,
} from '../domain/send/storage-keys';

/** The settings' user property (userPropertiesStore prefixes its keys with `postroom.`). */
const SETTINGS_KEY_PROPERTY = `${USER_PROPERTY_PREFIX}${SETTINGS_KEY}`;
import type { MailGateway } from '../ports/mail-gateway';
import type { JobRunLog, SendSheet } from '../ports/send';
import { lazyMailGateway } from './mail-gateway';
import { extendSendDeps, extrasOf, savedSendSettings } from './send-extras-deps';
import { sendProgressExtras, withScheduleLabel } from '../jobs/send-extras/status';
import {
  SEND_CONTINUATION_HANDLER,
  SEND_SAFETY_NET_HANDLER,
  SENT_PAGE_SIZE,
  cancelSendJob,
  continueSendFromTrigger,
  continueSendJob,
  pauseSendJob,
  writeJobRunInSteps,
  planSendJob,
  resumeSendJob,
  startSendJob,
  viewSendProgress,
  type ContinueResult,
  type PlanResult,
  type SendDeps,
} from '../jobs/send';

/**
 * The address the job sends as (the effective user: the person who started it, as whom its triggers
 * run). Kept in that user's own properties after the first ask, and read back from the execution's
 * load: two Session calls fewer in every execution.
 */
function senderAddress(state: UserSendStateStore): string {
  const loaded = state.loaded();
  const known = loaded?.[SEND_SENDER_PROPERTY];
  if (known) return known;
  const address = Session.getEffectiveUser().getEmail();
  if (loaded && address) {
    state.service().setProperty(SEND_SENDER_PROPERTY, address);
    loaded[SEND_SENDER_PROPERTY] = address;
  }
  return address;
}

/**
 * The attachments folder's id as last found, kept in the user's own properties (written when found
 * or changed, read from the execution's load): a continuing execution lists the folder without
 * walking its path (one files.list per part).
 */
function folderMemory(state: UserSendStateStore): FolderMemory {
  const loaded = state.loaded;
  const kept = (setting: string) => {
    const raw = loaded()?.[SEND_FOLDER_PROPERTY];
    const value = raw
      ? (parsedOr(raw, () => null) as { setting?: unknown; id?: unknown; checkedAt?: unknown; tree?: unknown } | null)
      : null;
    return value && value.setting === setting && typeof value.id === 'string' && value.id ? value : null;
  };
  const write = (value: Record<string, unknown>) => {
    const all = loaded();
    if (!all) return;
    const text = JSON.stringify(value);
    state.service().setProperty(SEND_FOLDER_PROPERTY, text);
    all[SEND_FOLDER_PROPERTY] = text;
  };
  return {
    known(setting: string): string | null {
      return (kept(setting)?.id as string | undefined) ?? null;
    },
    checkedRecently(setting: string): boolean {
      const checkedAt = kept(setting)?.checkedAt;
      return typeof checkedAt === 'number' && Math.abs(Date.now() - checkedAt) < FOLDER_CHECK_FRESH_MS;
    },
    remember(setting: string, id: string): void {
      // Kept with the time of the walk that found it (and whether the send lists its tree, when the same folder).
      const before = kept(setting);
      write({ setting, id, checkedAt: Date.now(), ...(before?.id === id && before.tree === true ? { tree: true } : {}) });
    },
    treeUsed(setting: string): boolean {
      return kept(setting)?.tree === true;
    },
    noteTreeUsed(setting: string): void {
      const before = kept(setting);
      if (before) write({ ...before, tree: true });
    },
  };
}

/** JSON text parsed, or (unreadable) what `otherwise` says: the store's own read and its error. */
function parsedOr(raw: string, otherwise: () => unknown): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return otherwise();
  }
}

/** The send settings: from the user properties the state store already loaded, else read. */
function readSettings(loaded: Record<string, string> | null = null): SendSettings {
  const raw = loaded ? loaded[SETTINGS_KEY_PROPERTY] : undefined;
  const stored =
    raw === undefined
      ? loaded
        ? null
        : userPropertiesStore().get<unknown>(SETTINGS_KEY)
      : parsedOr(raw, () => userPropertiesStore().get<unknown>(SETTINGS_KEY));
  // The kept locale when the load has it (a continuing execution asks Session nothing).
  const kept = loaded?.[SEND_LOCALE_PROPERTY];
  const language = kept === 'fr' || kept === 'en' ? kept : locale();
  if (stored === null) throw new PostroomError('SETUP_INCOMPLETE', sendJobMessage(language, 'settingsMissing'));
  return parseSendSettings(stored, language);
}

/** The ledger spreadsheet, opened on first use only (getSendProgress never needs it), once per execution. */
function lazySpreadsheet(loaded: () => Record<string, string> | null): () => GoogleAppsScript.Spreadsheet.Spreadsheet {
  let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  return () => (spreadsheet ??= openLedgerSpreadsheet(loaded() ?? undefined));
}

/**
 * The Sends tab over the Sheets REST API (its read and writes join other requests in one fetchAll),
 * created on first use; the spreadsheet's id from the user's properties when kept there (no call).
 */
function lazySheet(open: () => GoogleAppsScript.Spreadsheet.Spreadsheet, state: UserSendStateStore): SendSheet {
  let inner: SendSheet | null = null;
  const get = () =>
    (inner ??= restSendSheet({
      spreadsheetId: () => state.loaded()?.[LEDGER_SPREADSHEET_ID_PROPERTY] || ledgerIdKept(open, state),
      spreadsheet: open,
      appSheet: () => sendSheet(open()),
      formatDebt: textFormatDebt(state),
    }));
  return {
    read: () => get().read(),
    write: (updates) => get().write(updates),
    flush: () => get().flush(),
    timeZoneOffsetMinutes: (date) => get().timeZoneOffsetMinutes(date),
  };
}

/**
 * The ledger's id when the user's properties do not keep it yet: the container's, kept at once (three
 * calls), else the spreadsheet openLedgerSpreadsheet picks (and keeps).
 */
function ledgerIdKept(open: () => GoogleAppsScript.Spreadsheet.Spreadsheet, state: UserSendStateStore): string {
  const active = SpreadsheetApp.getActiveSpreadsheet();
  if (!active) return open().getId();
  const id = active.getId();
  state.service().setProperty(LEDGER_SPREADSHEET_ID_PROPERTY, id);
  const loaded = state.loaded();
  if (loaded) loaded[LEDGER_SPREADSHEET_ID_PROPERTY] = id;
  return id;
}

/** The text format owed by added columns, in the user's properties (read with the state's load). */
function textFormatDebt(state: UserSendStateStore): TextFormatDebt {
  return {
    due() {
      const raw = state.loaded()?.[SEND_TEXT_FORMAT_DUE_PROPERTY];
      const ranges = raw ? (parsedOr(raw, () => null) as unknown) : null;
      return Array.isArray(ranges) && ranges.length ? ranges.map(String) : null;
    },
    owe(ranges) {
      const value = JSON.stringify(ranges);
      state.service().setProperty(SEND_TEXT_FORMAT_DUE_PROPERTY, value);
      const loaded = state.loaded();
      if (loaded) loaded[SEND_TEXT_FORMAT_DUE_PROPERTY] = value;
    },
    paid() {
      const loaded = state.loaded();
      if (loaded && !(SEND_TEXT_FORMAT_DUE_PROPERTY in loaded)) return;
      state.service().deleteProperty(SEND_TEXT_FORMAT_DUE_PROPERTY);
      if (loaded) delete loaded[SEND_TEXT_FORMAT_DUE_PROPERTY];
    },
  };
}

/** The first page of the SENT listing as the in-doubt check asks for it (REST transport). */
function sentListingRequest(): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const call = restCall({ method: 'messages.list', labelIds: ['SENT'], maxResults: SENT_PAGE_SIZE });
  return { url: buildUrl(call), method: 'get', headers: { Authorization: `Bearer ${scriptToken()}` }, muteHttpExceptions: true };
}

/** The mail gateway of the transport the send settings choose, created when first used. */
function lazyGateway(settings: () => SendSettings): MailGateway {
  return lazyMailGateway(() => settings().transport);
}

/** The state store of each deps made here (the extras wrap the deps' state). */
const stateStores = new WeakMap<SendDeps, UserSendStateStore>();

export function makeDeps(options: { budgetMs?: number } = {}): SendDeps {
  let settings: SendSettings | null = null;
  let sender: { address: string } | null = null;
  let user: string | null = null;
  // Each execution reads the user properties once (the state's load): settings and the ledger's id
  // come from that read when it was made, two calls each fewer before the first durable write.
  const state = userSendStateStore();
  const getSettings = () => (settings ??= readSettings(state.loaded()));
  const spreadsheet = lazySpreadsheet(state.loaded);
  const folders = folderMemory(state);
  let jobRuns: JobRunLog | null = null;
  const ledgerJobRuns = () => (jobRuns ??= sheetJobRunLog(sheetsLedgerStore(spreadsheet())));
  const sheetOfRuns = jobRunsSheet();
  const stepSheet: JobRunsSheet = {
    ...sheetOfRuns,
    ledgerId: () => state.loaded()?.[LEDGER_SPREADSHEET_ID_PROPERTY] || sheetOfRuns.ledgerId(),
  };
  // The send extras (draft template, send-as, attachment patterns, the lasting log): wiring/send-extras-deps.ts.
  const deps = extendSendDeps(
    {
      sheet: lazySheet(spreadsheet, state),
      attachments: driveAttachmentSource(folders),
      lookahead: {
        begin(wants) {
          // Only what a kill loses nothing by: reads, served once to the adapter asking the same URL.
          const settings = getSettings();
          if (wants.sentListing && settings.transport === 'rest') askAhead(sentListingRequest());
          const folderId = folders.known(settings.attachmentsFolder);
          if (folderId) askAhead(folderFilesRequest(folderId));
          // Rows with attachment patterns list the folder's tree: its first page too (drive-tree.ts).
          if (folderId && folders.treeUsed?.(settings.attachmentsFolder)) askAhead(folderTreeRequest(folderId));
        },
        endSentListing() {
          dropAhead(sentListingRequest().url);
        },
      },
      mail: lazyGateway(getSettings),
      base64: platformBase64(),
      state,
      jobRuns: {
        record: (run) => ledgerJobRuns().record(run),
        // An ended run's row in saved steps through the Sheets API (the ledger's id from the state's load).
        recordInSteps: (run, steps, save) => writeJobRunInSteps(stepSheet, run, steps, save, (refused) => ledgerJobRuns().record(refused)),
      },
      scheduler: scriptScheduler(),
      lock: userLock(),
      clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))) },
      settings: getSettings,
      get sender() {
        return (sender ??= { address: senderAddress(state) });
      },
      get user() {
        return (user ??= Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail());
      },
      random: Math.random,
      ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    },
    { folders },
  );
  stateStores.set(deps, state);
  return deps;
}

/** The user's locale, asked once per execution (each execution loads the bundle afresh). */
let userLocale: ReturnType<typeof pickLocale> | null = null;
function locale() {
  return (userLocale ??= pickLocale(Session.getActiveUserLocale()));
}

/** The user properties the deps' state store loaded in this execution (null before its load). */
function loadedOf(deps: SendDeps): Record<string, string> | null {
  return stateStores.get(deps)?.loaded() ?? null;
}

/**
 * A continuing execution's locale: the one the user's properties keep (read with the state, no call),
 * else asked (and kept). The calls the sidebar makes (progress, plan, start) keep it up to date.
 */
function keptLocale(deps: SendDeps): () => ReturnType<typeof pickLocale> {
  return () => {
    const kept = loadedOf(deps)?.[SEND_LOCALE_PROPERTY];
    if (kept === 'fr' || kept === 'en') return kept;
    return rememberLocale(deps);
  };
}

/**
 * Deps whose user properties are read ahead of the lock: planning's settings, sender and locale come
 * from that read, not from calls of their own (the job reads them again under the lock).
 */
function preloadedDeps(): SendDeps {
  const deps = makeDeps();
  stateStores.get(deps)?.preload();
  return deps;
}

/** The user's locale, kept in the user's properties when it differs from the one kept (after a load). */
function rememberLocale(deps: SendDeps): ReturnType<typeof pickLocale> {
  const current = locale();
  const loaded = loadedOf(deps);
  if (loaded && loaded[SEND_LOCALE_PROPERTY] !== current) {
    const store = stateStores.get(deps);
    (store ? store.service() : PropertiesService.getUserProperties()).setProperty(SEND_LOCALE_PROPERTY, current);
    loaded[SEND_LOCALE_PROPERTY] = current;
  }
  return current;
}

function toFilter(input: unknown): SendFilter {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new PostroomError('INVALID_INPUT', sendJobMessage(locale(), 'filterShape'));
  const { key, period, max, confirmDuplicates, ...rest } = input as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new PostroomError('INVALID_INPUT', sendJobMessage(locale(), 'filterUnknownField', { field: unknown[0] }));
  return {
    key: key === undefined || key === null ? undefined : String(key),
    period: period === undefined || period === null ? undefined : String(period),
    max: max === undefined || max === null || max === '' ? undefined : Number(max),
    ...(confirmDuplicates === undefined || confirmDuplicates === null
      ? {}
      : { confirmDuplicates: Array.isArray(confirmDuplicates) ? confirmDuplicates.map(Number) : Boolean(confirmDuplicates) }),
  };
}

export const sendApi = {
  planSend(filter?: { key?: string; period?: string; max?: number; confirmDuplicates?: boolean | number[] }): PlanResult {
    const deps = preloadedDeps();
    extrasOf(deps).beforePlan();
    const result = planSendJob(deps, toFilter(filter), keptLocale(deps)());
    rememberLocale(deps);
    return result;
  },
  startSend(filter?: { key?: string; period?: string; max?: number; confirmDuplicates?: boolean | number[] } | null): ContinueResult {
    // The user's properties are read once, under the lock (settings, sender and locale from that
    // read): a start cut short after a few calls still makes its step (plan, columns, their format).
    const deps = makeDeps();
    const fresh = filter !== undefined && filter !== null;
    const result = startSendJob(deps, fresh ? toFilter(filter) : null, keptLocale(deps), () => {
      if (fresh) extrasOf(deps).beforePlan();
    });
    rememberLocale(deps);
    return result;
  },
  continueSend(): ContinueResult {
    const deps = makeDeps();
    return continueSendJob(deps, keptLocale(deps));
  },
  getSendProgress() {
    const deps = makeDeps();
    const view = viewSendProgress(deps, locale());
    const extras = sendProgressExtras(extrasOf(deps), savedSendSettings(), view.progress?.jobId ?? null, locale());
    rememberLocale(deps);
    return { ...view, progress: withScheduleLabel(view.progress, extras), ...extras };
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
    return stored === null ? null : parseSendSettings(stored, locale());
  },
  saveSendSettings(input: Record<string, unknown>): SendSettings {
    const settings = parseSendSettings(input, locale());
    userPropertiesStore().set(SETTINGS_KEY, settings);
    return settings;
  },
};

/** A Gmail card action has 30 s: resuming there sends for 20 s, then the continuation trigger goes on. */
export const CARD_SEND_BUDGET_MS = 20_000;

/** Pause, resume or cancel from the Gmail card (not a google.script.run function: no key in sendApi). */
export function controlSendFromCard(action: 'start' | 'pause' | 'resume' | 'cancel'): ContinueResult {
  const deps = makeDeps({ budgetMs: CARD_SEND_BUDGET_MS });
  if (action === 'start') return startSendJob(deps, null, locale());
  if (action === 'pause') return pauseSendJob(deps, locale());
  if (action === 'cancel') return cancelSendJob(deps, locale());
  return resumeSendJob(deps, locale());
}

export const sendTriggers = {
  /**
   * Time-driven (one-off `after`, or the recurring safety net): continues the send without a sidebar;
   * one that finds no send under way removes the send's triggers left by an execution cut short.
   */
  [SEND_CONTINUATION_HANDLER](_event?: unknown): void {
    const deps = makeDeps();
    const result = continueSendFromTrigger(deps, keptLocale(deps));
    console.log(`Send continuation: ${result.busy ? 'another execution holds the lock' : (result.progress?.state ?? 'no send')}`);
  },
  /** Time-driven, hourly (an add-on's safety net): the same continuation, under a handler of its own. */
  [SEND_SAFETY_NET_HANDLER](_event?: unknown): void {
    const deps = makeDeps();
    const result = continueSendFromTrigger(deps, keptLocale(deps));
    console.log(`Send safety net: ${result.busy ? 'another execution holds the lock' : (result.progress?.state ?? 'no send')}`);
  },
};
