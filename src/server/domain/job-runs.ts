// The History of every job: JobRuns rows (as one getValues returns them, header row first) turned into
// what the sidebar lists, newest first, with the status in the reader's words. Pure: the adapter
// (src/server/ui/history.ts) reads the tab and gives the folder links.

import { JOB_RUN_COLUMNS } from './collect/ledger';
import { defineMessages, type Locale } from './i18n';

export interface JobRunView {
  runId: string;
  job: 'collect' | 'send' | 'export';
  status: string;
  statusLabel: string;
  startedAt: number;
  finishedAt: number | null;
  durationSec: number | null;
  summary: string;
  /** The run's non-zero metrics by JobRuns column (emails_scanned, receipts_created, errors_count…). */
  counts: Record<string, number>;
  logUrl: string | null;
  folderUrl: string | null;
}

const en = {
  'status.running': 'Running',
  'status.succeeded': 'Succeeded',
  'status.partial': 'Partly done',
  'status.failed': 'Failed',
  'status.dry_run': 'Dry run',
  'status.cancelled': 'Cancelled',
  'status.unknown': 'Unknown ({status})',
};

export type JobRunMessageKey = keyof typeof en;

export const translateJobRuns = defineMessages<JobRunMessageKey>({
  en,
  fr: {
    'status.running': 'En cours',
    'status.succeeded': 'Réussi',
    'status.partial': 'Partiel',
    'status.failed': 'Échec',
    'status.dry_run': 'Simulation',
    'status.cancelled': 'Annulé',
    'status.unknown': 'Inconnu ({status})',
  },
});

const METRIC_COLUMNS = JOB_RUN_COLUMNS.filter(
  (c) =>
    ![
      'run_id',
      'job',
      'status',
      'started_at',
      'finished_at',
      'duration_sec',
      'log_url',
      'summary',
      'gmail_api_calls',
      'folder_url',
      'gmail_units',
    ].includes(c),
);
const JOBS = ['collect', 'send', 'export'] as const;

export function statusLabel(status: string, locale: Locale): string {
  const key = `status.${status}` as JobRunMessageKey;
  return key in en && key !== 'status.unknown' ? translateJobRuns(locale, key) : translateJobRuns(locale, 'status.unknown', { status });
}

function timeOf(cell: unknown): number | null {
  if (cell instanceof Date) return Number.isFinite(cell.getTime()) ? cell.getTime() : null;
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
  if (typeof cell === 'string' && cell.trim()) {
    const ms = Date.parse(cell);
    return Number.isFinite(ms) ? ms : null;
  }
  // A Date from another realm (the Apps Script runtime's) is still a date.
  if (cell && typeof (cell as { getTime?: unknown }).getTime === 'function') return (cell as Date).getTime();
  return null;
}

function numberOf(cell: unknown): number | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
  if (typeof cell === 'string' && cell.trim() !== '' && Number.isFinite(Number(cell))) return Number(cell);
  return null;
}

function textOf(cell: unknown): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * The runs of a JobRuns tab (`values[0]` is the header row; columns found by name), newest first, at
 * most `limit`. Rows without a run id, a known job or a start time are skipped.
 */
export function readJobRuns(
  values: ReadonlyArray<ReadonlyArray<unknown>>,
  locale: Locale,
  options: { limit?: number; folderUrl?: (job: JobRunView['job']) => string | null } = {},
): JobRunView[] {
  if (values.length < 2) return [];
  const header = values[0].map((cell) => textOf(cell).trim());
  const col = (name: string) => header.indexOf(name);
  const at = (row: ReadonlyArray<unknown>, name: string) => (col(name) >= 0 ? row[col(name)] : undefined);
  const runs: JobRunView[] = [];
  for (const row of values.slice(1)) {
    const runId = textOf(at(row, 'run_id')).trim();
    const job = textOf(at(row, 'job')).trim() as JobRunView['job'];
    const startedAt = timeOf(at(row, 'started_at'));
    if (!runId || !(JOBS as readonly string[]).includes(job) || startedAt === null) continue;
    const status = textOf(at(row, 'status')).trim() || 'running';
    const finishedAt = timeOf(at(row, 'finished_at'));
    const counts: Record<string, number> = {};
    for (const name of METRIC_COLUMNS) {
      const n = numberOf(at(row, name));
      if (n !== null && n !== 0) counts[name] = n;
    }
    const duration = numberOf(at(row, 'duration_sec'));
    const logUrl = textOf(at(row, 'log_url')).trim();
    // A job may record its own folder (the export's folder_url column); else the adapter's for the job.
    const ownFolder = textOf(at(row, 'folder_url')).trim();
    runs.push({
      runId,
      job,
      status,
      statusLabel: statusLabel(status, locale),
      startedAt,
      finishedAt,
      durationSec: finishedAt === null ? null : (duration ?? Math.max(0, Math.round((finishedAt - startedAt) / 1000))),
      summary: textOf(at(row, 'summary')),
      counts,
      logUrl: /^https:\/\//.test(logUrl) ? logUrl : null,
      folderUrl: /^https:\/\//.test(ownFolder) ? ownFolder : options.folderUrl ? options.folderUrl(job) : null,
    });
  }
  runs.sort((a, b) => b.startedAt - a.startedAt);
  return runs.slice(0, Math.max(1, Math.min(options.limit ?? 50, 500)));
}
