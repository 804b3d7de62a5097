// Port: the mailbox as the collect job reads and labels it (implemented over the Gmail REST API by
// adapters/collect-gmail.ts). Batched reads return one outcome per item, in order.

import type { GmailMessage } from '../domain/collect/mime-walk';

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

export interface CollectMailbox {
  /** One page of ids matching `query` (newest first). */
  listMessageIds(query: string, pageToken: string | null, maxResults: number): { ids: string[]; nextPageToken: string | null };
  /** Full message resources, in parallel; one failure does not hide the others. */
  getMessages(ids: readonly string[]): Array<Fetched<GmailMessage>>;
  /** Attachment bytes by the ids of the SAME messages.get (they are not stable across calls). */
  getAttachments(refs: ReadonlyArray<{ messageId: string; attachmentId: string }>): Array<Fetched<Uint8Array>>;
  /** Label ids by name, creating missing labels. */
  ensureLabels(names: readonly string[]): Record<string, string>;
  /** Adds / removes labels on MESSAGES (not threads), batched. */
  modifyMessages(ids: readonly string[], add: readonly string[], remove: readonly string[]): void;
  /** Gmail API requests sent by this execution so far. */
  requestsSent(): number;
}
