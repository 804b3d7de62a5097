// The collect settings: one schema with defaults, parsed strictly from whatever the settings store,
// the sidebar or `--settings <json>` hands over. A bad value is a PostroomError('INVALID_SETTING') whose
// message starts with the key, so the user knows what to fix. No coercion: "true" is not a boolean.
// Published add-ons may not run time-driven triggers more often than hourly, so sub-hourly schedules
// are refused in add-on mode (https://developers.google.com/apps-script/guides/triggers/installable#restrictions),
// and everyMinutes only takes 1, 5, 10, 15 or 30 (https://developers.google.com/apps-script/reference/script/clock-trigger-builder#everyMinutes(Integer)).

import { PostroomError } from '../errors';
import type { Schedule } from '../schedule';
import type { Locale } from '../i18n';
import { translateCollectSetup, type CollectSetupKey } from './setup-messages';
import { normalizeMimeType } from './filters';

export type CollectSchedule = Schedule;

export interface CollectSettings {
  enabled: boolean;
  /** Gmail search query (https://support.google.com/mail/answer/7190). */
  query: string;
  /** Lower-cased addresses or `@domain` entries; empty = nobody is collected. */
  allowedSenders: string[];
  /** Lower-cased MIME types, aliases normalised (image/jpg → image/jpeg). Never empty. */
  allowedMimeTypes: string[];
  maxSizeBytes: number;
  maxAttachmentsPerRun: number;
  applyLabels: boolean;
  labelImported: string;
  labelQuarantine: string;
  markAsRead: boolean;
  dryRun: boolean;
  /** Drive folder name under My Drive; incoming/, quarantine/ and logs/ live beneath it. */
  rootFolder: string;
  requireAuthenticatedSender: boolean;
  schedule: CollectSchedule;
}

export interface ParseOptions {
  /** True in a published Workspace add-on: time-driven triggers at most hourly. */
  addonMode: boolean;
}

/** 20 MiB: the seed's guard ("ex. 20 MB"). */
export const DEFAULT_MAX_SIZE_BYTES = 20 * 1024 * 1024;
/** 50 MiB: Apps Script's ceiling for one blob / UrlFetch response, so no larger file can be handled at all. */
export const MAX_SIZE_BYTES_CEILING = 50 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_RUN_CEILING = 10_000;
export const EVERY_MINUTES_ALLOWED = [1, 5, 10, 15, 30] as const;

export function defaultCollectSettings(): CollectSettings {
  return {
    enabled: false,
    query: 'is:unread has:attachment',
    allowedSenders: [],
    allowedMimeTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    maxSizeBytes: DEFAULT_MAX_SIZE_BYTES,
    maxAttachmentsPerRun: 200,
    applyLabels: true,
    labelImported: 'Postroom/imported',
    labelQuarantine: 'Postroom/quarantine',
    markAsRead: true,
    dryRun: false,
    rootFolder: 'Postroom',
    requireAuthenticatedSender: true,
    schedule: { kind: 'off' },
  };
}

export const COLLECT_SETTING_KEYS = Object.keys(defaultCollectSettings()) as Array<keyof CollectSettings>;

