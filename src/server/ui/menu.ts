// The Sheets UI: the Postroom menu and the HTML sidebar (which exists only in the Sheets editor; the
// Gmail add-on is card-based: adapters/cards.ts).
// https://developers.google.com/apps-script/guides/dialogs#custom_sidebars

import { translate, type Locale } from '../domain/i18n';

export function addPostroomMenu(locale: Locale): void {
  SpreadsheetApp.getUi().createMenu(translate(locale, 'app.name')).addItem(translate(locale, 'menu.openSidebar'), 'showSidebar').addToUi();
}

export function openSidebar(locale: Locale): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(translate(locale, 'sidebar.title'));
  SpreadsheetApp.getUi().showSidebar(html);
}
