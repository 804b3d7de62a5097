// The export job's user-facing strings, in English and French (the user's locale): option errors,
// progress summaries and run states. Numbers are grouped the way each language writes them.

import { defineMessages, type Locale } from '../i18n';

const en = {
  'option.notObject': 'Export options must be an object such as {"query": "from:me", "max": 100}.',
  'option.unknown': '"{name}" is not an export option (query, max, batchSize, folder, includeAttachments, since).',
  'option.query': 'query must be a Gmail search text (at most {max} characters).',
  'option.max': 'max must be a whole number of messages, 1 or more (got {value}).',
  'option.batchSize': 'batchSize must be a whole number from 1 to {max} (got {value}).',
  'option.folder': 'folder must be a Drive folder path such as "Postroom/exports" (got {value}).',
  'option.includeAttachments': 'includeAttachments must be true or false (got {value}).',
  'option.since': 'since must be "last" or a day such as 2026-01-31 (got {value}).',
  'run.alreadyRunning': 'An export is already running (started {since}): wait for it to finish or cancel it.',
  'run.otherJob': 'Another Postroom job is running right now: try again in a minute.',
  'summary.idle': 'No export yet.',
  'summary.listing': 'Listing the messages to export…',
  'summary.running': '{exported} of {total} messages exported in {files}',
  'summary.done': '{exported} messages exported in {files}',
  'summary.cancelled': 'Export cancelled: {exported} of {total} messages exported in {files}',
  'summary.failed': 'Export failed after {exported} messages in {files}: {error}',
  'files.one': '{n} file',
  'files.many': '{n} files',
  'error.folderTaken': 'Could not find a free folder name for the export under {path}.',
  'error.gmail': 'Gmail stopped the export: {message}',
  'error.missing': '{n} message(s) were deleted from Gmail during the export and are not in the files.',
};

export type ExportMessageKey = keyof typeof en;

export const translateExport = defineMessages<ExportMessageKey>({
  en,
  fr: {
    'option.notObject': 'Les options d’export doivent être un objet, par exemple {"query": "from:me", "max": 100}.',
    'option.unknown': '« {name} » n’est pas une option d’export (query, max, batchSize, folder, includeAttachments, since).',
    'option.query': 'query doit être un texte de recherche Gmail (au plus {max} caractères).',
    'option.max': 'max doit être un nombre entier de messages, 1 ou plus (reçu : {value}).',
    'option.batchSize': 'batchSize doit être un nombre entier de 1 à {max} (reçu : {value}).',
    'option.folder': 'folder doit être un chemin de dossier Drive comme « Postroom/exports » (reçu : {value}).',
    'option.includeAttachments': 'includeAttachments doit valoir true ou false (reçu : {value}).',
    'option.since': 'since doit valoir "last" ou un jour comme 2026-01-31 (reçu : {value}).',
    'run.alreadyRunning': 'Un export est déjà en cours (lancé {since}) : attendez qu’il se termine ou annulez-le.',
    'run.otherJob': 'Une autre tâche Postroom est en cours : réessayez dans une minute.',
    'summary.idle': 'Aucun export pour l’instant.',
    'summary.listing': 'Recherche des messages à exporter…',
    'summary.running': '{exported} messages exportés sur {total} dans {files}',
    'summary.done': '{exported} messages exportés dans {files}',
    'summary.cancelled': 'Export annulé : {exported} messages exportés sur {total} dans {files}',
    'summary.failed': 'Export échoué après {exported} messages dans {files} : {error}',
    'files.one': '{n} fichier',
    'files.many': '{n} fichiers',
    'error.folderTaken': 'Impossible de trouver un nom de dossier libre pour l’export sous {path}.',
    'error.gmail': 'Gmail a arrêté l’export : {message}',
    'error.missing': '{n} message(s) ont été supprimés de Gmail pendant l’export et ne sont pas dans les fichiers.',
  },
});

/** 1234 → "1 234" (French) or "1,234" (English). */
export function formatCount(locale: Locale, n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'fr' ? ' ' : ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** "1 fichier", "3 fichiers", "1 file", "2 files" (French uses the singular for 0 and 1). */
export function formatFiles(locale: Locale, n: number): string {
  const one = locale === 'fr' ? n <= 1 : n === 1;
  return translateExport(locale, one ? 'files.one' : 'files.many', { n: formatCount(locale, n) });
}
