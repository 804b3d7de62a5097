// File names and storage paths for collected files. A name that came from an email is untrusted: it is
// made safe for Drive and for whoever syncs Drive to a desktop (no path separators, no Windows-reserved
// characters, no control or bidirectional-override characters that disguise "gpj.exe" as "exe.jpg",
// no leading dots, at most 200 characters with the extension kept), and made unique in its folder with
// " (2)", " (3)"… so nothing is ever overwritten. No time-zone math here: the adapter formats the day
// in the script's time zone (Utilities.formatDate) and passes "YYYY-MM-DD".

import { PostroomError } from '../errors';

export const MAX_FILE_NAME_LENGTH = 200;
export const FALLBACK_FILE_NAME = 'attachment';

// C0/C1 controls, DEL, and invisible format characters (bidi controls, zero-width, BOM).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const RESERVED = /[\\/:*?"<>|]+/g;

function codePoints(text: string): string[] {
  return Array.from(text);
}

function splitExtension(name: string): { stem: string; ext: string } {
  const m = /^(.*?)(\.[A-Za-z0-9]{1,10})$/.exec(name);
  return m ? { stem: m[1], ext: m[2] } : { stem: name, ext: '' };
}

/**
 * A safe Drive file name: NFC-normalised (macOS mail sends decomposed accents), invisible characters
 * dropped, runs of `\ / : * ? " < > |` replaced by one "_", whitespace collapsed, leading dots and trailing dots /
 * spaces removed, cut to 200 characters keeping the extension; `fallback` when nothing is left.
 */
export function sanitizeFileName(name: string, fallback: string = FALLBACK_FILE_NAME): string {
  let text = typeof name === 'string' ? name : '';
  if (typeof text.normalize === 'function') text = text.normalize('NFC');
  text = text
    .replace(/[\t\r\n]+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .trim();
  text = text.replace(/[.\s]+$/, '');
  let { stem, ext } = splitExtension(text);
  stem = stem.replace(/^[.\s]+/, '').replace(/[.\s]+$/, ''); // ".pdf" is a nameless PDF: fallback stem, extension kept
  if (!stem) {
    if (!ext) return fallback;
    stem = splitExtension(fallback).stem || FALLBACK_FILE_NAME;
  }
  // Windows device names cannot be files on a synced desktop ("CON.pdf", "com1.jpg").
  if (/^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$/i.test(stem)) stem = `_${stem}`;
  return fitLength(stem, ext, MAX_FILE_NAME_LENGTH);
}

function fitLength(stem: string, ext: string, max: number): string {
  const extPoints = codePoints(ext);
  const stemPoints = codePoints(stem);
  if (stemPoints.length + extPoints.length <= max) return stem + ext;
  return (
    stemPoints
      .slice(0, Math.max(1, max - extPoints.length))
      .join('')
      .replace(/[.\s]+$/, '') + ext
  );
}

/**
 * `name`, or `name (2)`, `name (3)`… (before the extension) — the first one not in `existingNames`,
 * compared case-insensitively (Drive allows both, but a desktop sync of "Recu.pdf" and "recu.pdf" on
 * Windows or macOS does not). Does not add the result to the set: the caller does, once the file exists.
 */
export function uniqueName(name: string, existingNames: ReadonlySet<string>): string {
  const taken = new Set<string>();
  for (const existing of existingNames) taken.add(existing.toLowerCase());
  if (!taken.has(name.toLowerCase())) return name;
  const { stem, ext } = splitExtension(name);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = fitLength(stem, suffix + ext, MAX_FILE_NAME_LENGTH);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export type ReceiptState = 'ingested' | 'quarantined';

/** The sub-folder of the root folder for each state. */
export const STATE_FOLDER: Record<ReceiptState, 'incoming' | 'quarantine'> = { ingested: 'incoming', quarantined: 'quarantine' };
export const LOGS_FOLDER = 'logs';

/** Checks a day formatted by the adapter ("2025-01-31", a real calendar date) and returns it. */
export function checkDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m) {
    const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (month >= 1 && month <= 12 && date >= 1 && date <= days[month - 1]) return day;
  }
  throw new PostroomError('INVALID_INPUT', `"${day}" is not a day in the form YYYY-MM-DD`);
}

/** Folder path below the root folder: ["incoming", "2025-01-31"]. */
export function storageFolder(state: ReceiptState, day: string): [string, string] {
  return [STATE_FOLDER[state], checkDay(day)];
}

/** The ledger's `storage_path` (relative to the root folder): "incoming/2025-01-31/Recu.pdf". `name` must already be sanitised. */
export function storagePath(state: ReceiptState, day: string, name: string): string {
  if (!name || /[\\/]/.test(name)) throw new PostroomError('INVALID_INPUT', `"${name}" is not a sanitised file name`);
  return [...storageFolder(state, day), name].join('/');
}
