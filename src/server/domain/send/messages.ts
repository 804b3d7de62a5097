// The Send feature's words, in French and English (the seeds' own wording for the live events:
// "✅ Email 3/50 envoyé : CCT123 - FACTURE_2025_01.pdf → a@x.fr, b@x.fr"). Progress events and row
// problems are stored as data (a kind or code plus parameters) and rendered here at read time, in the
// reader's locale, so a job started by a French user reads in English for an English colleague.

import { defineMessages, type Locale, type Params } from '../i18n';

const en = {
  'event.started': '▶️ Send started: {total} invoice(s)',
  'event.sent': '✅ Email {index}/{total} sent: {key} - {files} → {recipients}',
  'event.failed': '⚠️ Email {index}/{total} ERROR: {key} - {files}: {error}',
  'event.invalid': '⚠️ Row not sent (invalid): {key} - {files}: {error}',
  'event.retry': '🔁 Email {index}/{total}: {key} will be retried in {seconds} s ({error})',
  'event.finished': '✅ Send finished: {sent} succeeded, {failed} error(s) out of {total} invoice(s)',
  'event.pausedQuota': '⏸️ Daily sending limit reached ({sentToday}/{cap} in 24 h): the send resumes by itself at {time} (in {wait})',
  'event.pausedRate': '⏸️ Gmail asked to slow down: the send resumes by itself at {time} (in {wait})',
  'event.paused': '⏸️ Send paused by {who}',
  'event.resumed': '▶️ Send resumed',
  'event.cancelled': '⏹️ Send cancelled: {sent} sent, {remaining} not sent',
  'event.noFiles': 'no attachment',
  'event.moreRecipients': '{shown} (+{more})',
  'run.summary':
    '{sent} sent, {failed} failed, {notSent} not sent of {total}; {executions} execution(s); {units} Gmail units; transport {transport}',
  'state.planned': 'Planned',
  'state.running': 'Sending',
  'state.paused-quota': 'Paused (quota), resumes by itself',
  'state.paused': 'Paused',
  'state.done': 'Finished',
  'state.cancelled': 'Cancelled',
  'reason.missingKey': 'The key (CCT) is empty',
  'reason.invalidPeriod': 'Invalid period: {detail}',
  'reason.noRecipient': 'No recipient in "to"',
  'reason.invalidAddress': 'Invalid {field} address "{input}": {detail}',
  'reason.tooManyRecipients': '{count} recipients: at most {max} per message',
  'reason.lineBreak': 'Line break in {field} (not allowed in an email header)',
  'reason.unknownPlaceholder': 'Unknown placeholder {{{name}}} in the {where}: no such column',
  'reason.emptyPlaceholder': 'Empty placeholder {{{name}}} in the {where}: the cell is empty',
  'reason.emptySubject': 'The subject is empty',
  'reason.emptyBody': 'The message body is empty',
  'reason.attachmentMissing': 'Attachment not found: {name}',
  'reason.tooLarge': 'Message too large: about {size} MB with attachments encoded, the limit is {max} MB',
  'reason.unknownStatus': 'Unknown status "{status}" (expected pending, sent, failed…): row ignored',
  'reason.patternNoMatch': 'No file matches "{pattern}" in the attachments folder',
  'reason.patternSeveral': '{count} files match "{pattern}" where one is expected: {files}',
  'reason.patternPlaceholder': 'Unknown or empty placeholder {{{name}}} in the attachment pattern "{pattern}"',
  'reason.duplicate': 'duplicate of row {of} (same recipients, attachments and subject): not sent unless you confirm it',
  'where.subject': 'subject',
  'where.text': 'text body',
  'where.html': 'HTML body',
  'where.body': 'body column',
  'duration.seconds': '{n} s',
  'duration.minutes': '{n} min',
  'duration.hours': '{h} h {m} min',
};

export type SendMessageKey = keyof typeof en;

