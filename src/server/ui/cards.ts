// The Gmail add-on cards (CardService): the home card (last collection with "Collect now", dry run and
// maximum; the send in progress or ready with start / pause / resume / cancel; the export once it
// exists; the status) and the step that confirms a cancel. A card action must answer within 30 seconds,
// so no button runs a long job here (src/server/ui/card-actions.ts says what each one does).
// Every value from a sheet, a mailbox or an error is set through cardText (escaped: TextParagraph and
// DecoratedText render basic HTML); times are shown in the script's time zone.
// https://developers.google.com/workspace/add-ons/concepts/actions#action_responses

import { translateCard } from '../domain/card-messages';
import { cardText, clipText } from '../domain/card-text';
import { statusLabel } from '../domain/collect/messages';
import { translate, type Locale } from '../domain/i18n';
import type { SendProgressView } from '../domain/send/progress';
import { translateSend } from '../domain/send/messages';
import type { Status } from '../domain/status';
import type { CollectStatus } from '../jobs/collect';
import type { CollectRequest } from '../wiring/collect-requests';

/** What the export section shows (the export api's ExportProgress, the fields the card reads). */
export interface CardExportView {
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
  query: string;
  summary: string;
  error: string | null;
  folderUrl: string | null;
}

export interface HomeCardData {
  status: Status;
  collect: CollectStatus;
  /** "Collect now" asked, its trigger not started yet. */
  collectRequest: CollectRequest | null;
  send: SendProgressView | null;
  /** The ledger spreadsheet (where the sidebar prepares a send), when known. */
  ledgerUrl: string | null;
  /** Absent when the export api is not available. */
  export?: CardExportView | null;
}

/** Card action handlers (top-level functions declared in src/server/entrypoints.ts). */
export const CARD_ACTIONS = {
  collectNow: 'onCardCollectNow',
  sendStart: 'onCardSendStart',
  sendControl: 'onCardSendControl',
  sendCancelConfirm: 'onCardSendCancelConfirm',
  back: 'onCardBack',
  exportStart: 'onCardExportStart',
  refresh: 'onCardRefresh',
} as const;

/** Form fields of the home card (read back from the action's event). */
export const CARD_FIELDS = {
  dryRun: 'collectDryRun',
  maxItems: 'collectMaxItems',
  exportQuery: 'exportQuery',
} as const;

const MAX_EVENT_CHARS = 300;

/** Epoch ms as "dd/MM/yyyy HH:mm" in the script's time zone (never bare UTC). */
export function formatWhen(ms: number, timeZone: string): string {
  return Utilities.formatDate(new Date(ms), timeZone, 'dd/MM/yyyy HH:mm');
}

function button(
  text: string,
  functionName: string,
  parameters: Record<string, string> = {},
  disabled = false,
): GoogleAppsScript.Card_Service.TextButton {
  const built = CardService.newTextButton()
    .setText(text)
    .setOnClickAction(CardService.newAction().setFunctionName(functionName).setParameters(parameters));
  return disabled ? built.setDisabled(true) : built;
}

function linkButton(text: string, url: string): GoogleAppsScript.Card_Service.TextButton {
  return CardService.newTextButton().setText(text).setOpenLink(CardService.newOpenLink().setUrl(url));
}

function paragraph(text: string): GoogleAppsScript.Card_Service.TextParagraph {
  return CardService.newTextParagraph().setText(cardText(text));
}

function wrapped(text: string): GoogleAppsScript.Card_Service.DecoratedText {
  return CardService.newDecoratedText().setText(cardText(text)).setWrapText(true);
}

function collectText(data: HomeCardData): string {
  const { locale, timeZone } = data.status;
  const { running, pending, lastRun } = data.collect;
  if (running) return translateCard(locale, 'collect.running', { when: formatWhen(running.sinceMs, timeZone) });
  if (pending) return translateCard(locale, 'collect.pending', { done: pending.cursor, total: pending.total ?? '?' });
  const request = data.collectRequest;
  if (request)
    return translateCard(locale, request.dryRun ? 'collect.requestedDryRun' : 'collect.requested', {
      when: formatWhen(request.atMs, timeZone),
    });
  if (!lastRun) return translateCard(locale, 'collect.never');
  const when = formatWhen(lastRun.finishedAtMs ?? lastRun.startedAtMs, timeZone);
  const seconds = Math.round(lastRun.metrics?.durationSec ?? 0);
  const status = statusLabel(locale, lastRun.status);
  const head =
    seconds > 0
      ? translateCard(locale, 'collect.lastDuration', { status, when, seconds })
      : translateCard(locale, 'collect.last', { status, when });
  return `${head}\n${lastRun.text}`;
}

