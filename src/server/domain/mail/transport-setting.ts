// Which transport the mail gateway uses, for every job: the `transport` of the mail settings
// ({ transport: 'rest' | 'advanced' }), else the send settings' `transport` (where the choice was first
// offered), else 'rest' — the default, the only one that reaches the Gmail quota ceiling.

import { PostroomError } from '../errors';

export const MAIL_TRANSPORTS = ['rest', 'advanced'] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

function transportOf(settings: unknown, where: string): MailTransportKind | null {
  if (typeof settings !== 'object' || settings === null) return null;
  const value = (settings as { transport?: unknown }).transport;
  if (value === undefined || value === null || value === '') return null;
  if ((MAIL_TRANSPORTS as readonly unknown[]).includes(value)) return value as MailTransportKind;
  throw new PostroomError('INVALID_SETTING', `${where}.transport: expected one of ${MAIL_TRANSPORTS.join(', ')}, got ${JSON.stringify(value)}`, { field: 'transport' });
}

/** The transport from the stored mail settings and send settings (either may be null). */
export function chooseMailTransport(mailSettings: unknown, sendSettings: unknown): MailTransportKind {
  return transportOf(mailSettings, 'settings.mail') ?? transportOf(sendSettings, 'settings.send') ?? 'rest';
}
