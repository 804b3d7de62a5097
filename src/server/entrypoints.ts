// The only public surface of the Apps Script bundle. Every function Apps Script may call by name is a
// key of one of these groups; build.mjs emits a top-level forwarding `function` for each key and fails
// the build when one is missing from the output.
//   api       called from the sidebar (google.script.run) and the Gmail card; JSON in, JSON out.
//   triggers  simple / installable / add-on triggers, time-driven handlers and menu items.

import { buildStatus, type Status } from './domain/status';
import { pickLocale } from './domain/i18n';
import { readStatusFacts } from './adapters/session';
import { addPostroomMenu, openSidebar } from './ui/menu';
import { buildHomeCard, cardActionResponse } from './adapters/cards';
import { scriptScheduler } from './adapters/triggers';
import { translateCard } from './domain/card-messages';
import { errorMessage } from './domain/errors';
import { collectApi, collectTriggers } from './jobs/collect-entry';
import { controlSendFromCard, sendApi, sendTriggers } from './wiring/send';
import { sendExtrasApi, sendExtrasTriggers } from './wiring/send-extras';
import { sidebarApi } from './ui/sidebar-api';
import { exportApi, exportTriggers } from './wiring/export';

function getStatus(): Status {
  return buildStatus(readStatusFacts());
}

function homeCard(): GoogleAppsScript.Card_Service.Card {
  return buildHomeCard({ status: getStatus(), collect: collectApi.getCollectStatus(), send: sendApi.getSendProgress().progress });
}

/** Runs a card action; its outcome (or its error, in the user's words) is the toast over the redrawn card. */
function cardAction(act: () => string): GoogleAppsScript.Card_Service.ActionResponse {
  const locale = pickLocale(Session.getActiveUserLocale());
  let notice: string;
  try {
    notice = act();
  } catch (error) {
    notice = translateCard(locale, 'error', { message: errorMessage(error) });
  }
  return cardActionResponse(homeCard(), notice);
}

type CardEvent = { parameters?: Record<string, string> } | undefined;

export const api = {
  getStatus,
  ...collectApi,
  ...sendApi,
  ...sendExtrasApi,
  ...sidebarApi,
  ...exportApi,
};

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
  /** Gmail add-on homepage: status, last collection, send in progress. */
  onHomepage(_event?: unknown): GoogleAppsScript.Card_Service.Card {
    return homeCard();
  },
  /** Gmail add-on contextual trigger (required by the manifest): the same card beside an open message. */
  onGmailMessage(_event?: unknown): GoogleAppsScript.Card_Service.Card[] {
    return [homeCard()];
  },
  /** Card button "Collect now": a one-off trigger runs the collection (a card action has only 30 s). */
  onCardCollectNow(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction(() => {
      scriptScheduler().continueAfter('runCollectNow', 1_000);
      return translateCard(pickLocale(Session.getActiveUserLocale()), 'collect.started');
    });
  },
  /** Card buttons pause / resume / cancel of the send in progress. */
  onCardSendControl(event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction(() => {
      const action = event?.parameters?.action;
      if (action !== 'pause' && action !== 'resume' && action !== 'cancel') throw new Error(`Unknown send action: ${String(action)}`);
      const result = controlSendFromCard(action);
      return result.progress?.stateLabel ?? translateCard(pickLocale(Session.getActiveUserLocale()), 'send.done');
    });
  },
  onCardRefresh(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction(() => translateCard(pickLocale(Session.getActiveUserLocale()), 'send.done'));
  },
  ...collectTriggers,
  ...sendTriggers,
  ...sendExtrasTriggers,
  ...exportTriggers,
};

export const entryPoints = { api, triggers };

export type ServerApi = typeof api;
