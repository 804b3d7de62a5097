// User-facing strings in French and English. Each feature declares its own catalog with
// `defineMessages` (English is the reference; the French catalog must have exactly the same keys, or
// it does not compile) and gets a typed `translate`. The locale comes from the user's Apps Script
// locale (Session.getActiveUserLocale): any French variant gets French, everything else English.

export type Locale = 'fr' | 'en';
export type Params = Record<string, string | number>;

/** Maps an Apps Script / BCP 47 locale tag ("fr", "fr_FR", "fr-CA", "en_GB", "") to a UI locale. */
export function pickLocale(tag: string | null | undefined): Locale {
  return /^fr(?:$|[_-])/i.test(tag ?? '') ? 'fr' : 'en';
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A typed translator over one catalog: `t(locale, key, params)`. */
export function defineMessages<K extends string>(catalogs: { en: Record<K, string>; fr: Record<NoInfer<K>, string> }) {
  return (locale: Locale, key: K, params: Params = {}): string => fill(catalogs[locale][key], params);
}

const common = {
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
};

export type MessageKey = keyof typeof common;

/** The app-wide strings (menus, status, card). Features keep their own catalogs beside their code. */
export const translate = defineMessages<MessageKey>({
  en: common,
  fr: {
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
  },
});
