// Adapter: the Base64Codec port over Apps Script's Utilities (native code, not the script's V8). A
// burst's messages are encoded in ONE call: each is padded with trailing CRLFs to a whole number of
// 3-byte groups (its MIME epilogue), so the base64 of the joined texts splits exactly at each message's
// end (4 characters per 3 bytes, no padding inside).
// https://developers.google.com/apps-script/reference/utilities/utilities#base64EncodeWebSafe(String,Charset)
// https://developers.google.com/apps-script/reference/utilities/utilities#base64Decode(String)

import { utf8Length } from '../domain/encoding';
import type { Base64Codec } from '../ports/base64';

/** `text` with 0, 1 or 2 CRLFs added so that its UTF-8 length is a multiple of 3. */
export function padToWholeGroups(text: string): string {
  const r = utf8Length(text) % 3;
  return r === 0 ? text : r === 1 ? `${text}\r\n` : `${text}\r\n\r\n`;
}

export function platformBase64(): Base64Codec {
  return {
    encodeMessagesWebSafe(texts) {
      if (!texts.length) return [];
      const padded = texts.map(padToWholeGroups);
      const joined = Utilities.base64EncodeWebSafe(padded.join(''), Utilities.Charset.UTF_8);
      const out: string[] = [];
      let at = 0;
      for (const text of padded) {
        const length = (utf8Length(text) / 3) * 4;
        out.push(joined.slice(at, at + length));
        at += length;
      }
      return out;
    },
    decode: (encoded) => {
      const bytes = /[-_]/.test(encoded) ? Utilities.base64DecodeWebSafe(encoded) : Utilities.base64Decode(encoded);
      return Uint8Array.from(bytes, (b) => b & 0xff);
    },
  };
}
