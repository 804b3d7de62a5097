// Wiring: the one mail gateway every job gets, REST (default) or the Advanced Gmail service, as the
// user's settings choose (domain/mail/transport-setting.ts), and the api that reads and saves that
// choice. Jobs receive a MailGateway and never call UrlFetchApp or Gmail themselves.

import { MAIL_SETTINGS_KEY } from '../domain/storage-keys';
import { SEND_SETTINGS_KEY } from '../domain/send/storage-keys';
import { platformCodecs } from '../adapters/codecs';
import { advancedMailGateway } from '../adapters/gmail/advanced-gateway';
import { restMailGateway } from '../adapters/gmail/rest-gateway';
import { userPropertiesStore } from '../adapters/properties';
import { pickLocale, type Locale } from '../domain/i18n';
import {
  mailTransportLabel,
  parseMailSettings,
  resolveMailTransport,
  type MailTransportKind,
  type MailTransportSource,
} from '../domain/mail/transport-setting';
import type { MailGateway } from '../ports/mail-gateway';

/** User-property keys (below the store's "postroom." prefix) the choice is read from. */

function userLocale(): Locale {
  return pickLocale(Session.getActiveUserLocale());
}

/** A gateway of the given kind; the bytes of its answers are decoded by the platform (Utilities). */
export function mailGateway(kind: MailTransportKind): MailGateway {
  const deps = { codecs: platformCodecs() };
  return kind === 'advanced' ? advancedMailGateway(deps) : restMailGateway(deps);
}

function resolved(locale: Locale): { transport: MailTransportKind; source: MailTransportSource } {
  const store = userPropertiesStore();
  return resolveMailTransport(store.get<unknown>(MAIL_SETTINGS_KEY), store.get<unknown>(SEND_SETTINGS_KEY), locale);
}

/** The transport the settings choose (mail settings first, then send settings, else REST). */
export function mailTransportSetting(): MailTransportKind {
  return resolved(userLocale()).transport;
}

/**
 * A gateway created on first use, of the transport `chooseKind` names then (reading a setting costs
 * nothing until a mail operation is made); usage is zero while it was never used.
 */
export function lazyMailGateway(chooseKind: () => MailTransportKind): MailGateway {
  let inner: MailGateway | null = null;
  const get = (): MailGateway => (inner ??= mailGateway(chooseKind()));
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

/** The gateway the settings choose (mail settings first, then send settings, else REST), created on first use. */
export function settingsMailGateway(): MailGateway {
  return lazyMailGateway(mailTransportSetting);
}

export interface MailSettingsView {
  transport: MailTransportKind;
  /** 'mail' (saved here), 'send' (the send settings' transport), or 'default'. */
  source: MailTransportSource;
  /** The transport's name in the user's language. */
  label: string;
}

function getMailSettings(): MailSettingsView {
  const locale = userLocale();
  const { transport, source } = resolved(locale);
  return { transport, source, label: mailTransportLabel(transport, locale) };
}

/** Saves the transport every job's mail goes through; an unknown value is refused in the user's words. */
function saveMailSettings(input: unknown): MailSettingsView {
  userPropertiesStore().set(MAIL_SETTINGS_KEY, parseMailSettings(input, userLocale()));
  return getMailSettings();
}

export const mailSettingsApi = { getMailSettings, saveMailSettings };
