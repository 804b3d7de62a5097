// The user-facing strings of Postroom in French and English, shared by the server (cards, menus,
// progress events) and the sidebar. The locale comes from the user's Apps Script locale
// (Session.getActiveUserLocale): any French variant gets French, everything else English.

export type Locale = 'fr' | 'en';

const en = {
  'app.name': 'Postroom',
  'menu.openSidebar': 'Open sidebar',
  'sidebar.title': 'Postroom',
  'status.heading': 'Status',
  'status.version': 'Version',
  'status.user': 'User',
  'status.locale': 'Language',
  'status.timeZone': 'Time zone',
  'status.loading': 'Loading…',
  'status.error': 'Could not reach the server: {message}',
  'status.refresh': 'Refresh',
  'card.subtitle': 'Invoices out, receipts in',
  'card.userUnknown': 'unknown',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  'app.name': 'Postroom',
  'menu.openSidebar': 'Ouvrir le panneau',
  'sidebar.title': 'Postroom',
  'status.heading': 'État',
  'status.version': 'Version',
  'status.user': 'Utilisateur',
  'status.locale': 'Langue',
  'status.timeZone': 'Fuseau horaire',
  'status.loading': 'Chargement…',
  'status.error': 'Impossible de joindre le serveur : {message}',
  'status.refresh': 'Actualiser',
  'card.subtitle': 'Factures envoyées, justificatifs collectés',
  'card.userUnknown': 'inconnu',
};

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** Maps an Apps Script / BCP 47 locale tag ("fr", "fr_FR", "fr-CA", "en_GB", "") to a UI locale. */
export function pickLocale(tag: string | null | undefined): Locale {
  return /^fr\b|^fr[_-]/i.test(tag ?? '') ? 'fr' : 'en';
}

/** The string for `key` in `locale`, with `{name}` parameters replaced. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
