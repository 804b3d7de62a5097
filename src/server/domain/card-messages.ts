// FR/EN strings of the Gmail add-on card (the home card beside the mailbox).

import { defineMessages } from './i18n';

const en = {
  'collect.heading': 'Receipts collection',
  'collect.never': 'No collection yet.',
  'collect.last': 'Last run: {status}, {when}',
  'collect.running': 'A collection is running (since {when}).',
  'collect.pending': 'A collection is under way: {done} of {total} messages handled; it continues by itself.',
  'collect.button': 'Collect now',
  'collect.started': 'Collection started: the results will be in the Receipts tab within a few minutes.',
  'send.heading': 'Invoice sending',
  'send.none': 'No send yet.',
  'send.progress': '{state}: {sent} sent, {failed} error(s) out of {total} ({percent} %)',
  'send.pause': 'Pause',
  'send.resume': 'Resume',
  'send.cancel': 'Cancel',
  'send.done': 'Done.',
  'refresh': 'Refresh',
  'error': 'Could not do it: {message}',
};

export type CardMessageKey = keyof typeof en;

export const translateCard = defineMessages<CardMessageKey>({
  en,
  fr: {
    'collect.heading': 'Collecte des justificatifs',
    'collect.never': 'Aucune collecte pour le moment.',
    'collect.last': 'Dernière collecte : {status}, {when}',
    'collect.running': 'Une collecte est en cours (depuis {when}).',
    'collect.pending': 'Une collecte est en cours : {done} messages traités sur {total} ; elle continue toute seule.',
    'collect.button': 'Collecter maintenant',
    'collect.started': 'Collecte lancée : les résultats seront dans l’onglet Receipts d’ici quelques minutes.',
    'send.heading': 'Envoi des factures',
    'send.none': 'Aucun envoi pour le moment.',
    'send.progress': '{state} : {sent} envoyée(s), {failed} erreur(s) sur {total} ({percent} %)',
    'send.pause': 'Mettre en pause',
    'send.resume': 'Reprendre',
    'send.cancel': 'Annuler',
    'send.done': 'C’est fait.',
    'refresh': 'Actualiser',
    'error': 'Impossible : {message}',
  },
});
