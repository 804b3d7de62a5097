// Which transport the mail gateway uses, for every job: the `transport` of the mail settings
// ({ transport: 'rest' | 'advanced' }), else the send settings' `transport` (where the choice was first
// offered), else 'rest' — the default, the only one that reaches the Gmail quota ceiling. An unknown
// value is refused in the user's language, naming the two choices.

import { MAIL_SETTINGS_KEY } from '../storage-keys';
import { SEND_SETTINGS_KEY } from '../send/storage-keys';
import { PostroomError } from '../errors';
import { defineMessages, type Locale } from '../i18n';

export const MAIL_TRANSPORTS = ['rest', 'advanced'] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

export interface MailSettings {
  transport: MailTransportKind;
}

/** Where the transport in force comes from. */
export type MailTransportSource = 'mail' | 'send' | 'default';

const en = {
  invalid:
    'The mail transport "{value}" ({where}) is unknown: choose "rest" (Gmail REST API, parallel, the default) or "advanced" (Advanced Gmail service, one call at a time).',
  notAnObject: 'The mail settings must be an object such as {"transport": "rest"}.',
  'label.rest': 'Gmail REST API (parallel)',
  'label.advanced': 'Advanced Gmail service (one call at a time)',
};

const translate = defineMessages<keyof typeof en>({
  en,
  fr: {
    invalid:
      'Le transport de messagerie « {value} » ({where}) est inconnu : choisissez « rest » (API REST de Gmail, en parallèle, par défaut) ou « advanced » (service Gmail avancé, un appel à la fois).',
    notAnObject: 'Les réglages de messagerie doivent être un objet comme {"transport": "rest"}.',
    'label.rest': 'API REST de Gmail (en parallèle)',
    'label.advanced': 'Service Gmail avancé (un appel à la fois)',
  },
});

function transportOf(settings: unknown, where: string, locale: Locale): MailTransportKind | null {
  if (typeof settings !== 'object' || settings === null) return null;
  const value = (settings as { transport?: unknown }).transport;
  if (value === undefined || value === null || value === '') return null;
  if ((MAIL_TRANSPORTS as readonly unknown[]).includes(value)) return value as MailTransportKind;
  throw new PostroomError('INVALID_SETTING', translate(locale, 'invalid', { value: String(value), where: `${where}.transport` }), {
    field: 'transport',
  });
}

/** The transport in force and where it comes from, from the stored mail and send settings (either may be null). */
export function resolveMailTransport(
  mailSettings: unknown,
  sendSettings: unknown,
  locale: Locale = 'en',
): { transport: MailTransportKind; source: MailTransportSource } {
  const fromMail = transportOf(mailSettings, MAIL_SETTINGS_KEY, locale);
  if (fromMail) return { transport: fromMail, source: 'mail' };
  const fromSend = transportOf(sendSettings, SEND_SETTINGS_KEY, locale);
  return fromSend ? { transport: fromSend, source: 'send' } : { transport: 'rest', source: 'default' };
}

/** The transport in force (see resolveMailTransport). */
export function chooseMailTransport(mailSettings: unknown, sendSettings: unknown, locale: Locale = 'en'): MailTransportKind {
  return resolveMailTransport(mailSettings, sendSettings, locale).transport;
}

/** Validates mail settings to save; a clear error in the user's language otherwise. */
export function parseMailSettings(input: unknown, locale: Locale): MailSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostroomError('INVALID_SETTING', translate(locale, 'notAnObject'));
  const transport = transportOf(input, MAIL_SETTINGS_KEY, locale);
  return { transport: transport ?? 'rest' };
}

/** The transport's name for the user. */
export function mailTransportLabel(transport: MailTransportKind, locale: Locale): string {
  return translate(locale, transport === 'advanced' ? 'label.advanced' : 'label.rest');
}
