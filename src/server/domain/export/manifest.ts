// manifest.json, the export folder's table of contents: the query (as typed and as run), the options,
// the counts, every batch file (name, messages, bytes, first and last message, whether it was cut
// early to stay under the size limit), started / finished times, the Gmail history id the snapshot was
// taken at, and the limits the export kept to. Rewritten after every batch file, so the folder always
// says how far the export got ("state": "running" until the end).

import { MAX_FILE_BYTES } from './batches';
import type { ExportRun, ExportState } from './run-state';

export const MANIFEST_FORMAT = 'postroom-export/1';

export interface ManifestFile {
  name: string;
  messages: number;
  bytes: number;
  /** 0-based positions in the snapshot (newest first) of its first and last message. */
  first: number;
  last: number;
  firstId: string;
  lastId: string;
  /** Closed before batchSize messages because the next message would have taken it past maxFileBytes. */
  splitForSize: boolean;
}

export interface Manifest {
  format: string;
  runId: string;
  state: Exclude<ExportState, 'idle'>;
  query: string;
  gmailQuery: string;
  since: string | null;
  max: number | null;
  batchSize: number;
  includeAttachments: boolean;
  order: 'newest first';
  startedAt: string;
  finishedAt: string | null;
  historyId: string | null;
  counts: {
    selected: number | null;
    exported: number;
    files: number;
    bytes: number;
    missing: number;
    attachmentsSeen: number;
    attachmentsStored: number;
    attachmentsFailed: number;
  };
  files: ManifestFile[];
  missingIds: string[];
  limits: { maxFileBytes: number; splitFiles: number; note: string };
  error: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function buildManifest(
  run: ExportRun,
  files: readonly ManifestFile[],
  state: Manifest['state'],
  finishedAt: number | null,
  maxFileBytes = MAX_FILE_BYTES,
): Manifest {
  const splitFiles = files.filter((f) => f.splitForSize).length;
  return {
    format: MANIFEST_FORMAT,
    runId: run.runId,
    state,
    query: run.options.query,
    gmailQuery: run.gmailQuery,
    since: run.options.since,
    max: run.options.max,
    batchSize: run.options.batchSize,
    includeAttachments: run.options.includeAttachments,
    order: 'newest first',
    startedAt: iso(run.startedAt) as string,
    finishedAt: iso(finishedAt),
    historyId: run.historyId,
    counts: {
      selected: run.total,
      exported: run.exported,
      files: files.length,
      bytes: run.bytes,
      missing: run.missing,
      attachmentsSeen: run.attachmentsSeen,
      attachmentsStored: run.attachmentsStored,
      attachmentsFailed: run.attachmentsFailed,
    },
    files: [...files],
    missingIds: run.missingIds,
    limits: {
      maxFileBytes,
      splitFiles,
      note:
        `Each file holds at most batchSize (${run.options.batchSize}) messages and at most ${maxFileBytes} bytes (Apps Script allows 50 MB per Drive write and per UrlFetch): ` +
        `a file is closed early when the next message would take it past that size (splitForSize), or when an execution's time is up.`,
    },
    error: run.lastError,
  };
}

/** The files a manifest lists (an unreadable or foreign manifest lists none). */
export function manifestFiles(text: string | null): ManifestFile[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    return parsed.format === MANIFEST_FORMAT && Array.isArray(parsed.files) ? parsed.files : [];
  } catch {
    return [];
  }
}
