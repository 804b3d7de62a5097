// Latency model: virtual milliseconds each emulated service call costs. One table, each value with its
// source or marked as an estimate. Public figures for Apps Script latency are scarce; the estimates
// come from commonly reported orders of magnitude (Sheets/Drive calls tens to hundreds of ms, Gmail
// REST ~100-300 ms, a send several hundred ms) and are documented in emulator/FIDELITY.md.
// A prefix rule ("Gmail.") applies to every method below it unless a longer key matches.

export interface LatencyEntry {
  ms: number;
  source: string;
}

export const LATENCY_TABLE: Record<string, LatencyEntry> = {
  // Sheets
  'SpreadsheetApp.': { ms: 5, source: 'estimate: builder/getter calls are local until a read or write' },
  'SpreadsheetApp.Range.getValues': { ms: 150, source: 'estimate: one round trip to Sheets' },
  'SpreadsheetApp.Range.getDisplayValues': { ms: 150, source: 'estimate: one round trip to Sheets' },
  'SpreadsheetApp.Sheet.getSheetValues': { ms: 150, source: 'estimate: one round trip to Sheets (as getValues)' },
  'SpreadsheetApp.Range.setValues': { ms: 200, source: 'estimate: one round trip to Sheets' },
  'SpreadsheetApp.Range.setValue': { ms: 120, source: 'estimate: one round trip per cell (the mail-merge sample pattern)' },
  'SpreadsheetApp.Sheet.appendRow': { ms: 150, source: 'estimate: one round trip to Sheets' },
  'SpreadsheetApp.Sheet.getLastRow': { ms: 60, source: 'estimate' },
  'SpreadsheetApp.flush': { ms: 100, source: 'estimate' },
  'Sheets.REST.values.get': { ms: 150, source: 'estimate: one round trip to Sheets (as getValues)' },
  'Sheets.REST.values.batchGet': { ms: 150, source: 'estimate: one round trip to Sheets, ranges read together' },
  'Sheets.REST.values.batchUpdate': { ms: 200, source: 'estimate: one round trip to Sheets (as setValues), committed on answer' },
  'Sheets.REST.values.append': { ms: 200, source: 'estimate: one round trip to Sheets (as setValues), committed on answer' },
  // Drive
  'DriveApp.': { ms: 150, source: 'estimate: one Drive API round trip' },
  'DriveApp.Folder.createFile': { ms: 400, source: 'estimate: upload of a small file' },
  'DriveApp.File.getBlob': { ms: 200, source: 'estimate: download of a small file' },
  // Getters read the object the previous call returned: no round trip.
  'DriveApp.File.getId': { ms: 1, source: 'estimate: local property of a fetched File' },
  'DriveApp.File.getName': { ms: 1, source: 'estimate: local property of a fetched File' },
  'DriveApp.File.getUrl': { ms: 1, source: 'estimate: local property of a fetched File' },
  'DriveApp.File.getSize': { ms: 1, source: 'estimate: local property of a fetched File' },
  'DriveApp.File.getMimeType': { ms: 1, source: 'estimate: local property of a fetched File' },
  'DriveApp.Folder.getId': { ms: 1, source: 'estimate: local property of a fetched Folder' },
  'DriveApp.Folder.getName': { ms: 1, source: 'estimate: local property of a fetched Folder' },
  'DriveApp.Folder.getUrl': { ms: 1, source: 'estimate: local property of a fetched Folder' },
  'DriveApp.FileIterator.': { ms: 20, source: 'estimate: iterators fetch pages of results; most steps are local' },
  'DriveApp.FolderIterator.': { ms: 20, source: 'estimate: iterators fetch pages of results; most steps are local' },
  // Gmail
  'GmailApp.': { ms: 150, source: 'estimate' },
  'GmailApp.search': { ms: 500, source: 'estimate: search returns threads with their messages' },
  'GmailApp.sendEmail': { ms: 800, source: 'estimate: MailApp/GmailApp send is synchronous' },
  'GmailApp.Message.getAttachments': { ms: 300, source: 'estimate' },
  'GmailApp.Thread.addLabel': { ms: 250, source: 'estimate' },
  'Gmail.': { ms: 150, source: 'estimate: one Gmail API round trip through the Advanced service' },
  'Gmail.Users.Messages.send': { ms: 600, source: 'estimate' },
  'Gmail.Users.Drafts.send': { ms: 600, source: 'estimate' },
  'UrlFetchApp.fetch': { ms: 150, source: 'estimate: one HTTPS round trip to googleapis.com' },
  'UrlFetchApp.fetchAll': { ms: 150, source: 'estimate: requests run in parallel; the call costs its slowest request' },
  'MailApp.': { ms: 50, source: 'estimate' },
  'MailApp.sendEmail': { ms: 800, source: 'estimate: the same synchronous send as GmailApp.sendEmail' },
  'Browser.': { ms: 0, source: "the user answers (think time: the scripted answer's afterMs)" },
  // Script services
  'PropertiesService.': { ms: 30, source: 'estimate' },
  'CacheService.': { ms: 20, source: 'estimate' },
  'LockService.': { ms: 20, source: 'estimate' },
  'ScriptApp.': { ms: 50, source: 'estimate' },
  'Session.': { ms: 1, source: 'estimate: local' },
  'Utilities.': { ms: 1, source: 'estimate: local computation' },
  'HtmlService.': { ms: 5, source: 'estimate' },
  'CardService.': { ms: 0, source: 'local builders' },
  'Logger.': { ms: 0, source: 'local' },
  'console.': { ms: 0, source: 'local' },
};

const DEFAULT_LATENCY: LatencyEntry = { ms: 10, source: 'estimate: default for unlisted methods' };

/** The latency of `method` ("Service.Class.method"): exact key, else the longest matching prefix. */
export function latencyOf(method: string): number {
  const exact = LATENCY_TABLE[method];
  if (exact) return exact.ms;
  let best: LatencyEntry | undefined;
  let bestLength = -1;
  for (const [key, entry] of Object.entries(LATENCY_TABLE)) {
    if (key.endsWith('.') && method.startsWith(key) && key.length > bestLength) {
      best = entry;
      bestLength = key.length;
    }
  }
  return (best ?? DEFAULT_LATENCY).ms;
}
