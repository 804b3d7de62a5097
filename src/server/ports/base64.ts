// Port: base64 on the platform. Apps Script's Utilities encode and decode natively, far faster than
// JavaScript in the script's V8; jobs use this port on their hot paths (a burst's raw messages).

export interface Base64Codec {
  /**
   * Each text's UTF-8 bytes as base64url (Gmail's `raw`), for a whole burst at once. A message may
   * gain up to two trailing CRLFs (after its last MIME boundary: the epilogue, which readers ignore) so
   * that the burst is encoded in one call.
   */
  encodeMessagesWebSafe(texts: readonly string[]): string[];
  /** The bytes of a base64 (standard or URL-safe) string. */
  decode(encoded: string): Uint8Array;
}
