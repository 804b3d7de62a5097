// The collect job's refusals, setup-check details and settings problems in French and English: what
// a person reads when a run cannot start ("La collecte ne peut pas démarrer : …"), in the sidebar's
// setup checks, and when the options of a run are wrong. Keys and settings names stay as they are
// (they are the settings' own names); the words around them are in the user's language.

import { defineMessages, type Locale } from '../i18n';

const en = {
  'refuse.setup': 'Collect cannot start: {checks}',
  'check.valid': 'valid and coherent',
  'check.folder.present': '{path}: present',
  'check.folder.later': '{path}: will be created on the first run',
  'check.ledger.none': 'no ledger spreadsheet yet: a "Postroom" spreadsheet will be created on the first run',
  'check.ledger.later': 'tab "{tab}" will be created on the first run',
  'check.ledger.columns': 'tab "{tab}": columns {columns} will be added',
  'check.ledger.present': 'tab "{tab}" present',
  'check.trigger.ok': '{want} installed, as configured',
  'check.trigger.off': '{want} expected, {installed} installed: save the settings to repair',
  'check.trigger.none': 'no trigger',
  'check.trigger.one': 'one {schedule} trigger',
  'problem.allowedMimeTypes.empty': 'allowedMimeTypes: the list is empty, so every attachment would be quarantined',
  'problem.maxSizeBytes.zero': 'maxSizeBytes: must be greater than 0 (is {value})',
  'problem.maxSizeBytes.ceiling': 'maxSizeBytes: {value} is over the {ceiling}-byte Apps Script limit',
  'problem.maxAttachmentsPerRun.zero': 'maxAttachmentsPerRun: must be greater than 0 (is {value})',
  'problem.query.empty': 'query: is empty',
  'problem.rootFolder.empty': 'rootFolder: is empty',
  'problem.labelImported.empty': 'labelImported: applyLabels is on but no label is named',
  'problem.labelQuarantine.empty': 'labelQuarantine: applyLabels is on but no label is named',
  'problem.labelQuarantine.same': 'labelQuarantine: is the same label as labelImported',
  'problem.allowedSenders.empty': 'allowedSenders: the list is empty, so nobody is collected; add addresses or @domains',
  'problem.schedule.addon': 'schedule: a published add-on may run at most once per hour',
  'input.object': 'collect options must be an object such as {"dryRun": true}',
  'input.unknown': '{key}: not a collect option (dryRun, maxItems, since)',
  'input.dryRun': 'dryRun: must be true or false',
  'input.maxItems': 'maxItems: must be a whole number from 1 to {max}',
  'input.since.type': 'since: must be a day such as 2026-01-31',
  'input.since.day': 'since: "{value}" is not a day in the form YYYY-MM-DD',
  'settings.object': 'settings: must be an object of collect settings',
  'settings.schedule': 'schedule: {reason}',
};

export type CollectSetupKey = keyof typeof en;

export const translateCollectSetup = defineMessages<CollectSetupKey>({
  en,
  fr: {
    'refuse.setup': 'La collecte ne peut pas démarrer : {checks}',
    'check.valid': 'valides et cohérents',
    'check.folder.present': '{path} : présent',
    'check.folder.later': '{path} : sera créé à la première collecte',
    'check.ledger.none': 'pas encore de classeur de suivi : un classeur « Postroom » sera créé à la première collecte',
    'check.ledger.later': 'l’onglet « {tab} » sera créé à la première collecte',
    'check.ledger.columns': 'onglet « {tab} » : les colonnes {columns} seront ajoutées',
    'check.ledger.present': 'onglet « {tab} » présent',
    'check.trigger.ok': '{want} installé, comme configuré',
    'check.trigger.off': '{want} attendu, {installed} installé(s) : enregistrez les réglages pour réparer',
    'check.trigger.none': 'aucun déclencheur',
    'check.trigger.one': 'un déclencheur {schedule}',
    'problem.allowedMimeTypes.empty': 'allowedMimeTypes : la liste est vide, toute pièce jointe serait mise en quarantaine',
    'problem.maxSizeBytes.zero': 'maxSizeBytes : doit être supérieur à 0 (vaut {value})',
    'problem.maxSizeBytes.ceiling': 'maxSizeBytes : {value} dépasse la limite d’Apps Script de {ceiling} octets',
    'problem.maxAttachmentsPerRun.zero': 'maxAttachmentsPerRun : doit être supérieur à 0 (vaut {value})',
    'problem.query.empty': 'query : est vide',
    'problem.rootFolder.empty': 'rootFolder : est vide',
    'problem.labelImported.empty': 'labelImported : applyLabels est activé mais aucun libellé n’est donné',
    'problem.labelQuarantine.empty': 'labelQuarantine : applyLabels est activé mais aucun libellé n’est donné',
    'problem.labelQuarantine.same': 'labelQuarantine : est le même libellé que labelImported',
    'problem.allowedSenders.empty': 'allowedSenders : la liste est vide, personne n’est collecté ; ajoutez des adresses ou des @domaines',
    'problem.schedule.addon': 'schedule : un module publié ne peut s’exécuter qu’une fois par heure au plus',
    'input.object': 'les options de collecte doivent être un objet, par exemple {"dryRun": true}',
    'input.unknown': '{key} : n’est pas une option de collecte (dryRun, maxItems, since)',
    'input.dryRun': 'dryRun : doit valoir true ou false',
    'input.maxItems': 'maxItems : doit être un nombre entier de 1 à {max}',
    'input.since.type': 'since : doit être un jour, par exemple 2026-01-31',
    'input.since.day': 'since : « {value} » n’est pas un jour au format AAAA-MM-JJ',
    'settings.object': 'settings : doit être un objet de réglages de collecte',
    'settings.schedule': 'schedule : {reason}',
  },
});

/** Shorthand used by the collect job's steps. */
export function setupText(locale: Locale, key: CollectSetupKey, values: Record<string, string | number> = {}): string {
  return translateCollectSetup(locale, key, values);
}
