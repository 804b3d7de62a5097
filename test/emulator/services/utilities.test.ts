// Conformance tests for Utilities.
// https://developers.google.com/apps-script/reference/utilities/utilities

import { createHash } from 'node:crypto';
import { Execution } from '../../../emulator/runtime/execution';
import { createUtilities, MAX_SLEEP_MS } from '../../../emulator/services/utilities';
import { newContext } from './helpers';

describe('computeDigest returns SIGNED bytes (Java byte[])', () => {
  it('sha256("abc") starts with -70 (0xBA) and matches the real digest', () => {
    const utilities = createUtilities(newContext());
    const bytes = utilities.computeDigest(utilities.DigestAlgorithm.SHA_256, 'abc');
    expect(bytes[0]).toBe(-70);
    expect(bytes).toHaveLength(32);
    expect(Buffer.from(bytes.map((b) => b & 0xff)).toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(bytes.every((b) => b >= -128 && b <= 127)).toBe(true);
  });
  it('MD5 and SHA_1 of UTF-8 text, and of signed byte input', () => {
    const utilities = createUtilities(newContext());
    const md5 = utilities.computeDigest(utilities.DigestAlgorithm.MD5, 'é');
    expect(Buffer.from(md5.map((b) => b & 0xff)).toString('hex')).toBe(createHash('md5').update('é', 'utf8').digest('hex'));
    const fromBytes = utilities.computeDigest(utilities.DigestAlgorithm.SHA_1, [-61, -87]);
    expect(Buffer.from(fromBytes.map((b) => b & 0xff)).toString('hex')).toBe(createHash('sha1').update('é', 'utf8').digest('hex'));
  });
  it('computeHmacSha256Signature matches the RFC test vector, signed', () => {
    const utilities = createUtilities(newContext());
    const mac = utilities.computeHmacSha256Signature('The quick brown fox jumps over the lazy dog', 'key');
    expect(Buffer.from(mac.map((b) => b & 0xff)).toString('hex')).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    expect(mac[0]).toBe(-9);
  });
});

describe('base64: the web-safe variant KEEPS its = padding', () => {
  it('encodes with - and _ and pads', () => {
    const utilities = createUtilities(newContext());
    expect(utilities.base64EncodeWebSafe([-5, -1])).toBe('-_8=');
    expect(utilities.base64Encode([-5, -1])).toBe('+/8=');
    expect(utilities.base64EncodeWebSafe('a')).toBe('YQ==');
  });
  it('decodes to signed bytes, with or without padding', () => {
    const utilities = createUtilities(newContext());
    expect(utilities.base64DecodeWebSafe('-_8=')).toEqual([-5, -1]);
    expect(utilities.base64DecodeWebSafe('-_8')).toEqual([-5, -1]);
    expect(utilities.base64Decode('w6k=')).toEqual([-61, -87]);
  });
  it('refuses characters outside the alphabet', () => {
    const utilities = createUtilities(newContext());
    expect(() => utilities.base64Decode('-_8=')).toThrow();
    expect(() => utilities.base64DecodeWebSafe('+/8=')).toThrow();
  });
});

describe('formatDate: Java SimpleDateFormat patterns in real time zones', () => {
  it('Europe/Paris across the spring DST change', () => {
    const utilities = createUtilities(newContext());
    const beforeChange = new Date(Date.UTC(2026, 2, 29, 0, 59, 0));
    const afterChange = new Date(Date.UTC(2026, 2, 29, 1, 0, 0));
    const iso = "yyyy-MM-dd'T'HH:mm:ssXXX";
    expect(utilities.formatDate(beforeChange, 'Europe/Paris', iso)).toBe('2026-03-29T01:59:00+01:00');
    expect(utilities.formatDate(afterChange, 'Europe/Paris', iso)).toBe('2026-03-29T03:00:00+02:00');
    expect(utilities.formatDate(afterChange, 'Europe/Paris', 'EEE, d MMM yyyy HH:mm:ss Z z')).toBe('Sun, 29 Mar 2026 03:00:00 +0200 CEST');
  });
  it('names, 12-hour clock, milliseconds, quotes and UTC', () => {
    const utilities = createUtilities(newContext());
    const date = new Date(Date.UTC(2026, 0, 5, 13, 4, 5, 7));
    expect(utilities.formatDate(date, 'UTC', "EEEE d MMMM yy, hh:mm a 'o''clock' SSS X")).toBe(
      "Monday 5 January 26, 01:04 PM o'clock 007 Z",
    );
    expect(utilities.formatDate(date, 'America/New_York', 'yyyy-MM-dd HH:mm')).toBe('2026-01-05 08:04');
    expect(utilities.formatDate(date, 'GMT+2', 'HH:mm XXX')).toBe('15:04 +02:00');
  });
  it("an unknown time zone id formats in GMT, as Java's TimeZone.getTimeZone does", () => {
    const utilities = createUtilities(newContext());
    expect(utilities.formatDate(new Date(Date.UTC(2026, 0, 5, 13, 4)), 'Mars/Olympus', 'HH:mm')).toBe('13:04');
  });
  it("accepts any Date-like object (the sandbox's own Date)", () => {
    const utilities = createUtilities(newContext());
    const foreign = { getTime: () => Date.UTC(2026, 6, 14, 10, 0) } as unknown as Date;
    expect(utilities.formatDate(foreign, 'Europe/Paris', 'dd/MM/yyyy HH:mm')).toBe('14/07/2026 12:00');
  });
});

describe('sleep advances the virtual clock', () => {
  it('moves time by the requested milliseconds, up to 5 minutes', () => {
    const ctx = newContext();
    const utilities = createUtilities(ctx);
    const before = ctx.clock.now();
    utilities.sleep(120_000);
    expect(ctx.clock.now() - before).toBeGreaterThanOrEqual(120_000);
    expect(ctx.clock.now() - before).toBeLessThan(120_100);
    expect(() => utilities.sleep(MAX_SLEEP_MS + 1)).toThrow();
  });
  it('sleeping past the 6-minute deadline ends the execution', () => {
    const ctx = newContext();
    const utilities = createUtilities(ctx);
    ctx.execution = new Execution(1, 1, 'trigger', 'runCollect', ctx.clock.now());
    utilities.sleep(300_000);
    expect(() => utilities.sleep(120_000)).toThrow('Exceeded maximum execution time');
    expect(() => utilities.getUuid()).toThrow('Exceeded maximum execution time');
  });
});

describe('getUuid is a v4 UUID, reproducible from the workspace seed', () => {
  it('same seed, same sequence; different seed, different ids', () => {
    const a = createUtilities(newContext(undefined, 7));
    const b = createUtilities(newContext(undefined, 7));
    const c = createUtilities(newContext(undefined, 8));
    const first = a.getUuid();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.getUuid()).toBe(first);
    expect(c.getUuid()).not.toBe(first);
    expect(a.getUuid()).not.toBe(first);
  });
});

describe('newBlob and parseCsv', () => {
  it('newBlob of a string is UTF-8 text/plain', () => {
    const utilities = createUtilities(newContext());
    const blob = utilities.newBlob('é');
    expect(blob.getBytes()).toEqual([-61, -87]);
    expect(blob.getContentType()).toBe('text/plain');
    const named = utilities.newBlob([37, 80, 68, 70], 'application/pdf', 'a.pdf');
    expect([named.getName(), named.getContentType(), named.getDataAsString()]).toEqual(['a.pdf', 'application/pdf', '%PDF']);
  });
  it('parseCsv handles quotes, doubled quotes, delimiters and newlines inside fields', () => {
    const csv = 'name,note\n"Dupont, SA","dit ""ok""\nsur deux lignes"\nx;y,z\n';
    expect(createUtilities(newContext()).parseCsv(csv)).toEqual([
      ['name', 'note'],
      ['Dupont, SA', 'dit "ok"\nsur deux lignes'],
      ['x;y', 'z'],
    ]);
    expect(createUtilities(newContext()).parseCsv('a;b', ';')).toEqual([['a', 'b']]);
  });
});
