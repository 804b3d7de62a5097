// The hand-written codecs checked against Node's decoders and libmime (the reference for RFC 2047 / 2231).
import { decodeEncodedWords, parseHeaderValue } from '../../../src/server/domain/collect';
import { decodeBytes } from '../../../src/server/domain/collect/text-codecs';
import {
  base64Decode as decodeBase64,
  latin1Decode as decodeLatin1,
  utf8Decode as decodeUtf8,
  utf8Encode,
} from '../../../src/server/domain/encoding';

const encodeUtf8 = (text: string) => Array.from(utf8Encode(text));

// libmime ships no types: the two functions used here as the reference.
const libmime = require('libmime') as {
  decodeWords(value: string): string;
  parseHeaderValue(value: string): { value: string; params: Record<string, string> };
};

describe('decodeBase64', () => {
  it('decodes standard and web-safe, padded or not, for every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const std = Buffer.from(bytes).toString('base64');
      const web = Buffer.from(bytes).toString('base64url');
      expect(decodeBase64(std)).toEqual(bytes);
      expect(decodeBase64(web)).toEqual(bytes);
      expect(decodeBase64(web.replace(/(.{10})/g, '$1\r\n'))).toEqual(bytes);
    }
  });
  it('throws on characters outside the alphabets and on impossible lengths', () => {
    expect(() => decodeBase64('ab$d')).toThrow(/Invalid base64 character "\$"/);
    expect(() => decodeBase64('abcde')).toThrow(/length/);
  });
});

describe('decodeUtf8', () => {
  it('agrees with TextDecoder on valid text, including astral characters', () => {
    const text = 'Reçu n°3 — 😀 € 漢字';
    expect(decodeUtf8(Buffer.from(text))).toBe(text);
    expect(encodeUtf8(text)).toEqual([...Buffer.from(text)]);
  });
  it('replaces malformed sequences with U+FFFD like TextDecoder', () => {
    for (const bytes of [[0xc3], [0xc3, 0x28], [0xe2, 0x82], [0xff, 0x41], [0xed, 0xa0, 0x80], [0x41, 0x80, 0x42]]) {
      const ours = decodeUtf8(bytes);
      const node = new TextDecoder('utf-8').decode(new Uint8Array(bytes));
      expect(ours.replace(/\ufffd+/g, '?')).toBe(node.replace(/\ufffd+/g, '?'));
    }
  });
  it('accepts signed bytes (Apps Script)', () => {
    expect(decodeUtf8([0x52, 0x65, -61, -89, 0x75])).toBe('Reçu');
  });
});

describe('single-byte charsets', () => {
  it('decodes Latin-1, Windows-1252 and Latin-9 as Node does', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeLatin1(all)).toBe(Buffer.from(all).toString('latin1'));
    expect(decodeBytes([0x80, 0x9c, 0xe9], 'windows-1252')).toBe('€œé');
    expect(decodeBytes([0xa4], 'ISO-8859-15')).toBe('€');
  });
  it('falls back to UTF-8, else Latin-1, for an unknown charset', () => {
    expect(decodeBytes([...Buffer.from('été')], 'x-unknown')).toBe('été');
    expect(decodeBytes([0xe9, 0x74, 0xe9], 'x-unknown')).toBe('été');
  });
});

describe('decodeEncodedWords (RFC 2047)', () => {
  it.each([
    '=?UTF-8?B?UmXDp3UgbsKwMy5wZGY=?=',
    '=?ISO-8859-1?Q?Re=E7u_n=B03.pdf?=',
    '=?utf-8?q?Facture_=E2=82=AC?= =?utf-8?q?_2025?=',
    'Fwd: =?UTF-8?B?UmXDp3U=?= de =?windows-1252?Q?l=92h=F4tel?=',
    '=?UTF-8?B?8J+YgA==?=\r\n =?UTF-8?B?IGZpbg==?=',
    'plain subject with = and ? signs',
  ])('%s decodes like libmime', (value) => {
    expect(decodeEncodedWords(value.replace(/\r\n/g, ''))).toBe(libmime.decodeWords(value.replace(/\r\n/g, '')));
  });
  it('joins a UTF-8 character split across two words', () => {
    expect(decodeEncodedWords('=?UTF-8?B?w6k=?= =?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?=')).toBe('éété');
  });
  it('leaves words in unknown charsets or with broken base64 as written', () => {
    expect(decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?= ok')).toBe('=?KOI8-R?B?8NLJ18XU?= ok');
    expect(decodeEncodedWords('=?UTF-8?B?@@@?=')).toBe('=?UTF-8?B?@@@?=');
  });
});

describe('parseHeaderValue (RFC 2231)', () => {
  it.each([
    "attachment; filename*=UTF-8''Re%C3%A7u%20n%C2%B03.pdf",
    "attachment; filename*0*=UTF-8''Re%C3%A7u%20n; filename*1*=%C2%B03.pdf",
    'attachment; filename*0="a-very-long-"; filename*1="name.pdf"',
    "inline; filename*=iso-8859-1'fr'%E9t%E9.pdf",
    'application/pdf; name="facture \\"mars\\".pdf"; charset=binary',
  ])('%s parses like libmime', (value) => {
    const ours = parseHeaderValue(value);
    const theirs = libmime.parseHeaderValue(value);
    expect(ours.value).toBe(theirs.value);
    expect(ours.params.filename ?? ours.params.name).toBe(theirs.params.filename ?? theirs.params.name);
  });
  it('keeps spaces inside quoted sections, as RFC 2231 says (libmime trims them)', () => {
    expect(parseHeaderValue('attachment; filename*0="a very long "; filename*1="name.pdf"').params.filename).toBe('a very long name.pdf');
  });
  it('sorts continuation sections that arrive out of order', () => {
    expect(parseHeaderValue("attachment; filename*1*=%C2%B03.pdf; filename*0*=UTF-8''n").params.filename).toBe('n°3.pdf');
  });
});
