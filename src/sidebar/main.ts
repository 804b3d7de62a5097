// Sidebar entry: asks the server who the user is (locale, time zone), then shows five tabs: Send,
// Collect, Export, History, Settings. The Send tab opens first and, when a send is running, drives it.

import { pickLocale } from '../server/domain/i18n';
import { el, errorBox, makeContext, messageOf, type SidebarContext, type TabName } from './dom';
import { translateSidebar } from './messages';
import { call } from './rpc';
import { createSendTab } from './send-tab';
import { createCollectTab } from './collect-tab';
import { createExportTab } from './export-tab';
import { createHistoryTab } from './history-tab';
import { createSettingsTab } from './settings-tab';

export interface Tab {
  element: HTMLElement;
  /** Called each time the tab is shown (it reloads what it shows). */
  activate(): void;
}

const TABS: TabName[] = ['send', 'collect', 'export', 'history', 'settings'];
const root = document.getElementById('app') as HTMLElement;

function boot(): void {
  // Until the server answers, the browser's language is the best guess.
  const guess = pickLocale(navigator.language);
  document.documentElement.lang = guess;
  root.replaceChildren(el('p', translateSidebar(guess, 'app.loading'), { role: 'status', 'data-testid': 'app-loading' }));
  call('getStatus').then(
    (status) => start(status.locale, status.timeZone, status),
    (error) =>
      root.replaceChildren(
        errorBox(
          makeContext(guess, 'UTC', () => undefined),
          messageOf(error),
          'app-error',
        ),
      ),
  );
}

function start(locale: SidebarContext['locale'], timeZone: string, status: { user: string; version: string }): void {
  document.documentElement.lang = locale;
  const tabs = new Map<TabName, Tab>();
  const buttons = new Map<TabName, HTMLButtonElement>();
  let current: TabName | null = null;
  const show = (name: TabName) => {
    if (current === name) {
      tabs.get(name)?.activate();
      return;
    }
    current = name;
    for (const [tabName, tab] of tabs) tab.element.hidden = tabName !== name;
    for (const [tabName, tabButton] of buttons) {
      tabButton.setAttribute('aria-selected', String(tabName === name));
      tabButton.tabIndex = tabName === name ? 0 : -1;
    }
    tabs.get(name)?.activate();
  };
  const ctx = makeContext(locale, timeZone, show);
  const bar = el('nav', undefined, { role: 'tablist', class: 'tabs' });
  for (const name of TABS) {
    const tabButton = el('button', ctx.t(`tab.${name}`), {
      type: 'button',
      role: 'tab',
      id: `tab-${name}`,
      'aria-controls': `panel-${name}`,
      'data-testid': `tab-${name}`,
    });
    tabButton.addEventListener('click', () => show(name));
    // Arrow keys move between tabs (WAI-ARIA tabs pattern).
    tabButton.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      event.preventDefault();
      const next = TABS[(TABS.indexOf(name) + step + TABS.length) % TABS.length];
      show(next);
      buttons.get(next)?.focus();
    });
    buttons.set(name, tabButton);
    bar.append(tabButton);
  }
  tabs.set('send', createSendTab(ctx));
  tabs.set('collect', createCollectTab(ctx));
  tabs.set('export', createExportTab(ctx));
  tabs.set('history', createHistoryTab(ctx));
  tabs.set('settings', createSettingsTab(ctx, status));
  root.replaceChildren(bar);
  for (const [name, tab] of tabs) {
    tab.element.id = `panel-${name}`;
    tab.element.setAttribute('role', 'tabpanel');
    tab.element.setAttribute('aria-labelledby', `tab-${name}`);
    tab.element.hidden = true;
    root.append(tab.element);
  }
  show('send');
}

boot();
