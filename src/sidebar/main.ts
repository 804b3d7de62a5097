// Sidebar entry: asks the server for its status and renders it, in the user's language.

import { pickLocale, type Locale } from '../server/domain/i18n';
import { call } from './rpc';
import { render, type SidebarState } from './view';

const root = document.getElementById('app') as HTMLElement;
// The iframe only knows the browser's language until the server gives the user's Apps Script locale;
// from then on, loading and error messages speak the user's language too.
let locale: Locale = pickLocale(navigator.language);

function show(state: SidebarState): void {
  render(root, state, refresh);
}

function refresh(): void {
  show({ kind: 'loading', locale });
  call('getStatus').then(
    (status) => {
      locale = status.locale;
      show({ kind: 'ready', status });
    },
    (error: Error) => show({ kind: 'error', locale, message: error.message }),
  );
}

refresh();
