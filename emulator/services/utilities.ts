// Utilities: digests and HMACs as SIGNED bytes (Java byte[]), base64 (the web-safe variant KEEPS its
// '=' padding), blobs, sleep on the virtual clock, formatDate with Java SimpleDateFormat patterns in
// real time zones, seeded UUIDs, CSV parsing. Strings are encoded in UTF-8 unless a Charset says else.
// https://developers.google.com/apps-script/reference/utilities/utilities
// https://docs.oracle.com/javase/8/docs/api/java/text/SimpleDateFormat.html

import { createHash, createHmac } from 'node:crypto';
import type { ServiceContext } from '../runtime/execution';
import { FakeBlob, fromScriptBytes, toSignedBytes, type ByteInput } from './blob';
import { isDateLike, notEmulated, withNotEmulated } from './fake-support';
import { isValidTimeZone, zonedParts, type ZonedParts } from './time-zone';

export const DigestAlgorithm = {
  MD2: 'MD2',
  MD5: 'MD5',
  SHA_1: 'SHA_1',
  SHA_256: 'SHA_256',
  SHA_384: 'SHA_384',
  SHA_512: 'SHA_512',
} as const;
export const MacAlgorithm = {
  HMAC_MD5: 'HMAC_MD5',
  HMAC_SHA_1: 'HMAC_SHA_1',
  HMAC_SHA_256: 'HMAC_SHA_256',
  HMAC_SHA_384: 'HMAC_SHA_384',
  HMAC_SHA_512: 'HMAC_SHA_512',
} as const;
export const Charset = { US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' } as const;

const NODE_DIGEST: Record<string, string> = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };
const NODE_HMAC: Record<string, string> = {
  HMAC_MD5: 'md5',
  HMAC_SHA_1: 'sha1',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

/** Utilities.sleep's documented maximum. */
export const MAX_SLEEP_MS = 300_000;

/** Bytes of a script value: a string in `charset` (UTF-8 by default) or a byte array. */
function bytesOf(value: string | ByteInput, charset?: unknown): Uint8Array {
  if (typeof value === 'string') {
    return new Uint8Array(Buffer.from(value, String(charset ?? Charset.UTF_8) === Charset.US_ASCII ? 'ascii' : 'utf8'));
  }
  return fromScriptBytes(value);
}

/** Java's base64 decoder is strict: only the alphabet and trailing padding. */
function decodeBase64(encoded: string, webSafe: boolean): Uint8Array {
  const text = String(encoded).replace(/\s+/g, '');
  const alphabet = webSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw new Error('Could not decode string.');
  return new Uint8Array(Buffer.from(text, webSafe ? 'base64url' : 'base64'));
}

// ---------- formatDate: Java SimpleDateFormat over Intl time zones ----------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Zone {
  id: string;
  /** Fixed offset in minutes for "GMT+02:00"-style ids, null for IANA zones. */
  fixedOffset: number | null;
}

/** Java's TimeZone.getTimeZone: IANA ids, "GMT+h[:mm]" custom ids, and GMT for anything unknown. */
function resolveZone(timeZone: string): Zone {
  const custom = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(timeZone);
  if (custom) {
    const minutes = Number(custom[2]) * 60 + Number(custom[3] ?? 0);
    return { id: timeZone, fixedOffset: custom[1] === '-' ? -minutes : minutes };
  }
  if (isValidTimeZone(timeZone)) return { id: timeZone, fixedOffset: null };
  return { id: 'GMT', fixedOffset: 0 };
}

function partsIn(epochMs: number, zone: Zone): ZonedParts {
  if (zone.fixedOffset === null) return zonedParts(epochMs, zone.id);
  const d = new Date(epochMs + zone.fixedOffset * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offsetMinutes: zone.fixedOffset,
  };
}

function offsetText(offsetMinutes: number, withColon: boolean, hoursOnly = false): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  const minutes = String(abs % 60).padStart(2, '0');
  if (hoursOnly) return `${sign}${hours}`;
  return withColon ? `${sign}${hours}:${minutes}` : `${sign}${hours}${minutes}`;
}

