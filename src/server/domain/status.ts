// The status shown by the sidebar and the Gmail card: pure, built from plain facts the adapters read.

import { pickLocale, type Locale } from './i18n';

export interface Status {
  app: 'Postroom';
  version: string;
  user: string;
  locale: Locale;
  timeZone: string;
}

export interface StatusFacts {
  version: string;
  userEmail: string;
  localeTag: string;
  timeZone: string;
}

export function buildStatus(facts: StatusFacts): Status {
  return {
    app: 'Postroom',
    version: facts.version,
    user: facts.userEmail,
    locale: pickLocale(facts.localeTag),
    timeZone: facts.timeZone,
  };
}
