// The Send tab's server side besides the send api (send-entry.ts): the preview of one row as it would
// be sent, built over the real adapters (the Sends tab, attachments on Drive, the saved settings).

import { PostroomError } from '../domain/errors';
import { defineMessages, pickLocale } from '../domain/i18n';
import { parseSendSettings } from '../domain/send/settings';
import { userPropertiesStore } from '../adapters/properties';
import { driveAttachmentSource } from '../adapters/send-attachments';
import { sendSheet } from '../adapters/send-sheet';
import { openLedgerSpreadsheet } from '../adapters/sheets';
import { previewSendRowJob, type SendRowPreview } from '../jobs/send/preview';

const translateSendPanel = defineMessages<'noSettings'>({
  en: { noSettings: 'The send settings are not saved yet: save the subject and body templates in Settings first.' },
  fr: { noSettings: 'Les réglages d’envoi ne sont pas encore enregistrés : enregistrez d’abord les modèles d’objet et de message dans Réglages.' },
});

export function previewSendRow(request?: { rowNumber?: number | null; key?: string; period?: string } | null): SendRowPreview | null {
  const locale = pickLocale(Session.getActiveUserLocale());
  const stored = userPropertiesStore().get<unknown>('settings.send');
  if (stored === null) throw new PostroomError('SETUP_INCOMPLETE', translateSendPanel(locale, 'noSettings'));
  const settings = parseSendSettings(stored);
  const input = request && typeof request === 'object' ? request : {};
  return previewSendRowJob(
    {
      sheet: sendSheet(openLedgerSpreadsheet()),
      attachments: driveAttachmentSource(),
      settings: () => settings,
      sender: { address: Session.getEffectiveUser().getEmail() },
    },
    {
      rowNumber: typeof input.rowNumber === 'number' ? input.rowNumber : null,
      key: typeof input.key === 'string' ? input.key : undefined,
      period: typeof input.period === 'string' ? input.period : undefined,
    },
    locale,
  );
}
