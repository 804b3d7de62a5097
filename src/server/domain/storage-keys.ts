// Where Postroom keeps its durable state, named once. User properties are read through
// userPropertiesStore, which puts USER_PROPERTY_PREFIX before each key ("settings.collect" is stored as
// "postroom.settings.collect"); script properties are read as they are.

/** Prefix of every user property Postroom writes. */
export const USER_PROPERTY_PREFIX = 'postroom.';

/** User property (full name): the id of the ledger spreadsheet Postroom writes to. */
export const LEDGER_SPREADSHEET_ID_PROPERTY = 'postroom.ledgerSpreadsheetId';

/** User store key (without the prefix): the mail settings (the gateway's transport). */
export const MAIL_SETTINGS_KEY = 'settings.mail';

/** Script property (full name): "true" in a published add-on (schedules at most hourly). */
export const ADDON_MODE_PROPERTY = 'postroom.addonMode';

/** The collect job's keys in the user store (without the prefix). */
export const COLLECT_KEYS = {
  settings: 'settings.collect',
  run: 'collect.run',
  lockHolder: 'collect.lockHolder',
  lastRun: 'collect.lastRun',
  /** A person's "Collect now" (card) waiting for its one-off trigger. */
  request: 'collect.request',
  /** Set when an execution of a run died: files may exist in Drive that no Receipt records. */
  orphanRisk: 'collect.orphanRisk',
  idsChunk: (index: number) => `collect.run.ids.${index}`,
  /** Files this run stored since its last commit (so an execution cut short does not store or probe them again). */
  stored: 'collect.run.stored',
} as const;
