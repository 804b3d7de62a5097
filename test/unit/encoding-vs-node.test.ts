// The hand-written codecs (Apps Script has no TextEncoder, Buffer or btoa) checked against Node's.

import { createHash } from 'node:crypto';
import {
  base64Decode,
  utf8Decode,
  base64Encode,
  base64UrlEncode,
  utf8Encode,
  toUint8Array,
  utf8Length,
} from '../../src/server/domain/encoding';
import { sha256Hex } from '../../src/server/domain/sha256';
import { wrapLines } from '../../src/server/domain/send/mime';

const strings = [
  '',
  'a',
  'é',
  'Comptabilité Acuitis',
  '€ 1 234,56',
  '😀 emoji 𝔘',
  '\u0000\u007f\u0080\u07ff\u0800\uffff',
  'x'.repeat(10_000),
];

function random(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('UTF-8', () => {
  it.each(strings)('encodes %j like Node', (s) => {
    expect(Buffer.from(utf8Encode(s))).toEqual(Buffer.from(s, 'utf8'));
    expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
    expect(utf8Decode(utf8Encode(s))).toBe(s);
  });
  it('turns lone surrogates into U+FFFD like TextEncoder', () => {
    expect(Buffer.from(utf8Encode('a\ud800b\udc00'))).toEqual(Buffer.from(new TextEncoder().encode('a\ud800b\udc00')));
  });
  it('decodes invalid sequences to U+FFFD', () => {
    expect(utf8Decode([0xc3])).toBe('\ufffd');
    expect(utf8Decode([0xff, 0x41])).toBe('\ufffdA');
  });
});

describe('base64', () => {
  it.each([0, 1, 2, 3, 4, 5, 57, 1000, 65_537])('encodes %i random bytes like Node (standard and url-safe)', (n) => {
    const bytes = random(n, n + 17);
    expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    const url = Buffer.from(bytes).toString('base64url');
    expect(base64UrlEncode(bytes, { pad: false })).toBe(url);
    expect(base64UrlEncode(bytes, { pad: true })).toBe(url + '='.repeat((4 - (url.length % 4)) % 4));
    expect(base64UrlEncode(bytes)).toBe(url);
    expect(Buffer.from(base64Decode(base64Encode(bytes)))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(base64Decode(url))).toEqual(Buffer.from(bytes));
  });
  it('accepts Apps Script signed bytes', () => {
    expect(base64Encode([-1, 0, -128, 127])).toBe(Buffer.from([255, 0, 128, 127]).toString('base64'));
    expect(Array.from(toUint8Array([-1, -128]))).toEqual([255, 128]);
  });
  it('rejects a non-base64 character', () => {
    expect(() => base64Decode('ab$d')).toThrow('Invalid base64');
  });
  it('wraps lines', () => {
    expect(wrapLines('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 vectors and Node for many lengths', () => {
    expect(sha256Hex(utf8Encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = random(n, n);
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
