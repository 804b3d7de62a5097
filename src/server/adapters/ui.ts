// Adapter over the Sheets UI (menu, sidebar) and CardService (the Gmail add-on card).
// Gmail add-ons are card-based; the HTML sidebar exists only in the Sheets editor.
// https://developers.google.com/workspace/add-ons/concepts/card-interfaces

import { translate, type Locale } from '../domain/i18n';
import type { Status } from '../domain/status';

export function addPostroomMenu(locale: Locale): void {
  SpreadsheetApp.getUi()
    .createMenu(translate(locale, 'app.name'))
    .addItem(translate(locale, 'menu.openSidebar'), 'showSidebar')
    .addToUi();
}

export function openSidebar(locale: Locale): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(translate(locale, 'sidebar.title'));
  SpreadsheetApp.getUi().showSidebar(html);
}

export function buildStatusCard(status: Status): GoogleAppsScript.Card_Service.Card {
  const t = (key: Parameters<typeof translate>[1]) => translate(status.locale, key);
  const section = CardService.newCardSection()
    .setHeader(t('status.heading'))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.version')).setText(status.version))
    .addWidget(
      CardService.newDecoratedText()
        .setTopLabel(t('status.user'))
        .setText(status.user || t('card.userUnknown')),
    )
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.locale')).setText(status.locale))
    .addWidget(CardService.newDecoratedText().setTopLabel(t('status.timeZone')).setText(status.timeZone));
  return CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle(t('app.name')).setSubtitle(t('card.subtitle')))
    .addSection(section)
    .build();
}
