// Port: the byte codecs a job needs on its hot path, done by the platform where it can (Apps Script's
// Utilities runs them natively; the same work in plain JavaScript is slow on megabyte files).

export interface Codecs {
  /** Lower-case hex SHA-256 of the bytes. */
  sha256Hex(bytes: Uint8Array): string;
  /** Bytes of base64 or base64url text, padded or not. */
  base64Decode(text: string): Uint8Array;
}