function collectSection(data: HomeCardData): GoogleAppsScript.Card_Service.CardSection {
  const { locale } = data.status;
  const busy = !!(data.collect.running || data.collect.pending || data.collectRequest);
  const section = CardService.newCardSection()
    .setHeader(cardText(translateCard(locale, 'collect.heading')))
    .addWidget(wrapped(collectText(data)));
  const logUrl = !busy ? data.collect.lastRun?.logUrl : '';
  if (logUrl) section.addWidget(CardService.newButtonSet().addButton(linkButton(translateCard(locale, 'collect.openLog'), logUrl)));
  if (!busy) {
    section
      .addWidget(
        CardService.newSelectionInput()
          .setType(CardService.SelectionInputType.SWITCH)
          .setFieldName(CARD_FIELDS.dryRun)
          .addItem(translateCard(locale, 'collect.dryRun'), 'true', false),
      )
      .addWidget(CardService.newTextInput().setFieldName(CARD_FIELDS.maxItems).setTitle(translateCard(locale, 'collect.maxItems')));
  }
  // Disabled while a collection is requested or runs: a second one would only be refused.
  return section.addWidget(
    CardService.newButtonSet().addButton(button(translateCard(locale, 'collect.button'), CARD_ACTIONS.collectNow, {}, busy)),
  );
}

function sendSection(data: HomeCardData): GoogleAppsScript.Card_Service.CardSection {
  const { locale } = data.status;
  const section = CardService.newCardSection().setHeader(cardText(translateCard(locale, 'send.heading')));
  const send = data.send;
  const prepare = (): void => {
    section.addWidget(wrapped(translateCard(locale, 'send.prepare')));
    if (data.ledgerUrl)
      section.addWidget(CardService.newButtonSet().addButton(linkButton(translateCard(locale, 'send.openSheet'), data.ledgerUrl)));
  };
  if (!send) {
    section.addWidget(paragraph(translateCard(locale, 'send.none')));
    prepare();
    return section;
  }
  if (send.state === 'planned') {
    section.addWidget(wrapped(translateCard(locale, 'send.planned', { total: send.total })));
    // A scheduled send reads as its schedule ("Envoi programmé le … à …").
    if (send.stateLabel !== translateSend(locale, 'state.planned')) section.addWidget(wrapped(send.stateLabel));
    return section.addWidget(
      CardService.newButtonSet()
        .addButton(button(translateCard(locale, 'send.start'), CARD_ACTIONS.sendStart))
        .addButton(button(translateCard(locale, 'send.cancel'), CARD_ACTIONS.sendCancelConfirm)),
    );
  }
  section.addWidget(
    wrapped(
      translateCard(locale, 'send.progress', {
        state: send.stateLabel,
        sent: send.sent,
        failed: send.failed,
        total: send.total,
        percent: send.percent,
      }),
    ),
  );
  if (send.state === 'running' && send.ratePerMinute !== null && send.etaMs !== null) {
    section.addWidget(
      paragraph(
        translateCard(locale, 'send.pace', { rate: Math.round(send.ratePerMinute), minutes: Math.max(1, Math.ceil(send.etaMs / 60_000)) }),
      ),
    );
  }
  if (send.state === 'paused-quota' && send.resumeAt !== null)
    section.addWidget(paragraph(translateCard(locale, 'send.resumesAt', { when: formatWhen(send.resumeAt, data.status.timeZone) })));
  const last = send.events[send.events.length - 1];
  if (last) section.addWidget(paragraph(clipText(last, MAX_EVENT_CHARS)));
  if (send.state === 'done' || send.state === 'cancelled') {
    prepare();
    return section;
  }
  const buttons = CardService.newButtonSet();
  if (send.state === 'running')
    buttons.addButton(button(translateCard(locale, 'send.pause'), CARD_ACTIONS.sendControl, { action: 'pause' }));
  if (send.state === 'paused' || send.state === 'paused-quota')
    buttons.addButton(button(translateCard(locale, 'send.resume'), CARD_ACTIONS.sendControl, { action: 'resume' }));
  buttons.addButton(button(translateCard(locale, 'send.cancel'), CARD_ACTIONS.sendCancelConfirm));
  return section.addWidget(buttons);
}

