import { createHash } from 'node:crypto';
import { hexFromSignedDigest, sha256, sha256Hex, toHex } from '../../../src/server/domain/collect';
import { toUint8Array as toUnsignedBytes } from '../../../src/server/domain/encoding';

const nodeSha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));

describe('sha256', () => {
  it('matches the NIST vectors', () => {
    expect(sha256Hex(new Uint8Array(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new Uint8Array(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches Node for every length around the padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
    }
  });

  it('matches Node on a 1 MB buffer, also given as Apps Script signed bytes', () => {
    const bytes = new Uint8Array(1024 * 1024);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    const expected = nodeSha(bytes);
    expect(sha256Hex(bytes)).toBe(expected);
    expect(sha256Hex(signed(bytes))).toBe(expected);
  });

  it('returns 32 bytes', () => {
    expect(sha256(new Uint8Array([1])).length).toBe(32);
  });
});

describe('signed bytes', () => {
  it('turns Utilities.computeDigest output into the same hex as Node', () => {
    const digest = createHash('sha256').update('Reçu n°3').digest();
    expect(hexFromSignedDigest(signed(new Uint8Array(digest)))).toBe(digest.toString('hex'));
  });
  it('refuses values that are not signed bytes', () => {
    expect(() => hexFromSignedDigest([200])).toThrow(RangeError);
    expect(() => hexFromSignedDigest([1.5])).toThrow(RangeError);
  });
  it('converts signed to unsigned, and passes a Uint8Array through', () => {
    expect(Array.from(toUnsignedBytes([-1, -128, 0, 127]))).toEqual([255, 128, 0, 127]);
    const u = new Uint8Array([1, 2]);
    expect(toUnsignedBytes(u)).toBe(u);
    expect(() => toUnsignedBytes([256])).toThrow(/byte 0 is 256/);
    expect(toHex([-1, 0, 15])).toBe('ff000f');
  });
});
