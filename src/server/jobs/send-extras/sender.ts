// Send-as: the From of the send may be any VERIFIED send-as address of the account, as Gmail's
// settings list them. An address that is not listed, or not verified yet, is refused when the send is
// planned (with the reason), never left for Gmail to replace silently by the primary address.

import { PostroomError } from '../../domain/errors';
import { defineMessages, type Locale } from '../../domain/i18n';
import type { SendAsAlias, SendExtrasMail } from '../../ports/send-extras';

const en = {
  unknown:
    'The address {alias} is not a send-as address of this Gmail account (Gmail settings → Accounts → "Send mail as"). Known: {known}',
  pending:
    'The send-as address {alias} is not verified yet in Gmail (status {status}): confirm it from the email Gmail sent to that address, then plan again',
};
const translateSender = defineMessages<keyof typeof en>({
  en,
  fr: {
    unknown:
      'L’adresse {alias} n’est pas une adresse d’envoi de ce compte Gmail (paramètres Gmail → Comptes → « Envoyer des e-mails en tant que »). Connues : {known}',
    pending:
      'L’adresse d’envoi {alias} n’est pas encore validée dans Gmail (statut {status}) : confirmez-la depuis l’e-mail que Gmail a envoyé à cette adresse, puis planifiez de nouveau',
  },
});

/** The alias to send from, checked against Gmail's list; throws the reason when it cannot be used. */
export function checkSendAs(mail: SendExtrasMail, alias: string, locale: Locale): SendAsAlias {
  const aliases = mail.listSendAs();
  const found = aliases.find((a) => a.email.toLowerCase() === alias.trim().toLowerCase());
  if (!found)
    throw new PostroomError('INVALID_INPUT', translateSender(locale, 'unknown', { alias, known: aliases.map((a) => a.email).join(', ') }));
  if (found.verificationStatus !== 'accepted')
    throw new PostroomError('INVALID_INPUT', translateSender(locale, 'pending', { alias, status: found.verificationStatus }));
  return found;
}
