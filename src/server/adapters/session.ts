// Adapter over Session and the script time zone: who is the user, which locale and time zone.

import { pickLocale, type Locale } from '../domain/i18n';
import type { StatusFacts } from '../domain/status';
import { VERSION } from '../version';

export function readStatusFacts(): StatusFacts {
  return {
    version: VERSION,
    // getActiveUser() is '' for consumers outside the script owner's domain; getEffectiveUser() is
    // the account the code runs as, which is the mailbox Postroom works on.
    userEmail: Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail(),
    localeTag: Session.getActiveUserLocale(),
    timeZone: Session.getScriptTimeZone(),
  };
}

/** The user's UI locale ("fr" for any French variant, else "en"). */
export function userLocale(): Locale {
  return pickLocale(Session.getActiveUserLocale());
}
