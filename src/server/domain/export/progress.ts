// ExportProgress, the shape the sidebar and the card read (getExportProgress, startExport,
// cancelExport): the state, the counts, the folder link and one summary line in the user's language
// ("1 234 messages exportés dans 1 fichier"). JSON only: times are epoch ms.

import type { Locale } from '../i18n';
import { formatCount, formatFiles, translateExport } from './messages';
import { runFacts, type ExportRun, type ExportState, type FinishedExport } from './run-state';

export interface ExportProgress {
  state: ExportState;
  runId: string | null;
  query: string;
  /** Messages written to batch files so far. */
  exported: number;
  /** Messages selected (null while still listing). */
  total: number | null;
  /** Batch files written. */
  files: number;
  folderUrl: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  summary: string;
  /** In the user's language when state = failed. */
  error: string | null;
  executions: number;
  gmailUnits: number;
  attachmentsStored: number;
  missing: number;
  /** A cancel was asked and will be applied by the running execution. */
  cancelRequested: boolean;
}

export function idleProgress(locale: Locale): ExportProgress {
  return {
    state: 'idle',
    runId: null,
    query: '',
    exported: 0,
    total: null,
    files: 0,
    folderUrl: null,
    startedAt: null,
    finishedAt: null,
    summary: translateExport(locale, 'summary.idle'),
    error: null,
    executions: 0,
    gmailUnits: 0,
    attachmentsStored: 0,
    missing: 0,
    cancelRequested: false,
  };
}

export function runningProgress(run: ExportRun, locale: Locale, cancelRequested = false): ExportProgress {
  const summary =
    run.total === null
      ? translateExport(locale, 'summary.listing')
      : translateExport(locale, 'summary.running', {
          exported: formatCount(locale, run.exported),
          total: formatCount(locale, run.total),
          files: formatFiles(locale, run.files),
        });
  return { state: 'running', ...runFacts(run), finishedAt: null, summary, error: null, cancelRequested };
}

export function finishedSummary(done: Pick<FinishedExport, 'state' | 'exported' | 'total' | 'files' | 'error'>, locale: Locale): string {
  const params = {
    exported: formatCount(locale, done.exported),
    total: formatCount(locale, done.total ?? done.exported),
    files: formatFiles(locale, done.files),
    error: done.error ?? '',
  };
  if (done.state === 'done') return translateExport(locale, 'summary.done', params);
  if (done.state === 'cancelled') return translateExport(locale, 'summary.cancelled', params);
  return translateExport(locale, 'summary.failed', params);
}

export function finishedProgress(done: FinishedExport, locale: Locale): ExportProgress {
  return {
    state: done.state,
    runId: done.runId,
    query: done.query,
    exported: done.exported,
    total: done.total,
    files: done.files,
    folderUrl: done.folderUrl,
    startedAt: done.startedAt,
    finishedAt: done.finishedAt,
    summary: finishedSummary(done, locale),
    error: done.state === 'failed' ? done.error : null,
    executions: done.executions,
    gmailUnits: done.gmailUnits,
    attachmentsStored: done.attachmentsStored,
    missing: done.missing,
    cancelRequested: false,
  };
}
