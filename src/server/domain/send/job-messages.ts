// The Send job's refusals and errors, in French and English: what the server throws to the sidebar,
// the card and the CLI (a send already in progress, nothing to pause, settings not saved, a filter or a
// list the job cannot take, a state too large for the user properties). Thrown as PostroomError with
// the message already in the user's language.

import { defineMessages, type Locale, type Params } from '../i18n';
import { translateSend } from './messages';

const en = {
  noSendInProgress: 'No send in progress.',
  startSheetUnavailable:
    'Google Sheets is not answering for now ({detail}): the send did not start and nothing was sent. Start it again in a minute.',
  cannotPause: 'Cannot pause a send that is {state}.',
  noPausedSend: 'There is no paused send to resume.',
  noPausedSendState: 'There is no paused send to resume (the send is {state}).',
  alreadyInProgress: 'A send is already in progress ({runId}, {state}): continue, pause or cancel it first.',
  alreadyRunning: 'A send is already running in another execution; try again in a moment.',
  settingsMissing: 'The send settings are not set yet (subject and body templates): save them first.',
  filterShape: 'Filter: expected { key?, period?, max? }.',
  filterUnknownField: 'Filter: unknown field “{field}”.',
  tooManyRows:
    'This list has more than {max} rows to send: the send’s state would not fit in Apps Script’s user properties. Split it into several sends (by period or key).',
  stateTooLarge:
    'The send’s saved state is {bytes} bytes, over the 9 KB limit of one Apps Script property: nothing was sent; split the list into several sends.',
  'settings.expectedObject': 'settings: expected an object',
  'settings.unknown': '{key}: unknown setting',
  'settings.expectedNumber': '{key}: expected a number, got {got}',
  'settings.expectedFinite': '{key}: expected a finite number, got {got}',
  'settings.expectedWhole': '{key}: expected a whole number, got {got}',
  'settings.between': '{key}: must be between {min} and {max}, got {got}',
  'settings.expectedText': '{key}: expected text, got {got}',
  'settings.tooLong': '{key}: longer than {max} characters',
  'settings.oneOf': '{key}: expected one of {choices}, got {got}',
  'settings.subjectRequired': '{key}: a subject is required',
  'settings.oneLine': '{key}: must be one line',
  'settings.bodyRequired': '{key}: a text or an HTML body (htmlTemplate) is required',
  'settings.invalidAddress': '{key}: invalid address "{address}": {reason}',
  'settings.notDraftId': '{key}: not a Gmail draft id: {got}',
  'settings.folderRequired': '{key}: a Drive folder id or path is required',
  'settings.notOver': '{key}: must not exceed {other} ({max})',
  'settings.atLeast': '{key}: must be at least {other} ({min})',
  'tab.twoColumns': 'The {tab} tab has two "{name}" columns ({a} and {b}).',
  'tab.noTo': 'The {tab} tab has no "to" column.',
  'tab.empty': 'The {tab} tab is empty (no header row).',
  'period.notAPeriod': '"{text}" is not a period (expected YYYY-MM)',
  'period.noMonth': '"{text}" has no month {month}',
  'period.invalidDate': 'invalid date',
  'filter.period': 'period: {problem}',
  'filter.max': 'max: expected a whole number ≥ 1, got {got}',
  'arg.notObject': '{name}: expected an object',
  'log.badRunId': 'runId: expected a send run id, got {got}',
};

export type SendJobMessageKey = keyof typeof en;

