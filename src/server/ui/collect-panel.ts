// What the sidebar's Collect tab shows besides the run itself: the last run (date, duration, counts,
// its summary in the reader's words, the day's JSONL log), the attachments it quarantined with their
// reasons (read from that log), links to the Drive folders, whether a run is going on, whether the
// setup is complete (a fresh install has no allowed sender), and Gmail's estimate of the messages the
// next run would look at.

import { folderPaths, getCollectStatus, loadCollectSettings } from '../jobs/collect';
import { collectDeps } from '../wiring/collect';
import {
  formatCollectSummary,
  logFileName,
  parseLogLines,
  reasonLabel,
  statusLabel,
  LOGS_FOLDER,
  type QuarantineReason,
} from '../domain/collect';
import { errorMessage } from '../domain/errors';
import { settingsMailGateway } from '../wiring/mail-gateway';
import type { CollectMetrics } from '../domain/collect';

export interface QuarantinedItem {
  filename: string;
  reason: string;
  detail: string;
  path: string;
}

export interface CollectOverview {
  running: { sinceMs: number } | null;
  pending: { runId: string; startedAtMs: number; text: string } | null;
  lastRun: null | {
    runId: string;
    status: string;
    statusLabel: string;
    dryRun: boolean;
    startedAt: number;
    finishedAt: number | null;
    durationSec: number;
    metrics: CollectMetrics;
    text: string;
    logPath: string;
    logUrl: string | null;
  };
  /** The last run's quarantined attachments (at most 50), from its log. */
  quarantined: QuarantinedItem[];
  /** Drive folders of the collect (null when not created yet). */
  folders: { root: string | null; incoming: string | null; quarantine: string | null; logs: string | null };
  /** Setup problems that stop a run, in the order to fix them ("allowedSenders", "settings"). */
  setup: { needsAllowedSenders: boolean; settingsError: string | null };
  query: string;
  defaultMaxItems: number;
  /** The settings' dryRun: the switch starts there. */
  defaultDryRun: boolean;
}

const MAX_QUARANTINED_SHOWN = 50;

function folderUrl(id: string | null): string | null {
  return id ? `https://drive.google.com/drive/folders/${id}` : null;
}

export function getCollectOverview(): CollectOverview {
  const deps = collectDeps();
  let settingsError: string | null = null;
  let settings: ReturnType<typeof loadCollectSettings> | null = null;
  try {
    settings = loadCollectSettings(deps);
  } catch (error) {
    settingsError = errorMessage(error);
  }
  const status = getCollectStatus(deps);
  const root = settings?.rootFolder ?? 'Postroom';
  const paths = folderPaths({ rootFolder: root });
  const ids = {
    root: deps.files.findFolder(paths.root),
    incoming: deps.files.findFolder(paths.incoming),
    quarantine: deps.files.findFolder(paths.quarantine),
    logs: deps.files.findFolder(paths.logs),
  };
  const last = status.lastRun;
  let quarantined: QuarantinedItem[] = [];
  if (last && last.metrics.quarantined > 0 && ids.logs) {
    const days = [...new Set([deps.dayOf(last.startedAtMs), deps.dayOf(last.finishedAtMs ?? last.startedAtMs)])];
    for (const day of days) {
      const text = deps.files.readTextFile(ids.logs, logFileName(day));
      if (!text) continue;
      let events: ReturnType<typeof parseLogLines> = [];
      try {
        events = parseLogLines(text);
      } catch {
        continue; // A log edited by hand: the quarantine list is a convenience, the ledger is the truth.
      }
      for (const event of events) {
        if (event.event !== 'attachment.quarantined' || event.runId !== last.runId) continue;
        quarantined.push({
          filename: String(event.filename ?? ''),
          reason: event.reason ? reasonLabel(deps.locale, event.reason as QuarantineReason) : '',
          detail: String(event.detail ?? ''),
          path: String(event.path ?? ''),
        });
      }
    }
    quarantined = quarantined.slice(0, MAX_QUARANTINED_SHOWN);
  }
  return {
    running: status.running,
    pending: status.pending ? { runId: status.pending.runId, startedAtMs: status.pending.startedAtMs, text: status.pending.text } : null,
    lastRun: last
      ? {
          runId: last.runId,
          status: last.status,
          statusLabel: statusLabel(deps.locale, last.status),
          dryRun: last.dryRun,
          startedAt: last.startedAtMs,
          finishedAt: last.finishedAtMs,
          durationSec: last.metrics.durationSec,
          metrics: last.metrics,
          text: formatCollectSummary(deps.locale, last.metrics, { dryRun: last.dryRun }),
          logPath: `${root}/${last.logPath || `${LOGS_FOLDER}/${logFileName(deps.dayOf(last.startedAtMs))}`}`,
          logUrl: last.logUrl || null,
        }
      : null,
    quarantined,
    folders: {
      root: folderUrl(ids.root),
      incoming: folderUrl(ids.incoming),
      quarantine: folderUrl(ids.quarantine),
      logs: folderUrl(ids.logs),
    },
    setup: { needsAllowedSenders: settings !== null && settings.allowedSenders.length === 0, settingsError },
    query: settings?.query ?? '',
    defaultMaxItems: settings?.maxAttachmentsPerRun ?? 200,
    defaultDryRun: settings?.dryRun ?? false,
  };
}

/**
 * Gmail's estimate of the messages the next run would look at (the settings' query): one search of one
 * id through the mail gateway (messages.list resultSizeEstimate, 5 quota units). A failure is the
 * gateway's typed error, shown in the user's words by the entry points.
 */
export function estimateCollect(): { query: string; estimate: number } {
  const settings = loadCollectSettings(collectDeps());
  const page = settingsMailGateway().search(settings.query, { max: 1 });
  if (!page.ok) throw page.error;
  return { query: settings.query, estimate: page.value.resultSizeEstimate };
}