function zoneName(epochMs: number, zone: Zone, long: boolean, offsetMinutes: number): string {
  if (zone.fixedOffset === null) {
    for (const locale of ['en-US', 'en-GB']) {
      const name = new Intl.DateTimeFormat(locale, { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' })
        .formatToParts(epochMs)
        .find((part) => part.type === 'timeZoneName')?.value;
      if (name && (long || !/^GMT[+-]/.test(name))) return name === 'GMT' && zone.id === 'UTC' ? 'UTC' : name;
    }
  }
  return offsetMinutes === 0 ? 'GMT' : `GMT${offsetText(offsetMinutes, true)}`;
}

function dayOfYear(p: ZonedParts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

/** Formats like java.text.SimpleDateFormat (English names), in a Java time-zone id. */
export function formatJavaDate(epochMs: number, timeZone: string, pattern: string): string {
  const zone = resolveZone(timeZone);
  const p = partsIn(epochMs, zone);
  const tokens = pattern.match(/'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+/g) ?? [];
  return tokens
    .map((token) => {
      if (token.startsWith("'")) return token === "''" ? "'" : token.slice(1, -1).replace(/''/g, "'");
      const letter = token[0];
      const count = token.length;
      const pad = (n: number) => String(n).padStart(count, '0');
      switch (letter) {
        case 'G':
          return p.year > 0 ? 'AD' : 'BC';
        case 'y':
        case 'Y':
          return count === 2 ? String(p.year % 100).padStart(2, '0') : pad(p.year);
        case 'M':
        case 'L':
          return count >= 4 ? MONTHS[p.month - 1] : count === 3 ? MONTHS[p.month - 1].slice(0, 3) : pad(p.month);
        case 'd':
          return pad(p.day);
        case 'D':
          return pad(dayOfYear(p));
        case 'E':
          return count >= 4 ? DAYS[p.weekday] : DAYS[p.weekday].slice(0, 3);
        case 'u':
          return pad(p.weekday === 0 ? 7 : p.weekday);
        case 'a':
          return p.hour < 12 ? 'AM' : 'PM';
        case 'H':
          return pad(p.hour);
        case 'k':
          return pad(p.hour === 0 ? 24 : p.hour);
        case 'K':
          return pad(p.hour % 12);
        case 'h':
          return pad(p.hour % 12 === 0 ? 12 : p.hour % 12);
        case 'm':
          return pad(p.minute);
        case 's':
          return pad(p.second);
        case 'S':
          return pad(p.millisecond);
        case 'z':
          return zoneName(epochMs, zone, count >= 4, p.offsetMinutes);
        case 'Z':
          return offsetText(p.offsetMinutes, false);
        case 'X':
          if (p.offsetMinutes === 0) return 'Z';
          return count === 1 ? offsetText(p.offsetMinutes, false, true) : offsetText(p.offsetMinutes, count >= 3);
        case 'w':
        case 'W':
        case 'F':
          throw notEmulated(`Utilities.formatDate pattern letter '${letter}'`);
        default:
          if (/[A-Za-z]/.test(letter)) throw new Error(`Illegal pattern character '${letter}'`);
          return token;
      }
    })
    .join('');
}

// ---------- CSV ----------

/** RFC 4180 CSV with a one-character delimiter; quoted fields may hold delimiters, quotes and newlines. */
export function parseCsvText(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < csv.length) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (ch === '\r' && csv[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------- the service ----------

export class FakeUtilities implements Pick<
  GoogleAppsScript.Utilities.Utilities,
  | 'computeDigest'
  | 'computeHmacSha256Signature'
  | 'computeHmacSignature'
  | 'base64Encode'
  | 'base64Decode'
  | 'base64EncodeWebSafe'
  | 'base64DecodeWebSafe'
  | 'newBlob'
  | 'sleep'
  | 'formatDate'
  | 'getUuid'
  | 'parseCsv'
> {
  readonly DigestAlgorithm = DigestAlgorithm;
  readonly MacAlgorithm = MacAlgorithm;
  readonly Charset = Charset;

  constructor(private readonly ctx: ServiceContext) {}

  private call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`Utilities.${method}`, fn);
  }

  computeDigest(
    algorithm: GoogleAppsScript.Utilities.DigestAlgorithm,
    value: string | ByteInput,
    charset?: GoogleAppsScript.Utilities.Charset,
  ): number[] {
    return this.call('computeDigest', () => {
      const name = NODE_DIGEST[String(algorithm)];
      if (!name) throw notEmulated(`Utilities.computeDigest(${String(algorithm)})`);
      return toSignedBytes(new Uint8Array(createHash(name).update(bytesOf(value, charset)).digest()));
    });
  }

  computeHmacSha256Signature(value: string | ByteInput, key: string | ByteInput, charset?: GoogleAppsScript.Utilities.Charset): number[] {
    return this.call('computeHmacSha256Signature', () =>
      toSignedBytes(new Uint8Array(createHmac('sha256', bytesOf(key, charset)).update(bytesOf(value, charset)).digest())),
    );
  }

  computeHmacSignature(
    algorithm: GoogleAppsScript.Utilities.MacAlgorithm,
    value: string | ByteInput,
    key: string | ByteInput,
    charset?: GoogleAppsScript.Utilities.Charset,
  ): number[] {
    return this.call('computeHmacSignature', () => {
      const name = NODE_HMAC[String(algorithm)];
      if (!name) throw notEmulated(`Utilities.computeHmacSignature(${String(algorithm)})`);
      return toSignedBytes(new Uint8Array(createHmac(name, bytesOf(key, charset)).update(bytesOf(value, charset)).digest()));
    });
  }

  base64Encode(data: string | ByteInput, charset?: GoogleAppsScript.Utilities.Charset): string {
    return this.call('base64Encode', () => Buffer.from(bytesOf(data, charset)).toString('base64'));
  }

  /** Web-safe alphabet ('-' and '_'), WITH '=' padding, unlike RFC 4648 base64url as Node writes it. */
  base64EncodeWebSafe(data: string | ByteInput, charset?: GoogleAppsScript.Utilities.Charset): string {
    return this.call('base64EncodeWebSafe', () =>
      Buffer.from(bytesOf(data, charset)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    );
  }

  base64Decode(encoded: string, _charset?: GoogleAppsScript.Utilities.Charset): number[] {
    return this.call('base64Decode', () => toSignedBytes(decodeBase64(encoded, false)));
  }

  base64DecodeWebSafe(encoded: string, _charset?: GoogleAppsScript.Utilities.Charset): number[] {
    return this.call('base64DecodeWebSafe', () => toSignedBytes(decodeBase64(encoded, true)));
  }

  newBlob(data: string | ByteInput, contentType?: string, name?: string): GoogleAppsScript.Base.Blob {
    return this.call('newBlob', () => {
      const blob =
        typeof data === 'string'
          ? FakeBlob.fromString(data, contentType ?? 'text/plain', name ?? null)
          : new FakeBlob(fromScriptBytes(data), contentType ?? null, name ?? null);
      return blob as unknown as GoogleAppsScript.Base.Blob;
    });
  }

  /** Advances the virtual clock; past the execution's deadline the execution ends, as on the platform. */
  sleep(milliseconds: number): void {
    this.call('sleep', () => {
      const ms = Number(milliseconds);
      if (!Number.isFinite(ms) || ms < 0) throw new Error('Invalid argument: milliseconds');
      if (ms > MAX_SLEEP_MS) throw new Error(`Invalid argument: milliseconds. The maximum is ${MAX_SLEEP_MS}.`);
      this.ctx.advance(ms);
      const execution = this.ctx.execution;
      if (execution && this.ctx.clock.now() >= execution.deadline) this.ctx.terminate(execution, 'timed-out');
    });
  }

  formatDate(date: GoogleAppsScript.Base.Date, timeZone: string, format: string): string {
    return this.call('formatDate', () => {
      if (!isDateLike(date)) throw new Error('Invalid argument: date');
      return formatJavaDate(date.getTime(), String(timeZone), String(format));
    });
  }

  /** A version-4 UUID from the workspace's seeded random source: reproducible from the seed. */
  getUuid(): string {
    return this.call('getUuid', () => {
      const bytes = Array.from({ length: 16 }, () => Math.floor(this.ctx.faults.random() * 256));
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    });
  }

  parseCsv(csv: string, delimiter?: string): string[][] {
    return this.call('parseCsv', () => parseCsvText(String(csv), delimiter ?? ','));
  }
}

/** Utilities for the sandbox. */
export function createUtilities(ctx: ServiceContext): GoogleAppsScript.Utilities.Utilities {
  return withNotEmulated(new FakeUtilities(ctx), 'Utilities') as unknown as GoogleAppsScript.Utilities.Utilities;
}
