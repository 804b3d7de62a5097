// FR/EN strings of the server outside the jobs: errors of the entry points and adapters (setup,
// storage limits, Gmail and Drive calls), and the words a refused collection leaves in the ledger.
// Google's own error text is quoted inside ({detail}).

import { defineMessages } from './i18n';

const en = {
  'entry.unknownAction': 'Unknown action “{action}”.',
  'entry.badMaxItems': 'Maximum items: enter a whole number from 1 to {max}.',
  'setting.transport': '{where}.transport: expected one of {allowed}, got {value}.',
  'setup.advancedGmailOff':
    'The Advanced Gmail service is not enabled: add it in the Apps Script editor (Services › Gmail API), then try again.',
  'storage.notJson': 'A value Postroom stored ({key}) cannot be read any more; save the settings again.',
  'storage.tooLarge': 'Postroom cannot save {key}: {bytes} bytes, over Apps Script’s 9 KB limit per value.',
  'sheet.noRow': 'The {tab} tab has no row {row} any more: was it deleted while Postroom was running?',
  'sheet.noColumn': 'The {tab} tab has no “{column}” column any more: put the column back, then try again.',
  'sheet.writeBeforeRead': 'Internal error: the {tab} tab was written before it was read.',
  'drive.noBoundary': 'Drive upload: no separator could be found that is absent from the file’s bytes.',
  'gmail.failed': 'Gmail refused {operation}: {detail}',
  'gmail.searchFailed': 'The Gmail search “{query}” failed: {detail}',
  'gmail.incompleteAnswer': 'Internal error: the {transport} transport answered {answers} of {requests} requests.',
  'drive.listFailed': 'Drive: listing the attachments folder failed ({detail}).',
  'send.batchTooLarge': 'Internal error: a batch holds at most 100 emails, got {n}.',
  'send.stateTooLarge': 'The send’s state is {bytes} bytes, over Apps Script’s 9 KB limit per value.',
  'send.noSettings':
    'The send settings are not set yet (subject and body templates): save them in Postroom › Open sidebar › Settings first.',
  'send.badFilter': 'Send filter: expected an invoice key, a period (YYYY-MM) and a maximum.',
  'send.unknownFilterField': 'Send filter: “{field}” is not a filter (key, period, max).',
  'collect.refused': 'Collection not started: {reason}',
  'collect.noAllowedSender':
    'no allowed sender is set, so nothing would be collected. Add your suppliers’ addresses or @domains in Postroom’s settings (in Google Sheets: Postroom › Open sidebar › Settings).',
};

export type ServerMessageKey = keyof typeof en;

export const translateServer = defineMessages<ServerMessageKey>({
  en,
  fr: {
    'entry.unknownAction': 'Action inconnue « {action} ».',
    'entry.badMaxItems': 'Nombre maximum : saisissez un nombre entier de 1 à {max}.',
    'setting.transport': '{where}.transport : attendu l’une des valeurs {allowed}, reçu {value}.',
    'setup.advancedGmailOff':
      'Le service avancé Gmail n’est pas activé : ajoutez-le dans l’éditeur Apps Script (Services › Gmail API), puis réessayez.',
    'storage.notJson': 'Une valeur enregistrée par Postroom ({key}) n’est plus lisible ; enregistrez de nouveau les réglages.',
    'storage.tooLarge': 'Postroom ne peut pas enregistrer {key} : {bytes} octets, au-delà de la limite Apps Script de 9 Ko par valeur.',
    'sheet.noRow': 'L’onglet {tab} n’a plus de ligne {row} : a-t-elle été supprimée pendant que Postroom travaillait ?',
    'sheet.noColumn': 'L’onglet {tab} n’a plus de colonne « {column} » : remettez la colonne, puis réessayez.',
    'sheet.writeBeforeRead': 'Erreur interne : l’onglet {tab} a été écrit avant d’être lu.',
    'drive.noBoundary': 'Envoi vers Drive : aucun séparateur absent des octets du fichier n’a pu être trouvé.',
    'gmail.failed': 'Gmail a refusé {operation} : {detail}',
    'gmail.searchFailed': 'La recherche Gmail « {query} » a échoué : {detail}',
    'gmail.incompleteAnswer': 'Erreur interne : le transport {transport} a répondu à {answers} requêtes sur {requests}.',
    'drive.listFailed': 'Drive : la lecture du dossier des pièces jointes a échoué ({detail}).',
    'send.batchTooLarge': 'Erreur interne : un lot contient au plus 100 e-mails, reçu {n}.',
    'send.stateTooLarge': 'L’état de l’envoi fait {bytes} octets, au-delà de la limite Apps Script de 9 Ko par valeur.',
    'send.noSettings':
      'Les réglages d’envoi ne sont pas encore faits (objet et corps du message) : enregistrez-les d’abord dans Postroom › Ouvrir le panneau › Réglages.',
    'send.badFilter': 'Filtre d’envoi : attendu un CCT, une période (AAAA-MM) et un maximum.',
    'send.unknownFilterField': 'Filtre d’envoi : « {field} » n’est pas un filtre (key, period, max).',
    'collect.refused': 'Collecte non lancée : {reason}',
    'collect.noAllowedSender':
      'aucun expéditeur autorisé n’est configuré, donc rien ne serait collecté. Ajoutez les adresses ou @domaines de vos fournisseurs dans les réglages de Postroom (dans Google Sheets : Postroom › Ouvrir le panneau › Réglages).',
  },
});
