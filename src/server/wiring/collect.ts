// Wiring of the collect job: its deps built over the real services (adapters), and its entry points,
// spread into `api` and `triggers` by src/server/entrypoints.ts. Keys here become top-level Apps Script
// functions: keep them unique across jobs. Each builds the deps at call time, never at load time, and
// calls the ONE implementation in jobs/collect/:
//   api       collectFromGmail, checkCollectSetup, getCollectSettings, saveCollectSettings, getCollectStatus
//   triggers  runCollect (the schedule's time-driven handler), runCollectNow (a person's one-off request),
//             runCollectContinue (one-off continuation)
// Results are JSON-like (no Date), so they cross google.script.run as they are.

import { pickLocale } from '../domain/i18n';
import { PostroomError, errorMessage } from '../domain/errors';
import { platformCodecs } from '../adapters/codecs';
import { openRecordedLedger, readAddonMode, scriptDayFormatter, scriptTimeZone, sheetsLedgerProbe } from '../adapters/collect-platform';
import { driveFileStore } from '../adapters/drive';
import { userLock } from '../adapters/lock';
import { sheetsLedgerStore } from '../adapters/sheets';
import { restLedgerValues } from '../adapters/ledger-rest';
import { scriptScheduler } from '../adapters/triggers';
import type { LedgerStore } from '../ports/ledger';
import { isCollectRefusal, recordCollectRefusal, takeCollectRequest } from './collect-requests';
import { mailGateway } from './mail-gateway';
import { chooseMailTransport } from '../domain/mail/transport-setting';
import type { MailGateway } from '../ports/mail-gateway';
import { cachedUserStore } from '../adapters/collect-store';
import { LEDGER_SPREADSHEET_ID_PROPERTY, MAIL_SETTINGS_KEY } from '../domain/storage-keys';
import { SEND_SETTINGS_KEY } from '../domain/send/storage-keys';
import type { Locale } from '../domain/i18n';
import {
  checkSetup,
  collectFromGmail as runCollectJob,
  getCollectSettings as readSettingsView,
  getCollectStatus as readStatus,
  loadCollectSettings,
  loadRunState,
  saveCollectSettings as storeSettings,
  type CollectDeps,
  type CollectInput,
  type CollectResult,
  type CollectStatus,
  type SettingsView,
  type SetupReport,
} from '../jobs/collect';

/** The deps over Apps Script services. The ledger spreadsheet is opened on first use only. */
export function collectDeps(): CollectDeps {
  const store = cachedUserStore();
  let ledger: LedgerStore | null = null;
  const openLedger = (): LedgerStore =>
    (ledger ??= sheetsLedgerStore(
      openRecordedLedger(store.raw(LEDGER_SPREADSHEET_ID_PROPERTY), (id) => store.setRaw(LEDGER_SPREADSHEET_ID_PROPERTY, id)),
      { readOnOpen: true },
    ));
  let addonMode: boolean | null = null;
  let locale: Locale | null = null;
  let mail: MailGateway | null = null;
  let oneByOne: MailGateway | null = null;
  // The transport setting is read from the properties already in hand (no call of its own).
  const gateway = (): MailGateway =>
    (mail ??= mailGateway(chooseMailTransport(store.get<unknown>(MAIL_SETTINGS_KEY), store.get<unknown>(SEND_SETTINGS_KEY))));
  return {
    store,
    ledger: {
      table: (spec) => openLedger().table(spec),
      url: () => openLedger().url(),
      flush: () => openLedger().flush(),
      timeZone: () => openLedger().timeZone?.() ?? '',
    },
    ledgerValues: restLedgerValues(() => store.raw(LEDGER_SPREADSHEET_ID_PROPERTY)),
    ledgerProbe: sheetsLedgerProbe(),
    files: driveFileStore({ rewriteReadFiles: true }),
    get mail() {
      return gateway();
    },
    // Only where the project enables the Advanced Gmail service (appsscript.json); else the one gateway serves.
    get mailOneByOne() {
      if (typeof Gmail === 'undefined' || !Gmail || !Gmail.Users) return undefined;
      return (oneByOne ??= mailGateway('advanced'));
    },
    lock: userLock(),
    scheduler: scriptScheduler(),
    clock: { now: () => Date.now() },
    dayOf: scriptDayFormatter(),
    scriptTimeZone,
    get locale() {
      return (locale ??= pickLocale(Session.getActiveUserLocale()));
    },
    codecs: platformCodecs(),
    pause: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))),
    get addonMode() {
      return (addonMode ??= readAddonMode());
    },
  };
}

/** Sidebar / card / CLI: one execution's share of a collect run (`pending: true` → call again). */
function collectFromGmail(options?: { dryRun?: boolean; maxItems?: number; since?: string }): CollectResult {
  const deps = collectDeps();
  try {
    return runCollectJob(deps, options);
  } catch (error) {
    // A refused run leaves a failed JobRuns row and is thrown in the user's words.
    if (isCollectRefusal(error)) throw recordCollectRefusal(deps, error, options ?? {});
    throw error;
  }
}

function checkCollectSetup(): SetupReport {
  return checkSetup(collectDeps());
}

function getCollectSettings(): SettingsView {
  return readSettingsView(collectDeps());
}

function saveCollectSettings(settings: Record<string, unknown>): SettingsView {
  return storeSettings(collectDeps(), settings);
}

function getCollectStatus(): CollectStatus {
  return readStatus(collectDeps());
}

export const collectApi = {
  collectFromGmail,
  checkCollectSetup,
  getCollectSettings,
  saveCollectSettings,
  getCollectStatus,
};

/** A trigger has no one to show an error to: the outcome goes to the execution log. */
function runFromTrigger(deps: CollectDeps, what: string, input: CollectInput = {}): CollectResult | null {
  try {
    const result = runCollectJob(deps, input);
    console.log(`Postroom collect (${what}): ${result.status}, ${result.text}`);
    return result;
  } catch (error) {
    if (error instanceof PostroomError && error.code === 'ALREADY_RUNNING') {
      console.log(`Postroom collect (${what}): ${error.message}`);
      return null;
    }
    if (isCollectRefusal(error)) {
      // Recorded where the user looks (a failed JobRuns row, the card's last run): not a crash.
      console.warn(`Postroom collect (${what}): ${recordCollectRefusal(deps, error, input).message}`);
      return null;
    }
    console.error(`Postroom collect (${what}) failed: ${errorMessage(error)}`);
    throw error;
  }
}

export const collectTriggers = {
  /** The schedule's time-driven handler: runs with the saved settings; nothing when `enabled` is false. */
  runCollect(_event?: unknown): CollectResult | null {
    const deps = collectDeps();
    if (!loadCollectSettings(deps).enabled) {
      console.log('Postroom collect: disabled in the settings, nothing done.');
      return null;
    }
    return runFromTrigger(deps, 'schedule');
  },
  /**
   * One-off run asked for by a person (the Gmail card's "Collect now"): a card action has 30 s, so it
   * installs this trigger instead of collecting itself. Runs whatever `enabled` says (that setting is
   * for the schedule).
   */
  runCollectNow(_event?: unknown): CollectResult | null {
    const deps = collectDeps();
    return runFromTrigger(deps, 'on request', takeCollectRequest(deps));
  },
  /** One-off continuation of a pending run (installed by the run itself when its time budget ran out). */
  runCollectContinue(_event?: unknown): CollectResult | null {
    const deps = collectDeps();
    if (loadRunState(deps.store) === null) return null;
    return runFromTrigger(deps, 'continuation');
  },
};
