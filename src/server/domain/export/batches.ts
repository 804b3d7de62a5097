// Batch files: each a JSON array of at most `batchSize` messages, in the order Gmail lists them
// (newest first), and never larger than `maxFileBytes` (well under the 50 MB Apps Script allows for a
// Drive write or a UrlFetch payload): a batch that would grow past it is cut early and the next file
// takes the rest, which the manifest says (`splitForSize`). One message is serialised once, its UTF-8
// size counted once; the file text is built only when the file is written.

import { utf8Length } from '../encoding';

/** Largest batch file: 20 MB of UTF-8 (Drive write and UrlFetch limits are 50 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const OPEN = '[\n';
const CLOSE = '\n]\n';
const SEPARATOR = ',\n';

export interface PendingBatch {
  /** Index in the snapshot of the first message of the batch. */
  from: number;
  /** Serialised messages, in order. */
  items: string[];
  /** Gmail ids, in order (for the manifest). */
  ids: string[];
  /** UTF-8 bytes of the file text these items make. */
  bytes: number;
  /** True when the batch was closed because of its size, before batchSize. */
  splitForSize: boolean;
}

export function emptyBatch(from: number): PendingBatch {
  return { from, items: [], ids: [], bytes: utf8Length(OPEN) + utf8Length(CLOSE), splitForSize: false };
}

/** The file's bytes once `json` (a message of `jsonBytes` UTF-8 bytes) is added. */
export function bytesWith(batch: PendingBatch, jsonBytes: number): number {
  return batch.bytes + jsonBytes + (batch.items.length ? SEPARATOR.length : 0);
}

/**
 * Whether `json` still fits the batch. A message alone in a batch always fits (one message over the
 * limit gets a file of its own: Gmail's own 25 MB message limit keeps it under the 50 MB write limit).
 */
export function fits(batch: PendingBatch, jsonBytes: number, batchSize: number, maxBytes = MAX_FILE_BYTES): boolean {
  if (!batch.items.length) return true;
  return batch.items.length < batchSize && bytesWith(batch, jsonBytes) <= maxBytes;
}

export function addToBatch(batch: PendingBatch, id: string, json: string, jsonBytes = utf8Length(json)): void {
  batch.bytes = bytesWith(batch, jsonBytes);
  batch.items.push(json);
  batch.ids.push(id);
}

/** The file text: a JSON array, one message per line group. */
export function batchText(batch: PendingBatch): string {
  return batch.items.length ? OPEN + batch.items.join(SEPARATOR) + CLOSE : '[]\n';
}
