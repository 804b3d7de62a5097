// The emulated Apps Script services, for the runner that assembles a sandbox's globals. Each factory
// returns the object a script sees under the global name; stores are created once per workspace and
// shared by every execution (the ServiceContext carries the current execution).
//
//   createDriveApp(store: DriveStore, ctx, { makeDate? })                       → DriveApp
//   createSpreadsheetApp(store: SpreadsheetStore, ctx,
//       { activeSpreadsheetId?: string | null, ui?: UiLog | null, addonName?, makeDate? }) → SpreadsheetApp
//       (ui null = no UI, as in a trigger: getUi() throws; activeSpreadsheetId null = standalone)
//   createPropertiesService(stores: PropertyStores, ctx, { inContainer })      → PropertiesService
//       createPropertyStores({ inContainer }) makes the script/user/document stores
//   createCacheService(stores: CacheStores, ctx, { inContainer })              → CacheService
//       createCacheStores({ inContainer, maxEntries? })
//   createLockService(store: LockStore, ctx, { inContainer, userEmail?, documentId? }) → LockService
//       LockStore.releaseAllFor(executionId) when an execution ends
//   createScriptApp(store: TriggerStore, ctx, { addonMode?, oauthToken?, userEmail?, scriptTimeZone?, scriptId? }) → ScriptApp
//       TriggerStore.dueTriggers(now) / markFired(trigger, now) / nextDueAt() / eventFor(trigger, firedAt)
//   createUtilities(ctx)                                                        → Utilities
//   createSession(ctx, { activeUserEmail?, effectiveUserEmail?, locale?, scriptTimeZone? }) → Session
//   createMailApp(quotas: { remainingRecipients(): number }, ctx, { mailbox, quotas }?) → MailApp
//       (without the mailbox, sendEmail throws "Not emulated")
//   createBrowser(ctx, dialogs: BrowserDialogs, { hasUi })                     → Browser (scripted answers)
//   createHtmlService(files: Record<name, html>, ctx)                          → HtmlService
//   createCardService(ctx)                                                      → CardService (renderCard(card) → JSON)
//   createLogger(logs: LogEntry[], ctx)                                         → { Logger, console }
//
// Dates handed to scripts come from `makeDate` (pass the sandbox's Date so instanceof holds there);
// dates passed in by scripts are accepted from any realm (anything with getTime()).

export { DriveStore, guessMimeType, type DriveFileEntry, type DriveItem } from '../drive/drive-store';
export { createDriveApp, NO_ITEM_WITH_ID } from '../drive/drive-app';
export { SpreadsheetStore } from '../sheets/spreadsheet-store';
export { createSpreadsheetApp, SHEETS_ERRORS, type RecordedToast } from '../sheets/spreadsheet-app';
export { UiLog, type RecordedDialog, type RecordedHtml, type RecordedMenu } from '../sheets/ui';
export { createPropertiesService, createPropertyStores, PropertiesStore, type PropertyStores } from './properties';
export { createCacheService, createCacheStores, CacheStore, type CacheStores } from './cache';
export { createLockService, LockStore, LOCK_TIMEOUT_MESSAGE } from './lock';
export { createScriptApp, TriggerStore, DEFAULT_OAUTH_TOKEN, type StoredTrigger, type ClockTriggerEvent } from './script-app';
export { createUtilities, formatJavaDate } from './utilities';
export { createSession, type SessionOptions } from './session';
export { createMailApp, type RecipientQuota } from './mail-app';
export { createBrowser, BrowserDialogs, type BrowserAnswer, type RecordedBrowserDialog } from './browser';
export { createHtmlService, FakeHtmlOutput } from './html-service';
export { createCardService, renderCard } from './card-service';
export { createLogger, type LogEntry } from './logger';
export { FakeBlob } from './blob';
export { hostDate, isDateLike, withNotEmulated, type DateFactory } from './fake-support';
