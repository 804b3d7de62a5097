// STORE: the file an attachment becomes (day folder, unique sanitised name reserved at once), and the
// chunk's files written: all at once through FileStore.createFiles (parallel uploads), or, while
// careful (after a crash or an upload in doubt), one by one after probing Drive for an orphan of the
// same name, size and sha256 to reuse. A failed upload is tried again within the execution, never
// blindly: one Drive refused (429, 4xx: nothing was created) is sent again; one that may have created
// its file all the same (5xx, network: `maybeCreated`) is tried the careful way, which reuses the file
// if it is there. Only what still fails after UPLOAD_ATTEMPTS is an error of its message, and an upload
// left in doubt then makes the next runs careful until a run ends clean.

import {
  STATE_FOLDER,
  extensionForMimeType,
  nameForContent,
  sanitizeFileName,
  uniqueName,
  type FileKind,
  type ReceiptState,
} from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import type { CreateFileResult, StoredFile } from '../../ports/files';
import { UPLOAD_ATTEMPTS, UPLOAD_RETRY_PAUSE_MS } from './deps';
import { recovering, takenNames, type Execution, type PendingUpload } from './execution';
import { saveRunState } from './run-state';

/**
 * The file an attachment becomes: its day folder and a unique sanitised name, RESERVED now (even if
 * the upload then fails, so no other file of this execution takes a name an in-doubt upload may
 * hold). Its extension is the one of what the bytes are (`detected`), whatever the sender named it.
 * Nothing is overwritten. A dry run gets its path and is stored as already done.
 */
export function planFile(
  ex: Execution,
  state: ReceiptState,
  day: string,
  filename: string,
  content: Uint8Array,
  type: { mimeType: string; detected: FileKind | null },
  sha: string,
  recordAs?: PendingUpload['recordAs'],
): PendingUpload {
  const { mimeType } = type;
  const ext = extensionForMimeType(mimeType);
  const base = nameForContent(sanitizeFileName(filename, ext ? `attachment.${ext}` : 'attachment'), type.detected, content.length);
  const folderKey = `${STATE_FOLDER[state]}/${day}`;
  const taken = takenNames(ex, folderKey);
  const name = uniqueName(base, taken);
  taken.add(name);
  const ref = `${folderKey}/${base}#${sha || `${content.length}:${ex.deps.codecs.sha256Hex(content)}`}`;
  const upload: PendingUpload = { folderId: '', folderKey, base, name, content, mimeType, sha, result: null, ref, recordAs };
  const earlier = ex.stored[ref]?.planned ? undefined : ex.stored[ref];
  if (ex.state.request.dryRun) upload.result = { ok: true, file: { id: '', name, url: '', size: content.length, mimeType } };
  else if (earlier) {
    // Stored by an execution of this run that was cut short before its commit: the same file, no upload.
    taken.delete(name);
    upload.name = earlier.name;
    taken.add(earlier.name);
    upload.result = { ok: true, file: { id: earlier.id, name: earlier.name, url: earlier.url, size: content.length, mimeType } };
    ex.log.info('file.reused', { filename: earlier.name, path: `${folderKey}/${earlier.name}` });
  } else {
    // While recovering, the decision is noted before the folder's lookup and the upload (see notePlanned).
    if (recordAs && recovering(ex)) notePlanned(ex, upload);
    upload.folderId = folderId(ex, folderKey, [ex.settings.rootFolder, STATE_FOLDER[state], day]);
    ex.pendingUploads.push(upload);
  }
  // Empty pieces and notes have no content to deduplicate by ('' sha).
  if (sha) ex.pendingBySha.set(sha, upload);
  ex.deciding?.uploads.push(upload);
  return upload;
}

