// The run's snapshot: the ids matching the query, listed ONCE per run (oldest first) and saved in the
// user properties before any work, split into values under the 9 KB property limit.

import { PostroomError } from '../../domain/errors';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import type { KeyValueStore } from '../../ports/kv';
import { LIST_PAGE_SIZE } from './deps';
import type { Execution } from './execution';
import { searchPage } from './mail';
import { saveRunState } from './run-state';

/** Largest snapshot of one run: 5,000 ids ≈ 85 KB of properties; the rest waits for the next run. */
export const SNAPSHOT_MAX_IDS = 5000;
/** Characters per snapshot chunk, under the 9 KB value limit with room for JSON quotes. */
export const SNAPSHOT_CHUNK_CHARS = 8000;

/** Splits ids into chunks of at most SNAPSHOT_CHUNK_CHARS characters (comma-separated). */
export function chunkIds(ids: readonly string[], maxChars = SNAPSHOT_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const id of ids) {
    if (!id || id.includes(',')) throw new PostroomError('INTERNAL', `Unexpected Gmail message id ${JSON.stringify(id)}`);
    const next = current ? `${current},${id}` : id;
    if (next.length > maxChars && current) {
      chunks.push(current);
      current = id;
    } else current = next;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Saves the run's snapshot; returns the number of chunks written. */
export function saveSnapshot(store: KeyValueStore, ids: readonly string[]): number {
  const chunks = chunkIds(ids);
  chunks.forEach((chunk, index) => store.set(COLLECT_KEYS.idsChunk(index), chunk));
  // Chunks an earlier, longer snapshot left (a run's close does not delete them): known without a call.
  for (let index = chunks.length; store.get(COLLECT_KEYS.idsChunk(index)) !== null; index++) store.delete(COLLECT_KEYS.idsChunk(index));
  return chunks.length;
}

export function loadSnapshot(store: KeyValueStore, chunks: number, size: number): string[] {
  const ids: string[] = [];
  for (let index = 0; index < chunks; index++) {
    const chunk = store.get<string>(COLLECT_KEYS.idsChunk(index));
    if (typeof chunk !== 'string')
      throw new PostroomError('INTERNAL', `The collect run's message list is incomplete (${COLLECT_KEYS.idsChunk(index)} is missing).`);
    if (chunk) ids.push(...chunk.split(','));
  }
  if (ids.length !== size) throw new PostroomError('INTERNAL', `The collect run's message list holds ${ids.length} ids, not ${size}.`);
  return ids;
}

/** The run's snapshot: read back when taken already, else listed now (once per run) and saved before any work. */
export function ensureSnapshot(ex: Execution): string[] {
  const { deps, state } = ex;
  if (state.snapshotSize !== null) return loadSnapshot(deps.store, state.snapshotChunks, state.snapshotSize);
  const ids: string[] = [];
  let pageToken: string | null = null;
  let truncated = false;
  do {
    const page = searchPage(deps.mail, state.query, pageToken, LIST_PAGE_SIZE);
    for (const id of page.ids) if (!ids.includes(id)) ids.push(id);
    pageToken = page.nextPageToken;
    if (ids.length >= SNAPSHOT_MAX_IDS) {
      truncated = pageToken !== null || ids.length > SNAPSHOT_MAX_IDS;
      break;
    }
  } while (pageToken);
  // Gmail lists newest first; a backlog is handled in the order it arrived. Past the cap, the
  // newest wait for the next run.
  const snapshot = ids.slice(0, SNAPSHOT_MAX_IDS).reverse();
  state.snapshotChunks = saveSnapshot(deps.store, snapshot);
  state.snapshotSize = snapshot.length;
  saveRunState(deps.store, state);
  ex.log.info('run.snapshot', { messages: snapshot.length, truncated });
  return snapshot;
}
