import { randomBytes } from 'node:crypto';
import {
  base64Decode,
  base64Encode,
  base64UrlEncode,
  toUint8Array,
  latin1Decode,
  toSignedBytes,
  utf8Decode,
  utf8Encode,
} from '../../src/server/domain/encoding';

describe('UTF-8', () => {
  it.each(['', 'facture', 'Comptabilité Acuitis — reçu n°3', '€ 😀 漢字', 'a\u0000b'])('round-trips %j like Node', (text) => {
    const bytes = utf8Encode(text);
    expect(Buffer.from(bytes).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(utf8Decode(bytes)).toBe(text);
  });
  it('replaces invalid sequences with U+FFFD', () => {
    expect(utf8Decode([0x61, 0xc3, 0x28, 0x62])).toBe('a\ufffd(b');
    expect(utf8Decode([0xe9])).toBe('\ufffd');
  });
  it('decodes signed bytes as Apps Script gives them', () => {
    expect(utf8Decode(toSignedBytes(utf8Encode('é')))).toBe('é');
  });
  it('decodes Latin-1', () => {
    expect(latin1Decode([0x52, 0xe9, 0x63, 0x75])).toBe('Récu');
  });
});

describe('base64', () => {
  it('matches Node for random bytes of every length mod 3', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const bytes = randomBytes(length);
      expect(base64Encode(bytes)).toBe(bytes.toString('base64'));
      expect(base64UrlEncode(bytes)).toBe(bytes.toString('base64url'));
      expect(Buffer.from(base64Decode(bytes.toString('base64'))).equals(bytes)).toBe(true);
      expect(Buffer.from(base64Decode(bytes.toString('base64url'))).equals(bytes)).toBe(true);
    }
  });
  it('accepts padded web-safe base64 (Utilities.base64EncodeWebSafe keeps the padding)', () => {
    expect(Array.from(base64Decode('_-8='))).toEqual([0xff, 0xef]);
  });
  it('refuses garbage instead of decoding it silently', () => {
    expect(() => base64Decode('ab*d')).toThrow('Invalid base64 character');
    expect(() => base64Decode('abcde')).toThrow('bad length');
  });
  it('converts signed bytes', () => {
    expect(Array.from(toUint8Array([-1, -128, 0, 127]))).toEqual([255, 128, 0, 127]);
    expect(toSignedBytes([255, 128, 0, 127])).toEqual([-1, -128, 0, 127]);
  });
});
