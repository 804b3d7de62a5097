// Step: the snapshot. The first execution lists every id the query selects (messages.list, 500 per
// page, newest first, as Gmail lists them), keeps the newest `max`, drops the ids the previous export
// of the same query already holds (`since: 'last'`), notes the mailbox's history id, and writes the
// ids to a file in the export folder (50,000 ids would not fit in the user properties); later
// executions read that file back. The run's total is set only once the file is written.

import { PostroomError } from '../../domain/errors';
import { UNIT_COST } from '../../domain/export';
import { LIST_PAGE, MAX_SNAPSHOT, SNAPSHOT_FILE } from './deps';
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

/** Lists the selection once per run, or reads it back; returns the ids. */
export function ensureSnapshot(ctx: ExecutionContext): string[] {
  const { deps, run } = ctx;
  const folderId = run.folderId as string;
  if (run.total !== null) {
    const text = deps.files.readText(folderId, SNAPSHOT_FILE);
    const ids = text ? text.split('\n').filter(Boolean) : [];
    if (ids.length !== run.total)
      throw new PostroomError('INTERNAL', `The export's message list (${SNAPSHOT_FILE}) holds ${ids.length} ids, not ${run.total}.`);
    return ids;
  }
  if (!pace(ctx, UNIT_COST.profile)) throw stillFailing('profile', 'no time left in this execution');
  const profile = deps.mail.profile();
  charged(ctx);
  if (!profile.ok) throw profile.error;
  const ids = listAll(ctx);
  deps.files.writeText(folderId, SNAPSHOT_FILE, ids.join('\n'), 'text/plain');
  run.historyId = profile.value.historyId;
  run.total = ids.length;
  save(ctx);
  return ids;
}