function exportSection(data: HomeCardData, view: CardExportView | null): GoogleAppsScript.Card_Service.CardSection {
  const { locale } = data.status;
  const section = CardService.newCardSection().setHeader(cardText(translateCard(locale, 'export.heading')));
  const running = view?.state === 'running';
  const shown =
    !view || view.state === 'idle' ? translateCard(locale, 'export.none') : view.error ? `${view.summary}\n${view.error}` : view.summary;
  section.addWidget(wrapped(shown));
  if (view?.folderUrl)
    section.addWidget(CardService.newButtonSet().addButton(linkButton(translateCard(locale, 'export.openFolder'), view.folderUrl)));
  if (!running)
    section.addWidget(
      CardService.newTextInput()
        .setFieldName(CARD_FIELDS.exportQuery)
        .setTitle(translateCard(locale, 'export.query'))
        .setValue(view?.query ?? ''),
    );
  return section.addWidget(
    CardService.newButtonSet().addButton(button(translateCard(locale, 'export.button'), CARD_ACTIONS.exportStart, {}, running)),
  );
}

export function buildHomeCard(data: HomeCardData): GoogleAppsScript.Card_Service.Card {
  const { locale } = data.status;
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const status = CardService.newCardSection()
    .setHeader(cardText(t('status.heading')))
    .setCollapsible(true)
    .addWidget(
      CardService.newDecoratedText()
        .setTopLabel(t('status.user'))
        .setText(cardText(data.status.user || t('card.userUnknown'))),
    )
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.version')).setText(cardText(data.status.version)))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.locale')).setText(cardText(data.status.locale)))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.timeZone')).setText(cardText(data.status.timeZone)));
  const card = CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle(t('app.name')).setSubtitle(t('card.subtitle')))
    .addSection(collectSection(data))
    .addSection(sendSection(data));
  if (data.export !== undefined) card.addSection(exportSection(data, data.export));
  return card
    .addSection(status)
    .addSection(
      CardService.newCardSection().addWidget(
        CardService.newButtonSet().addButton(button(translateCard(locale, 'refresh'), CARD_ACTIONS.refresh)),
      ),
    )
    .build();
}

/** What the card shows when its data cannot be read (a service failing): the error, and Refresh. */
export function buildErrorCard(locale: Locale, message: string): GoogleAppsScript.Card_Service.Card {
  return CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle(translate(locale, 'app.name')).setSubtitle(translate(locale, 'card.subtitle')))
    .addSection(
      CardService.newCardSection()
        .addWidget(wrapped(translateCard(locale, 'unavailable', { message })))
        .addWidget(CardService.newButtonSet().addButton(button(translateCard(locale, 'refresh'), CARD_ACTIONS.refresh))),
    )
    .build();
}

/** The confirmation step of "Cancel": what cancelling does, and the two ways out. */
export function buildCancelConfirmCard(data: Pick<HomeCardData, 'status' | 'send'>): GoogleAppsScript.Card_Service.Card {
  const { locale } = data.status;
  const send = data.send;
  return CardService.newCardBuilder()
    .setName('confirm-cancel')
    .setHeader(CardService.newCardHeader().setTitle(translateCard(locale, 'send.confirm.title')))
    .addSection(
      CardService.newCardSection()
        .addWidget(wrapped(translateCard(locale, 'send.confirm.text', { sent: send?.sent ?? 0, total: send?.total ?? 0 })))
        .addWidget(
          CardService.newButtonSet()
            .addButton(button(translateCard(locale, 'send.confirm.yes'), CARD_ACTIONS.sendControl, { action: 'cancel', confirmed: 'true' }))
            .addButton(button(translateCard(locale, 'send.confirm.no'), CARD_ACTIONS.back)),
        ),
    )
    .build();
}

/** The answer to a card action: a toast (plain text) and the home card redrawn in place of the stack. */
export function cardActionResponse(card: GoogleAppsScript.Card_Service.Card, notice: string): GoogleAppsScript.Card_Service.ActionResponse {
  return CardService.newActionResponseBuilder()
    .setNotification(CardService.newNotification().setText(notice))
    .setNavigation(CardService.newNavigation().popToRoot().updateCard(card))
    .build();
}

/** The answer that opens a step over the home card (the cancel confirmation). */
export function pushCardResponse(card: GoogleAppsScript.Card_Service.Card): GoogleAppsScript.Card_Service.ActionResponse {
  return CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().pushCard(card)).build();
}
