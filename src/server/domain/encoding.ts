// Byte encodings the Apps Script runtime lacks as globals (no TextEncoder, TextDecoder, atob, btoa,
// Buffer): UTF-8, Latin-1, base64 and base64url (padded or not), and Apps Script's signed bytes
// (Blob.getBytes() returns -128..127). The one implementation for the whole server bundle.
// https://developers.google.com/apps-script/guides/v8-runtime

/** Bytes as Apps Script (signed -128..127) or JavaScript (0..255) hands them over. */
export type ByteSource = Uint8Array | ArrayLike<number>;

/** Signed or unsigned byte values as a Uint8Array (the same array when it already is one). */
export function toUint8Array(bytes: ByteSource): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const value = bytes[i];
    // `(value | 0) === value` is Number.isInteger for this range without reading a global per byte
    // (a global read in a loop over megabytes is what costs, in the emulator's sandbox above all).
    if ((value | 0) !== value || value < -128 || value > 255) throw new RangeError(`byte ${i} is ${value}, not a byte`);
    out[i] = value & 0xff;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = (() => {
  const table = new Int16Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62; // base64url
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(out);
}

/** The number of bytes `text` takes in UTF-8 (Properties and Gmail limits are in bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** UTF-8 bytes to text; invalid sequences become U+FFFD, as WHATWG decoders do. */
export function utf8Decode(bytes: ArrayLike<number>): string {
  const parts: string[] = [];
  let chunk: number[] = [];
  const flush = () => {
    parts.push(String.fromCharCode(...chunk));
    chunk = [];
  };
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] & 0xff;
    let code = 0xfffd;
    let length = 1;
    if (b < 0x80) code = b;
    else if (b >= 0xc2 && b < 0xe0) length = 2;
    else if (b >= 0xe0 && b < 0xf0) length = 3;
    else if (b >= 0xf0 && b < 0xf5) length = 4;
    if (length > 1) {
      let value = b & (0xff >> (length + 1));
      let valid = i + length <= bytes.length;
      for (let k = 1; valid && k < length; k++) {
        const next = bytes[i + k] & 0xff;
        if ((next & 0xc0) !== 0x80) valid = false;
        else value = (value << 6) | (next & 63);
      }
      const min = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
      if (valid && value >= min && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff)) code = value;
      else length = 1;
    }
    if (code > 0xffff) {
      code -= 0x10000;
      chunk.push(0xd800 + (code >> 10), 0xdc00 + (code & 1023));
    } else chunk.push(code);
    if (chunk.length > 8192) flush();
    i += length;
  }
  flush();
  return parts.join('');
}

export function latin1Decode(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] & 0xff);
  return out;
}

export function base64Encode(bytes: ArrayLike<number>): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] & 0xff) << 16) | ((bytes[i + 1] & 0xff) << 8) | (bytes[i + 2] & 0xff);
    out.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63]);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] & 0xff) << 16;
    out.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==');
  } else if (rest === 2) {
    const n = ((bytes[i] & 0xff) << 16) | ((bytes[i + 1] & 0xff) << 8);
    out.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=');
  }
  return out.join('');
}

/**
 * URL-safe base64 (RFC 4648 §5), as the Gmail API's `raw` field takes it: unpadded by default; `pad`
 * keeps the `=` like Utilities.base64EncodeWebSafe. Gmail accepts either.
 */
export function base64UrlEncode(bytes: ArrayLike<number>, options: { pad?: boolean } = {}): string {
  const url = base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_');
  return options.pad ? url : url.replace(/=+$/, '');
}

/** Decodes base64 or base64url, padded or not; whitespace is ignored; anything else is an error. */
export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, '');
  if (clean.length % 4 === 1) throw new Error('Invalid base64: bad length');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    const take = clean.length - i < 4 ? clean.length - i : 4;
    for (let k = 0; k < 4; k++) {
      const value = k < take ? DECODE[clean.charCodeAt(i + k) & 0xff] : 0;
      if (value < 0 || clean.charCodeAt(i + k) > 255)
        throw new Error(`Invalid base64 character ${JSON.stringify(clean[i + k])} at ${i + k}`);
      n = (n << 6) | value;
    }
    out[o++] = (n >> 16) & 0xff;
    if (take > 2) out[o++] = (n >> 8) & 0xff;
    if (take > 3) out[o++] = n & 0xff;
  }
  return out.subarray(0, o);
}

/** Unsigned bytes to the signed values Apps Script's byte[] parameters take. */
export function toSignedBytes(bytes: ArrayLike<number>): number[] {
  // A plain loop: Array.from with a map function is about 4× slower on megabytes (every attachment goes
  // through here on its way to Utilities.computeDigest and to an upload's payload).
  const out = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0xff;
    out[i] = b > 127 ? b - 256 : b;
  }
  return out;
}
