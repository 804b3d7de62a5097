// Rendering of the sidebar: pure functions from state to DOM. Every value from the server is set as
// text (textContent), never as HTML, so nothing that came from a mailbox or a sheet can inject markup.

import { translate, type Locale, type MessageKey } from '../server/domain/i18n';
import type { Status } from '../server/domain/status';

export type SidebarState =
  | { kind: 'loading'; locale: Locale }
  | { kind: 'ready'; status: Status }
  | { kind: 'error'; locale: Locale; message: string };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function render(root: HTMLElement, state: SidebarState, onRefresh: () => void): void {
  const locale = state.kind === 'ready' ? state.status.locale : state.locale;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  document.documentElement.lang = locale;
  root.replaceChildren();
  root.append(el('h1', t('sidebar.title')));
  const section = el('section', undefined, { 'aria-labelledby': 'status-heading' });
  section.append(el('h2', t('status.heading'), { id: 'status-heading' }));

  if (state.kind === 'loading') {
    section.append(el('p', t('status.loading'), { 'data-testid': 'status-loading', role: 'status' }));
  } else if (state.kind === 'error') {
    section.append(el('p', t('status.error', { message: state.message }), { 'data-testid': 'status-error', role: 'alert', class: 'error' }));
  } else {
    const list = el('dl', undefined, { 'data-testid': 'status' });
    const rows: Array<[MessageKey, string, string]> = [
      ['status.version', state.status.version, 'version'],
      ['status.user', state.status.user, 'user'],
      ['status.locale', state.status.locale, 'locale'],
      ['status.timeZone', state.status.timeZone, 'timeZone'],
    ];
    for (const [label, value, id] of rows) {
      list.append(el('dt', t(label)), el('dd', value, { 'data-testid': `status-${id}` }));
    }
    section.append(list);
  }
  const refresh = el('button', t('status.refresh'), { type: 'button', 'data-testid': 'refresh' });
  refresh.addEventListener('click', onRefresh);
  section.append(refresh);
  root.append(section);
}
