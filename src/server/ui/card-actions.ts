// What the Gmail card's buttons do (handlers declared as triggers in src/server/entrypoints.ts). Each
// answers within a card action's 30 s: "Collect now" checks the setup (a refusal is recorded and said
// at once), then stores the request and installs the one-off trigger that collects; "Start sending"
// starts the send planned in the sidebar and sends for 20 s, the continuation trigger carries on;
// "Cancel" asks for confirmation first; "Export" starts the export job (which returns at once and goes on
// in its own trigger executions) with the Gmail search typed in the card. Every toast is in the user's language; an error becomes
// "Could not do it: <the error in the user's words>" over the redrawn card.

import { translateCard } from '../domain/card-messages';
import { MAX_ATTACHMENTS_PER_RUN_CEILING } from '../domain/collect/settings';
import { localizedError, userErrorMessage } from '../domain/errors';
import type { Locale } from '../domain/i18n';
import { translateServer } from '../domain/server-messages';
import { buildStatus } from '../domain/status';
import { readStatusFacts, userLocale } from '../adapters/session';
import { recordedLedgerUrl } from '../adapters/sheets';
import { collectApi, collectDeps } from '../wiring/collect';
import { exportApi } from '../wiring/export';
import { controlSendFromCard, sendApi } from '../wiring/send';
import { collectRefusalNow, recordCollectRefusal, requestCollect, waitingCollectRequest } from '../wiring/collect-requests';
import {
  CARD_FIELDS,
  buildCancelConfirmCard,
  buildErrorCard,
  buildHomeCard,
  cardActionResponse,
  formatWhen,
  pushCardResponse,
  type HomeCardData,
} from './cards';

/** A card action's event: legacy `formInput` / `parameters`, and `commonEventObject.formInputs`. */
export interface CardEvent {
  parameters?: Record<string, string>;
  formInput?: Record<string, string>;
  formInputs?: Record<string, string[]>;
  commonEventObject?: { parameters?: Record<string, string>; formInputs?: Record<string, { stringInputs?: { value?: string[] } }> };
}

function formValue(event: CardEvent | undefined, name: string): string | null {
  const common = event?.commonEventObject?.formInputs?.[name]?.stringInputs?.value?.[0];
  if (typeof common === 'string') return common;
  const legacy = event?.formInput?.[name];
  if (typeof legacy === 'string') return legacy;
  const many = event?.formInputs?.[name];
  return Array.isArray(many) && many.length ? String(many[0]) : null;
}

function parameter(event: CardEvent | undefined, name: string): string | undefined {
  return event?.commonEventObject?.parameters?.[name] ?? event?.parameters?.[name];
}

function homeData(): HomeCardData {
  const deps = collectDeps();
  return {
    status: buildStatus(readStatusFacts()),
    collect: collectApi.getCollectStatus(),
    collectRequest: waitingCollectRequest(deps),
    send: sendApi.getSendProgress().progress,
    ledgerUrl: recordedLedgerUrl(),
    export: exportApi.getExportProgress(),
  };
}

/** The home card; when its data cannot be read, a card that says why in the user's words. */
export function homeCard(): GoogleAppsScript.Card_Service.Card {
  try {
    return buildHomeCard(homeData());
  } catch (error) {
    const locale = userLocale();
    console.error(`Postroom card: ${userErrorMessage(error, 'en')}`);
    return buildErrorCard(locale, userErrorMessage(error, locale));
  }
}

/** Runs a card action; its outcome (or its error, in the user's words) is the toast over the redrawn card. */
function cardAction(act: (locale: Locale) => string): GoogleAppsScript.Card_Service.ActionResponse {
  const locale = userLocale();
  let notice: string;
  try {
    notice = act(locale);
  } catch (error) {
    notice = translateCard(locale, 'error', { message: userErrorMessage(error, locale) });
  }
  return cardActionResponse(homeCard(), notice);
}

