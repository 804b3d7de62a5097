// The user-facing texts of a Google Sheets API failure (reading or writing a tab by REST), in French
// and English; Google's own message is quoted as {detail}.

import { defineMessages } from './i18n';

const en = {
  transient: 'Google Sheets did not answer properly ({detail}). Postroom tries again.',
  rateLimit: 'Google Sheets’ per-minute request limit was reached ({detail}). Postroom waits and tries again.',
  auth: 'Google Sheets refused the authorisation ({detail}). Open Postroom again and accept its permissions.',
  permission: 'Google Sheets refused access to the spreadsheet ({detail}). Check that you can edit it.',
  notFound: 'The spreadsheet or tab was not found in Google Sheets ({detail}). Check that it still exists.',
  invalid: 'Google Sheets rejected the request ({detail}). It will not be retried.',
};

export type SheetsRestMessageKey = keyof typeof en;

export const translateSheetsRest = defineMessages<SheetsRestMessageKey>({
  en,
  fr: {
    transient: 'Google Sheets n’a pas répondu correctement ({detail}). Postroom réessaie.',
    rateLimit: 'La limite de requêtes par minute de Google Sheets est atteinte ({detail}). Postroom attend puis réessaie.',
    auth: 'Google Sheets a refusé l’autorisation ({detail}). Rouvrez Postroom et acceptez ses autorisations.',
    permission: 'Google Sheets a refusé l’accès au classeur ({detail}). Vérifiez que vous pouvez le modifier.',
    notFound: 'Le classeur ou l’onglet est introuvable dans Google Sheets ({detail}). Vérifiez qu’il existe toujours.',
    invalid: 'Google Sheets a rejeté la requête ({detail}). Elle ne sera pas réessayée.',
  },
});
