// The History tab's server side: listJobRuns reads the JobRuns tab of the ledger spreadsheet with ONE
// getValues (creating nothing: no spreadsheet or no tab yet is an empty history) and hands the rows,
// newest first, to the pure domain/job-runs.ts.

import { LEDGER_SPREADSHEET_ID_PROPERTY } from '../domain/storage-keys';
import { readJobRuns, type JobRunView } from '../domain/job-runs';
import { JOB_RUNS_TABLE } from '../domain/collect/ledger';
import { pickLocale } from '../domain/i18n';
import { loadCollectSettings } from '../jobs/collect';
import { collectDeps } from '../wiring/collect';

/** The ledger spreadsheet as the jobs open it (the recorded one, else the active one), or null. */
function existingLedger(): GoogleAppsScript.Spreadsheet.Spreadsheet | null {
  const recorded = PropertiesService.getUserProperties().getProperty(LEDGER_SPREADSHEET_ID_PROPERTY);
  if (recorded) {
    try {
      return SpreadsheetApp.openById(recorded);
    } catch (error) {
      console.warn(`Ledger spreadsheet ${recorded} cannot be opened (${String(error)}).`);
    }
  }
  return SpreadsheetApp.getActiveSpreadsheet() ?? null;
}

export function listJobRuns(options?: { limit?: number }): JobRunView[] {
  const locale = pickLocale(Session.getActiveUserLocale());
  const sheet = existingLedger()?.getSheetByName(JOB_RUNS_TABLE.name) ?? null;
  if (!sheet || sheet.getLastRow() < 2) return [];
  const values = sheet.getDataRange().getValues();
  let collectFolder: string | null | undefined;
  const folderUrl = (job: JobRunView['job']) => {
    if (job !== 'collect') return null;
    if (collectFolder === undefined) {
      const deps = collectDeps();
      let root = 'Postroom';
      try {
        root = loadCollectSettings(deps).rootFolder;
      } catch {
        // Unreadable settings: the default root folder.
      }
      const id = deps.files.findFolder([root]);
      collectFolder = id ? `https://drive.google.com/drive/folders/${id}` : null;
    }
    return collectFolder;
  };
  const limit = options && typeof options.limit === 'number' && Number.isInteger(options.limit) && options.limit > 0 ? options.limit : 50;
  return readJobRuns(values, locale, { limit, folderUrl });
}
