// The platform codecs adapter's pure part: any base64 / base64url text, padded or not, becomes the
// padded web-safe text Utilities.base64DecodeWebSafe reads. (The adapter itself runs in the e2e tests,
// where every Receipts sha256 is checked against the stored file's own digest.)

import { DECODE_BATCH_CHARS, decodeEach, toPaddedWebSafe } from '../../../src/server/adapters/codecs';

describe('toPaddedWebSafe', () => {
  it.each([
    ['', ''],
    ['QQ', 'QQ=='],
    ['QQ==', 'QQ=='],
    ['QUI', 'QUI='],
    ['QUJD', 'QUJD'],
    ['+/+/', '-_-_'],
    ['-_8', '-_8='],
    ['QU\r\nJD', 'QUJD'],
  ])('%j → %j', (input, expected) => {
    expect(toPaddedWebSafe(input)).toBe(expected);
    expect(Buffer.from(toPaddedWebSafe(input), 'base64url')).toEqual(
      Buffer.from(input.replace(/\s/g, ''), input.includes('-') || input.includes('_') ? 'base64url' : 'base64'),
    );
  });
});

describe('decodeEach: many texts, one platform call per batch', () => {
  const nodeDecode = (calls: string[]) => (webSafe: string) => {
    calls.push(webSafe);
    return Array.from(Buffer.from(webSafe, 'base64url'), (b) => (b > 127 ? b - 256 : b));
  };
  const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff));

  it('cuts every length back exactly (0, 1, 2 bytes left over a group of 3), padded or not, either alphabet', () => {
    const originals = [bytesOf(256, 0), bytesOf(257, 1), bytesOf(258, 2), bytesOf(1, 3), bytesOf(2, 4), bytesOf(3, 5)];
    const texts = originals.map((b, i) => (i % 2 ? b.toString('base64') : b.toString('base64url')));
    const calls: string[] = [];
    const out = decodeEach(texts, nodeDecode(calls));
    expect(calls).toHaveLength(1);
    out.forEach((bytes, i) => expect(Buffer.from(bytes as Uint8Array)).toEqual(originals[i]));
  });

  it('an empty text is no bytes; a text that is not base64 gets an Error alone, the others still decode', () => {
    const calls: string[] = [];
    const out = decodeEach(['', 'ab$d', 'QUJD', 'QUJDR', 'QQ'], nodeDecode(calls));
    expect(out[0]).toEqual(new Uint8Array(0));
    expect(out[1]).toBeInstanceOf(Error);
    expect(Buffer.from(out[2] as Uint8Array).toString()).toBe('ABC');
    expect(out[3]).toBeInstanceOf(Error); // 5 characters: one left over, never valid base64
    expect(Buffer.from(out[4] as Uint8Array).toString()).toBe('A');
    expect(calls).toEqual(['QUJDQQAA']);
  });

  it('starts a new call past DECODE_BATCH_CHARS, so one call never holds more than about 12 MB of bytes', () => {
    const big = 'A'.repeat(DECODE_BATCH_CHARS - 4);
    const calls: string[] = [];
    const out = decodeEach([big, 'QUJD', 'QUJD'], nodeDecode(calls));
    expect(calls.map((c) => c.length)).toEqual([DECODE_BATCH_CHARS, 4]);
    expect((out[0] as Uint8Array).length).toBe(((DECODE_BATCH_CHARS - 4) / 4) * 3);
    expect(Buffer.from(out[2] as Uint8Array).toString()).toBe('ABC');
  });
});
