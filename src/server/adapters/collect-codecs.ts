// Adapter: the Codecs port over Apps Script's Utilities: SHA-256 with Utilities.computeDigest (which
// takes and returns SIGNED bytes, -128..127: masked to hex by hexFromSignedDigest), base64 with
// Utilities.base64DecodeWebSafe (the text normalised to the web-safe alphabet and padded first).
// https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,Byte)
// https://developers.google.com/apps-script/reference/utilities/utilities#base64DecodeWebSafe(String)

import { hexFromSignedDigest } from '../domain/collect/hashing';
import { toSignedBytes, toUint8Array } from '../domain/encoding';
import type { Codecs } from '../ports/codecs';

/** base64 or base64url, padded or not, as padded base64url (what base64DecodeWebSafe reads). */
export function toPaddedWebSafe(text: string): string {
  const bare = text.replace(/\s+/g, '').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return bare + '='.repeat((4 - (bare.length % 4)) % 4);
}

export function platformCodecs(): Codecs {
  return {
    sha256Hex: (bytes) => hexFromSignedDigest(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, toSignedBytes(bytes))),
    base64Decode: (text) => (text ? toUint8Array(Utilities.base64DecodeWebSafe(toPaddedWebSafe(text))) : new Uint8Array(0)),
  };
}
