// How Sheets turns what a script writes into a cell value, and a cell value into what getValues and
// getDisplayValues return. setValue/setValues behave like typing (USER_ENTERED): a string that looks
// like a number, a boolean or a date becomes one, unless the cell is formatted as plain text ('@');
// a string starting with '=' becomes a FORMULA; a leading apostrophe forces text. getValues returns
// numbers, booleans, Date objects and '' for empty cells.
// https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()
// https://developers.google.com/apps-script/reference/spreadsheet/range#setValues(Object)

import { isDateLike } from '../services/fake-support';
import { zonedParts, zonedTimeToEpoch } from '../services/time-zone';

/** A date-time cell: the instant, in epoch milliseconds (realm-free; turned into a Date on read). */
export interface SheetDate {
  date: number;
}

/** '' is an empty cell. */
export type StoredValue = string | number | boolean | SheetDate;

export interface Interpreted {
  value: StoredValue;
  formula: string | null;
  /** A number format Sheets applies by itself (e.g. '0%' after typing "20%"). */
  autoFormat?: string;
}

export interface SheetLocale {
  /** 'en_US', 'fr_FR'… decides the decimal separator and the day/month order of typed dates. */
  locale: string;
  timeZone: string;
}

export const TEXT_FORMAT = '@';
export const DEFAULT_NUMBER_FORMAT = '0.###############';

export function isSheetDate(value: unknown): value is SheetDate {
  return typeof value === 'object' && value !== null && typeof (value as SheetDate).date === 'number';
}

