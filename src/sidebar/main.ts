// Sidebar entry: asks the server for its status and renders it, in the user's language.

import { pickLocale } from '../server/domain/i18n';
import { call } from './rpc';
import { render, type SidebarState } from './view';

const root = document.getElementById('app') as HTMLElement;
const browserLocale = pickLocale(navigator.language);

function show(state: SidebarState): void {
  render(root, state, refresh);
}

function refresh(): void {
  show({ kind: 'loading', locale: browserLocale });
  call('getStatus').then(
    (status) => show({ kind: 'ready', status }),
    (error: Error) => show({ kind: 'error', locale: browserLocale, message: error.message }),
  );
}

refresh();
