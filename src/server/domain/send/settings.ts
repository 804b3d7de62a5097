// The Send job's settings: templates, sender, attachments folder, pace, retries and daily cap. One
// schema serves the sidebar, the stored settings and the CLI's `--settings <json>`: parseSendSettings
// fills defaults and refuses anything out of bounds with PostroomError('INVALID_SETTING') naming the
// key, so a bad value is caught when it is saved, not halfway through a send.
//
// Bounds come from the platform (sources in DESIGN.md):
// - Gmail API per-user rate: 15,000 quota units / min and messages.send costs 100, so at most 150
//   sends / min (maxPerMinute ≤ 150). https://developers.google.com/gmail/api/reference/quota
// - Workspace sending limit: 2,000 messages / day (dailyCap ≤ 2,000).
//   https://support.google.com/a/answer/166852
// - UrlFetchApp.fetchAll sends one batch in parallel; Google advises ≤ 50 calls per HTTP batch and
//   allows 100 (batchSize ≤ 100).

import { PostroomError } from '../errors';
import type { Locale, Params } from '../i18n';
import { sendJobMessage, type SendJobMessageKey } from './job-messages';
import { checkAddress, hasLineBreak } from './addresses';

export interface SendSettings {
  /** Subject with {{column}} placeholders. Required. */
  subjectTemplate: string;
  /** Plain-text body template ('' for none). At least one of text / HTML is required. */
  textTemplate: string;
  /** HTML body template ('' for none); placeholder values are HTML-escaped. */
  htmlTemplate: string;
  /** Display name of the sender, e.g. "Comptabilité Acuitis" ('' for the bare address). */
  senderName: string;
  /** Reply-To address, or '' for none. */
  replyTo: string;
  /** Drive folder (id, or a path like "Postroom/invoices" from My Drive) where file names are looked up. */
  attachmentsFolder: string;
  /** A Gmail draft used as the template instead of the three templates ('' for none; see the send extras). */
  draftId: string;
  /** A verified send-as address of the account to send from ('' for the account's own address). */
  sendFrom: string;
  /** At most this many sends start within any 1 s. */
  maxPerSecond: number;
  /** At most this many sends start within any 60 s (≤ 150: the Gmail per-user quota). */
  maxPerMinute: number;
  /** Sends per parallel batch (one UrlFetchApp.fetchAll). */
  batchSize: number;
  /** Pause after each batch, in ms. */
  pauseBetweenBatchesMs: number;
  /** Retries after the first attempt for transient errors (429, 5xx, network). */
  maxRetries: number;
  /** First retry delay, in ms. */
  retryDelayMs: number;
  /** Multiplier between retries (5 s, 10 s, 20 s… with 5,000 and 2). */
  retryBackoff: number;
  /** Ceiling of one retry delay, in ms. */
  maxRetryDelayMs: number;
  /** At most this many messages in any 24 h window; the job pauses and resumes after the window. */
  dailyCap: number;
  /**
   * How messages go out: 'rest' (Gmail REST API, parallel UrlFetchApp.fetchAll, the quota ceiling) or
   * 'advanced' (the Advanced Gmail service, one call at a time; same gmail.modify scope).
   */
  transport: SendTransportName;
}

export const SEND_TRANSPORTS = ['rest', 'advanced'] as const;
export type SendTransportName = (typeof SEND_TRANSPORTS)[number];

export const DEFAULT_SEND_SETTINGS: Readonly<SendSettings> = Object.freeze({
  subjectTemplate: '',
  textTemplate: '',
  htmlTemplate: '',
  senderName: '',
  replyTo: '',
  attachmentsFolder: 'Postroom/invoices',
  draftId: '',
  sendFrom: '',
  maxPerSecond: 10,
  maxPerMinute: 150,
  batchSize: 50,
  pauseBetweenBatchesMs: 0,
  maxRetries: 5,
  retryDelayMs: 5_000,
  retryBackoff: 2,
  maxRetryDelayMs: 60_000,
  dailyCap: 2_000,
  transport: 'rest',
});

type NumericKey = {
  [K in keyof SendSettings]: SendSettings[K] extends number ? K : never;
}[keyof SendSettings];

/** Inclusive bounds of each numeric setting; `integer` for counts and milliseconds. */
export const SEND_SETTING_BOUNDS: Readonly<Record<NumericKey, { min: number; max: number; integer: boolean }>> = Object.freeze({
  maxPerSecond: { min: 1, max: 100, integer: true },
  maxPerMinute: { min: 1, max: 150, integer: true },
  batchSize: { min: 1, max: 100, integer: true },
  pauseBetweenBatchesMs: { min: 0, max: 60_000, integer: true },
  maxRetries: { min: 0, max: 10, integer: true },
  retryDelayMs: { min: 0, max: 600_000, integer: true },
  retryBackoff: { min: 1, max: 10, integer: false },
  maxRetryDelayMs: { min: 0, max: 3_600_000, integer: true },
  dailyCap: { min: 1, max: 2_000, integer: true },
});

