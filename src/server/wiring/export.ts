// Wiring: the export job over the real adapters (the mail gateway the settings choose, Drive, the user properties,
// the ledger spreadsheet opened on first use, the user lock, ScriptApp triggers), and its entry points,
// spread into `api` and `triggers` by src/server/entrypoints.ts:
//   api       startExport(options), getExportProgress(), cancelExport()    JSON in, JSON out
//   triggers  runExportContinue    the one-off trigger each execution installs while work is left
//             runExportSafetyNet   in an add-on (no trigger more often than hourly): the hourly safety net
// The REST gateway (the default) reads in parallel (fetchAll, 50 messages a call), which is how the
// export reaches Gmail's read ceiling; the Advanced service, when chosen, reads one message per call.

import { pickLocale, type Locale } from '../domain/i18n';
import type { ExportProgress, ExportRequest } from '../domain/export';
import { platformCodecs } from '../adapters/codecs';
import { driveExportFiles } from '../adapters/export-drive';
import { jobRunsSheet } from '../adapters/job-runs-sheet';
import { userLock } from '../adapters/lock';
import { userPropertiesStore } from '../adapters/properties';
import { sheetsLedgerStore } from '../adapters/sheets';
import { scriptScheduler } from '../adapters/triggers';
import type { LedgerStore } from '../ports/ledger';
import { cancelExportRun, continueExportRun, startExportRun, viewExportProgress, type ExportDeps } from '../jobs/export';
import { lazyMailGateway } from './mail-gateway';
import { MAIL_SETTINGS_KEY } from '../domain/storage-keys';
import { SEND_SETTINGS_KEY } from '../domain/send/storage-keys';
import { resolveMailTransport } from '../domain/mail/transport-setting';
import type { MailTransportKind } from '../domain/mail/transport-setting';

export function exportDeps(): ExportDeps {
  let ledger: LedgerStore | null = null;
  const openLedger = (): LedgerStore => (ledger ??= sheetsLedgerStore());
  // The zone is read only when a date is formatted (the run's start): a continuation spends no call on it.
  let zone: string | null = null;
  const codecs = platformCodecs();
  // The transport a running export chose at its start (the job tells it): no settings read after that.
  let transport: MailTransportKind | null = null;
  let locale: Locale | null = null;
  const store = userPropertiesStore();
  const userLocale = (): Locale => (locale ??= pickLocale(Session.getActiveUserLocale()));
  // The settings read through this execution's store and locale (as mailTransportSetting reads them, in fewer calls).
  // (The user's language only for a refusal of bad settings: reading it is a call.)
  const settingsTransport = (): MailTransportKind => {
    const mail = store.get<unknown>(MAIL_SETTINGS_KEY);
    const send = store.get<unknown>(SEND_SETTINGS_KEY);
    try {
      return resolveMailTransport(mail, send, 'en').transport;
    } catch {
      return resolveMailTransport(mail, send, userLocale()).transport;
    }
  };
  return {
    mail: lazyMailGateway(() => transport ?? settingsTransport()),
    useMailTransport: (kind) => {
      transport = kind;
    },
    files: driveExportFiles(),
    store,
    ledger: { table: (spec) => openLedger().table(spec), url: () => openLedger().url(), flush: () => openLedger().flush() },
    jobRunsSheet: jobRunsSheet(),
    lock: userLock(),
    scheduler: scriptScheduler(),
    clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))) },
    // Read when a text is made, not by every execution.
    get locale(): Locale {
      return userLocale();
    },
    formatDate: (ms, pattern) => Utilities.formatDate(new Date(ms), (zone ??= Session.getScriptTimeZone()), pattern),
    hash: (text) => codecs.sha256HexOfText(text),
    codecs,
    newRunId: () => `export-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`,
  };
}

export const exportApi = {
  /** Starts an export and returns at once; the work goes on in runExportContinue executions. */
  startExport(options?: ExportRequest): ExportProgress {
    return startExportRun(exportDeps(), options);
  },
  getExportProgress(): ExportProgress {
    return viewExportProgress(exportDeps());
  },
  cancelExport(): ExportProgress {
    return cancelExportRun(exportDeps());
  },
};

export const exportTriggers = {
  /** One-off time-driven continuation of the export in progress (its name is EXPORT_CONTINUE_HANDLER). */
  runExportContinue(_event?: unknown): ExportProgress | null {
    const progress = continueExportRun(exportDeps());
    console.log(
      `Postroom export: ${progress ? `${progress.state}, ${progress.summary}` : 'nothing to do or another execution holds the lock'}`,
    );
    return progress;
  },
  /** The hourly safety net of an add-on export (EXPORT_SAFETY_NET_HANDLER): the same execution. */
  runExportSafetyNet(_event?: unknown): ExportProgress | null {
    return exportTriggers.runExportContinue();
  },
};
