// The Send tab's server side besides the send api (send-entry.ts): the preview of one row as it would
// be sent, built over the real adapters (the Sends tab, attachments on Drive, the saved settings), with
// the send extras as a test send sees them: the chosen Gmail draft as template, the send-as From.

import { SEND_SETTINGS_KEY } from '../domain/send/storage-keys';
import { PostroomError } from '../domain/errors';
import { defineMessages, pickLocale } from '../domain/i18n';
import { userPropertiesStore } from '../adapters/properties';
import { sendSheet } from '../adapters/send-sheet';
import { openLedgerSpreadsheet } from '../adapters/sheets';
import { makeDeps } from '../wiring/send';
import { extrasOf } from '../wiring/send-extras-deps';
import { previewSendRowJob, type SendRowPreview } from '../jobs/send/preview';

const translateSendPanel = defineMessages<'noSettings'>({
  en: { noSettings: 'The send settings are not saved yet: save the subject and body templates in Settings first.' },
  fr: {
    noSettings:
      'Les réglages d’envoi ne sont pas encore enregistrés : enregistrez d’abord les modèles d’objet et de message dans Réglages.',
  },
});

export function previewSendRow(request?: { rowNumber?: number | null; key?: string; period?: string } | null): SendRowPreview | null {
  const locale = pickLocale(Session.getActiveUserLocale());
  const stored = userPropertiesStore().get<unknown>(SEND_SETTINGS_KEY);
  if (stored === null) throw new PostroomError('SETUP_INCOMPLETE', translateSendPanel(locale, 'noSettings'));
  // The draft as it is now and the From checked, without changing what a planned send took.
  const deps = makeDeps();
  extrasOf(deps).beforeTest();
  const settings = deps.settings();
  const input = request && typeof request === 'object' ? request : {};
  return previewSendRowJob(
    {
      sheet: sendSheet(openLedgerSpreadsheet()),
      attachments: deps.attachments,
      settings: () => settings,
      sender: { address: deps.sender.address },
    },
    {
      rowNumber: typeof input.rowNumber === 'number' ? input.rowNumber : null,
      key: typeof input.key === 'string' ? input.key : undefined,
      period: typeof input.period === 'string' ? input.period : undefined,
    },
    locale,
  );
}
