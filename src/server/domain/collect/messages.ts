// The collect job's user-facing strings in French and English: the run summary ("12 justificatifs
// importés, 2 en quarantaine, 3 doublons ignorés"), run statuses, and a label for every skip and
// quarantine reason. French counts 0 and 1 as singular, English only 1.

import { defineMessages, type Locale } from '../i18n';
import type { RunStatus } from './ledger';
import type { CollectMetrics, QuarantineReason, SkipReason } from './metrics';

const en = {
  'summary.created.one': '{n} receipt imported',
  'summary.created.other': '{n} receipts imported',
  'summary.quarantined.one': '{n} quarantined',
  'summary.quarantined.other': '{n} quarantined',
  'summary.duplicates.one': '{n} duplicate skipped',
  'summary.duplicates.other': '{n} duplicates skipped',
  'summary.errors.one': '{n} error',
  'summary.errors.other': '{n} errors',
  'summary.dryRun': 'Dry run (nothing written): {details}',
  'summary.pending': '{details}; more to collect, continuing',
  'summary.scanned.one': '{n} email scanned',
  'summary.scanned.other': '{n} emails scanned',
  'status.running': 'Running',
  'status.succeeded': 'Succeeded',
  'status.partial': 'Partly done (with errors)',
  'status.failed': 'Failed',
  'status.dry_run': 'Dry run',
  alreadyRunning: 'A collection is already running (since {since}).',
  otherJobRunning: 'Another Postroom job is running; try again in a few minutes.',
  disabled: 'Collection is disabled in the settings.',
  'reason.no_attachment': 'no attachment',
  'reason.inline_image': 'inline image (signature, logo)',
  'reason.drive_link': 'Drive link instead of a file',
  'reason.calendar_invite': 'calendar invitation',
  'reason.signature': 'email signature file (S/MIME, PGP)',
  'reason.mime_walk_error': 'unreadable message structure',
  'reason.sender_not_allowed': 'sender not in the allowed list',
  'reason.over_run_limit': 'over the per-run limit (collected next run)',
  'reason.empty_file': 'empty file (0 bytes)',
  'reason.too_large': 'file too large',
  'reason.mime_not_allowed': 'file type not allowed',
  'reason.magic_mismatch': 'content does not match its declared type',
  'reason.truncated_file': 'truncated or corrupt file',
  'reason.sender_not_authenticated': 'sender not authenticated (SPF / DKIM)',
  'reason.unreadable_mime': 'message structure Postroom cannot read',
  'note.title': 'Postroom did not store this attachment: it is quarantined as this note.',
  'note.message': 'Message: "{subject}" from {sender}, received {received}',
  'note.file': 'Attachment: {filename} ({type}, {size} bytes)',
  'note.reason': 'Reason: {reason} ({detail})',
  'note.link': 'Open the message in Gmail: {url}',
  'note.tooLarge': 'Files over {limit} MiB are not fetched by Postroom; save it from Gmail if it is a receipt.',
  'note.unreadable': 'Look at the message in Gmail and save the receipt by hand if there is one.',
};

export type CollectMessageKey = keyof typeof en;

export const translateCollect = defineMessages<CollectMessageKey>({
  en,
  fr: {
    'summary.created.one': '{n} justificatif importé',
    'summary.created.other': '{n} justificatifs importés',
    'summary.quarantined.one': '{n} en quarantaine',
    'summary.quarantined.other': '{n} en quarantaine',
    'summary.duplicates.one': '{n} doublon ignoré',
    'summary.duplicates.other': '{n} doublons ignorés',
    'summary.errors.one': '{n} erreur',
    'summary.errors.other': '{n} erreurs',
    'summary.dryRun': 'Simulation (rien n’a été écrit) : {details}',
    'summary.pending': '{details} ; il en reste, la collecte continue',
    'summary.scanned.one': '{n} e-mail parcouru',
    'summary.scanned.other': '{n} e-mails parcourus',
    'status.running': 'En cours',
    'status.succeeded': 'Terminée',
    'status.partial': 'Terminée en partie (avec erreurs)',
    'status.failed': 'Échec',
    'status.dry_run': 'Simulation',
    alreadyRunning: 'Une collecte est déjà en cours (depuis {since}).',
    otherJobRunning: 'Une autre tâche Postroom est en cours ; réessayez dans quelques minutes.',
    disabled: 'La collecte est désactivée dans les réglages.',
    'reason.no_attachment': 'aucune pièce jointe',
    'reason.inline_image': 'image intégrée (signature, logo)',
    'reason.drive_link': 'lien Drive au lieu d’un fichier',
    'reason.calendar_invite': 'invitation d’agenda',
    'reason.signature': 'fichier de signature d’e-mail (S/MIME, PGP)',
    'reason.mime_walk_error': 'structure du message illisible',
    'reason.sender_not_allowed': 'expéditeur hors de la liste autorisée',
    'reason.over_run_limit': 'au-delà de la limite par exécution (collecté à la suivante)',
    'reason.empty_file': 'fichier vide (0 octet)',
    'reason.too_large': 'fichier trop volumineux',
    'reason.mime_not_allowed': 'type de fichier non autorisé',
    'reason.magic_mismatch': 'contenu différent du type annoncé',
    'reason.truncated_file': 'fichier tronqué ou corrompu',
    'reason.sender_not_authenticated': 'expéditeur non authentifié (SPF / DKIM)',
    'reason.unreadable_mime': 'structure de message que Postroom ne sait pas lire',
    'note.title': 'Postroom n’a pas enregistré cette pièce jointe : elle est mise en quarantaine sous forme de cette note.',
    'note.message': 'Message : « {subject} » de {sender}, reçu le {received}',
    'note.file': 'Pièce jointe : {filename} ({type}, {size} octets)',
    'note.reason': 'Motif : {reason} ({detail})',
    'note.link': 'Ouvrir le message dans Gmail : {url}',
    'note.tooLarge': 'Postroom ne récupère pas les fichiers de plus de {limit} Mio ; enregistrez-le depuis Gmail si c’est un justificatif.',
    'note.unreadable': 'Consultez le message dans Gmail et enregistrez le justificatif à la main s’il y en a un.',
  },
});

