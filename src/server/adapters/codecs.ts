// Adapter: the Codecs port over Apps Script's Utilities (the mail gateway's bytes, collect's digests and
// inline parts, export's attachments and property keys): SHA-256 with Utilities.computeDigest (which
// takes and returns SIGNED bytes, -128..127: masked to hex by hexFromSignedDigest), base64 with
// Utilities.base64DecodeWebSafe (the text normalised to the web-safe alphabet and padded first). Many
// texts (a fetchAll's attachments) are decoded by ONE call: each is checked, filled with 'A' (zero
// bits) to whole 4-character groups, and the bytes of the joined text are cut back at known offsets.
// https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,Byte)
// https://developers.google.com/apps-script/reference/utilities/utilities#base64DecodeWebSafe(String)

import { hexFromSignedDigest } from '../domain/collect/hashing';
import { toSignedBytes, toUint8Array } from '../domain/encoding';
import type { Codecs } from '../ports/codecs';

/** base64 or base64url text without whitespace or padding, in the web-safe alphabet (not checked). */
function webSafeAlphabet(text: string): string {
  return text.replace(/\s+/g, '').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** base64 or base64url, padded or not, as padded base64url (what base64DecodeWebSafe reads). */
export function toPaddedWebSafe(text: string): string {
  const bare = webSafeAlphabet(text);
  return bare + '='.repeat((4 - (bare.length % 4)) % 4);
}

/** Text of a base64 batch decoded in one call (about 12 MB of bytes): bounds the byte array's memory. */
export const DECODE_BATCH_CHARS = 16 * 1024 * 1024;

/** The bare web-safe text (no whitespace, no padding), or null when it is not base64. */
export function bareWebSafe(text: string): string | null {
  const bare = webSafeAlphabet(text);
  return bare.length % 4 === 1 || /[^A-Za-z0-9_-]/.test(bare) ? null : bare;
}

/** `length` unsigned bytes of the signed byte array from `at`. */
function sliceUnsigned(signed: readonly number[], at: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = signed[at + i] & 0xff;
  return out;
}

/** Each text's bytes, one Utilities.base64DecodeWebSafe per batch of up to DECODE_BATCH_CHARS. */
export function decodeEach(texts: readonly string[], decode: (webSafe: string) => readonly number[]): Array<Uint8Array | Error> {
  const out: Array<Uint8Array | Error> = new Array(texts.length);
  let pieces: string[] = [];
  let spans: Array<{ index: number; at: number; length: number }> = [];
  let chars = 0;
  const flush = (): void => {
    if (!spans.length) return;
    const bytes = decode(pieces.join(''));
    for (const span of spans) out[span.index] = sliceUnsigned(bytes, span.at, span.length);
    pieces = [];
    spans = [];
    chars = 0;
  };
  texts.forEach((text, index) => {
    const bare = bareWebSafe(text);
    if (bare === null) {
      out[index] = new Error(`not base64 (${text.length} characters)`);
      return;
    }
    if (!bare) {
      out[index] = new Uint8Array(0);
      return;
    }
    const filled = bare.length % 4 ? bare + 'A'.repeat(4 - (bare.length % 4)) : bare;
    if (chars && chars + filled.length > DECODE_BATCH_CHARS) flush();
    spans.push({ index, at: (chars / 4) * 3, length: Math.floor((bare.length * 3) / 4) });
    pieces.push(filled);
    chars += filled.length;
  });
  flush();
  return out;
}

export function platformCodecs(): Codecs {
  return {
    sha256Hex: (bytes) => hexFromSignedDigest(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, toSignedBytes(bytes))),
    sha256HexOfText: (text) =>
      hexFromSignedDigest(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8)),
    base64Decode: (text) => (text ? toUint8Array(Utilities.base64DecodeWebSafe(toPaddedWebSafe(text))) : new Uint8Array(0)),
    base64DecodeEach: (texts) => decodeEach(texts, (webSafe) => Utilities.base64DecodeWebSafe(webSafe)),
  };
}
