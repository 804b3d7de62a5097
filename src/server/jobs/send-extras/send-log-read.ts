// getSendLog(runId): every event of one send, in the reader's language, from the day files of the
// lasting log (Postroom/logs/send-YYYY-MM-DD.jsonl) of the run's days. The run id starts with its UTC
// start time ("S20260115T090000-ab12"), so the files to read are known without a lookup.

import { localizedError } from '../../domain/errors';
import { translateSendJob } from '../../domain/send/job-messages';
import type { Locale } from '../../domain/i18n';
import { renderLogEntry, type SendLogLine } from '../../domain/send/send-log';
import type { SendLogStore } from '../../ports/send-extras';

export interface SendLogView {
  runId: string;
  lines: SendLogLine[];
}

/** Days after its start a run's events are looked for (a send paused by the daily cap for weeks, its bounces 72 h after). */
export const LOG_SPAN_DAYS = 45;

/**
 * The day files that may hold the run: from the day before its id's UTC date (any zone's day) to
 * LOG_SPAN_DAYS after; every file for an id without a date (the test sends' "test").
 */
export function logDays(runId: string): { fromDay: string; toDay: string } {
  const match = /^S(\d{4})(\d{2})(\d{2})T/.exec(runId);
  if (!match) return { fromDay: '0000-00-00', toDay: '9999-12-31' };
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { fromDay: day(start - 86_400_000), toDay: day(start + LOG_SPAN_DAYS * 86_400_000) };
}

export function readSendLog(log: SendLogStore, runId: string, locale: Locale): SendLogView {
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(runId))
    throw localizedError('INVALID_INPUT', translateSendJob, 'log.badRunId', { got: String(JSON.stringify(runId)) });
  const { fromDay, toDay } = logDays(runId);
  return { runId, lines: log.readRun(runId, fromDay, toDay).map((entry) => renderLogEntry(entry, locale)) };
}
