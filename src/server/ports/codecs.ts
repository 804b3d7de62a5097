// Port: the byte codecs a job needs on its hot path, done by the platform where it can (Apps Script's
// Utilities runs them natively; the same work in plain JavaScript is slow on megabyte files).

export interface Codecs {
  /** Lower-case hex SHA-256 of the bytes. */
  sha256Hex(bytes: Uint8Array): string;
  /** Lower-case hex SHA-256 of the text's UTF-8 bytes. */
  sha256HexOfText(text: string): string;
  /** Bytes of base64 or base64url text, padded or not. */
  base64Decode(text: string): Uint8Array;
  /**
   * Bytes of each text (base64 or base64url, padded or not) with as few platform calls as can be (one
   * per batch of about 16 MB of text): a text that is not base64 gets an Error in its place, alone.
   */
  base64DecodeEach(texts: readonly string[]): Array<Uint8Array | Error>;
}
