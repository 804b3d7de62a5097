// The global object of one execution: exactly the Apps Script services a V8 script sees, built
// fresh over the workspace's stores for each execution, and the execution's virtual `Date` (added by
// the runner). Nothing else: no require, process, Buffer, setTimeout, TextEncoder, atob, fetch or
// window, because Apps Script has none of them (V8 runtime guide), and a script that leans on one must
// fail here as it would there. https://developers.google.com/apps-script/guides/v8-runtime

import { createDriveApp } from './drive/drive-app';
import { createDriveRestRoutes } from './drive/drive-rest';
import { createGmailGlobals } from './gmail/index';
import type { ExecutionEnvironment } from './runner';
import { createBrowser } from './services/browser';
import { createCacheService } from './services/cache';
import { createCardService } from './services/card-service';
import { createHtmlService } from './services/html-service';
import { createLockService } from './services/lock';
import { createLogger } from './services/logger';
import { createMailApp } from './services/mail-app';
import { createPropertiesService } from './services/properties';
import { createScriptApp } from './services/script-app';
import { createSession } from './services/session';
import { createUrlFetchApp } from './services/url-fetch';
import { createUtilities } from './services/utilities';
import { createSheetsRestRoutes } from './sheets/sheets-rest';
import { createSpreadsheetApp } from './sheets/spreadsheet-app';
import type { Workspace } from './workspace';

/** The names every execution's global object holds (besides JavaScript's own built-ins and Date). */
export const EMULATED_GLOBALS = [
  'GmailApp',
  'Gmail',
  'UrlFetchApp',
  'DriveApp',
  'SpreadsheetApp',
  'PropertiesService',
  'CacheService',
  'LockService',
  'ScriptApp',
  'Utilities',
  'Session',
  'MailApp',
  'Browser',
  'HtmlService',
  'CardService',
  'Logger',
  'console',
] as const;

export type EmulatedGlobalName = (typeof EMULATED_GLOBALS)[number];

/** The Apps Script globals of one execution over `workspace`. */
export function buildGlobals(workspace: Workspace, environment: ExecutionEnvironment): Partial<Record<EmulatedGlobalName, unknown>> {
  const { ctx } = workspace;
  const makeDate = (ms: number) => new environment.Date(ms);
  const inContainer = workspace.inContainer;
  // Triggers have no user interface: SpreadsheetApp.getUi() throws there, as on the platform.
  const hasUi = environment.execution.kind !== 'trigger';
  const { session } = workspace;
  // The Gmail views share the workspace's API core: attachment ids expire by their own rules (TTL,
  // newer messages.get), not at the end of an execution (see emulator/FIDELITY.md).
  const gmail = createGmailGlobals({
    core: workspace.gmailCore,
    mailbox: workspace.mailbox,
    ctx,
    quotas: workspace.quotas,
    oauthToken: workspace.oauthToken,
    timeZone: session.timeZone,
  });
  const logger = createLogger(workspace.logs, ctx);
  return {
    GmailApp: gmail.GmailApp,
    Gmail: gmail.Gmail,
    UrlFetchApp: createUrlFetchApp(ctx, workspace.quotas, {
      ...gmail.gmailRestRoutes,
      ...createDriveRestRoutes({ store: workspace.drive, ctx, oauthToken: workspace.oauthToken }),
      ...createSheetsRestRoutes({ store: workspace.sheets, ctx, oauthToken: workspace.oauthToken, quota: workspace.sheetsRestQuota }),
    }),
    DriveApp: createDriveApp(workspace.drive, ctx, { makeDate }),
    SpreadsheetApp: createSpreadsheetApp(workspace.sheets, ctx, {
      activeSpreadsheetId: workspace.containerId,
      ui: hasUi ? workspace.ui : null,
      makeDate,
    }),
    PropertiesService: createPropertiesService(workspace.properties, ctx, { inContainer }),
    CacheService: createCacheService(workspace.caches, ctx, { inContainer }),
    LockService: createLockService(workspace.locks, ctx, {
      inContainer,
      userEmail: session.userEmail,
      documentId: workspace.containerId ?? undefined,
    }),
    ScriptApp: createScriptApp(workspace.triggers, ctx, {
      addonMode: workspace.addonMode,
      oauthToken: workspace.oauthToken,
      userEmail: session.userEmail,
      scriptTimeZone: session.timeZone,
    }),
    Utilities: createUtilities(ctx),
    Session: createSession(ctx, {
      activeUserEmail: session.activeUserEmail,
      effectiveUserEmail: session.userEmail,
      locale: session.locale,
      scriptTimeZone: session.timeZone,
    }),
    MailApp: createMailApp(workspace.quotas, ctx, { mailbox: workspace.mailbox, quotas: workspace.quotas }),
    // Browser dialogs need a spreadsheet with a user interface: not in triggers, not standalone.
    Browser: createBrowser(ctx, workspace.browser, { hasUi: hasUi && inContainer }),
    HtmlService: createHtmlService(workspace.htmlFiles, ctx),
    CardService: createCardService(ctx),
    Logger: logger.Logger,
    console: logger.console,
  };
}
