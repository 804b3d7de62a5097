// Byte and header-text codecs for the collect domain, written by hand because the Apps Script V8
// runtime has no TextDecoder, no atob and no Buffer (https://developers.google.com/apps-script/guides/v8-runtime).
// Covers what mail needs (base64 and UTF-8 themselves are in ../encoding.ts): ISO-8859-15 and
// Windows-1252 bytes besides UTF-8 and Latin-1, RFC 2047 encoded words
// (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) and RFC 2231 parameters (`filename*=UTF-8''…`, continuations
// `filename*0*=`). Unknown charsets are reported, never guessed silently.

import { base64Decode, latin1Decode, utf8Decode, utf8Encode } from '../encoding';

// Windows-1252 differs from Latin-1 in 0x80..0x9F (0 = undefined, kept as the C1 control).
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0xff;
    const mapped = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : 0;
    out += String.fromCharCode(mapped || b);
  }
  return out;
}

// ISO-8859-15 (Latin-9) replaces eight Latin-1 code points, among them the euro sign at 0xA4.
const LATIN9: Record<number, number> = {
  0xa4: 0x20ac,
  0xa6: 0x160,
  0xa8: 0x161,
  0xb4: 0x17d,
  0xb8: 0x17e,
  0xbc: 0x152,
  0xbd: 0x153,
  0xbe: 0x178,
};

function decodeLatin9(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0xff;
    out += String.fromCharCode(LATIN9[b] ?? b);
  }
  return out;
}

/** The decoder for a MIME charset label, or null when this module does not know it. */
export function charsetDecoder(charset: string): ((bytes: ArrayLike<number>) => string) | null {
  const label = charset.trim().toLowerCase().replace(/_/g, '-');
  if (label === 'utf-8' || label === 'utf8') return utf8Decode;
  // US-ASCII is decoded as Windows-1252, like browsers do: an 8-bit byte in "ASCII" text is usually cp1252.
  if (label === 'us-ascii' || label === 'ascii' || label === 'windows-1252' || label === 'cp1252') return decodeWindows1252;
  if (label === 'iso-8859-1' || label === 'latin1' || label === 'latin-1' || label === 'iso8859-1' || label === 'l1') return latin1Decode;
  if (label === 'iso-8859-15' || label === 'latin-9' || label === 'iso8859-15') return decodeLatin9;
  return null;
}

/** Decodes bytes in `charset`; an unknown charset falls back to UTF-8 when the bytes are valid UTF-8, else Latin-1. */
export function decodeBytes(bytes: ArrayLike<number>, charset: string): string {
  const decoder = charsetDecoder(charset);
  if (decoder) return decoder(bytes);
  const utf8 = utf8Decode(bytes);
  return utf8.includes('\ufffd') ? latin1Decode(bytes) : utf8;
}

function decodeQEncoding(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return bytes;
}

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words in a header value. Whitespace between two adjacent encoded words is
 * dropped (RFC 2047 §6.2), and adjacent words in the same charset are decoded together so a UTF-8
 * character split across two words survives. A word in an unknown charset or with broken base64 is
 * left as written.
 */
export function decodeEncodedWords(value: string): string {
  type Token = { text: string; word?: { charset: string; bytes: number[] } };
  const tokens: Token[] = [];
  let last = 0;
  ENCODED_WORD.lastIndex = 0;
  for (let match = ENCODED_WORD.exec(value); match; match = ENCODED_WORD.exec(value)) {
    const [whole, charset, encoding, payload] = match;
    let bytes: number[] | null = null;
    if (charsetDecoder(charset)) {
      if (encoding.toUpperCase() === 'Q') bytes = decodeQEncoding(payload);
      else {
        try {
          bytes = Array.from(base64Decode(payload));
        } catch {
          bytes = null; // a broken word stays as written: visible, not lost
        }
      }
    }
    const between = value.slice(last, match.index);
    const previous = tokens[tokens.length - 1];
    if (between && !(previous?.word && /^\s+$/.test(between))) tokens.push({ text: between });
    if (bytes) {
      const prev = tokens[tokens.length - 1];
      if (prev?.word && prev.word.charset.toLowerCase() === charset.toLowerCase()) prev.word.bytes.push(...bytes);
      else tokens.push({ text: '', word: { charset, bytes } });
    } else tokens.push({ text: whole });
    last = match.index + whole.length;
  }
  if (last < value.length) tokens.push({ text: value.slice(last) });
  return tokens.map((t) => (t.word ? decodeBytes(t.word.bytes, t.word.charset) : t.text)).join('');
}