function invalid(key: string, message: string, value?: unknown): PostroomError {
  return new PostroomError('INVALID_SETTING', `${key}: ${message}`, { key, value });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function readBoolean(key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(key, `must be true or false, not ${describe(value)}`, value);
  return value;
}

function readInteger(key: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalid(key, `must be a whole number of ${unit}, not ${describe(value)}`, value);
  if (value < min) throw invalid(key, `must be at least ${min} ${unit} (got ${value})`, value);
  if (value > max) throw invalid(key, `must be at most ${max} ${unit} (got ${value})`, value);
  return value;
}

function readText(key: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw invalid(key, `must be text, not ${describe(value)}`, value);
  const text = value.trim();
  if (/[\u0000-\u001f\u007f]/.test(text)) throw invalid(key, 'must be on one line, without control characters', value);
  if (text.length > maxLength) throw invalid(key, `must be at most ${maxLength} characters (got ${text.length})`, value);
  return text;
}

function readList(key: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid(key, `must be a list of text, not ${describe(value)}`, value);
  return value.map((item, index) => {
    if (typeof item !== 'string') throw invalid(key, `item ${index + 1} must be text, not ${describe(item)}`, value);
    return item.trim();
  });
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Checks one whitelist entry (`someone@example.com` or `@example.com`); returns it lower-cased, or an error text. */
export function checkSenderEntry(entry: string): { ok: true; value: string } | { ok: false; error: string } {
  const value = entry.trim().toLowerCase();
  if (!value) return { ok: false, error: 'an entry is empty' };
  const at = value.lastIndexOf('@');
  if (at < 0) return { ok: false, error: `"${entry}" is neither an address (name@domain) nor a domain (@domain)` };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === '*') return { ok: false, error: `"${entry}": write @${domain} to allow the whole domain` };
  if (!DOMAIN.test(domain)) return { ok: false, error: `"${entry}" has an invalid domain "${domain}"` };
  if (local && (local.length > 64 || !LOCAL_PART.test(local))) return { ok: false, error: `"${entry}" is not a valid address` };
  return { ok: true, value };
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// Gmail's system labels cannot be created or applied as user labels.
const SYSTEM_LABELS = new Set(['inbox', 'spam', 'trash', 'unread', 'starred', 'important', 'sent', 'draft', 'chat']);

function readLabel(key: string, value: unknown, required: boolean): string {
  const label = readText(key, value, 225);
  if (!label) {
    if (required) throw invalid(key, 'must name a Gmail label while applyLabels is true', value);
    return label;
  }
  if (label.split('/').some((segment) => segment.trim() === '')) throw invalid(key, `"${label}" has an empty level between slashes`, value);
  if (SYSTEM_LABELS.has(label.toLowerCase()) || /^category_/i.test(label)) throw invalid(key, `"${label}" is a Gmail system label`, value);
  return label;
}

function readSchedule(value: unknown, options: ParseOptions): CollectSchedule {
  const key = 'schedule';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(key, `must be an object such as {"kind":"hourly"}, not ${describe(value)}`, value);
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  const expectKeys = (keys: string[]): void => {
    const extra = Object.keys(record).filter((k) => !keys.includes(k));
    if (extra.length) throw invalid(key, `unexpected field "${extra[0]}" for kind "${String(kind)}"`, value);
  };
  switch (kind) {
    case 'off':
      expectKeys(['kind']);
      return { kind: 'off' };
    case 'hourly':
      expectKeys(['kind']);
      return { kind: 'hourly' };
    case 'daily': {
      expectKeys(['kind', 'hour']);
      const hour = record.hour;
      if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23)
        throw invalid(key, `daily needs an hour from 0 to 23, not ${describe(hour)}`, value);
      return { kind: 'daily', hour };
    }
    case 'everyMinutes': {
      expectKeys(['kind', 'minutes']);
      const minutes = record.minutes;
      if (!EVERY_MINUTES_ALLOWED.includes(minutes as 1)) {
        throw invalid(
          key,
          `everyMinutes takes 1, 5, 10, 15 or 30 minutes (Apps Script's ClockTriggerBuilder), not ${describe(minutes)}`,
          value,
        );
      }
      if (options.addonMode) {
        throw invalid(
          key,
          'a published add-on may run at most once per hour (Apps Script refuses more frequent time-driven triggers for add-ons); choose hourly or daily',
          value,
        );
      }
      return { kind: 'everyMinutes', minutes: minutes as 1 | 5 | 10 | 15 | 30 };
    }
    default:
      throw invalid(key, `kind must be "off", "everyMinutes", "hourly" or "daily", not ${describe(kind)}`, value);
  }
}

/**
 * Parses settings from untrusted input: missing keys take their defaults, unknown keys and bad values
 * throw PostroomError('INVALID_SETTING') with the key first in the message and `details.key` set.
 * `undefined` / `null` give the defaults.
 */
export function parseCollectSettings(input: unknown, options: ParseOptions): CollectSettings {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid('settings', `must be an object, not ${describe(input)}`, input);
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(COLLECT_SETTING_KEYS as string[]).includes(key))
      throw invalid(key, `is not a collect setting (known: ${COLLECT_SETTING_KEYS.join(', ')})`, given[key]);
  }
  const d = defaultCollectSettings();
  const pick = <K extends keyof CollectSettings>(key: K): unknown => (given[key] === undefined ? d[key] : given[key]);

  const applyLabels = readBoolean('applyLabels', pick('applyLabels'));
  const query = readText('query', pick('query'), 1500);
  if (!query) throw invalid('query', 'must not be empty (an empty Gmail query matches every message)', given.query);

  const senders: string[] = [];
  for (const entry of readList('allowedSenders', pick('allowedSenders'))) {
    const checked = checkSenderEntry(entry);
    if (!checked.ok) throw invalid('allowedSenders', checked.error, given.allowedSenders);
    if (!senders.includes(checked.value)) senders.push(checked.value);
  }

  const mimeTypes: string[] = [];
  for (const entry of readList('allowedMimeTypes', pick('allowedMimeTypes'))) {
    const normalized = normalizeMimeType(entry);
    if (!MIME_TYPE.test(normalized))
      throw invalid(
        'allowedMimeTypes',
        `"${entry}" is not a MIME type such as application/pdf (wildcards are not supported)`,
        given.allowedMimeTypes,
      );
    if (!mimeTypes.includes(normalized)) mimeTypes.push(normalized);
  }
  if (!mimeTypes.length)
    throw invalid('allowedMimeTypes', 'must list at least one MIME type (e.g. application/pdf)', given.allowedMimeTypes);

  const labelImported = readLabel('labelImported', pick('labelImported'), applyLabels);
  const labelQuarantine = readLabel('labelQuarantine', pick('labelQuarantine'), applyLabels);
  if (applyLabels && labelImported.toLowerCase() === labelQuarantine.toLowerCase()) {
    throw invalid('labelQuarantine', `must differ from labelImported ("${labelImported}")`, given.labelQuarantine);
  }

  const rootFolder = readText('rootFolder', pick('rootFolder'), 200);
  if (!rootFolder) throw invalid('rootFolder', 'must name a Drive folder', given.rootFolder);
  if (/[\\/]/.test(rootFolder)) throw invalid('rootFolder', 'must be one folder name, without / or \\', given.rootFolder);

  return {
    enabled: readBoolean('enabled', pick('enabled')),
    query,
    allowedSenders: senders,
    allowedMimeTypes: mimeTypes,
    maxSizeBytes: readInteger('maxSizeBytes', pick('maxSizeBytes'), 1, MAX_SIZE_BYTES_CEILING, 'bytes'),
    maxAttachmentsPerRun: readInteger(
      'maxAttachmentsPerRun',
      pick('maxAttachmentsPerRun'),
      1,
      MAX_ATTACHMENTS_PER_RUN_CEILING,
      'attachments',
    ),
    applyLabels,
    labelImported,
    labelQuarantine,
    markAsRead: readBoolean('markAsRead', pick('markAsRead')),
    dryRun: readBoolean('dryRun', pick('dryRun')),
    rootFolder,
    requireAuthenticatedSender: readBoolean('requireAuthenticatedSender', pick('requireAuthenticatedSender')),
    schedule: readSchedule(pick('schedule'), options),
  };
}