/** A folder's id: from the run state (found by an earlier execution of the run), else found or made now and kept there. */
export function folderId(ex: Execution, key: string, path: string[], persist = true): string {
  const known = (ex.state.folderIds ??= {});
  if (known[key]) return known[key];
  const save = () => {
    // Saved at once: an execution cut short before its commit still spares the next one this lookup.
    if (persist && ex.state.snapshotSize !== null) saveRunState(ex.deps.store, ex.state);
  };
  const { ensureFolderIn } = ex.deps.files;
  if (!ensureFolderIn || path.length < 2) {
    known[key] = ex.deps.files.ensureFolder(path);
    save();
    return known[key];
  }
  // Level by level from the deepest one known, each level's id saved as found: a path of several
  // levels is not one long stretch of calls without a durable step.
  const levelKey = (depth: number) => `path:${path.slice(0, depth).join('/')}`;
  let depth = path.length - 1;
  while (depth > 1 && !known[levelKey(depth)]) depth--;
  if (!known[levelKey(depth)]) ensureRootFolder(ex, persist);
  for (; depth < path.length; depth++) {
    const id = ensureFolderIn.call(ex.deps.files, known[levelKey(depth)], path[depth]);
    if (depth + 1 < path.length) known[levelKey(depth + 1)] = id;
    else known[key] = id;
    save();
  }
  return known[key];
}

/**
 * The run's root folder (every run needs it: its log is there), found by one lookup in My Drive ('root',
 * Drive's alias; not a DriveApp walk of 5 calls) or made, its id saved at once. Called early in an
 * execution, before any message is fetched, so this step is not behind the message's calls.
 */
export function ensureRootFolder(ex: Execution, persist = true): void {
  const known = (ex.state.folderIds ??= {});
  const key = `path:${ex.settings.rootFolder}`;
  const { ensureFolderIn } = ex.deps.files;
  if (known[key] || !ensureFolderIn) return;
  known[key] = ensureFolderIn.call(ex.deps.files, 'root', ex.settings.rootFolder);
  if (persist && ex.state.snapshotSize !== null) saveRunState(ex.deps.store, ex.state);
}

/** Stores the chunk's files and notes the failed ones (and the in-doubt ones: orphan risk). */
export function storeFiles(ex: Execution, midChunk = false): void {
  const uploads = ex.pendingUploads;
  ex.pendingUploads = [];
  // Mid-chunk (one file at a time while recovering) the chunk's files by sha256 stay known for its dedupe.
  if (!midChunk) ex.pendingBySha = new Map();
  if (!uploads.length) return;
  if (ex.careful) storeEachCarefully(ex, uploads);
  else storeInParallel(ex, uploads);
  for (let attempt = 1; attempt < UPLOAD_ATTEMPTS; attempt++) {
    const failed = uploads.filter((upload) => !(upload.result as CreateFileResult).ok);
    if (!failed.length) break;
    ex.deps.pause(UPLOAD_RETRY_PAUSE_MS * 2 ** (attempt - 1));
    const inDoubtNow = failed.filter((upload) => (upload.result as { maybeCreated: boolean }).maybeCreated);
    ex.log.warn('run.uploads_retried', { files: failed.length, inDoubt: inDoubtNow.length, attempt: attempt + 1 });
    storeEachCarefully(ex, inDoubtNow);
    const refused = failed.filter((upload) => !inDoubtNow.includes(upload));
    if (ex.careful) storeEachCarefully(ex, refused);
    else storeInParallel(ex, refused);
  }
  rememberStored(ex, uploads);
  let inDoubt = 0;
  for (const upload of uploads) {
    const result = upload.result as CreateFileResult;
    if (result.ok) continue;
    if (upload.sha) ex.failedShas.add(upload.sha);
    if (result.maybeCreated) inDoubt += 1;
  }
  if (inDoubt && !ex.orphanRiskMarked) {
    ex.deps.store.set(COLLECT_KEYS.orphanRisk, true);
    ex.orphanRiskMarked = true;
    ex.log.warn('run.uploads_in_doubt', { files: inDoubt, reason: 'the next runs probe Drive before creating these files again' });
  }
}

/** Largest JSON of the stored-files record (one property value, 9 KB): past it, the careful probe does the job. */
const STORED_RECORD_MAX_CHARS = 8000;

/** Notes the chunk's stored files durably (one write), so a cut-short execution's successor reuses them as they are. */
function rememberStored(ex: Execution, uploads: PendingUpload[]): void {
  let added = 0;
  for (const upload of uploads) {
    const result = upload.result as CreateFileResult;
    if (!result.ok || (ex.stored[upload.ref] && !ex.stored[upload.ref].planned)) continue;
    ex.stored[upload.ref] = { id: result.file.id, url: result.file.url, name: result.file.name || upload.name, ...upload.recordAs };
    added += 1;
  }
  if (added) noteStored(ex);
}

