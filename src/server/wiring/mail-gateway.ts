// Wiring: the one mail gateway every job gets, REST (default) or the Advanced Gmail service, as the
// user's settings choose (domain/mail/transport-setting.ts). Jobs receive a MailGateway and never
// call UrlFetchApp or Gmail themselves.

import { advancedMailGateway } from '../adapters/gmail/advanced-gateway';
import { restMailGateway } from '../adapters/gmail/rest-gateway';
import { userPropertiesStore } from '../adapters/properties';
import { chooseMailTransport, type MailTransportKind } from '../domain/mail/transport-setting';
import type { MailGateway } from '../ports/mail-gateway';

/** User-property keys (below the store's "postroom." prefix) the choice is read from. */
export const MAIL_SETTINGS_KEY = 'settings.mail';
const SEND_SETTINGS_KEY = 'settings.send';

/** A gateway of the given kind. */
export function mailGateway(kind: MailTransportKind): MailGateway {
  return kind === 'advanced' ? advancedMailGateway() : restMailGateway();
}

/** The transport the settings choose (mail settings first, then send settings, else REST). */
export function mailTransportSetting(): MailTransportKind {
  const store = userPropertiesStore();
  return chooseMailTransport(store.get<unknown>(MAIL_SETTINGS_KEY), store.get<unknown>(SEND_SETTINGS_KEY));
}

/** The gateway the settings choose, created on first use (reading the setting costs nothing until then). */
export function settingsMailGateway(): MailGateway {
  let inner: MailGateway | null = null;
  let kind: MailTransportKind | null = null;
  const get = (): MailGateway => (inner ??= mailGateway((kind ??= mailTransportSetting())));
  return {
    get kind() {
      return get().kind;
    },
    profile: () => get().profile(),
    listLabels: () => get().listLabels(),
    ensureLabels: (names) => get().ensureLabels(names),
    search: (query, options) => get().search(query, options),
    getMessages: (ids, format, options) => get().getMessages(ids, format, options),
    getAttachments: (refs) => get().getAttachments(refs),
    markRead: (ids) => get().markRead(ids),
    modifyLabels: (ids, add, remove) => get().modifyLabels(ids, add, remove),
    trash: (ids) => get().trash(ids),
    send: (raws) => get().send(raws),
    listSent: (options) => get().listSent(options),
    history: (start, options) => get().history(start, options),
    listDrafts: (options) => get().listDrafts(options),
    getDrafts: (ids) => get().getDrafts(ids),
    listSendAs: () => get().listSendAs(),
    usage: () => (inner ? inner.usage() : { calls: 0, units: 0 }),
  };
}
