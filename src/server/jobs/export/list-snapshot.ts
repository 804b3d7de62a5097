// Step: the snapshot. The first execution notes the mailbox's history id (saved), lists every id the
// query selects (messages.list, 500 per page, newest first, as Gmail lists them), keeps the newest
// `max`, drops the ids the previous export of the same query already holds (`since: 'last'`), and writes the
// ids to a file in the export folder (50,000 ids would not fit in the user properties; a listing cut
// short and done again replaces it); its id, the total and the first ids are saved in one write. Later
// executions read the ids they need from the run's ids ahead of the cursor (saved with each
// checkpoint), or download the file by id, with the manifest in the same round trip.

import { PostroomError } from '../../domain/errors';
import { manifestFiles, MANIFEST_NAME, UNIT_COST } from '../../domain/export';
import { AHEAD_IDS, LIST_PAGE, MAX_SNAPSHOT, SNAPSHOT_FILE } from './deps';
import { charged, pace, save, stillFailing, type ExecutionContext } from './context';

function listAll(ctx: ExecutionContext): string[] {
  const { deps, run } = ctx;
  const limit = Math.min(run.options.max ?? MAX_SNAPSHOT, MAX_SNAPSHOT);
  const skip = new Set(run.skipIds);
  const ids: string[] = [];
  const seen = new Set<string>();
  let pageToken: string | null = null;
  do {
    if (!pace(ctx, UNIT_COST.list)) throw stillFailing('search', 'no time left in this execution to list the messages');
    const page = deps.mail.search(run.gmailQuery, { pageToken, max: LIST_PAGE });
    charged(ctx);
    if (!page.ok) throw page.error;
    for (const id of page.value.ids) {
      if (skip.has(id) || seen.has(id)) continue; // a page boundary may repeat an id when mail arrives meanwhile
      seen.add(id);
      ids.push(id);
      if (ids.length >= limit) break;
    }
    pageToken = ids.length >= limit ? null : page.value.nextPageToken;
  } while (pageToken);
  return ids;
}

/** Lists the selection once per run (nothing to do when it is listed already). */
export function ensureSnapshot(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  if (run.total !== null) return;
  // The mailbox's history id first (saved: a step of its own), then the listing and its file.
  if (run.historyId === null) {
    if (!pace(ctx, UNIT_COST.profile)) throw stillFailing('profile', 'no time left in this execution');
    const profile = deps.mail.profile();
    charged(ctx);
    if (!profile.ok) throw profile.error;
    run.historyId = profile.value.historyId;
    save(ctx);
  }
  const ids = listAll(ctx);
  const file = deps.files.putText(run.folderId as string, SNAPSHOT_FILE, ids.join('\n'), 'text/plain', null);
  run.snapshotId = file.id;
  run.total = ids.length;
  ctx.ids = ids;
  keepAhead(ctx);
  save(ctx);
}

/** The ids after the cursor kept in the run (saved with it by the caller). */
export function keepAhead(ctx: ExecutionContext): void {
  const { run } = ctx;
  // Always from the cursor: ids that cannot be told from here are dropped, never kept out of place.
  const window = idsWithin(ctx, run.cursor, AHEAD_IDS);
  if (window) run.aheadIds = window;
  else delete run.aheadIds;
  ctx.aheadFrom = run.cursor;
}

/** Ids [from, from + count) (fewer at the end of the selection) if this execution has them without a download. */
function idsWithin(ctx: ExecutionContext, from: number, count: number): string[] | null {
  const total = ctx.run.total ?? 0;
  const end = Math.min(from + count, total);
  if (ctx.ids) return ctx.ids.slice(from, end);
  const ahead = ctx.run.aheadIds;
  if (!ahead || from < ctx.aheadFrom || end > ctx.aheadFrom + ahead.length) return null;
  return ahead.slice(from - ctx.aheadFrom, end - ctx.aheadFrom);
}

/** The snapshot's ids [from, from + count): from the ids kept ahead, else the snapshot file (downloaded once). */
export function idsAt(ctx: ExecutionContext, from: number, count: number): string[] {
  const known = idsWithin(ctx, from, count);
  if (known) return known;
  loadSnapshot(ctx);
  return (ctx.ids as string[]).slice(from, from + count);
}

/** Downloads the snapshot (and manifest.json when not read yet, in the same round trip). */
function loadSnapshot(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  const folderId = run.folderId as string;
  // A run saved before the ids were kept: found once by name.
  const snapshotId = (run.snapshotId ??= deps.files.findFile(folderId, SNAPSHOT_FILE)?.id ?? null);
  const withManifest = !ctx.filesLoaded && !ctx.manifestAsked && run.manifestId;
  const [text, manifest] = snapshotId
    ? deps.files.readTexts(withManifest ? [snapshotId, run.manifestId as string] : [snapshotId])
    : [null, undefined];
  const ids = text ? text.split('\n').filter(Boolean) : [];
  if (ids.length !== run.total)
    throw new PostroomError('INTERNAL', `The export's message list (${SNAPSHOT_FILE}) holds ${ids.length} ids, not ${run.total}.`);
  ctx.ids = ids;
  if (withManifest) takeManifest(ctx, manifest ?? null);
}

/** Records manifest.json's files (those of checkpointed batches only: a file in doubt is resolved apart). */
export function takeManifest(ctx: ExecutionContext, text: string | null): void {
  ctx.files = manifestFiles(text).filter((file) => batchIndex(file.name) <= ctx.run.files);
  ctx.filesLoaded = true;
}

function batchIndex(name: string): number {
  const m = /(\d+)\.json$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** manifest.json's files, read now unless they are already known or asked to come with a Gmail read. */
export function ensureFiles(ctx: ExecutionContext): void {
  if (ctx.filesLoaded) return;
  const { deps, run } = ctx;
  if (ctx.manifestAsked) {
    const asked = ctx.manifestAsked;
    ctx.manifestAsked = null;
    return takeManifest(ctx, asked());
  }
  const id = run.manifestId ?? deps.files.findFile(run.folderId as string, MANIFEST_NAME)?.id ?? null;
  takeManifest(ctx, id ? (deps.files.readTexts([id])[0] ?? null) : null);
}
