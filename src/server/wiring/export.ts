// Wiring: the export job over the real adapters (the mail gateway the settings choose, Drive, the user properties,
// the ledger spreadsheet opened on first use, the user lock, ScriptApp triggers), and its entry points,
// spread into `api` and `triggers` by src/server/entrypoints.ts:
//   api       startExport(options), getExportProgress(), cancelExport()    JSON in, JSON out
//   triggers  runExportContinue    the one-off trigger each execution installs while work is left
// The REST gateway (the default) reads in parallel (fetchAll, 50 messages a call), which is how the
// export reaches Gmail's read ceiling; the Advanced service, when chosen, reads one message per call.

import { pickLocale } from '../domain/i18n';
import type { ExportProgress, ExportRequest } from '../domain/export';
import { platformCodecs } from '../adapters/codecs';
import { driveExportFiles } from '../adapters/export-drive';
import { userLock } from '../adapters/lock';
import { userPropertiesStore } from '../adapters/properties';
import { sheetsLedgerStore } from '../adapters/sheets';
import { scriptScheduler } from '../adapters/triggers';
import type { LedgerStore } from '../ports/ledger';
import { cancelExportRun, continueExportRun, startExportRun, viewExportProgress, type ExportDeps } from '../jobs/export';
import { settingsMailGateway } from './mail-gateway';

export function exportDeps(): ExportDeps {
  let ledger: LedgerStore | null = null;
  const openLedger = (): LedgerStore => (ledger ??= sheetsLedgerStore());
  // The zone is read only when a date is formatted (the run's start): a continuation spends no call on it.
  let zone: string | null = null;
  const codecs = platformCodecs();
  return {
    mail: settingsMailGateway(),
    files: driveExportFiles(),
    store: userPropertiesStore(),
    ledger: { table: (spec) => openLedger().table(spec), url: () => openLedger().url(), flush: () => openLedger().flush() },
    lock: userLock(),
    scheduler: scriptScheduler(),
    clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.round(ms))) },
    locale: pickLocale(Session.getActiveUserLocale()),
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
};
