// FakeBlob: Apps Script's Blob over real bytes. Apps Script hands bytes to scripts as Java byte[],
// which reach JavaScript as SIGNED numbers (-128..127); getBytes() does the same here, and every
// method that takes bytes accepts signed or unsigned values.
// getAs('application/pdf') turns an HTML blob into a real PDF of its text (html-pdf.ts).
// https://developers.google.com/apps-script/reference/base/blob

import { htmlToPdf } from './html-pdf';

/** "ShoppingList.12.25.2014" → "ShoppingList.12.25.pdf" (Blob.getAs's documented rule); null stays null. */
export function withExtension(name: string | null, extension: string): string | null {
  if (name === null) return null;
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
}

export type ByteInput = ArrayLike<number> | Uint8Array;

/** Bytes as Apps Script gives them to scripts: signed 8-bit values. */
export function toSignedBytes(bytes: Uint8Array): number[] {
  const out = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] > 127 ? bytes[i] - 256 : bytes[i];
  return out;
}

/** Bytes from a script (signed or unsigned numbers) as a Uint8Array. */
export function fromScriptBytes(input: ByteInput): Uint8Array {
  if (input instanceof Uint8Array) return new Uint8Array(input);
  const out = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const value = Number(input[i]);
    if (!Number.isInteger(value) || value < -128 || value > 255) {
      throw new Error(`Invalid byte value ${input[i]} at index ${i}.`);
    }
    out[i] = value & 0xff;
  }
  return out;
}

export class FakeBlob implements Pick<
  GoogleAppsScript.Base.Blob,
  | 'getBytes'
  | 'getDataAsString'
  | 'getContentType'
  | 'getName'
  | 'setName'
  | 'setContentType'
  | 'copyBlob'
  | 'setBytes'
  | 'setDataFromString'
  | 'isGoogleType'
  | 'getAs'
> {
  private bytes: Uint8Array;

  constructor(
    bytes: ByteInput,
    private contentType: string | null = null,
    private name: string | null = null,
  ) {
    this.bytes = fromScriptBytes(bytes);
  }

  static fromString(text: string, contentType: string | null = 'text/plain', name: string | null = null): FakeBlob {
    return new FakeBlob(new Uint8Array(Buffer.from(text, 'utf8')), contentType, name);
  }

  /** The raw bytes, for emulator code (scripts see signed bytes through getBytes). */
  rawBytes(): Uint8Array {
    return this.bytes;
  }

  getBytes(): number[] {
    return toSignedBytes(this.bytes);
  }

  setBytes(data: ByteInput): GoogleAppsScript.Base.Blob {
    this.bytes = fromScriptBytes(data);
    return this as unknown as GoogleAppsScript.Base.Blob;
  }

  getDataAsString(charset?: string): string {
    const encoding = (charset ?? 'UTF-8').toLowerCase().replace(/[^a-z0-9]/g, '');
    const nodeEncoding =
      encoding === 'utf8' ? 'utf8' : encoding === 'iso88591' || encoding === 'latin1' ? 'latin1' : encoding === 'usascii' ? 'ascii' : null;
    if (!nodeEncoding) throw new Error(`Not emulated: Blob.getDataAsString(${charset})`);
    return Buffer.from(this.bytes).toString(nodeEncoding);
  }

  setDataFromString(text: string, charset?: string): GoogleAppsScript.Base.Blob {
    const encoding = (charset ?? 'UTF-8').toLowerCase().replace(/[^a-z0-9]/g, '') === 'iso88591' ? 'latin1' : 'utf8';
    this.bytes = new Uint8Array(Buffer.from(text, encoding));
    return this as unknown as GoogleAppsScript.Base.Blob;
  }

  getContentType(): string | null {
    return this.contentType;
  }

  setContentType(contentType: string | null): GoogleAppsScript.Base.Blob {
    this.contentType = contentType;
    return this as unknown as GoogleAppsScript.Base.Blob;
  }

  getName(): string | null {
    return this.name;
  }

  setName(name: string): GoogleAppsScript.Base.Blob {
    this.name = name;
    return this as unknown as GoogleAppsScript.Base.Blob;
  }

  copyBlob(): GoogleAppsScript.Base.Blob {
    return new FakeBlob(new Uint8Array(this.bytes), this.contentType, this.name) as unknown as GoogleAppsScript.Base.Blob;
  }

  isGoogleType(): boolean {
    return false;
  }

  /**
   * The same data as another type. Emulated: the same type (a copy) and HTML → PDF (its text on A4
   * pages, emulator/services/html-pdf.ts). The name gets the new extension, replacing what follows its
   * last dot ("Facture.html" → "Facture.pdf"), as the reference says.
   */
  getAs(contentType: string): GoogleAppsScript.Base.Blob {
    const target = String(contentType).toLowerCase();
    const source = (this.contentType ?? '').toLowerCase().split(';')[0].trim();
    if (target === source) return this.copyBlob();
    if (target === 'application/pdf' && source === 'text/html') {
      const charset = /charset="?([^";]+)/i.exec(this.contentType ?? '')?.[1];
      const html =
        charset && /^(iso-8859-1|latin1)$/i.test(charset)
          ? Buffer.from(this.bytes).toString('latin1')
          : Buffer.from(this.bytes).toString('utf8');
      return new FakeBlob(htmlToPdf(html), 'application/pdf', withExtension(this.name, 'pdf')) as unknown as GoogleAppsScript.Base.Blob;
    }
    throw new Error(`Not emulated: Blob.getAs(${contentType}) conversion from ${this.contentType}`);
  }

  /** Apps Script's Blob also answers getBlob(); code often calls it on anything blob-like. */
  getBlob(): GoogleAppsScript.Base.Blob {
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
}

/** Whether a value passed by a script is one of our blobs (or a BlobSource that yields one). */
export function asFakeBlob(value: unknown): FakeBlob | null {
  if (value instanceof FakeBlob) return value;
  if (value && typeof (value as { getBlob?: unknown }).getBlob === 'function') {
    const blob = (value as { getBlob(): unknown }).getBlob();
    if (blob instanceof FakeBlob) return blob;
  }
  return null;
}