function percentDecodeToBytes(text: string, into: number[]): void {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      into.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = text.charCodeAt(i);
      if (code < 0x80) into.push(code);
      else for (const b of utf8Encode(text[i])) into.push(b); // raw 8-bit text in a header: keep it
    }
  }
}

/** A structured header value such as Content-Type or Content-Disposition, split into its parts. */
export interface HeaderValue {
  /** The value before the first `;`, lower-cased and trimmed (e.g. "application/pdf", "attachment"). */
  value: string;
  /** Parameters by lower-cased name, RFC 2231 parameters already joined and decoded (`filename*` → `filename`). */
  params: Record<string, string>;
}

interface RawParam {
  name: string;
  section: number | null;
  encoded: boolean;
  value: string;
}

function splitParams(text: string): { head: string; raw: RawParam[] } {
  // Split on ';' outside quoted strings; a quoted string may contain ';' and '\"'.
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < text.length) {
        current += ch + text[++i];
        continue;
      }
      if (ch === '"') quoted = false;
      current += ch;
    } else if (ch === '"') {
      quoted = true;
      current += ch;
    } else if (ch === ';') {
      pieces.push(current);
      current = '';
    } else current += ch;
  }
  pieces.push(current);
  const head = (pieces.shift() ?? '').trim();
  const raw: RawParam[] = [];
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    let value = piece.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      const end = value.lastIndexOf('"');
      value = (end > 0 ? value.slice(1, end) : value.slice(1)).replace(/\\(.)/g, '$1');
    }
    const m = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!m) continue;
    raw.push({ name: m[1], section: m[2] === undefined ? null : Number(m[2]), encoded: m[3] === '*', value });
  }
  return { head, raw };
}

/**
 * Parses `type/subtype; name=value; name*=charset'lang'%xx…; name*0*=…; name*1=…`. RFC 2231 continuations
 * are joined in section order, percent-decoded as bytes across sections (a UTF-8 character may be split
 * between two), then decoded in the charset of section 0. A plain `name` parameter is also RFC 2047
 * decoded: Outlook and others write `filename="=?UTF-8?B?…?="` although RFC 2047 §5 forbids it.
 * https://www.rfc-editor.org/rfc/rfc2231 https://www.rfc-editor.org/rfc/rfc2047
 */
export function parseHeaderValue(text: string): HeaderValue {
  const { head, raw } = splitParams(text);
  const params: Record<string, string> = {};
  const plain = new Map<string, string>();
  const extended = new Map<string, RawParam[]>();
  for (const p of raw) {
    if (p.section === null && !p.encoded) {
      if (!plain.has(p.name)) plain.set(p.name, p.value);
    } else {
      const list = extended.get(p.name) ?? [];
      list.push(p);
      extended.set(p.name, list);
    }
  }
  for (const [name, value] of plain) params[name] = decodeEncodedWords(value);
  for (const [name, list] of extended) {
    list.sort((a, b) => (a.section ?? 0) - (b.section ?? 0));
    let charset = 'us-ascii';
    const bytes: number[] = [];
    list.forEach((p, index) => {
      let value = p.value;
      if (p.encoded && index === 0) {
        const m = /^([^']*)'[^']*'(.*)$/.exec(value);
        if (m) {
          charset = m[1] || 'us-ascii';
          value = m[2];
        }
      }
      if (p.encoded) percentDecodeToBytes(value, bytes);
      else bytes.push(...utf8Encode(value)); // a plain section is taken as written
    });
    // Plain sections were re-encoded as UTF-8 above; with a non-UTF-8 charset they are ASCII in practice.
    params[name] = decodeBytes(bytes, charset);
  }
  return { value: head.toLowerCase(), params };
}