/**
 * Notes, before its upload, the file an attachment becomes (while recovering): an execution cut short
 * during the probe or the upload leaves the next one a step that fits in few calls, the upload of a file
 * already decided (storePlanned), instead of fetching, decoding, hashing and deciding it all again.
 */
export function notePlanned(ex: Execution, upload: PendingUpload): void {
  if (!upload.recordAs || ex.stored[upload.ref]) return;
  ex.stored[upload.ref] = {
    id: '',
    url: '',
    name: upload.name,
    ...upload.recordAs,
    planned: { folderId: upload.folderId, folderKey: upload.folderKey, base: upload.base, mimeType: upload.mimeType },
  };
  noteStored(ex);
}

/** Writes the stored-files record (one property value: past its size, the careful probe does the job). */
export function noteStored(ex: Execution): void {
  if (JSON.stringify(ex.stored).length <= STORED_RECORD_MAX_CHARS) ex.deps.store.set(COLLECT_KEYS.stored, ex.stored);
}

function storeInParallel(ex: Execution, uploads: PendingUpload[]): void {
  if (!uploads.length) return;
  const results = ex.deps.files.createFiles(
    uploads.map(({ folderId, name, content, mimeType }) => ({ folderId, name, bytes: content, mimeType })),
  );
  uploads.forEach((upload, i) => (upload.result = results[i]));
}

export function storeEachCarefully(ex: Execution, uploads: PendingUpload[]): void {
  for (const upload of uploads) {
    try {
      upload.result = { ok: true, file: storeCarefully(ex, upload) };
      // Noted at once, one file at a time: an execution cut short at the next file keeps this one.
      rememberStored(ex, [upload]);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      upload.result = { ok: false, error: errorMessage(error), maybeCreated: true };
    }
  }
}

/** After a crash a file may be in Drive that no Receipt records: reuse it if it is these bytes. */
function storeCarefully(ex: Execution, upload: PendingUpload): StoredFile {
  const { deps } = ex;
  const taken = takenNames(ex, upload.folderKey);
  const { sha256Hex } = ex.deps.codecs;
  const reused = (found: { id: string; url: string }): StoredFile => {
    ex.log.info('file.reused', { filename: upload.name, path: `${upload.folderKey}/${upload.name}` });
    return { id: found.id, name: upload.name, url: found.url, size: upload.content.length, mimeType: upload.mimeType };
  };
  for (;;) {
    // Drive's own SHA-256 of the same-name files (one request): no download, no digest of theirs.
    const listed = deps.files.findFilesWithSha256?.(upload.folderId, upload.name);
    if (listed && !listed.some((file) => file.size === upload.content.length && !file.sha256)) {
      if (!listed.length) return createOne(ex, upload);
      const sha = upload.sha || sha256Hex(upload.content);
      const same = listed.find((file) => file.size === upload.content.length && file.sha256 === sha);
      if (same) return reused(same);
    } else {
      // Without that lookup (or a same-size file Drive gave no checksum): the first file of the name, its bytes hashed.
      const existing = deps.files.findFileByName(upload.folderId, upload.name);
      if (!existing) return deps.files.createFile(upload.folderId, upload.name, upload.content, upload.mimeType);
      if (existing.size === upload.content.length && sha256Hex(existing.bytes()) === (upload.sha || sha256Hex(upload.content)))
        return reused(existing);
    }
    // Another file holds the name: take the next free one.
    upload.name = uniqueName(upload.base, taken);
    taken.add(upload.name);
  }
}

/** One file created by the parallel path (one Drive API upload, not DriveApp's four calls); a failure thrown. */
function createOne(ex: Execution, upload: PendingUpload): StoredFile {
  const { folderId, name, content, mimeType } = upload;
  const [result] = ex.deps.files.createFiles([{ folderId, name, bytes: content, mimeType }]);
  if (!result.ok) throw new Error(result.error);
  return result.file;
}
