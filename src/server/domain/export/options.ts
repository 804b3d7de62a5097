// The export's options as the sidebar, the card and the CLI pass them (JSON), checked before anything
// is written: an object with only known keys, `query` a Gmail search text, `max` a whole number ≥ 1,
// `batchSize` 1–5,000 (default 5,000, as the seed's exporter), `folder` a Drive folder path (default
// Postroom/exports), `includeAttachments` a boolean, `since` "last" (what arrived since the previous
// complete export of the same query) or a day YYYY-MM-DD; null or '' (an empty form field) is "not
// given". A bad value throws INVALID_INPUT with a message in the user's language naming the option.

import { PostroomError } from '../errors';
import type { Locale } from '../i18n';
import { translateExport } from './messages';

export const DEFAULT_BATCH_SIZE = 5000;
export const MAX_BATCH_SIZE = 5000;
export const MAX_QUERY_CHARS = 2000;
export const DEFAULT_EXPORT_FOLDER = 'Postroom/exports';

/** What a caller asks for (the api's argument, the CLI's flags), before parseExportOptions checks it. */
export interface ExportRequest {
  query?: string;
  max?: number;
  batchSize?: number;
  folder?: string;
  includeAttachments?: boolean;
  since?: string;
}

export interface ExportOptions {
  /** The Gmail search ('' = every message but spam and trash). */
  query: string;
  /** The newest `max` messages only; null = all. */
  max: number | null;
  batchSize: number;
  /** Folder path from My Drive's root, as segments. */
  folder: string[];
  includeAttachments: boolean;
  /** 'last', a day YYYY-MM-DD, or null. */
  since: 'last' | string | null;
}

const KEYS = ['query', 'max', 'batchSize', 'folder', 'includeAttachments', 'since'];

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function refuse(
  locale: Locale,
  field: string,
  key: Parameters<typeof translateExport>[1],
  params: Record<string, string | number> = {},
): never {
  throw new PostroomError('INVALID_INPUT', translateExport(locale, key, params), { field });
}

/** Not given: undefined, null, or '' (an empty field of the sidebar's form). */
const absent = (value: unknown) => value === undefined || value === null || value === '';

/** A valid calendar day YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

/** Splits a folder path into segments; null when it is not a usable Drive path. */
export function folderSegments(path: string): string[] | null {
  if (path.length > 500 || /[\u0000-\u001f\u007f]/.test(path)) return null;
  const segments = path.split('/').map((s) => s.trim());
  if (segments[0] === '') segments.shift(); // a leading "/" is allowed
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop(); // and a trailing one
  if (!segments.length || segments.some((s) => s === '' || s === '.' || s === '..' || s.length > 200)) return null;
  return segments;
}

export function parseExportOptions(raw: unknown, locale: Locale): ExportOptions {
  if (absent(raw)) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) refuse(locale, 'options', 'option.notObject');
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!KEYS.includes(key)) refuse(locale, key, 'option.unknown', { name: key });

  const query = absent(input.query) ? '' : input.query;
  if (typeof query !== 'string' || query.length > MAX_QUERY_CHARS) refuse(locale, 'query', 'option.query', { max: MAX_QUERY_CHARS });

  let max: number | null = null;
  if (!absent(input.max)) {
    const n = input.max;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) refuse(locale, 'max', 'option.max', { value: shown(n) });
    max = n;
  }

  let batchSize = DEFAULT_BATCH_SIZE;
  if (!absent(input.batchSize)) {
    const n = input.batchSize;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) {
      refuse(locale, 'batchSize', 'option.batchSize', { max: MAX_BATCH_SIZE, value: shown(n) });
    }
    batchSize = n;
  }

  let folder = folderSegments(DEFAULT_EXPORT_FOLDER) as string[];
  if (!absent(input.folder)) {
    const segments = typeof input.folder === 'string' ? folderSegments(input.folder) : null;
    if (!segments) refuse(locale, 'folder', 'option.folder', { value: shown(input.folder) });
    folder = segments;
  }

  let includeAttachments = false;
  if (!absent(input.includeAttachments)) {
    if (typeof input.includeAttachments !== 'boolean')
      refuse(locale, 'includeAttachments', 'option.includeAttachments', { value: shown(input.includeAttachments) });
    includeAttachments = input.includeAttachments;
  }

  let since: ExportOptions['since'] = null;
  if (!absent(input.since) && input.since !== '') {
    const value = input.since;
    if (typeof value !== 'string' || (value.trim() !== 'last' && !isDay(value.trim())))
      refuse(locale, 'since', 'option.since', { value: shown(value) });
    since = value.trim();
  }

  return { query: query.trim(), max, batchSize, folder, includeAttachments, since };
}