/**
 * Problems that must stop a run (for checkSetup), each starting with the key. It re-checks the
 * invariants parseCollectSettings enforces, because settings may be built in code without it.
 */
export function checkSettingsCoherence(settings: CollectSettings, options?: ParseOptions, locale: Locale = 'en'): string[] {
  const problems: string[] = [];
  const say = (key: CollectSetupKey, values: Record<string, string | number> = {}) =>
    problems.push(translateCollectSetup(locale, key, values));
  if (!settings.allowedMimeTypes.length) say('problem.allowedMimeTypes.empty');
  if (!(settings.maxSizeBytes > 0)) say('problem.maxSizeBytes.zero', { value: settings.maxSizeBytes });
  if (settings.maxSizeBytes > MAX_SIZE_BYTES_CEILING)
    say('problem.maxSizeBytes.ceiling', { value: settings.maxSizeBytes, ceiling: MAX_SIZE_BYTES_CEILING });
  if (!(settings.maxAttachmentsPerRun > 0)) say('problem.maxAttachmentsPerRun.zero', { value: settings.maxAttachmentsPerRun });
  if (!settings.query.trim()) say('problem.query.empty');
  if (!settings.rootFolder.trim()) say('problem.rootFolder.empty');
  if (settings.applyLabels) {
    if (!settings.labelImported.trim()) say('problem.labelImported.empty');
    if (!settings.labelQuarantine.trim()) say('problem.labelQuarantine.empty');
    if (settings.labelImported.trim() && settings.labelImported.trim().toLowerCase() === settings.labelQuarantine.trim().toLowerCase())
      say('problem.labelQuarantine.same');
  }
  if (!settings.allowedSenders.length) say('problem.allowedSenders.empty');
  if (options?.addonMode && settings.schedule.kind === 'everyMinutes') say('problem.schedule.addon');
  return problems;
}

/**
 * How a label is written in a Gmail search: lower case, with '/' and spaces as '-'
 * ("Postroom/imported" → "postroom-imported"). https://support.google.com/mail/answer/7190
 */
export function gmailLabelSearchName(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[\s/]+/g, '-');
}

/** Advice that does not stop a run (shown beside checkSetup's results). */
export function adviseSettings(settings: CollectSettings): string[] {
  const advice: string[] = [];
  const query = settings.query.toLowerCase();
  const excludesImported = settings.applyLabels && query.includes(`-label:${gmailLabelSearchName(settings.labelImported)}`);
  if (!settings.markAsRead && query.includes('is:unread') && !excludesImported) {
    advice.push('query: markAsRead is off, so messages stay unread and every run reads them again; add -label:… for the imported label');
  }
  if (!query.includes('is:unread') && !excludesImported) {
    advice.push(
      `query: nothing excludes messages already collected; add is:unread or -label:${settings.labelImported || '…'} to save Gmail quota`,
    );
  }
  if (settings.enabled && settings.schedule.kind === 'off')
    advice.push('schedule: collection is enabled but no schedule is set; runs only start by hand');
  if (!settings.enabled && settings.schedule.kind !== 'off')
    advice.push('enabled: a schedule is set but collection is disabled; scheduled runs will do nothing');
  if (settings.enabled && settings.dryRun && settings.schedule.kind !== 'off')
    advice.push('dryRun: scheduled runs are dry runs and will store nothing');
  return advice;
}