type CountKey = 'created' | 'quarantined' | 'duplicates' | 'errors' | 'scanned';

/** 'one' or 'other' for a count: French treats 0 and 1 as singular, English only 1. */
export function pluralCategory(locale: Locale, n: number): 'one' | 'other' {
  return (locale === 'fr' ? n < 2 : n === 1) ? 'one' : 'other';
}

function count(locale: Locale, key: CountKey, n: number): string {
  return translateCollect(locale, `summary.${key}.${pluralCategory(locale, n)}` as CollectMessageKey, { n });
}

/**
 * The one-line summary of a run: "12 justificatifs importés, 2 en quarantaine, 3 doublons ignorés"
 * (errors added when there are any; dry-run and pending runs say so).
 */
export function formatCollectSummary(
  locale: Locale,
  metrics: CollectMetrics,
  options: { dryRun?: boolean; pending?: boolean } = {},
): string {
  const parts = [
    count(locale, 'created', metrics.receiptsCreated),
    count(locale, 'quarantined', metrics.quarantined),
    count(locale, 'duplicates', metrics.duplicatesSkipped),
  ];
  if (metrics.errorsCount > 0) parts.push(count(locale, 'errors', metrics.errorsCount));
  let text = parts.join(', ');
  if (options.pending) text = translateCollect(locale, 'summary.pending', { details: text });
  if (options.dryRun) text = translateCollect(locale, 'summary.dryRun', { details: text });
  return text;
}

/** The label of a skip or quarantine reason. */
export function reasonLabel(locale: Locale, reason: SkipReason | QuarantineReason): string {
  return translateCollect(locale, `reason.${reason}`);
}

export function statusLabel(locale: Locale, status: RunStatus): string {
  return translateCollect(locale, `status.${status}`);
}

export interface QuarantineNoteFacts {
  subject: string;
  sender: string;
  /** ISO 8601, or '' when unknown. */
  received: string;
  filename: string;
  type: string;
  size: number;
  reason: QuarantineReason;
  detail: string;
  gmailUrl: string;
  /** 'tooLarge' for a piece over the fetch limit (`limitMiB`), 'unreadable' for a message Postroom cannot read. */
  advice: 'tooLarge' | 'unreadable';
  limitMiB?: number;
}

/** The text of a quarantine note: what was not stored, from which message, why, and what to do. */
export function quarantineNote(locale: Locale, facts: QuarantineNoteFacts): string {
  const t = (key: CollectMessageKey, values: Record<string, string | number> = {}) => translateCollect(locale, key, values);
  const lines = [
    t('note.title'),
    '',
    t('note.message', { subject: facts.subject, sender: facts.sender, received: facts.received }),
    ...(facts.filename || facts.size
      ? [t('note.file', { filename: facts.filename || '—', type: facts.type || '—', size: facts.size })]
      : []),
    t('note.reason', { reason: reasonLabel(locale, facts.reason), detail: facts.detail }),
    t('note.link', { url: facts.gmailUrl }),
    '',
    facts.advice === 'tooLarge' ? t('note.tooLarge', { limit: facts.limitMiB ?? 25 }) : t('note.unreadable'),
  ];
  return lines.join('\n') + '\n';
}
