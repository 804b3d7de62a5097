// Dedupe for collected attachments. Gmail's attachmentId is NOT stable (it changes between two calls
// for the same message), so an attachment is keyed by Gmail message id + MIME part id, and its content
// by the sha256 of its bytes: the same invoice sent twice, or in two messages, is one receipt.
// The Receipts ledger is read once per run into a ReceiptIndex; every attachment handled during the run
// is added to it, so the same one met twice in a run is a duplicate the second time.

import type { CellValue } from '../ledger-cells';

/** The ledger's `attachment_key`: `${gmailMessageId}:${partId}`. */
export function attachmentKey(messageId: string, partId: string): string {
  return `${messageId}:${partId}`;
}

export type DedupeVerdict = 'new' | 'duplicate_key' | 'duplicate_sha256';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ReceiptIndex {
  private readonly keys = new Set<string>();
  private readonly hashes = new Set<string>();

  constructor(entries: Iterable<{ key: string; sha256?: string }> = []) {
    for (const entry of entries) this.add(entry.key, entry.sha256);
  }

  /**
   * Builds the index from ledger rows keyed by header name (LedgerTable.readAll().map(r => r.values)).
   * Rows without a key are ignored; an empty or malformed sha256 (a too-large file quarantined without
   * being downloaded) indexes the key only.
   */
  static fromRows(rows: Iterable<Record<string, CellValue | undefined>>): ReceiptIndex {
    const index = new ReceiptIndex();
    for (const row of rows) {
      const key = String(row.attachment_key ?? '').trim();
      if (key) index.add(key, String(row.sha256 ?? ''));
    }
    return index;
  }

  /**
   * 'duplicate_key' when this message part was handled before, 'duplicate_sha256' when the same bytes
   * were (pass no sha256 before downloading: only the key is checked, which saves the download).
   */
  check(key: string, sha256?: string): DedupeVerdict {
    if (this.keys.has(key)) return 'duplicate_key';
    const hash = sha256?.trim().toLowerCase();
    if (hash && SHA256_HEX.test(hash) && this.hashes.has(hash)) return 'duplicate_sha256';
    return 'new';
  }

  /** Records an attachment handled in this run (ingested, quarantined, or counted as a dry-run receipt). */
  add(key: string, sha256?: string): void {
    if (key) this.keys.add(key);
    const hash = sha256?.trim().toLowerCase();
    if (hash && SHA256_HEX.test(hash)) this.hashes.add(hash);
  }

  get size(): { keys: number; sha256: number } {
    return { keys: this.keys.size, sha256: this.hashes.size };
  }
}