function readMaxItems(event: CardEvent | undefined, locale: Locale): number | null {
  const raw = (formValue(event, CARD_FIELDS.maxItems) ?? '').trim();
  if (!raw) return null;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_ATTACHMENTS_PER_RUN_CEILING)) {
    throw localizedError(
      'INVALID_INPUT',
      translateServer,
      'entry.badMaxItems',
      { max: MAX_ATTACHMENTS_PER_RUN_CEILING },
      { locale, details: { key: 'maxItems' } },
    );
  }
  return n;
}

function collectNow(event: CardEvent | undefined, locale: Locale): string {
  const dryRun = formValue(event, CARD_FIELDS.dryRun) === 'true';
  const maxItems = readMaxItems(event, locale);
  const deps = collectDeps();
  const status = collectApi.getCollectStatus();
  if (status.running || status.pending || waitingCollectRequest(deps)) return translateCard(locale, 'collect.busy');
  // A run that could only be refused is refused now, recorded like the trigger would, and said at once.
  const refusal = collectRefusalNow(deps);
  if (refusal) return recordCollectRefusal(deps, refusal, { dryRun }).message;
  requestCollect(deps, { dryRun, maxItems });
  return translateCard(locale, dryRun ? 'collect.startedDryRun' : 'collect.started');
}

function startSend(locale: Locale): string {
  if (sendApi.getSendProgress().progress?.state !== 'planned') return translateCard(locale, 'send.prepare');
  const result = controlSendFromCard('start');
  return translateCard(locale, 'send.started', { sent: result.progress?.sent ?? 0 });
}

function startExport(event: CardEvent | undefined, locale: Locale): string {
  const query = (formValue(event, CARD_FIELDS.exportQuery) ?? '').trim();
  const progress = exportApi.startExport(query ? { query } : {});
  return translateCard(locale, 'export.started', { summary: progress.summary });
}

function controlSend(action: string | undefined, locale: Locale): string {
  if (action !== 'pause' && action !== 'resume' && action !== 'cancel') {
    throw localizedError('INVALID_INPUT', translateServer, 'entry.unknownAction', { action: String(action) }, { locale });
  }
  const result = controlSendFromCard(action);
  return result.progress?.stateLabel ?? translateCard(locale, 'send.done');
}

export const cardTriggers = {
  /** Gmail add-on homepage: the last collection, the send in progress, the status. */
  onHomepage(_event?: unknown): GoogleAppsScript.Card_Service.Card {
    return homeCard();
  },
  /** Gmail add-on contextual trigger (required by the manifest): the same card beside an open message. */
  onGmailMessage(_event?: unknown): GoogleAppsScript.Card_Service.Card[] {
    return [homeCard()];
  },
  /** "Collect now" (with the dry-run switch and the maximum): a one-off trigger runs the collection. */
  onCardCollectNow(event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction((locale) => collectNow(event, locale));
  },
  /** "Start sending": the send planned in the sidebar, its first 20 s here. */
  onCardSendStart(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction(startSend);
  },
  /** "Cancel": the confirmation step (nothing is cancelled yet). */
  onCardSendCancelConfirm(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    const data = homeData();
    return pushCardResponse(buildCancelConfirmCard(data));
  },
  /** Pause / resume, and cancel once confirmed (an unconfirmed cancel opens the confirmation). */
  onCardSendControl(event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    const action = parameter(event, 'action');
    if (action === 'cancel' && parameter(event, 'confirmed') !== 'true') return cardTriggers.onCardSendCancelConfirm(event);
    return cardAction((locale) => controlSend(action, locale));
  },
  /** "Export" with the Gmail search typed in the card: the export starts and goes on in its own trigger executions. */
  onCardExportStart(event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction((locale) => startExport(event, locale));
  },
  /** "No": back to the home card, redrawn. */
  onCardBack(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().popToRoot().updateCard(homeCard())).build();
  },
  onCardRefresh(_event?: CardEvent): GoogleAppsScript.Card_Service.ActionResponse {
    return cardAction((locale) => translateCard(locale, 'refreshed', { when: formatWhen(Date.now(), readStatusFacts().timeZone) }));
  },
};
