// The only public surface of the Apps Script bundle. Every function Apps Script may call by name is a
// key of one of these groups; build.mjs emits a top-level forwarding `function` for each key and fails
// the build when one is missing from the output.
//   api       called from the sidebar (google.script.run) and the Gmail card; JSON in, JSON out.
//   triggers  simple / installable / add-on triggers, time-driven handlers and menu items.

import { buildStatus, type Status } from './domain/status';
import { pickLocale } from './domain/i18n';
import { readStatusFacts, userLocale } from './adapters/session';
import { addPostroomMenu, openSidebar } from './ui/menu';
import { cardTriggers } from './ui/card-actions';
import { withLocalizedErrors } from './ui/entry-errors';
import { sidebarApi } from './ui/sidebar-api';
import { collectApi, collectTriggers } from './wiring/collect';
import { sendApi, sendTriggers } from './wiring/send';
import { sendExtrasApi, sendExtrasTriggers } from './wiring/send-extras';
import { mailSettingsApi } from './wiring/mail-gateway';
import { exportApi, exportTriggers } from './wiring/export';

function getStatus(): Status {
  return buildStatus(readStatusFacts());
}

/** Errors thrown to the sidebar are in the user's language (src/server/ui/entry-errors.ts). */
export const api = withLocalizedErrors(
  {
    getStatus,
    ...collectApi,
    ...sendApi,
    ...sendExtrasApi,
    ...mailSettingsApi,
    ...sidebarApi,
    ...exportApi,
  },
  userLocale,
);

export const triggers = {
  /** Simple trigger: runs when the spreadsheet opens (also in AuthMode.NONE, so no service but Ui). */
  onOpen(_event?: GoogleAppsScript.Events.SheetsOnOpen): void {
    addPostroomMenu(pickLocale(Session.getActiveUserLocale()));
  },
  /** Runs when the add-on is installed from the Marketplace; the menu must appear at once. */
  onInstall(event?: GoogleAppsScript.Events.AddonOnInstall): void {
    triggers.onOpen(event as unknown as GoogleAppsScript.Events.SheetsOnOpen);
  },
  /** Menu item "Open sidebar". */
  showSidebar(): void {
    openSidebar(pickLocale(Session.getActiveUserLocale()));
  },
  ...cardTriggers,
  ...collectTriggers,
  ...sendTriggers,
  ...sendExtrasTriggers,
  ...exportTriggers,
};

export const entryPoints = { api, triggers };

export type ServerApi = typeof api;