const translate = defineMessages<SendJobMessageKey>({
  en,
  fr: {
    noSendInProgress: 'Aucun envoi en cours.',
    startSheetUnavailable:
      'Google Sheets ne répond pas pour l’instant ({detail}) : l’envoi n’a pas démarré et rien n’a été envoyé. Relancez-le dans une minute.',
    cannotPause: 'Impossible de mettre en pause un envoi à l’état « {state} ».',
    noPausedSend: 'Aucun envoi en pause à reprendre.',
    noPausedSendState: 'Aucun envoi en pause à reprendre (l’envoi est à l’état « {state} »).',
    alreadyInProgress: 'Un envoi est déjà en cours ({runId}, {state}) : poursuivez-le, mettez-le en pause ou annulez-le d’abord.',
    alreadyRunning: 'Un envoi tourne déjà dans une autre exécution ; réessayez dans un instant.',
    settingsMissing: 'Les réglages d’envoi ne sont pas encore enregistrés (modèles d’objet et de texte) : enregistrez-les d’abord.',
    filterShape: 'Filtre : { key?, period?, max? } attendu.',
    filterUnknownField: 'Filtre : champ inconnu « {field} ».',
    tooManyRows:
      'Cette liste compte plus de {max} lignes à envoyer : l’état de l’envoi ne tiendrait pas dans les propriétés utilisateur d’Apps Script. Répartissez-la en plusieurs envois (par période ou par clé).',
    stateTooLarge:
      'L’état enregistré de l’envoi fait {bytes} octets, au-delà de la limite de 9 Ko d’une propriété Apps Script : rien n’a été envoyé ; répartissez la liste en plusieurs envois.',
    'settings.expectedObject': 'réglages : un objet est attendu',
    'settings.unknown': '{key} : réglage inconnu',
    'settings.expectedNumber': '{key} : un nombre est attendu, reçu {got}',
    'settings.expectedFinite': '{key} : un nombre fini est attendu, reçu {got}',
    'settings.expectedWhole': '{key} : un nombre entier est attendu, reçu {got}',
    'settings.between': '{key} : doit être entre {min} et {max}, reçu {got}',
    'settings.expectedText': '{key} : un texte est attendu, reçu {got}',
    'settings.tooLong': '{key} : plus de {max} caractères',
    'settings.oneOf': '{key} : une de ces valeurs est attendue : {choices} ; reçu {got}',
    'settings.subjectRequired': '{key} : un objet est obligatoire',
    'settings.oneLine': '{key} : doit tenir sur une ligne',
    'settings.bodyRequired': '{key} : un texte ou un corps HTML (htmlTemplate) est obligatoire',
    'settings.invalidAddress': '{key} : adresse invalide « {address} » : {reason}',
    'settings.notDraftId': '{key} : ce n’est pas un identifiant de brouillon Gmail : {got}',
    'settings.folderRequired': '{key} : un identifiant ou un chemin de dossier Drive est obligatoire',
    'settings.notOver': '{key} : ne doit pas dépasser {other} ({max})',
    'settings.atLeast': '{key} : doit être au moins {other} ({min})',
    'tab.twoColumns': 'L’onglet {tab} a deux colonnes « {name} » ({a} et {b}).',
    'tab.noTo': 'L’onglet {tab} n’a pas de colonne « to ».',
    'tab.empty': 'L’onglet {tab} est vide (pas de ligne d’en-tête).',
    'period.notAPeriod': '« {text} » n’est pas une période (AAAA-MM attendu)',
    'period.noMonth': '« {text} » n’a pas de mois {month}',
    'period.invalidDate': 'date invalide',
    'filter.period': 'période : {problem}',
    'filter.max': 'max : un nombre entier ≥ 1 est attendu, reçu {got}',
    'arg.notObject': '{name} : un objet est attendu',
    'log.badRunId': 'runId : un identifiant d’envoi est attendu, reçu {got}',
  },
});

/** The send job's catalogue, for localizedError (the error carries both languages). */
export const translateSendJob = translate;

/** A refusal of the send job in the reader's language. */
export function sendJobMessage(locale: Locale, key: SendJobMessageKey, params: Params = {}): string {
  return translate(locale, key, params);
}

/** A send state ('running', 'paused'…) in the reader's words. */
export function sendStateLabel(locale: Locale, state: string): string {
  const known = ['planned', 'running', 'paused-quota', 'paused', 'done', 'cancelled'];
  return known.includes(state) ? translateSend(locale, `state.${state}` as Parameters<typeof translateSend>[1]) : state;
}