function isFrench(locale: string): boolean {
  return locale.toLowerCase().startsWith('fr');
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A typed string as Sheets would parse it: number, boolean, date, or null (stays text). */
export function parseTyped(text: string, where: SheetLocale): { value: number | boolean | SheetDate; autoFormat?: string } | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };

  const french = isFrench(where.locale);
  const numberPattern = french
    ? /^[+-]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)?(?:,\d+)?(?:[eE][+-]?\d+)?(%?)$/
    : /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?(%?)$/;
  const numberMatch = numberPattern.exec(trimmed);
  if (numberMatch && /\d/.test(trimmed)) {
    let normalized = trimmed.replace('%', '');
    normalized = french ? normalized.replace(/[ \u00a0\u202f]/g, '').replace(',', '.') : normalized.replace(/,/g, '');
    const number = Number(normalized);
    if (Number.isFinite(number)) {
      return numberMatch[1] ? { value: number / 100, autoFormat: '0%' } : { value: number };
    }
  }

  // Seconds may carry a fraction ("09:30:00.418"): Sheets keeps it (milliseconds), as typed.
  const time = '(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,3}))?)?)?';
  const iso = new RegExp(`^(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})${time}$`).exec(trimmed);
  const local = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${time}$`).exec(trimmed);
  let parts: number[] | null = null;
  let millis = 0;
  if (iso) {
    parts = [Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    millis = iso[7] ? Number(iso[7].padEnd(3, '0')) : 0;
  } else if (local) {
    const [first, second] = [Number(local[1]), Number(local[2])];
    const [month, day] = french ? [second, first] : [first, second];
    parts = [Number(local[3]), month, day, Number(local[4] ?? 0), Number(local[5] ?? 0), Number(local[6] ?? 0)];
  }
  if (parts) {
    const [year, month, day, hour, minute, second] = parts;
    if (validDate(year, month, day) && hour < 24 && minute < 60 && second < 60) {
      return { value: { date: zonedTimeToEpoch(where.timeZone, year, month, day, hour, minute, second) + millis } };
    }
    return null;
  }
  const timeOnly = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (timeOnly && Number(timeOnly[1]) < 24 && Number(timeOnly[2]) < 60 && Number(timeOnly[3] ?? 0) < 60) {
    // A time alone is a time on Sheets' day zero, 1899-12-30.
    return {
      value: { date: zonedTimeToEpoch(where.timeZone, 1899, 12, 30, Number(timeOnly[1]), Number(timeOnly[2]), Number(timeOnly[3] ?? 0)) },
    };
  }
  return null;
}

/** What a value written by a script becomes in a cell with `numberFormat`. */
export function interpretInput(input: unknown, numberFormat: string | null, where: SheetLocale): Interpreted {
  if (input === null || input === undefined) return { value: '', formula: null };
  if (typeof input === 'number' || typeof input === 'boolean') return { value: input, formula: null };
  if (isDateLike(input)) return { value: { date: input.getTime() }, formula: null };
  const text = typeof input === 'string' ? input : String(input);
  if (numberFormat === TEXT_FORMAT) return { value: text, formula: null };
  if (text.startsWith("'")) return { value: text.slice(1), formula: null };
  if (text.startsWith('=') && text.length > 1) return { value: '', formula: text };
  const parsed = parseTyped(text, where);
  if (parsed) return { value: parsed.value, formula: null, autoFormat: parsed.autoFormat };
  return { value: text, formula: null };
}

/** The value getValues returns for a stored value. */
export function toScriptValue(value: StoredValue, makeDate: (ms: number) => Date): string | number | boolean | Date {
  return isSheetDate(value) ? makeDate(value.date) : value;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDatePattern(epochMs: number, pattern: string, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  const tokens = pattern.match(/yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|"[^"]*"|\\.|./gi) ?? [];
  const out: string[] = [];
  tokens.forEach((token, index) => {
    const lower = token.toLowerCase();
    // 'm'/'mm' is minutes right after an hour or right before seconds, months otherwise.
    const prev =
      tokens
        .slice(0, index)
        .reverse()
        .find((t) => /^[a-z]/i.test(t))
        ?.toLowerCase() ?? '';
    const next =
      tokens
        .slice(index + 1)
        .find((t) => /^[a-z]/i.test(t))
        ?.toLowerCase() ?? '';
    const minutes = (lower === 'm' || lower === 'mm') && (prev.startsWith('h') || next.startsWith('s'));
    switch (lower) {
      case 'yyyy':
        out.push(String(p.year));
        break;
      case 'yy':
        out.push(pad(p.year % 100));
        break;
      case 'mmmm':
        out.push(new Intl.DateTimeFormat('en-US', { month: 'long', timeZone }).format(epochMs));
        break;
      case 'mmm':
        out.push(new Intl.DateTimeFormat('en-US', { month: 'short', timeZone }).format(epochMs));
        break;
      case 'mm':
        out.push(minutes ? pad(p.minute) : pad(p.month));
        break;
      case 'm':
        out.push(minutes ? String(p.minute) : String(p.month));
        break;
      case 'dddd':
        out.push(new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone }).format(epochMs));
        break;
      case 'ddd':
        out.push(new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(epochMs));
        break;
      case 'dd':
        out.push(pad(p.day));
        break;
      case 'd':
        out.push(String(p.day));
        break;
      case 'hh':
        out.push(pad(p.hour));
        break;
      case 'h':
        out.push(String(p.hour));
        break;
      case 'ss':
        out.push(pad(p.second));
        break;
      case 's':
        out.push(String(p.second));
        break;
      default:
        out.push(token.startsWith('"') ? token.slice(1, -1) : token.startsWith('\\') ? token.slice(1) : token);
    }
  });
  return out.join('');
}

function formatNumberPattern(value: number, pattern: string, french: boolean): string | null {
  const match = /^([#0,]*0)(?:\.(0+|#+))?(%?)$/.exec(pattern);
  if (!match) return null;
  const percent = match[3] === '%';
  const decimals = match[2]?.startsWith('0') ? match[2].length : 0;
  const grouped = match[1].includes(',');
  const scaled = percent ? value * 100 : value;
  let text = Math.abs(scaled).toFixed(decimals);
  let [integer, fraction] = text.split('.');
  if (grouped) integer = integer.replace(/\B(?=(\d{3})+(?!\d))/g, french ? '\u202f' : ',');
  text = fraction ? `${integer}${french ? ',' : '.'}${fraction}` : integer;
  return `${scaled < 0 && Number(text.replace(/\D/g, '')) !== 0 ? '-' : ''}${text}${percent ? '%' : ''}`;
}

function formatGeneralNumber(value: number, french: boolean): string {
  let text: string;
  if (Number.isInteger(value) && Math.abs(value) < 1e15) text = String(value);
  else text = String(Number(value.toPrecision(15)));
  return french ? text.replace('.', ',') : text;
}

/** The string getDisplayValues shows for a stored value with a number format. */
export function displayValue(value: StoredValue, numberFormat: string | null, where: SheetLocale): string {
  const french = isFrench(where.locale);
  if (value === '') return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if (isSheetDate(value)) {
    if (numberFormat && numberFormat !== TEXT_FORMAT && /[yd]|h|s/i.test(numberFormat)) {
      return formatDatePattern(value.date, numberFormat, where.timeZone);
    }
    const p = zonedParts(value.date, where.timeZone);
    const date = french ? `${pad(p.day)}/${pad(p.month)}/${p.year}` : `${p.month}/${p.day}/${p.year}`;
    const midnight = p.hour === 0 && p.minute === 0 && p.second === 0;
    return midnight ? date : `${date} ${french ? pad(p.hour) : p.hour}:${pad(p.minute)}:${pad(p.second)}`;
  }
  if (numberFormat && numberFormat !== TEXT_FORMAT && numberFormat !== DEFAULT_NUMBER_FORMAT) {
    const formatted = formatNumberPattern(value, numberFormat, french);
    if (formatted !== null) return formatted;
  }
  return formatGeneralNumber(value, french);
}
