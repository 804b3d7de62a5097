// Adapter: the Gmail add-on home card (CardService). It shows the status, the last collection and the
// send in progress, with buttons. A card action must answer within 30 seconds, so a button never runs a
// long job itself: "Collect now" installs a one-off trigger (an execution of its own, 6 minutes), and
// the send buttons apply quick controls. Every value that came from a mailbox is set as card text,
// which CardService renders as text.
// https://developers.google.com/workspace/add-ons/concepts/actions#action_responses

import { translateCard } from '../domain/card-messages';
import { statusLabel } from '../domain/collect/messages';
import { translate } from '../domain/i18n';
import type { SendProgressView } from '../domain/send/progress';
import type { Status } from '../domain/status';
import type { CollectStatus } from '../jobs/collect';

export interface HomeCardData {
  status: Status;
  collect: CollectStatus;
  send: SendProgressView | null;
}

/** Card action handlers (top-level functions declared in src/server/entrypoints.ts). */
export const CARD_ACTIONS = {
  collectNow: 'onCardCollectNow',
  sendControl: 'onCardSendControl',
  refresh: 'onCardRefresh',
} as const;

function formatWhen(ms: number): string {
  return Utilities.formatDate(new Date(ms), Session.getScriptTimeZone(), 'dd/MM/yyyy HH:mm');
}

function button(text: string, functionName: string, parameters: Record<string, string> = {}): GoogleAppsScript.Card_Service.TextButton {
  return CardService.newTextButton()
    .setText(text)
    .setOnClickAction(CardService.newAction().setFunctionName(functionName).setParameters(parameters));
}

function collectText(data: HomeCardData): string {
  const { locale } = data.status;
  const { running, pending, lastRun } = data.collect;
  if (running) return translateCard(locale, 'collect.running', { when: formatWhen(running.sinceMs) });
  if (pending) return translateCard(locale, 'collect.pending', { done: pending.cursor, total: pending.total ?? '?' });
  if (!lastRun) return translateCard(locale, 'collect.never');
  const head = translateCard(locale, 'collect.last', { status: statusLabel(locale, lastRun.status), when: formatWhen(lastRun.finishedAtMs ?? lastRun.startedAtMs) });
  return `${head}\n${lastRun.text}`;
}

function sendSection(data: HomeCardData): GoogleAppsScript.Card_Service.CardSection {
  const { locale } = data.status;
  const section = CardService.newCardSection().setHeader(translateCard(locale, 'send.heading'));
  const send = data.send;
  if (!send) return section.addWidget(CardService.newTextParagraph().setText(translateCard(locale, 'send.none')));
  section.addWidget(
    CardService.newDecoratedText()
      .setText(translateCard(locale, 'send.progress', { state: send.stateLabel, sent: send.sent, failed: send.failed, total: send.total, percent: send.percent }))
      .setWrapText(true),
  );
  const last = send.events[send.events.length - 1];
  if (last) section.addWidget(CardService.newTextParagraph().setText(last));
  const buttons = CardService.newButtonSet();
  let any = false;
  if (send.state === 'running' || send.state === 'planned') {
    buttons.addButton(button(translateCard(locale, 'send.pause'), CARD_ACTIONS.sendControl, { action: 'pause' }));
    any = true;
  }
  if (send.state === 'paused' || send.state === 'paused-quota') {
    buttons.addButton(button(translateCard(locale, 'send.resume'), CARD_ACTIONS.sendControl, { action: 'resume' }));
    any = true;
  }
  if (send.state !== 'done' && send.state !== 'cancelled') {
    buttons.addButton(button(translateCard(locale, 'send.cancel'), CARD_ACTIONS.sendControl, { action: 'cancel' }));
    any = true;
  }
  if (any) section.addWidget(buttons);
  return section;
}

export function buildHomeCard(data: HomeCardData): GoogleAppsScript.Card_Service.Card {
  const { locale } = data.status;
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const status = CardService.newCardSection()
    .setHeader(t('status.heading'))
    .setCollapsible(true)
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.user')).setText(data.status.user || t('card.userUnknown')))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.version')).setText(data.status.version))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.locale')).setText(data.status.locale))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.timeZone')).setText(data.status.timeZone));
  const collect = CardService.newCardSection()
    .setHeader(translateCard(locale, 'collect.heading'))
    .addWidget(CardService.newDecoratedText().setText(collectText(data)).setWrapText(true))
    .addWidget(CardService.newButtonSet().addButton(button(translateCard(locale, 'collect.button'), CARD_ACTIONS.collectNow)));
  return CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle(t('app.name')).setSubtitle(t('card.subtitle')))
    .addSection(collect)
    .addSection(sendSection(data))
    .addSection(status)
    .addSection(CardService.newCardSection().addWidget(CardService.newButtonSet().addButton(button(translateCard(locale, 'refresh'), CARD_ACTIONS.refresh))))
    .build();
}

/** The answer to a card action: a toast and the card redrawn in place. */
export function cardActionResponse(card: GoogleAppsScript.Card_Service.Card, notice: string): GoogleAppsScript.Card_Service.ActionResponse {
  return CardService.newActionResponseBuilder()
    .setNotification(CardService.newNotification().setText(notice))
    .setNavigation(CardService.newNavigation().updateCard(card))
    .build();
}
