// Adapter: the small platform facts the collect job needs besides its stores: the day of an instant in
// the SCRIPT's time zone (Intl in Session.getScriptTimeZone's zone, so "2026-01-05" is the
// day the accountant sees), a read-only look at the ledger tabs for checkSetup (it must create
// nothing), and whether the deployment is a published add-on.
// https://developers.google.com/apps-script/reference/utilities/utilities#formatDate(Date,String,String)
// https://developers.google.com/apps-script/reference/base/session#getScriptTimeZone()

import { ADDON_MODE_PROPERTY, LEDGER_SPREADSHEET_ID_PROPERTY } from '../domain/storage-keys';
import type { LedgerProbe } from '../ports/ledger';
import { openLedgerSpreadsheet } from './sheets';

/** A formatter of days in `zone` by the script's Intl (ICU's time zones), or null when it has none for it. */
export function intlDayFormat(zone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    return null;
  }
}

/** The named parts ("year", "month", "hour"…) of an instant as an Intl formatter writes them. */
export function intlParts(format: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(ms))) parts[part.type] = part.value;
  return parts;
}

/** "YYYY-MM-DD" of an instant by an intlDayFormat formatter. */
export function intlDay(format: Intl.DateTimeFormat, ms: number): string {
  const parts = intlParts(format, ms);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * `dayOf(ms, zone?)` → "YYYY-MM-DD" in `zone`, or in the script time zone (read once per execution)
 * when none is given: the job passes the zone its run kept, so a later execution spends no call on it.
 * The day is computed by Intl in that zone (the same IANA rules as Utilities.formatDate, without a
 * service call per attachment: every call counts against an execution that may be cut short), by
 * Utilities only if the script's Intl does not know the zone. Once per quarter hour of time (every
 * zone's offset is a multiple of 15 minutes, so all instants of a quarter hour fall on the same local day).
 */
export function scriptDayFormatter(): (ms: number, zone?: string) => string {
  let scriptZone: string | null = null;
  let formatZone: string | null = null;
  let format: Intl.DateTimeFormat | null = null;
  const days = new Map<number, string>();
  return (ms: number, given?: string) => {
    const zone = given ?? (scriptZone ??= Session.getScriptTimeZone());
    if (zone !== formatZone) {
      formatZone = zone;
      format = intlDayFormat(zone);
      days.clear();
    }
    const bucket = Math.floor(ms / 900_000);
    let day = days.get(bucket);
    if (day === undefined) {
      const at = bucket * 900_000;
      day = format ? intlDay(format, at) : Utilities.formatDate(new Date(at), zone, 'yyyy-MM-dd');
      days.set(bucket, day);
    }
    return day;
  };
}

/** The script's time zone (Session), for a run to keep. */
export function scriptTimeZone(): string {
  return Session.getScriptTimeZone();
}

/**
 * The ledger spreadsheet as sheetsLedgerStore would open it (the recorded one, else the active one),
 * without creating anything: null when there is none yet.
 */
export function sheetsLedgerProbe(): LedgerProbe {
  return {
    tabs(names) {
      const recorded = PropertiesService.getUserProperties().getProperty(LEDGER_SPREADSHEET_ID_PROPERTY);
      let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
      if (recorded) {
        try {
          spreadsheet = SpreadsheetApp.openById(recorded);
        } catch (error) {
          // Deleted or unshared: sheetsLedgerStore picks another one on the run, as reported below.
          console.warn(`Ledger spreadsheet ${recorded} cannot be opened (${String(error)}).`);
        }
      }
      spreadsheet ??= SpreadsheetApp.getActiveSpreadsheet();
      if (!spreadsheet) return null;
      const out: Record<string, { exists: boolean; headers: string[] }> = {};
      for (const name of names) {
        const sheet = spreadsheet.getSheetByName(name);
        const width = sheet ? sheet.getLastColumn() : 0;
        const headers =
          sheet && width > 0
            ? sheet
                .getRange(1, 1, 1, width)
                .getValues()[0]
                .map((value) => String(value).trim())
            : [];
        out[name] = { exists: sheet !== null, headers };
      }
      return out;
    },
  };
}

/**
 * True when the script property `postroom.addonMode` is "true" (set it in a published add-on's
 * project): settings then refuse sub-hourly schedules up front. Without it the platform still refuses
 * them when the trigger is created ("Add-ons may not create time-based triggers to run more frequently
 * than once per hour"), and saving the settings reports that on the `schedule` key.
 * https://developers.google.com/apps-script/guides/triggers/installable#restrictions
 */
export function readAddonMode(): boolean {
  return PropertiesService.getScriptProperties().getProperty(ADDON_MODE_PROPERTY) === 'true';
}

/**
 * The ledger spreadsheet opened by the id recorded in the user properties (`recordedId`, read with the
 * others in one call), in one service call; without a recorded id, or when it cannot be opened, the
 * choice of sheets.ts (the active spreadsheet or a new one, recorded).
 */
export function openRecordedLedger(recordedId: string | null, record?: (id: string) => void): GoogleAppsScript.Spreadsheet.Spreadsheet {
  if (recordedId) {
    try {
      return SpreadsheetApp.openById(recordedId);
    } catch (error) {
      console.warn(`Ledger spreadsheet ${recordedId} cannot be opened (${String(error)}); choosing another.`);
    }
  }
  if (!record) return openLedgerSpreadsheet();
  // The properties were read already (recordedId is theirs): the active spreadsheet or a new one,
  // recorded through the caller's store, without reading them again.
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet() ?? SpreadsheetApp.create('Postroom');
  record(spreadsheet.getId());
  return spreadsheet;
}
