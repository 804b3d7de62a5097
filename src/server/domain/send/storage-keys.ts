// Where the Send job keeps its data between executions: the property keys, named once. The user
// properties adapter (adapters/properties.ts) stores settings under "postroom." + the settings key; the
// job's own keys below are full property names (adapters/send-store.ts writes them as they are).

/** The send settings (templates, sender, pace, retries, cap), under the user properties store's prefix. */
export const SEND_SETTINGS_KEY = 'settings.send';

/** User property (full name): the account's address, looked up once, the sender of every send. */
export const SEND_SENDER_PROPERTY = 'postroom.send.senderAddress';

/**
 * User property (full name): the attachments folder's Drive id as last found, with the setting it was
 * found for (JSON `{ setting, id }`): later executions list the folder without walking its path.
 */
export const SEND_FOLDER_PROPERTY = 'postroom.send.attachmentsFolder';

/**
 * User property (full name): the user's locale as the sidebar's last call saw it ("fr" / "en"), the
 * language of a continuing execution's texts (read with the state: no Session call of its own).
 */
export const SEND_LOCALE_PROPERTY = 'postroom.send.locale';

/**
 * User property (full name): the text format still owed by the columns Postroom added to the Sends tab
 * (JSON array of A1 ranges), written before their header and cleared once they are formatted.
 */
export const SEND_TEXT_FORMAT_DUE_PROPERTY = 'postroom.send.textFormatDue';

/** The job record, its progress and a pending pause / cancel request (full user property names). */
export const SEND_STATE_KEYS = {
  job: 'postroom.send.job',
  progress: 'postroom.send.progress',
  control: 'postroom.send.control',
  /** A long counted bitmap, in pieces: "postroom.send.counted.0", ".1", … */
  countedPrefix: 'postroom.send.counted.',
} as const;