export const translateSend = defineMessages<SendMessageKey>({
  en,
  fr: {
    'event.started': '▶️ Envoi démarré : {total} facture(s)',
    'event.sent': '✅ Email {index}/{total} envoyé : {key} - {files} → {recipients}',
    'event.failed': '⚠️ Email {index}/{total} ERREUR : {key} - {files} : {error}',
    'event.invalid': '⚠️ Ligne non envoyée (invalide) : {key} - {files} : {error}',
    'event.retry': '🔁 Email {index}/{total} : {key} sera renvoyé dans {seconds} s ({error})',
    'event.finished': '✅ Envoi terminé : {sent} succès, {failed} erreur(s) sur {total} facture(s)',
    'event.pausedQuota': '⏸️ Limite d’envoi quotidienne atteinte ({sentToday}/{cap} en 24 h) : reprise automatique à {time} (dans {wait})',
    'event.pausedRate': '⏸️ Gmail demande de ralentir : reprise automatique à {time} (dans {wait})',
    'event.paused': '⏸️ Envoi mis en pause par {who}',
    'event.resumed': '▶️ Envoi repris',
    'event.cancelled': '⏹️ Envoi annulé : {sent} envoyé(s), {remaining} non envoyé(s)',
    'event.noFiles': 'sans pièce jointe',
    'event.moreRecipients': '{shown} (+{more})',
    'state.planned': 'Planifié',
    'state.running': 'Envoi en cours',
    'state.paused-quota': 'En pause (quota), reprise automatique',
    'state.paused': 'En pause',
    'run.summary':
      '{sent} envoyé(s), {failed} en échec, {notSent} non envoyé(s) sur {total} ; {executions} exécution(s) ; {units} unités de quota Gmail ; transport {transport}',
    'state.done': 'Terminé',
    'state.cancelled': 'Annulé',
    'reason.missingKey': 'La clé (CCT) est vide',
    'reason.invalidPeriod': 'Période invalide : {detail}',
    'reason.noRecipient': 'Aucun destinataire dans « to »',
    'reason.invalidAddress': 'Adresse {field} invalide « {input} » : {detail}',
    'reason.tooManyRecipients': '{count} destinataires : {max} au plus par message',
    'reason.lineBreak': 'Retour à la ligne dans {field} (interdit dans un en-tête d’email)',
    'reason.unknownPlaceholder': 'Variable inconnue {{{name}}} dans {where} : aucune colonne de ce nom',
    'reason.emptyPlaceholder': 'Variable vide {{{name}}} dans {where} : la cellule est vide',
    'reason.emptySubject': 'L’objet est vide',
    'reason.emptyBody': 'Le corps du message est vide',
    'reason.attachmentMissing': 'Pièce jointe introuvable : {name}',
    'reason.tooLarge': 'Message trop volumineux : environ {size} Mo avec les pièces jointes encodées, la limite est {max} Mo',
    'reason.unknownStatus': 'Statut inconnu « {status} » (attendu pending, sent, failed…) : ligne ignorée',
    'reason.patternNoMatch': 'Aucun fichier ne correspond à « {pattern} » dans le dossier des pièces jointes',
    'reason.patternSeveral': '{count} fichiers correspondent à « {pattern} » là où un seul est attendu : {files}',
    'reason.patternPlaceholder': 'Variable inconnue ou vide {{{name}}} dans le modèle de pièce jointe « {pattern} »',
    'reason.duplicate': 'doublon de la ligne {of} (mêmes destinataires, pièces jointes et objet) : non envoyé sauf confirmation',
    'where.subject': 'l’objet',
    'where.text': 'le texte',
    'where.html': 'le HTML',
    'where.body': 'la colonne body',
    'duration.seconds': '{n} s',
    'duration.minutes': '{n} min',
    'duration.hours': '{h} h {m} min',
  },
});

/** A duration for people: "45 s", "12 min", "3 h 05 min". */
export function formatDuration(ms: number, locale: Locale): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return translateSend(locale, 'duration.seconds', { n: seconds });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return translateSend(locale, 'duration.minutes', { n: minutes });
  return translateSend(locale, 'duration.hours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}

/** A clock time "HH:MM UTC" (or in a zone the caller formats with formatTime). */
export function formatClockUtc(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

export type { Locale, Params };