const TEXT_LIMITS = {
  subjectTemplate: 998,
  textTemplate: 100_000,
  htmlTemplate: 100_000,
  senderName: 100,
  replyTo: 254,
  attachmentsFolder: 500,
  draftId: 100,
  sendFrom: 254,
} as const;

type TextKey = keyof typeof TEXT_LIMITS;

export const SEND_SETTING_KEYS = Object.keys(DEFAULT_SEND_SETTINGS) as ReadonlyArray<keyof SendSettings>;

/** The locale of the messages of the parse under way (parseSendSettings sets it). */
let messagesLocale: Locale = 'en';

function invalid(key: string, problem: SendJobMessageKey, params: Params = {}): never {
  throw new PostroomError('INVALID_SETTING', sendJobMessage(messagesLocale, problem, { key, ...params }), { key });
}

function readNumber(key: NumericKey, value: unknown): number {
  const bounds = SEND_SETTING_BOUNDS[key];
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) n = Number(value);
  else invalid(key, 'settings.expectedNumber', { got: JSON.stringify(value) });
  if (!Number.isFinite(n)) invalid(key, 'settings.expectedFinite', { got: String(value) });
  if (bounds.integer && !Number.isInteger(n)) invalid(key, 'settings.expectedWhole', { got: n });
  if (n < bounds.min || n > bounds.max) invalid(key, 'settings.between', { min: bounds.min, max: bounds.max, got: n });
  return n;
}

function readText(key: TextKey, value: unknown): string {
  if (typeof value !== 'string') invalid(key, 'settings.expectedText', { got: JSON.stringify(value) });
  if (value.length > TEXT_LIMITS[key]) invalid(key, 'settings.tooLong', { max: TEXT_LIMITS[key] });
  return value;
}

/**
 * Validates settings from any source (stored JSON, sidebar form, CLI flag): unknown keys are refused
 * (a typo must not silently fall back to a default), missing keys take DEFAULT_SEND_SETTINGS, numbers
 * may come as numeric strings. Throws PostroomError('INVALID_SETTING') whose message starts with the key.
 */
export function parseSendSettings(input: unknown, locale: Locale = 'en'): SendSettings {
  messagesLocale = locale;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PostroomError('INVALID_SETTING', sendJobMessage(locale, 'settings.expectedObject'), { key: 'settings' });
  }
  const source = input as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!(SEND_SETTING_KEYS as readonly string[]).includes(key)) invalid(key, 'settings.unknown');
  }
  const settings: SendSettings = { ...DEFAULT_SEND_SETTINGS };
  for (const key of Object.keys(TEXT_LIMITS) as TextKey[]) {
    if (source[key] !== undefined) settings[key] = readText(key, source[key]);
  }
  for (const key of Object.keys(SEND_SETTING_BOUNDS) as NumericKey[]) {
    if (source[key] !== undefined) settings[key] = readNumber(key, source[key]);
  }
  if (source.transport !== undefined) {
    if (!(SEND_TRANSPORTS as readonly unknown[]).includes(source.transport))
      invalid('transport', 'settings.oneOf', { choices: SEND_TRANSPORTS.join(', '), got: JSON.stringify(source.transport) });
    settings.transport = source.transport as SendTransportName;
  }

  settings.senderName = settings.senderName.trim();
  settings.replyTo = settings.replyTo.trim();
  settings.attachmentsFolder = settings.attachmentsFolder.trim();
  settings.draftId = settings.draftId.trim();
  settings.sendFrom = settings.sendFrom.trim();
  if (settings.draftId && !/^[A-Za-z0-9_-]+$/.test(settings.draftId))
    invalid('draftId', 'settings.notDraftId', { got: JSON.stringify(settings.draftId) });
  if (settings.sendFrom) {
    const reason = checkAddress(settings.sendFrom, messagesLocale);
    if (reason) invalid('sendFrom', 'settings.invalidAddress', { address: settings.sendFrom, reason });
  }
  if (!settings.subjectTemplate.trim()) invalid('subjectTemplate', 'settings.subjectRequired');
  if (hasLineBreak(settings.subjectTemplate)) invalid('subjectTemplate', 'settings.oneLine');
  if (!settings.textTemplate.trim() && !settings.htmlTemplate.trim()) {
    invalid('textTemplate', 'settings.bodyRequired');
  }
  if (hasLineBreak(settings.senderName)) invalid('senderName', 'settings.oneLine');
  if (settings.replyTo) {
    const reason = checkAddress(settings.replyTo, messagesLocale);
    if (reason) invalid('replyTo', 'settings.invalidAddress', { address: settings.replyTo, reason });
  }
  if (!settings.attachmentsFolder) invalid('attachmentsFolder', 'settings.folderRequired');
  if (hasLineBreak(settings.attachmentsFolder)) invalid('attachmentsFolder', 'settings.oneLine');
  if (settings.maxPerSecond > settings.maxPerMinute) {
    invalid('maxPerSecond', 'settings.notOver', { other: 'maxPerMinute', max: settings.maxPerMinute });
  }
  if (settings.maxRetryDelayMs < settings.retryDelayMs) {
    invalid('maxRetryDelayMs', 'settings.atLeast', { other: 'retryDelayMs', min: settings.retryDelayMs });
  }
  return settings;
}
