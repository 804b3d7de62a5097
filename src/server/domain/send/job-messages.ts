// The Send job's refusals and errors, in French and English: what the server throws to the sidebar,
// the card and the CLI (a send already in progress, nothing to pause, settings not saved, a filter or a
// list the job cannot take, a state too large for the user properties). Thrown as PostroomError with
// the message already in the user's language.

import { defineMessages, type Locale, type Params } from '../i18n';
import { translateSend } from './messages';

const en = {
  noSendInProgress: 'No send in progress.',
  cannotPause: 'Cannot pause a send that is {state}.',
  noPausedSend: 'There is no paused send to resume.',
  noPausedSendState: 'There is no paused send to resume (the send is {state}).',
  alreadyInProgress: 'A send is already in progress ({runId}, {state}): continue, pause or cancel it first.',
  alreadyRunning: 'A send is already running in another execution; try again in a moment.',
  settingsMissing: 'The send settings are not set yet (subject and body templates): save them first.',
  filterShape: 'Filter: expected { key?, period?, max? }.',
  filterUnknownField: 'Filter: unknown field “{field}”.',
  tooManyRows: 'This list has more than {max} rows to send: the send’s state would not fit in Apps Script’s user properties. Split it into several sends (by period or key).',
  stateTooLarge: 'The send’s saved state is {bytes} bytes, over the 9 KB limit of one Apps Script property: nothing was sent; split the list into several sends.',
};

export type SendJobMessageKey = keyof typeof en;

const translate = defineMessages<SendJobMessageKey>({
  en,
  fr: {
    noSendInProgress: 'Aucun envoi en cours.',
    cannotPause: 'Impossible de mettre en pause un envoi à l’état « {state} ».',
    noPausedSend: 'Aucun envoi en pause à reprendre.',
    noPausedSendState: 'Aucun envoi en pause à reprendre (l’envoi est à l’état « {state} »).',
    alreadyInProgress: 'Un envoi est déjà en cours ({runId}, {state}) : poursuivez-le, mettez-le en pause ou annulez-le d’abord.',
    alreadyRunning: 'Un envoi tourne déjà dans une autre exécution ; réessayez dans un instant.',
    settingsMissing: 'Les réglages d’envoi ne sont pas encore enregistrés (modèles d’objet et de texte) : enregistrez-les d’abord.',
    filterShape: 'Filtre : { key?, period?, max? } attendu.',
    filterUnknownField: 'Filtre : champ inconnu « {field} ».',
    tooManyRows: 'Cette liste compte plus de {max} lignes à envoyer : l’état de l’envoi ne tiendrait pas dans les propriétés utilisateur d’Apps Script. Répartissez-la en plusieurs envois (par période ou par clé).',
    stateTooLarge: 'L’état enregistré de l’envoi fait {bytes} octets, au-delà de la limite de 9 Ko d’une propriété Apps Script : rien n’a été envoyé ; répartissez la liste en plusieurs envois.',
  },
});

/** A refusal of the send job in the reader's language. */
export function sendJobMessage(locale: Locale, key: SendJobMessageKey, params: Params = {}): string {
  return translate(locale, key, params);
}

/** A send state ('running', 'paused'…) in the reader's words. */
export function sendStateLabel(locale: Locale, state: string): string {
  const known = ['planned', 'running', 'paused-quota', 'paused', 'done', 'cancelled'];
  return known.includes(state) ? translateSend(locale, `state.${state}` as Parameters<typeof translateSend>[1]) : state;
}
