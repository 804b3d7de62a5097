// The platform base64 adapter: a burst encoded in one Utilities call splits back into each message,
// byte for byte (plus at most two trailing CRLFs), whatever the UTF-8 lengths.

import { padToWholeGroups, platformBase64 } from '../../../src/server/adapters/base64';

describe('platformBase64', () => {
  const calls: string[] = [];
  beforeAll(() => {
    (globalThis as Record<string, unknown>).Utilities = {
      Charset: { UTF_8: 'UTF_8' },
      base64EncodeWebSafe: (text: string) => {
        calls.push(text);
        return Buffer.from(text, 'utf8').toString('base64url') + '='.repeat((3 - (Buffer.byteLength(text) % 3)) % 3);
      },
    };
  });
  afterAll(() => delete (globalThis as Record<string, unknown>).Utilities);

  it('encodes a burst in one call; each part decodes to its message and a CRLF epilogue', () => {
    const texts = ['a', 'ab', 'abc', 'Société Élan – 10 €', 'x'.repeat(1001), '日本'];
    const raws = platformBase64().encodeMessagesWebSafe(texts);
    expect(calls).toHaveLength(1);
    raws.forEach((raw, i) => {
      const decoded = Buffer.from(raw, 'base64url').toString('utf8');
      expect(decoded.startsWith(texts[i])).toBe(true);
      expect(decoded.slice(texts[i].length)).toMatch(/^(|\r\n|\r\n\r\n)$/);
      expect(Buffer.byteLength(decoded) % 3).toBe(0);
    });
  });

  it('pads to whole 3-byte groups with CRLFs only', () => {
    expect(padToWholeGroups('abc')).toBe('abc');
    expect(padToWholeGroups('abcd')).toBe('abcd\r\n');
    expect(padToWholeGroups('abcde')).toBe('abcde\r\n\r\n');
  });
});
